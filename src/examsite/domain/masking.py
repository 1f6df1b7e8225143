"""Masking an ID number on papers that are posted or passed around (sign-in sheets, desk
labels, admission tickets): the first 6 and the last 4 characters stay, the rest is
starred, so a candidate can recognise their own line and nobody can copy the number."""

from __future__ import annotations

from typing import Final

KEEP_HEAD: Final = 6
KEEP_TAIL: Final = 4


def mask_id(number: str) -> str:
    """``"420102200501011234"`` → ``"420102********1234"``; short numbers (passports) keep
    only their last 4 characters visible; empty stays empty."""
    number = number.strip()
    if not number:
        return ""
    if len(number) <= KEEP_HEAD + KEEP_TAIL:
        tail = number[-KEEP_TAIL:] if len(number) > KEEP_TAIL else ""
        return "*" * (len(number) - len(tail)) + tail
    return number[:KEEP_HEAD] + "*" * (len(number) - KEEP_HEAD - KEEP_TAIL) + number[-KEEP_TAIL:]
