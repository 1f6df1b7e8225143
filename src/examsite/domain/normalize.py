"""Cleaning the cells of a candidate sheet, one function per kind of field.

Every function takes what a spreadsheet reader hands over (str, int, float, date, datetime or
None) and returns a ``Parsed``:

- ``Parsed(value, None)``: the clean value;
- ``Parsed(value, warning)``: the clean value, and something the user should look at;
- ``Parsed(None, error)``: the cell cannot be used, the error says why;
- ``Parsed(None, None)``: the cell is blank; whether that is allowed is the caller's rule.

Problems carry no row or column: the caller adds them with ``dataclasses.replace``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Generic, TypeVar

from examsite.domain.id_number import (
    ID_TYPES,
    Gender,
    IdType,
    gender_from_text,
    id_from_excel_number,
    normalize_id_text,
)
from examsite.domain.problems import Problem, error, warning

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Parsed(Generic[T]):
    """A cleaned cell: the value, a problem, both (a warning) or neither (a blank cell)."""

    value: T | None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        """A value is there and no error came with it."""
        return self.value is not None and (self.problem is None or not self.problem.is_error)

    @property
    def blank(self) -> bool:
        """The cell was empty."""
        return self.value is None and self.problem is None


# Invisible characters removed outright.
_INVISIBLE: Final[str] = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
)
# Spaces of every kind, turned into a plain space (then runs collapse).
_SPACES: Final[str] = (
    "\t\n\r\v\f\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Full-width ASCII (U+FF01-U+FF5E) to ASCII: what NFKC does to them, and nothing more, so
# that CJK compatibility ideographs and circled digits in names stay as typed.
_TEXT_TABLE: Final[dict[int, int | None]] = {
    **{ord(c): None for c in _INVISIBLE},
    **{ord(c): ord(" ") for c in _SPACES},
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},
}

MIDDLE_DOT: Final[str] = "·"  # U+00B7, as on ID cards (GB 18030)
# What people type for the dot in names such as 阿卜杜·热合曼: bullet, hyphenation point,
# katakana middle dots, Greek ano teleia, dot operators, word separators.
_DOT_VARIANTS: Final[str] = "\u2022\u2027\u30fb\uff65\u0387\u22c5\u2219\u2e31\ufe52\u16eb"
_DOT_TABLE: Final[dict[int, str]] = {ord(c): MIDDLE_DOT for c in _DOT_VARIANTS}
_SPACE_NEAR_WIDE: Final[re.Pattern[str]] = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")
_DOTS: Final[re.Pattern[str]] = re.compile(r"·{2,}")


def clean_text(value: object) -> Parsed[str]:
    """Any cell as tidy text: strip, collapse inner whitespace, full-width ASCII to ASCII,
    invisible characters and non-breaking spaces removed. A whole float loses its ".0"."""
    if value is None:
        return Parsed(None)
    text = " ".join(_to_text(value).translate(_TEXT_TABLE).split())
    return Parsed(text or None)


# The apostrophe Excel users type before digits to keep them text ("'13800138000"). Excel
# itself hides it, but it arrives as part of the value from a CSV, from WPS pasting or when
# the cell was already text; it is never part of a name, an ID or a phone number.
_TEXT_MARKERS: Final[tuple[str, ...]] = ("'", "＇", "‘", "’")


def _to_text(value: object) -> str:
    if isinstance(value, str):
        if value.startswith(_TEXT_MARKERS) or value[:1].isspace():
            stripped = value.lstrip()
            if stripped.startswith(_TEXT_MARKERS):
                return stripped[1:]
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def tidy_name(text: str) -> str:
    """What ``clean_name`` does to the text, without judging it: spaces next to Chinese
    characters removed (one space kept between Latin words), every kind of dot made "·"."""
    text = " ".join(text.translate(_TEXT_TABLE).split()).translate(_DOT_TABLE)
    if any(is_han(c) for c in text):  # "阿卜杜.热合曼", but "John F. Kennedy" keeps its "."
        text = text.replace(".", MIDDLE_DOT)
    text = _SPACE_NEAR_WIDE.sub("", text)
    return _DOTS.sub(MIDDLE_DOT, text).strip(MIDDLE_DOT + " ")


def is_han(char: str) -> bool:
    """A CJK ideograph (basic block, extensions A to H, compatibility) or 〇."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x323AF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
        or code == 0x3007
    )


def clean_name(value: object) -> Parsed[str]:
    """A person's name: spaces inside Chinese names removed, the dot made "·".

    Chinese characters, Latin letters (foreign names, with "." "-" "'" when the name has no
    Chinese character), "·" and single spaces between Latin words are allowed; anything else (digits, brackets, commas …) is an error, so that
    "张三（补考）" or "李四2" is fixed before it reaches the platform. A one-character name
    is a warning: the given name is probably missing.
    """
    if value is None:
        return Parsed(None)
    name = tidy_name(_to_text(value))
    if not name:
        return Parsed(None)
    # A foreign name written in Latin letters may have "." "-" "'" (Mary-Jane O'Neil).
    extra = _LATIN_NAME_MARKS if not any(is_han(c) for c in name) else ""
    bad = "".join(
        dict.fromkeys(
            c
            for c in name
            if not (is_han(c) or _is_latin(c) or c in extra or c == MIDDLE_DOT or c == " ")
        )
    )
    if bad:
        return Parsed(None, error("name.bad_chars", name=name, chars=bad))
    if len(name) == 1:
        return Parsed(name, warning("name.too_short", name=name))
    return Parsed(name)


_LATIN_NAME_MARKS: Final[str] = ".-'"


def _is_latin(char: str) -> bool:
    return ("a" <= char <= "z") or ("A" <= char <= "Z")


def clean_id_number(value: object) -> Parsed[str]:
    """An ID number cell: spaces and dashes removed, full-width digits and Ｘ made ASCII, x
    made X. A number (int or float) is never trusted blindly: see ``id_from_excel_number``.
    The number's own rules (length, check digit …) are ``id_number.check_id``'s job."""
    if value is None:
        return Parsed(None)
    problem = id_from_excel_number(value)
    if problem is not None and problem.is_error:
        return Parsed(None, problem)
    number = normalize_id_text(_to_text(value).translate(_TEXT_TABLE))
    return Parsed(number or None, problem)


_PHONE_DROPPED: Final[dict[int, None]] = {ord(c): None for c in " -.()（）[]/_—–"}
_SCIENTIFIC: Final[re.Pattern[str]] = re.compile(r"\d+(?:\.\d*)?[eE][+]?\d+")
_MOBILE: Final[re.Pattern[str]] = re.compile(r"1[3-9]\d{9}")


def clean_phone(value: object) -> Parsed[str]:
    """A mainland mobile number as 11 digits: spaces, dashes, dots, brackets and a leading
    +86 / 0086 / 86 removed. A float such as 13812345678.0 is fine (all digits are kept)."""
    if value is None:
        return Parsed(None)
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return Parsed(None, error("phone.bad_chars", text=repr(value), chars="."))
    text = _to_text(value).translate(_TEXT_TABLE).strip()
    if not text:
        return Parsed(None)
    if _SCIENTIFIC.fullmatch(text):
        return Parsed(None, error("phone.excel_number", text=text))
    digits = text.translate(_PHONE_DROPPED)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not (digits.isascii() and digits.isdigit()):
        bad = "".join(dict.fromkeys(c for c in digits if not ("0" <= c <= "9")))
        return Parsed(None, error("phone.bad_chars", text=text, chars=bad))
    if len(digits) != 11:
        return Parsed(None, error("phone.wrong_length", text=text, length=len(digits)))
    if not _MOBILE.fullmatch(digits):
        return Parsed(None, error("phone.not_mobile", text=text))
    return Parsed(digits)


EARLIEST_ENROLLMENT: Final[int] = 1980
_EXCEL_EPOCH: Final[date] = date(1899, 12, 30)  # serial 1 is 1900-01-01; 60 is the fake 02-29
_LAST_SERIAL: Final[int] = 2958465  # 9999-12-31, the last date Excel knows
_YEAR_TEXT: Final[re.Pattern[str]] = re.compile(
    r"(?P<y>\d{4})\s*(?:"
    r"[年级]?"  # 2020, 2020年, 2020级
    r"|年\s*(?P<m1>\d{1,2})\s*月(?:\s*\d{1,2}\s*[日号]?)?"  # 2020年9月, 2020年9月1日
    r"|[./\-](?P<m2>\d{1,2})(?:[./\-]\d{1,2})?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"  # 2020-09-01
    r"|(?P<m3>\d{2})(?:\d{2})?"  # 202009, 20200901
    r")"
)


def parse_enrollment_year(value: object, *, today: date | None = None) -> Parsed[int]:
    """The 入学年份 as a year between 1980 and next year.

    Accepts 2020, "2020", "2020年", "2020级", "2020年9月", "2020.9", "2020-09", "2020/9/1",
    "202009", a date or datetime, and an Excel date serial (43983 → 2020-06-01 → 2020).
    """
    if value is None:
        return Parsed(None)
    latest = (today or date.today()).year + 1
    year: int | None
    if isinstance(value, datetime | date):
        year = value.year
    elif isinstance(value, bool):
        year = None
    elif isinstance(value, int | float):
        year = _year_from_number(value)
    else:
        text = clean_text(value).value
        if text is None:
            return Parsed(None)
        year = _year_from_text(text)
    if year is None:
        return Parsed(None, error("year.bad_format", text=_to_text(value)))
    if not EARLIEST_ENROLLMENT <= year <= latest:
        return Parsed(
            None, error("year.out_of_range", year=year, min=EARLIEST_ENROLLMENT, max=latest)
        )
    return Parsed(year)


def _year_from_number(number: float) -> int | None:
    if not math.isfinite(number) or number < 0:
        return None
    whole = int(number)
    if 1000 <= whole <= 9999:  # 2020, or 2020.9 typed into a number cell
        return whole
    if 10000 <= whole <= _LAST_SERIAL:  # an Excel date: 10000 is 1927-05-18
        return (_EXCEL_EPOCH + timedelta(days=whole)).year
    return None


def _year_from_text(text: str) -> int | None:
    if text.isascii() and text.isdigit() and len(text) == 5:  # a serial read as text
        return _year_from_number(int(text))
    match = _YEAR_TEXT.fullmatch(text)
    if match is None:
        return None
    month = match["m1"] or match["m2"] or match["m3"]
    if month is not None and not 1 <= int(month) <= 12:
        return None
    return int(match["y"])


def parse_gender(value: object) -> Parsed[Gender]:
    """男 or 女 from 男, 女, 男性, 女性, 男生, 女生, M, F, male, female (any case)."""
    text = clean_text(value).value
    if text is None:
        return Parsed(None)
    gender = gender_from_text(text)
    if gender is None:
        return Parsed(None, error("gender.unknown", text=text))
    return Parsed(gender)


_ID_TYPE_WORDS: Final[dict[str, IdType]] = {
    **{name: name for name in ID_TYPES},
    "身份证": "居民身份证",
    "二代身份证": "居民身份证",
    "中华人民共和国居民身份证": "居民身份证",
    "居民身份证号码": "居民身份证",
    "港澳台居住证": "港澳台居民居住证",
    "港澳居民居住证": "港澳台居民居住证",
    "台湾居民居住证": "港澳台居民居住证",
    "回乡证": "港澳居民来往内地通行证",
    "台胞证": "台湾居民来往大陆通行证",
    "外国护照": "护照",
    "中国护照": "护照",
    "普通护照": "护照",
}


def parse_id_type(value: object) -> Parsed[IdType]:
    """The 证件类型, from its name or a common short name (身份证, 回乡证, 台胞证 …).

    A blank cell stays blank: the caller decides whether it means 居民身份证. "港澳通行证" is
    refused on purpose: it usually names the mainland resident's permit for travelling to
    Hong Kong, which is not an ID for the exam.
    """
    text = clean_text(value).value
    if text is None:
        return Parsed(None)
    id_type = _ID_TYPE_WORDS.get(text.replace(" ", ""))
    if id_type is None:
        return Parsed(None, error("id_type.unknown", text=text, choices="、".join(ID_TYPES)))
    return Parsed(id_type)
