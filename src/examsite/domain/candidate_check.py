"""Checking one candidate's values: the same rules for an imported row and the edit form.

``check_candidate`` takes the raw values of one record (whatever a spreadsheet reader or a
form hands over, by field name) and returns the clean values and every problem, each with
the field in ``column``. What keeps a record out is a missing or invalid identity: the
name, the ID type, the ID number, and a 性别 that contradicts the ID number (swapped rows
look exactly like that). Everything else may be missing: the candidate is then kept and
shown as 信息不全 until it is completed.

For an import (``strict=False``) an invalid non-identity value (a phone of 10 digits) is
dropped and reported as a warning, so that the row still goes in and the field is fixed on
the page; a form (``strict=True``) keeps it an error, so the coordinator fixes it before
saving.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Final

from examsite.domain.candidate_status import FIELDS, CandidateKind, fields_of, missing_fields
from examsite.domain.id_number import RESIDENT_ID, IdCheck, IdType, check_id, gender_matches
from examsite.domain.normalize import (
    Parsed,
    clean_id_number,
    clean_name,
    clean_phone,
    clean_text,
    parse_enrollment_year,
    parse_gender,
    parse_id_type,
)
from examsite.domain.pinyin import name_to_pinyin, pinyin_problem
from examsite.domain.problems import Level, Problem, error, notice, warning

# The resident ID card as stored and shown (the platform's word); the other types are
# stored under the domain's names, which are the platform's too.
ID_TYPE_LABELS: Final[Mapping[str, str]] = MappingProxyType({RESIDENT_ID: "身份证"})
DEFAULT_ID_TYPE: Final[str] = "身份证"

# The keys in ``Candidate.extra`` of a social candidate.
EXTRA_KEYS: Final[tuple[str, ...]] = tuple(
    f.key for f in fields_of(CandidateKind.SOCIAL) if f.is_extra
)

# What people write for the three 专业层次 of the platform.
_EDUCATION_LEVELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "中职": "中职",
        "中专": "中职",
        "职高": "中职",
        "技校": "中职",
        "中等职业": "中职",
        "中等职业教育": "中职",
        "专科": "专科",
        "大专": "专科",
        "高职": "专科",
        "高职专科": "专科",
        "高专": "专科",
        "专科(高职)": "专科",
        "本科": "本科",
        "职业本科": "本科",
        "高职本科": "本科",
        "本科(职业)": "本科",
    }
)
_PINYIN_OK: Final[re.Pattern[str]] = re.compile(r"[A-Za-zÜüÊê·' -]+")
_MAJOR_CODE: Final[re.Pattern[str]] = re.compile(r"[0-9A-Z]{4,12}")
MAX_TEXT: Final[Mapping[str, int]] = MappingProxyType(
    {f.name: f.max_length for f in FIELDS if f.max_length is not None}
)


@lru_cache(maxsize=1)
def _readable() -> frozenset[int]:
    """The characters pypinyin's dictionary reads (loaded with pypinyin, when a name is
    first read: listing candidates needs neither)."""
    from pypinyin.pinyin_dict import pinyin_dict

    return frozenset(pinyin_dict)


@lru_cache(maxsize=4096)
def _generated_pinyin(name: str) -> tuple[str, Problem | None]:
    """The pinyin made from a (clean) name and the warning about characters it could not
    read. A name whose every character is in pypinyin's dictionary (nearly all) is
    converted once; only the others are converted again to find what was left out."""
    generated = name_to_pinyin(name)
    readable = _readable()
    if all(ord(char) in readable for char in name):
        return generated, None
    return generated, pinyin_problem(name)


# Cells repeat down a column (性别, 证件类型, 入学年份, 专业 …): each distinct value is
# parsed once an import. ``typed``: 2020 and 2020.0 and "2020" are different cells.
def _cached(function: Callable[..., Any]) -> Callable[..., Any]:
    cached = lru_cache(maxsize=1024, typed=True)(function)

    def call(value: object, *args: Any, **kwargs: Any) -> Any:
        try:
            return cached(value, *args, **kwargs)
        except TypeError:  # an unhashable value from a caller other than a sheet
            return function(value, *args, **kwargs)

    return call


_parse_id_type = _cached(parse_id_type)
_parse_gender = _cached(parse_gender)
_parse_year = _cached(parse_enrollment_year)
_clean_text = _cached(clean_text)


@dataclass(frozen=True)
class CandidateValues:
    """The clean values of one candidate ("" or None where nothing is known)."""

    kind: CandidateKind
    name: str
    id_type: str
    id_number: str
    pinyin: str = ""
    gender: str = ""
    phone: str = ""
    enrollment_year: int | None = None
    education_level: str = ""
    major: str = ""
    major_code: str = ""
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, object]:
        """The columns of ``Candidate`` (``extra`` as a plain dict)."""
        # Spelled out rather than dataclasses.asdict: it runs for every imported row.
        return {
            "kind": self.kind.value,
            "name": self.name,
            "id_type": self.id_type,
            "id_number": self.id_number,
            "pinyin": self.pinyin,
            "gender": self.gender,
            "phone": self.phone,
            "enrollment_year": self.enrollment_year,
            "education_level": self.education_level,
            "major": self.major,
            "major_code": self.major_code,
            "extra": dict(self.extra),
        }

    @property
    def missing(self) -> list[str]:
        """The required fields still empty."""
        return missing_fields(self.kind, self.as_dict())


@dataclass(frozen=True)
class CheckedCandidate:
    """The outcome of ``check_candidate``: values (None when the record is refused) and
    every problem, each with its field in ``column``."""

    values: CandidateValues | None
    problems: tuple[Problem, ...]

    @property
    def accepted(self) -> bool:
        return self.values is not None


def check_candidate(
    kind: CandidateKind,
    raw: Mapping[str, object],
    *,
    strict: bool = False,
    today: date | None = None,
    present: frozenset[str] | None = None,
) -> CheckedCandidate:
    """Check and clean one candidate.

    ``raw`` maps field names (``name``, ``id_number`` …, ``extra.employer``) to cell
    values; absent keys are blank. ``present`` names the fields the sheet has a column
    for: filling a blank pinyin, 性别 or 证件类型 is reported only where the column exists
    (a sheet without the column gets one notice for the whole file). ``strict`` is for the
    edit form: an invalid value is an error rather than a dropped value.
    """
    checker = _Checker(kind, raw, strict, today, present)
    return checker.run()


class _Checker:
    def __init__(
        self,
        kind: CandidateKind,
        raw: Mapping[str, object],
        strict: bool,
        today: date | None,
        present: frozenset[str] | None,
    ) -> None:
        self.kind = kind
        self.raw = raw
        self.strict = strict
        self.today = today
        self.present = present
        self.problems: list[Problem] = []

    def _add(self, problem: Problem | None, column: str) -> None:
        if problem is not None:
            self.problems.append(dataclasses.replace(problem, column=column))

    def _soft(self, problem: Problem, column: str) -> None:
        """An invalid value in a field that may be missing: an error on a form, a warning
        (the value dropped) in an import."""
        if not self.strict and problem.is_error:
            problem = dataclasses.replace(problem, level=Level.WARNING)
        self._add(problem, column)

    def _has_column(self, name: str) -> bool:
        return self.present is None or name in self.present

    def run(self) -> CheckedCandidate:
        name = self._name()
        id_type, domain_type = self._id_type()
        id_check = self._id_number(domain_type)
        gender = self._gender(id_check)
        # Every field is checked even when the identity already refuses the record, so the
        # class teacher (or the form) sees everything to fix at once.
        pinyin = self._pinyin(name or "")
        phone = self._phone()
        year, level, major, code = self._school_fields()
        extra = self._extra()
        refused = any(p.is_error for p in self.problems)  # soft problems are warnings here
        if name is None or id_type is None or id_check is None or not id_check.valid or refused:
            return CheckedCandidate(None, tuple(self.problems))
        values = CandidateValues(
            kind=self.kind,
            name=name,
            id_type=id_type,
            id_number=id_check.normalized,
            pinyin=pinyin,
            gender=gender or "",
            phone=phone,
            extra=extra,
            enrollment_year=year,
            education_level=level,
            major=major,
            major_code=code,
        )
        return CheckedCandidate(values, tuple(self.problems))

    def _name(self) -> str | None:
        parsed = clean_name(self.raw.get("name"))
        if parsed.blank:
            self._add(error("candidate.name_missing"), "name")
            return None
        if parsed.problem is not None:
            self._add(parsed.problem, "name")
        if parsed.value is not None and len(parsed.value) > MAX_TEXT["name"]:
            self._add(error("candidate.too_long", max=MAX_TEXT["name"]), "name")
            return None
        return parsed.value if parsed.ok else None

    def _id_type(self) -> tuple[str | None, IdType | None]:
        parsed: Parsed[IdType] = _parse_id_type(self.raw.get("id_type"))
        if parsed.blank:
            if self._has_column("id_type") and not self.strict:
                self._add(notice("candidate.id_type_default", id_type=DEFAULT_ID_TYPE), "id_type")
            return DEFAULT_ID_TYPE, RESIDENT_ID
        if parsed.value is None:
            self._add(parsed.problem, "id_type")
            return None, None
        return ID_TYPE_LABELS.get(parsed.value, parsed.value), parsed.value

    def _id_number(self, id_type: IdType | None) -> IdCheck | None:
        parsed = clean_id_number(self.raw.get("id_number"))
        if parsed.blank:
            self._add(error("candidate.id_missing"), "id_number")
            return None
        if parsed.value is None:  # Excel turned the number into a float and lost digits
            self._add(parsed.problem, "id_number")
            return None
        self._add(parsed.problem, "id_number")  # e.g. still intact but stored as a number
        if id_type is None:
            return None
        checked = check_id(id_type, parsed.value, today=self.today)
        for problem in checked.problems:
            self._add(problem, "id_number")
        return checked

    def _gender(self, id_check: IdCheck | None) -> str | None:
        parsed: Parsed[str] = _parse_gender(self.raw.get("gender"))
        from_id = id_check.gender if id_check is not None and id_check.valid else None
        if parsed.blank:
            if from_id is not None and self._has_column("gender") and not self.strict:
                self._add(notice("candidate.gender_filled", gender=from_id), "gender")
            return from_id
        if parsed.value is None:
            if from_id is not None:  # unreadable, but the ID says it: no need to refuse
                self._add(
                    warning(
                        "candidate.gender_replaced",
                        text=str(self.raw.get("gender")),
                        gender=from_id,
                    ),
                    "gender",
                )
                return from_id
            if parsed.problem is not None:
                self._soft(parsed.problem, "gender")
            return None
        if id_check is not None and id_check.valid:
            self._add(gender_matches(id_check, parsed.value), "gender")
        return parsed.value

    def _pinyin(self, name: str) -> str:
        text = clean_text(self.raw.get("pinyin")).value
        if text is None:
            if not name:
                return ""
            generated, problem = _generated_pinyin(name)
            if generated and self._has_column("pinyin") and not self.strict:
                self._add(notice("candidate.pinyin_filled", pinyin=generated), "pinyin")
            self._add(problem, "pinyin")
            return generated
        if not _PINYIN_OK.fullmatch(text):
            bad = "".join(dict.fromkeys(c for c in text if not _PINYIN_OK.fullmatch(c)))
            return self._replace_pinyin(
                name, error("candidate.pinyin_bad_chars", text=text, chars=bad)
            )
        if len(text) > MAX_TEXT["pinyin"]:
            return self._replace_pinyin(name, error("candidate.too_long", max=MAX_TEXT["pinyin"]))
        return text

    def _replace_pinyin(self, name: str, problem: Problem) -> str:
        """An unusable pinyin cell: an error on a form; in an import the pinyin is made
        anew from the name (a warning naming the text that was replaced), or dropped when
        there is no name to make it from."""
        generated, unreadable = _generated_pinyin(name) if name and not self.strict else ("", None)
        if not generated:
            self._soft(problem, "pinyin")
            return ""
        text = str(self.raw.get("pinyin"))
        if len(text) > 40:
            text = text[:40] + "…"
        self._add(warning("candidate.pinyin_replaced", text=text, pinyin=generated), "pinyin")
        self._add(unreadable, "pinyin")
        return generated

    def _phone(self) -> str:
        parsed = clean_phone(self.raw.get("phone"))
        if parsed.problem is not None:
            self._soft(parsed.problem, "phone")
        return parsed.value or ""

    def _school_fields(self) -> tuple[int | None, str, str, str]:
        """入学年份, 专业层次, 就读专业, 专业代码: for school candidates only."""
        if self.kind is not CandidateKind.SCHOOL:
            return None, "", "", ""
        year: Parsed[int] = _parse_year(self.raw.get("enrollment_year"), today=self.today)
        if year.problem is not None:
            self._soft(year.problem, "enrollment_year")
        return year.value, self._education_level(), self._text("major"), self._major_code()

    def _education_level(self) -> str:
        text: str | None = _clean_text(self.raw.get("education_level")).value
        if text is None:
            return ""
        level = _EDUCATION_LEVELS.get(text.replace(" ", ""))
        if level is None:
            self._soft(
                error(
                    "candidate.education_level_unknown",
                    text=text,
                    choices="、".join(("中职", "专科", "本科")),
                ),
                "education_level",
            )
            return ""
        return level

    def _major_code(self) -> str:
        text: str | None = _clean_text(self.raw.get("major_code")).value
        if text is None:
            return ""
        code = text.replace(" ", "").upper()
        if not _MAJOR_CODE.fullmatch(code):
            self._soft(error("candidate.major_code_bad", text=text), "major_code")
            return ""
        return code

    def _text(self, name: str) -> str:
        text: str = _clean_text(self.raw.get(name)).value or ""
        limit = MAX_TEXT.get(name)
        if limit is not None and len(text) > limit:
            self._soft(error("candidate.too_long", max=limit), name)
            return ""
        return text

    def _extra(self) -> Mapping[str, str]:
        if self.kind is not CandidateKind.SOCIAL:
            return MappingProxyType({})
        values = {key: self._text(f"extra.{key}") for key in EXTRA_KEYS}
        return MappingProxyType({k: v for k, v in values.items() if v})
