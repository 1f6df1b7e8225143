"""The admission-ticket number (准考证号) the program gives, in one place.

The documents show the platform's own numbers (26 digits, starting with the exam date,
e.g. 20210916002611000000700009) but not how they are built, so the program's numbers
follow a structure a coordinator can read at a glance, 18 digits::

    YYYYMMDD  SSSS  RRR  NNN
    20270110  0001  003  017

- ``YYYYMMDD``: the date of the registration's first session (its earliest exam);
- ``SSSS``: the last 4 digits of the site's code (only its digits; 0000 without a code);
- ``RRR``: the room's number at the site in this plan (rooms in the order they were made,
  from 001);
- ``NNN``: the seat number in that room, in that first session.

The number is given when a registration is first seated and never changes afterwards,
even when the candidate is moved: tickets are printed early. So the number a new seat
would get may be held already (by a candidate who sat there first and was moved); then
the seat part is the next free one from 999 downwards, and the number is still unique
within the plan. The platform's official numbers, imported with ``import arrangement``,
replace the program's and are never replaced by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from functools import lru_cache
from typing import Final

SITE_DIGITS: Final = 4
ROOM_DIGITS: Final = 3
SEAT_DIGITS: Final = 3
LENGTH: Final = 8 + SITE_DIGITS + ROOM_DIGITS + SEAT_DIGITS


@lru_cache(maxsize=64)
def site_part(site_code: str) -> str:
    """The last 4 digits of the site's code, zero-padded ("0000" without digits)."""
    digits = "".join(c for c in site_code if c.isdigit())
    return digits[-SITE_DIGITS:].rjust(SITE_DIGITS, "0")


def ticket_number(
    first_exam: dt.date,
    site_code: str,
    room_number: int,
    seat: int,
    taken: Container[str] = (),
) -> str:
    """The ticket number for a registration first seated at ``seat`` of room
    ``room_number`` (from 1) on ``first_exam``, avoiding the numbers in ``taken``."""
    head = (
        f"{first_exam:%Y%m%d}{site_part(site_code)}{room_number % 10**ROOM_DIGITS:0{ROOM_DIGITS}d}"
    )
    wanted = f"{head}{seat % 10**SEAT_DIGITS:0{SEAT_DIGITS}d}"
    if wanted not in taken:
        return wanted
    for spare in range(10**SEAT_DIGITS - 1, 0, -1):
        number = f"{head}{spare:0{SEAT_DIGITS}d}"
        if number not in taken:
            return number
    raise ValueError(f"no ticket number left for room {room_number} on {first_exam}")


def describe(number: str) -> dict[str, str] | None:
    """The parts of a number the program gave (None for another form, e.g. the
    platform's)."""
    if len(number) != LENGTH or not number.isdigit():
        return None
    return {
        "date": f"{number[0:4]}-{number[4:6]}-{number[6:8]}",
        "site": number[8:12],
        "room": number[12:15],
        "seat": number[15:18],
    }
