"""Identity document numbers: the resident ID card (GB 11643) and the other ID types.

A resident ID number has 18 characters: a 6-digit region code (GB/T 2260), the birth date
as YYYYMMDD, a 3-digit order code whose last digit is odd for men and even for women, and a
check digit (ISO 7064 MOD 11-2, "X" for 10).

Decisions (keep them here, in one place):

- Province prefixes accepted on a 居民身份证: the 31 mainland provinces of GB/T 2260
  (11-15, 21-23, 31-37, 41-46, 50-54, 61-65). 71 (Taiwan), 81 (Hong Kong) and 82 (Macau)
  are in GB/T 2260 but no resident ID card carries them.
- 81, 82 and 83 are the prefixes of the 港澳台居民居住证 numbers (810000 Hong Kong,
  820000 Macau, 830000 Taiwan; 83 is not a GB/T 2260 province). A number with one of these
  prefixes typed as a 居民身份证 gets its own problem code that says to choose
  港澳台居民居住证 as the ID type. A residence permit number gets the full check (it has the
  same structure and check digit), with 810000/820000/830000 as the only region codes.
- The province and the prefecture (地级, the first four digits) are checked, the county
  (digits 5-6) is not. The prefecture must be one that GB/T 2260 had in any edition from 1980
  on (``region_data``): a number keeps its code for life, so a card issued in 1990 may carry a
  prefecture abolished since (3426 巢湖). Counties are renamed, merged and renumbered every
  year, and numbers were issued under county codes that no published list holds, so a county
  check would refuse real cards (python-stdnum refuses about a third of valid IDs that way).
- 15-digit numbers (first generation, withdrawn since 2013) are refused; the coordinator
  must type the 18-digit number from the current card, we never convert.
- Passports and the two 通行证 get light checks only (charset and length); an unusual shape
  is a warning, not an error.

Problems carry no row or column: the caller adds them with ``dataclasses.replace``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import mul
from typing import Final, Literal, get_args

from examsite.domain.problems import Problem, error, warning
from examsite.domain.region_data import PREFECTURE_TABLE

Gender = Literal["男", "女"]
IdType = Literal[
    "居民身份证",
    "港澳台居民居住证",
    "护照",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
]
ID_TYPES: Final[tuple[IdType, ...]] = get_args(IdType)
RESIDENT_ID: Final[IdType] = "居民身份证"
RESIDENCE_PERMIT: Final[IdType] = "港澳台居民居住证"

# GB/T 2260 provinces that appear on resident ID cards.
MAINLAND_PROVINCES: Final[dict[str, str]] = {
    "11": "北京",
    "12": "天津",
    "13": "河北",
    "14": "山西",
    "15": "内蒙古",
    "21": "辽宁",
    "22": "吉林",
    "23": "黑龙江",
    "31": "上海",
    "32": "江苏",
    "33": "浙江",
    "34": "安徽",
    "35": "福建",
    "36": "江西",
    "37": "山东",
    "41": "河南",
    "42": "湖北",
    "43": "湖南",
    "44": "广东",
    "45": "广西",
    "46": "海南",
    "50": "重庆",
    "51": "四川",
    "52": "贵州",
    "53": "云南",
    "54": "西藏",
    "61": "陕西",
    "62": "甘肃",
    "63": "青海",
    "64": "宁夏",
    "65": "新疆",
}
# First four digits (province + prefecture) that GB/T 2260 has had since 1980.
PREFECTURES: Final[frozenset[str]] = frozenset(
    province + code
    for line in PREFECTURE_TABLE.replace("\n    ", " ").splitlines()
    if line
    for province, codes in [line.split(":")]
    for code in codes.split()
)
# Region codes of the 港澳台居民居住证.
PERMIT_REGIONS: Final[dict[str, str]] = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
_PERMIT_PREFIXES: Final[frozenset[str]] = frozenset(code[:2] for code in PERMIT_REGIONS)

_WEIGHTS: Final[tuple[int, ...]] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_WEIGHT_SUM: Final[int] = sum(_WEIGHTS)
_CHECK_CHARS: Final[str] = "10X98765432"
_ASCII_DIGITS: Final[frozenset[str]] = frozenset("0123456789")
_LAST_CHARS: Final[frozenset[str]] = frozenset("0123456789X")
_EARLIEST_BIRTH: Final[date] = date(1900, 1, 1)

# Characters dropped or mapped before checking: spaces of every kind, dashes, invisible
# characters, full-width digits and letters, lower-case x.
_DROPPED: Final[str] = (
    " \t\r\n\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d'\"`"
)
_ID_TABLE: Final[dict[int, int | None]] = {
    **{ord(c): None for c in _DROPPED},
    **{0xFF10 + i: ord("0") + i for i in range(10)},
    **{0xFF21 + i: ord("A") + i for i in range(26)},
    **{0xFF41 + i: ord("A") + i for i in range(26)},
    **{ord("a") + i: ord("A") + i for i in range(26)},
}
_SCIENTIFIC: Final[re.Pattern[str]] = re.compile(r"\d+(?:\.\d*)?[eE][+]?\d+")
_EXCEL_DIGITS: Final[int] = 15  # Excel keeps 15 significant digits of a number

_GENDER_WORDS: Final[dict[str, Gender]] = {
    "男": "男",
    "男性": "男",
    "男生": "男",
    "m": "男",
    "male": "男",
    "女": "女",
    "女性": "女",
    "女生": "女",
    "f": "女",
    "female": "女",
}


@dataclass(frozen=True, slots=True)
class IdCheck:
    """The result of checking one ID number.

    ``normalized`` is the number as it should be stored (spaces and dashes removed, full-width
    characters and a lower-case x converted), even when it is not valid. ``gender`` and
    ``region_code`` are read whenever the shape allows (18 characters, 17 digits first),
    ``birth_date`` when the date is also a real one; trust them only when ``valid``.
    ``valid`` is true when no problem is an error (warnings may remain).
    """

    normalized: str
    valid: bool
    birth_date: date | None = None
    gender: Gender | None = None
    region_code: str | None = None
    problems: tuple[Problem, ...] = ()


def normalize_id_text(raw: str) -> str:
    """Drop spaces, dashes and invisible characters; make digits and letters half-width
    upper-case. Nothing else is changed: a wrong character stays for the check to report."""
    if raw.isascii() and raw.isalnum():  # the usual case, five times faster than translate
        return raw.upper()
    return raw.translate(_ID_TABLE)


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits (which must be ASCII digits)."""
    if len(first17) != 17:
        raise ValueError(f"need 17 digits, got {len(first17)}")
    # Summing the code points and taking "0" (48) times the weights' sum back out is the
    # same as summing the digits' values, and three times faster than int() per digit.
    total = sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - 48 * _WEIGHT_SUM
    return _CHECK_CHARS[total % 11]


def check_id_number(raw: str, *, today: date | None = None) -> IdCheck:
    """Check a 居民身份证 number (GB 11643); every problem found is reported, not only the first."""
    return _check_18(normalize_id_text(raw), today or date.today(), permit=False)


def check_residence_permit(raw: str, *, today: date | None = None) -> IdCheck:
    """Check a 港澳台居民居住证 number: GB 11643 structure with region 810000/820000/830000."""
    return _check_18(normalize_id_text(raw), today or date.today(), permit=True)


def _check_18(number: str, today: date, *, permit: bool) -> IdCheck:
    if not number:
        return IdCheck(number, False, problems=(error("id.empty"),))
    length = len(number)
    if length == 15 and _all_digits(number):
        return IdCheck(number, False, problems=(error("id.old_15_digits"),))
    if length != 18:
        return IdCheck(number, False, problems=(error("id.wrong_length", length=length),))
    body = number[:17]
    if not _all_digits(body) or number[17] not in _LAST_CHARS:
        wrong = [c for c in body if c not in _ASCII_DIGITS]
        if number[17] not in _LAST_CHARS:
            wrong.append(number[17])
        bad = "".join(dict.fromkeys(wrong))
        return IdCheck(number, False, problems=(error("id.not_digits", chars=bad),))

    problems: list[Problem] = []
    region = number[:6]
    prefix = number[:2]
    if permit:
        if prefix in MAINLAND_PROVINCES:
            problems.append(error("id.resident_number_as_permit", region=region))
        elif region not in PERMIT_REGIONS:
            problems.append(error("id.unknown_permit_region", region=region))
    elif prefix in _PERMIT_PREFIXES:
        problems.append(error("id.permit_number_as_resident", region=region))
    elif prefix not in MAINLAND_PROVINCES:
        problems.append(error("id.unknown_region", prefix=prefix))
    elif region[:4] not in PREFECTURES:
        problems.append(
            error(
                "id.unknown_prefecture",
                prefecture=region[:4],
                province=MAINLAND_PROVINCES[prefix],
            )
        )

    birth = _birth_date(number[6:14])
    if birth is None:
        problems.append(error("id.bad_birth_date", text=number[6:14]))
    else:
        if birth > today:
            problems.append(error("id.birth_in_future", birth=birth.isoformat()))
        elif birth < _EARLIEST_BIRTH:
            problems.append(error("id.birth_before_1900", birth=birth.isoformat()))

    expected = check_digit(body)
    if number[17] != expected:
        problems.append(error("id.bad_check_digit", expected=expected, actual=number[17]))

    gender: Gender = "男" if (ord(number[16]) - 48) % 2 else "女"
    return IdCheck(
        normalized=number,
        valid=not problems,  # every problem of this check is an error
        birth_date=birth,
        gender=gender,
        region_code=region,
        problems=tuple(problems),
    )


@lru_cache(maxsize=65536)
def _birth_date(yyyymmdd: str) -> date | None:
    # Cached: a school's candidates share a few thousand birth dates.
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def _all_digits(text: str) -> bool:
    # str.isdigit() also accepts "²" and other scripts' digits; an ID wants ASCII only.
    return text.isascii() and text.isdigit()


def id_from_excel_number(value: object) -> Problem | None:
    """Tell whether an ID cell's value shows that Excel turned the number into a number.

    Excel keeps 15 significant digits, so an 18-digit ID typed into a number cell loses its
    last digits and can never be recovered; we refuse rather than guess. Returns:

    - an error ``id.excel_number`` for any float of 16 or more digits, an int of 16 or more
      digits whose last digits are zeros beyond Excel's 15, and a text in scientific
      notation such as "1.10101199003071E+17";
    - a warning ``id.stored_as_number`` for an int that still has all its digits (written
      by a program, not by Excel): usable, but the next save in Excel will lose digits;
    - None when the value is not a number (the text check follows) or is a short number
      whose digits are intact (the text check will report its length).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        digits = str(abs(int(value)))
        return error("id.excel_number") if len(digits) > _EXCEL_DIGITS else None
    if isinstance(value, int):
        digits = str(abs(value))
        if len(digits) <= _EXCEL_DIGITS:
            return None
        if len(digits.rstrip("0")) <= _EXCEL_DIGITS:
            return error("id.excel_number")
        return warning("id.stored_as_number")
    if isinstance(value, str) and _SCIENTIFIC.fullmatch(normalize_id_text(value)):
        return error("id.excel_number")
    return None


def gender_from_text(text: str) -> Gender | None:
    """男 or 女 from the words a sheet uses (男, 女性, M, female …); None when not one of them."""
    return _GENDER_WORDS.get(text.strip().lower())


def gender_matches(id_check: IdCheck, gender_text: str | None) -> Problem | None:
    """An error when the sheet's 性别 disagrees with the ID number's 17th digit.

    Nothing is reported when either side is unknown: a blank or unreadable 性别 is reported
    by ``normalize.parse_gender``, a broken ID number by the ID check.
    """
    if id_check.gender is None or not gender_text:
        return None
    given = gender_from_text(gender_text)
    if given is None or given == id_check.gender:
        return None
    return error("id.gender_mismatch", given=given, expected=id_check.gender)


# Light checks for the other ID types: the allowed length range, and the usual shape with the
# warning code for a number of another shape (None: no usual shape).
_OTHER_RULES: Final[dict[str, tuple[int, int, re.Pattern[str] | None, str]]] = {
    "护照": (5, 15, None, ""),
    "港澳居民来往内地通行证": (
        9,
        11,
        re.compile(r"[HM]\d{8}(?:\d{2})?"),
        "id.hk_macau_permit_unusual",
    ),
    "台湾居民来往大陆通行证": (8, 11, re.compile(r"\d{8}"), "id.taiwan_permit_unusual"),
}
_ALNUM: Final[frozenset[str]] = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_PARENS: Final[dict[int, None]] = {ord(c): None for c in "()（）[]【】"}


def check_id(id_type: IdType, raw: str, *, today: date | None = None) -> IdCheck:
    """Check a number the way its ID type wants: the entry point for an imported row."""
    if id_type == RESIDENT_ID:
        return check_id_number(raw, today=today)
    return check_other_id(id_type, raw, today=today)


def check_other_id(id_type: IdType, raw: str, *, today: date | None = None) -> IdCheck:
    """Check a number of an ID type other than 居民身份证.

    港澳台居民居住证 gets the full GB 11643 check (``check_residence_permit``). Passports and
    通行证 get light checks: not empty, letters and digits only, a plausible length; a shape
    other than the usual one (H/M + 8 or 10 digits for 港澳居民来往内地通行证, 8 digits for
    台湾居民来往大陆通行证) is only a warning.
    """
    if id_type == RESIDENCE_PERMIT:
        return check_residence_permit(raw, today=today)
    if id_type not in _OTHER_RULES:
        raise ValueError(f"not another ID type: {id_type!r}; use check_id_number")
    low, high, shape, unusual = _OTHER_RULES[id_type]
    number = normalize_id_text(raw).translate(_PARENS)
    problems: list[Problem] = []
    bad = "".join(dict.fromkeys(c for c in number if c not in _ALNUM))
    if not number:
        problems.append(error("id.empty"))
    elif bad:
        problems.append(error("id.other_bad_chars", id_type=id_type, chars=bad))
    elif not low <= len(number) <= high:
        problems.append(
            error("id.other_wrong_length", id_type=id_type, length=len(number), min=low, max=high)
        )
    elif shape is not None and not shape.fullmatch(number):
        problems.append(warning(unusual))
    return IdCheck(
        normalized=number,
        valid=not any(p.is_error for p in problems),
        problems=tuple(problems),
    )


def synthetic_id(region: str, birth: date, seq: int, gender: Gender) -> str:
    """A checksum-correct ID number for demos and tests (it belongs to no one we know of).

    ``seq`` (0-499) picks the order code; ``gender`` sets its last digit's parity, so the
    order code is ``seq * 2 + 1`` for 男 and ``seq * 2`` for 女.
    """
    if len(region) != 6 or not _all_digits(region):
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= seq <= 499:
        raise ValueError(f"seq must be in 0..499, got {seq}")
    order = seq * 2 + (1 if gender == "男" else 0)
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    if len(body) != 17:
        raise ValueError(f"birth year must have 4 digits, got {birth.year}")
    return body + check_digit(body)
