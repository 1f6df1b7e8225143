"""A candidate's fields, what is wrong with a candidate, and the status to show.

This module is the one place that knows:

- the candidate's fields (``FIELDS``): which kinds carry each, which are required (the
  template's starred columns), which are locked once the platform has verified the
  candidate, how long a text may be. The check, the services, the templates, the form, the
  CLI and the table all derive their lists from it;
- the state of a candidate's photo as every page counts it (``PhotoState``);
- what the coordinator must still handle for a candidate (``CandidateIssue``; a candidate
  may have several, and is counted under each);
- the one status column (``decide_status``): the platform's word once uploaded, otherwise
  what the platform will show (无照片 before 信息不全, the platform's order).

Offline the program decides 无照片 / 信息不全 / locally valid; 信息待认证 → 信息准确 / 需人工确认
happens on the platform and comes back through an import (``platform_status``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class CandidateKind(StrEnum):
    SCHOOL = "school"  # 院校考生
    SOCIAL = "social"  # 社会考生


class CandidateStatus(StrEnum):
    NO_PHOTO = "no_photo"  # 无照片
    INCOMPLETE = "incomplete"  # 信息不全
    READY = "ready"  # 待上传: locally valid, not yet uploaded
    PENDING = "pending"  # 信息待认证
    MANUAL = "manual"  # 需人工确认
    VERIFIED = "verified"  # 信息准确


_STATUSES: Final[Mapping[str, CandidateStatus]] = MappingProxyType(
    {s.value: s for s in CandidateStatus}
)
PLATFORM_STATUSES = frozenset(
    {CandidateStatus.PENDING, CandidateStatus.MANUAL, CandidateStatus.VERIFIED}
)

_BOTH = frozenset(CandidateKind)
_SCHOOL = frozenset({CandidateKind.SCHOOL})
_SOCIAL = frozenset({CandidateKind.SOCIAL})

#: The prefix of the fields kept in ``Candidate.extra`` (the social candidates' extras).
EXTRA_PREFIX: Final = "extra."


@dataclass(frozen=True)
class CandidateField:
    """One field of a candidate.

    ``name`` is the ``Candidate`` column, or ``extra.<key>`` for a value kept in
    ``Candidate.extra``; ``kinds`` the kinds of candidate that carry it; ``required_for``
    the kinds for which the platform requires it (the template's "*"); ``locked`` whether
    it can no longer change once the platform has verified the candidate (004);
    ``max_length`` the longest text accepted.
    """

    name: str
    kinds: frozenset[CandidateKind] = _BOTH
    required_for: frozenset[CandidateKind] = frozenset()
    locked: bool = False
    max_length: int | None = None

    @property
    def is_extra(self) -> bool:
        return self.name.startswith(EXTRA_PREFIX)

    @property
    def key(self) -> str:
        """The name without ``extra.``: the key in ``Candidate.extra``."""
        return self.name.removeprefix(EXTRA_PREFIX)


#: Every field of a candidate but its kind, in the order of the platform's template.
FIELDS: Final[tuple[CandidateField, ...]] = (
    CandidateField("name", required_for=_BOTH, locked=True, max_length=50),
    CandidateField("pinyin", required_for=_BOTH, max_length=100),
    CandidateField("gender", required_for=_BOTH),
    CandidateField("id_type", required_for=_BOTH, locked=True),
    CandidateField("id_number", required_for=_BOTH, locked=True),
    CandidateField("phone", required_for=_BOTH),
    CandidateField("enrollment_year", _SCHOOL, required_for=_SCHOOL),
    CandidateField("education_level", _SCHOOL, required_for=_SCHOOL),
    CandidateField("major", _SCHOOL, required_for=_SCHOOL, max_length=100),
    CandidateField("major_code", _SCHOOL, required_for=_SCHOOL),
    CandidateField("extra.employer", _SOCIAL, max_length=200),
    CandidateField("extra.education", _SOCIAL, max_length=20),
    CandidateField("extra.major", _SOCIAL, max_length=100),
)
BY_NAME: Final[Mapping[str, CandidateField]] = MappingProxyType({f.name: f for f in FIELDS})

#: The ``Candidate`` columns that hold a candidate's own data (``extra`` holds the extras).
CANDIDATE_COLUMNS: Final[tuple[str, ...]] = (
    "kind",
    *(f.name for f in FIELDS if not f.is_extra),
    "extra",
)
#: Fields every candidate of a kind needs (the template's starred columns).
REQUIRED_FIELDS: Final[Mapping[CandidateKind, tuple[str, ...]]] = MappingProxyType(
    {kind: tuple(f.name for f in FIELDS if kind in f.required_for) for kind in CandidateKind}
)
_REQUIRED_BY_VALUE: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {kind.value: fields for kind, fields in REQUIRED_FIELDS.items()}
)
#: Once verified (004): name, ID type and ID number (and the photo) can no longer change.
LOCKED_WHEN_VERIFIED: Final[tuple[str, ...]] = tuple(f.name for f in FIELDS if f.locked)


def fields_of(kind: CandidateKind) -> tuple[CandidateField, ...]:
    """The fields a candidate of ``kind`` carries."""
    return tuple(f for f in FIELDS if kind in f.kinds)


def missing_fields(kind: CandidateKind | str, values: Mapping[str, object]) -> list[str]:
    """The required fields that are empty (``ValueError`` for an unknown kind)."""
    # By the kind's text: no enum lookup for each of 10,000 candidates.
    required = _REQUIRED_BY_VALUE.get(kind)
    if required is None:
        required = REQUIRED_FIELDS[CandidateKind(kind)]
    return [f for f in required if values.get(f) in (None, "")]


# --- the photo, the issues and the status ----------------------------------------------------


class PhotoState(StrEnum):
    """A candidate's photo as every page and command counts it."""

    MISSING = "missing"  # no photo at all (无照片)
    REJECTED = "rejected"  # a photo that cannot be used (不合格)
    REVIEW = "review"  # accepted, but a person must look at it (需复核)
    FIXED = "fixed"  # accepted after an automatic fix (已修复)
    PASS = "pass"  # accepted as it came (合格)

    @property
    def usable(self) -> bool:
        """The photo can be uploaded (a photo to review is uploaded once a person agreed)."""
        return self not in (PhotoState.MISSING, PhotoState.REJECTED)


_PHOTO_STATES: Final[Mapping[str, PhotoState]] = MappingProxyType({s.value: s for s in PhotoState})


def photo_state(verdict: str | None, *, review: bool = False) -> PhotoState:
    """The state of a photo with ``verdict`` (None: no photo); ``review``: an accepted
    photo that a person must look at."""
    if verdict is None:
        return PhotoState.MISSING
    if verdict == PhotoState.REJECTED:
        return PhotoState.REJECTED
    if review or verdict == PhotoState.REVIEW:
        return PhotoState.REVIEW
    return _PHOTO_STATES.get(verdict) or PhotoState(verdict)


class CandidateIssue(StrEnum):
    """Something the coordinator must still handle for a candidate."""

    NO_PHOTO = "no_photo"  # 无照片: no usable photo (none, or a rejected one)
    INCOMPLETE = "incomplete"  # 信息不全: a required field is empty
    MANUAL = "manual"  # 需人工确认: the platform asks for a person to check


def candidate_issues(
    *, missing: Collection[str], photo: PhotoState, platform_status: str | None
) -> frozenset[CandidateIssue]:
    """Everything to handle for one candidate (empty when nothing is)."""
    issues: set[CandidateIssue] = set()
    if not photo.usable:
        issues.add(CandidateIssue.NO_PHOTO)
    if missing:
        issues.add(CandidateIssue.INCOMPLETE)
    if platform_status == CandidateStatus.MANUAL:
        issues.add(CandidateIssue.MANUAL)
    return frozenset(issues)


def decide_status(
    issues: Collection[CandidateIssue], platform_status: str | None
) -> CandidateStatus:
    """The status column: the platform's word once uploaded, otherwise what the platform
    will show (无照片 before 信息不全, the platform's order; the page lists the rest)."""
    if platform_status:
        return _STATUSES.get(platform_status) or CandidateStatus(platform_status)
    if CandidateIssue.NO_PHOTO in issues:
        return CandidateStatus.NO_PHOTO
    if CandidateIssue.INCOMPLETE in issues:
        return CandidateStatus.INCOMPLETE
    return CandidateStatus.READY
