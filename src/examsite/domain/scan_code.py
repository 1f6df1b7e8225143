"""What a scanner or a keyboard types at the door, made into the keys to look up.

The QR code on the admission ticket holds the ticket number alone (``formats.pdf.tickets``);
a USB scanner types it followed by Enter. By hand the coordinator types a ticket number or
an ID number, perhaps with spaces, a lower-case x, or full-width digits from a Chinese
input method. ``lookup_keys`` gives the texts to try, best first: the whole text
normalised, then (for a code with words around the number, such as another
organisation's "准考证号:2026…") each run of letters and digits long enough to be one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

#: Ticket numbers and ID numbers are longer; shorter runs are dates or seat numbers.
MIN_KEY_LENGTH: Final = 8
_RUN: Final = re.compile(r"[0-9A-Z]+")
_DROPPED: Final = re.compile(r"[\s\-_–—]+")


def normalize_code(text: str) -> str:
    """Full-width forms made half-width (NFKC), spaces and dashes dropped, letters made
    upper-case: "４２０１ 0220 0501 01123x" → "42010220050101123X"."""
    return _DROPPED.sub("", unicodedata.normalize("NFKC", text)).upper()


def lookup_keys(text: str) -> tuple[str, ...]:
    """The keys to look ``text`` up by, best first; empty for a text with nothing to look
    up."""
    whole = normalize_code(text)
    if not whole:
        return ()
    keys = [whole]
    if not whole.isalnum() or not whole.isascii():
        keys += [run for run in _RUN.findall(whole) if len(run) >= MIN_KEY_LENGTH]
    return tuple(dict.fromkeys(keys))
