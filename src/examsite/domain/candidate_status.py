"""A candidate's status as the platform shows it, and what the program can decide offline.

Offline the program decides 无照片 (no passing photo), 信息不全 (a required field missing) or
"ready for upload"; 信息待认证 → 信息准确 / 需人工确认 happens on the platform and comes back
through an import (``platform_status``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


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


PLATFORM_STATUSES = frozenset(
    {CandidateStatus.PENDING, CandidateStatus.MANUAL, CandidateStatus.VERIFIED}
)

# A candidate's own data, as the templates and the form carry it.
CANDIDATE_FIELDS: tuple[str, ...] = (
    "kind",
    "name",
    "pinyin",
    "gender",
    "id_type",
    "id_number",
    "phone",
    "enrollment_year",
    "education_level",
    "major",
    "major_code",
    "extra",
)

# Fields every candidate needs (the template's starred columns), by kind.
REQUIRED_FIELDS: Mapping[CandidateKind, tuple[str, ...]] = {
    # everything but the kind and the social-kind extras
    CandidateKind.SCHOOL: tuple(f for f in CANDIDATE_FIELDS if f not in ("kind", "extra")),
    CandidateKind.SOCIAL: ("name", "pinyin", "gender", "id_type", "id_number", "phone"),
}

# Once the platform has verified a candidate these can no longer change (004).
LOCKED_WHEN_VERIFIED: tuple[str, ...] = ("name", "id_type", "id_number")  # and the photo


def missing_fields(kind: CandidateKind, values: Mapping[str, object]) -> list[str]:
    """The required fields that are empty."""
    return [f for f in REQUIRED_FIELDS[kind] if values.get(f) in (None, "")]


def decide_status(
    *, has_passing_photo: bool, missing: list[str], platform_status: str | None
) -> CandidateStatus:
    """The status to show: the platform's word once uploaded, otherwise the local check."""
    if platform_status:
        return CandidateStatus(platform_status)
    # The platform shows 无照片 before anything else; the page lists every missing field too.
    if not has_passing_photo:
        return CandidateStatus.NO_PHOTO
    if missing:
        return CandidateStatus.INCOMPLETE
    return CandidateStatus.READY
