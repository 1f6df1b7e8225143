"""Candidates' photos in the database: store a checked photo, import a zip or folder of
them, list them for the page, fetch one for display or export.

The checks themselves live in ``photo_check`` (no database); reading zips and folders
safely in ``photo_source``. Photos are stored in the database by candidate, never as files
named after a zip entry, so nothing a zip says can write anywhere.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from typing import Any

from PIL import Image
from sqlalchemy.orm import Session

from examsite.domain.candidate_status import CandidateKind, decide_status, missing_fields
from examsite.domain.photo_spec import Verdict
from examsite.domain.problems import Problem
from examsite.services.photo_check import PhotoResult, check_photo
from examsite.storage.models import Candidate, Photo

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = (148, 207)  # half of 295 × 413: sharp on a 150 % screen grid


@dataclass(frozen=True)
class StoredPhoto:
    """What was decided for one photo, and whether it replaced the one on file."""

    verdict: Verdict
    problems: tuple[Problem, ...]
    stored: bool
    kept_previous: bool


def problems_to_json(problems: tuple[Problem, ...]) -> list[dict[str, Any]]:
    return [{"code": p.code, "level": p.level.value, "params": dict(p.params)} for p in problems]


def problems_from_json(items: list[Any]) -> tuple[Problem, ...]:
    from types import MappingProxyType

    from examsite.domain.problems import Level

    return tuple(
        Problem(
            i["code"],
            Level(i.get("level", "error")),
            None,
            None,
            MappingProxyType(i.get("params", {})),
        )
        for i in items
    )


def make_thumbnail(data: bytes | None) -> bytes | None:
    """A small JPEG for the page's grid, or None when the bytes do not decode."""
    if not data:
        return None
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as image:
            image.draft("RGB", THUMBNAIL_SIZE)
            small = image.convert("RGB")
            small.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            small.save(out, "JPEG", quality=85)
            return out.getvalue()
    except Exception:  # any undecodable input simply has no thumbnail
        return None


def refresh_status(candidate: Candidate) -> None:
    """Recompute the candidate's status after its data or photo changed."""
    photo = candidate.photo
    values = {f: getattr(candidate, f) for f in _STATUS_FIELDS}
    candidate.status = decide_status(
        has_passing_photo=photo is not None and photo.verdict != Verdict.REJECTED,
        missing=missing_fields(CandidateKind(candidate.kind), values),
        platform_status=candidate.platform_status,
    ).value


_STATUS_FIELDS = (
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
)


def store_photo(
    session: Session,
    candidate: Candidate,
    data: bytes,
    *,
    source_name: str,
    fix: bool,
    result: PhotoResult | None = None,
) -> StoredPhoto:
    """Check (unless ``result`` is given) and store ``data`` as the candidate's photo.

    A rejected photo never replaces a usable one already on file: nothing stored is lost.
    """
    result = result or check_photo(data, fix=fix)
    usable = result.verdict is not Verdict.REJECTED
    previous = candidate.photo
    if previous is not None and previous.verdict != Verdict.REJECTED and not usable:
        return StoredPhoto(result.verdict, result.problems, stored=False, kept_previous=True)
    photo = previous or Photo()
    photo.source_name = source_name[-400:]
    photo.verdict = result.verdict.value
    photo.problems = problems_to_json(result.problems)
    photo.background = result.background.value if result.background else ""
    photo.width = result.width or 0
    photo.height = result.height or 0
    photo.format = result.format or ""
    photo.size_bytes = result.original_size
    photo.sha256 = hashlib.sha256(data).hexdigest()
    photo.original = data
    photo.image = result.fixed_jpeg if usable else None
    photo.thumbnail = make_thumbnail(result.fixed_jpeg or data)
    if previous is None:
        candidate.photo = photo
    refresh_status(candidate)
    return StoredPhoto(result.verdict, result.problems, stored=True, kept_previous=False)
