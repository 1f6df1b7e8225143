"""Candidates' photos in the database: store a checked photo, import a zip or folder of
them, list them for the page, fetch one for display or export.

The checks themselves live in ``photo_check`` (no database); reading zips and folders
safely in ``photo_source``. Photos are stored in the database by candidate, never as files
named after a zip entry, so nothing a zip says can write anywhere.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from examsite.domain.candidate_status import CandidateStatus, PhotoState, photo_state
from examsite.domain.photo_spec import FIXABLE, Verdict
from examsite.domain.problems import Problem, error, notice, warning
from examsite.domain.workflow import Step
from examsite.errors import InputError, NotFoundError
from examsite.formats.jpeg_strip import restore_original
from examsite.formats.photo_check import (
    MAX_INPUT_BYTES,
    PhotoResult,
    check_many,
    check_photo,
    make_thumbnail,
)
from examsite.formats.photo_source import match_id_number, read_photo_source
from examsite.messages.system import reason
from examsite.progress import Progress
from examsite.services.backup import auto_backup
from examsite.services.candidate_state import refresh_statuses
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Photo
from examsite.storage.purged import is_purged_candidate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredPhoto:
    """What was decided for one photo, and whether it replaced the one on file."""

    verdict: Verdict
    problems: tuple[Problem, ...]
    stored: bool
    kept_previous: bool


def problems_to_json(problems: tuple[Problem, ...]) -> list[dict[str, Any]]:
    return [p.to_plain() for p in problems]


def problems_from_json(items: list[Any]) -> tuple[Problem, ...]:
    return tuple(Problem.from_plain(i) for i in items)


def is_fixable(problems: tuple[Problem, ...]) -> bool:
    """True when every error of a rejected photo is one the automatic fix repairs."""
    errors = [p for p in problems if p.is_error]
    return bool(errors) and all(p.code in FIXABLE for p in errors)


def store_photo(
    session: Session,
    candidate: Candidate,
    data: bytes,
    *,
    source_name: str,
    fix: bool,
    result: PhotoResult | None = None,
    refresh: bool = True,
) -> StoredPhoto:
    """Check (unless ``result`` is given) and store ``data`` as the candidate's photo.

    A rejected photo never replaces a usable one already on file: nothing stored is lost.
    The candidate's status is refreshed unless ``refresh`` is False (a caller storing many
    photos refreshes them all at once with ``refresh_statuses``).
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
    image = result.fixed_jpeg if usable else None
    photo.image = image
    if image is not None and result.original_patch is not None:
        # The stored image is the file's own image data: the original is that plus the
        # metadata taken out (nothing at all when the patch is empty), stored once.
        photo.original = None
        photo.original_patch = result.original_patch or None
    else:
        photo.original = data
        photo.original_patch = None
    # Only a photo without a stored image keeps a thumbnail (made by the check from the
    # decoded picture); the grid makes the others' from the image when it shows them.
    photo.thumbnail = result.thumbnail if image is None else None
    if previous is None:
        candidate.photo = photo
    if refresh:
        refresh_statuses(session, ids=[candidate.id])
    return StoredPhoto(result.verdict, result.problems, stored=True, kept_previous=False)


# --- import a zip or folder ----------------------------------------------------------------

#: Stored photos are flushed (and their bytes let go) in batches, so that 10,000 photos in
#: one transaction do not sit in memory together.
_FLUSH_EVERY = 200


@dataclass(frozen=True)
class PhotoImportItem:
    """One photo file of the source and what became of it."""

    file: str
    id_number: str
    candidate_name: str
    verdict: Verdict
    problems: tuple[Problem, ...]
    stored: bool


@dataclass(frozen=True)
class PhotoImportReport:
    results: tuple[PhotoImportItem, ...]
    unmatched: tuple[str, ...]  # photo files whose name matches no candidate
    ignored: tuple[tuple[str, str], ...]  # (file, reason code): system debris, not images

    def count(self, verdict: Verdict) -> int:
        return sum(1 for r in self.results if r.verdict is verdict)


def import_photos(
    db: Database, source_path: Path, *, fix: bool, progress: Progress | None = None
) -> PhotoImportReport:
    """Check every photo of a zip or folder and store it as its candidate's photo.

    The source is refused as a whole (``InputError``, nothing changed) when it is not a
    zip or folder, or is a bomb. Photos are matched to candidates by the ID number in the
    file name. Everything is stored in one transaction: a cancel leaves the database as it
    was.
    """
    progress = progress or Progress()
    with db.read() as session:
        known = dict(session.execute(select(Candidate.id_number, Candidate.name)).all())
    with read_photo_source(source_path, progress=progress) as source:
        wanted: dict[str, str] = {}  # file -> id number, first file of each candidate
        early: list[PhotoImportItem] = []
        unmatched: list[str] = []
        claimed: set[str] = set()
        for entry in source.entries:
            id_number = match_id_number(entry.name)
            if id_number is None or id_number not in known:
                unmatched.append(entry.name)
            elif id_number in claimed or entry.name in wanted:
                early.append(_duplicate(entry.name, id_number, known[id_number]))
            else:
                wanted[entry.name] = id_number
                claimed.add(id_number)
        # The checks return verdicts, not bytes: keep each photo's bytes aside while it is
        # being checked (a few per core at a time) to store them once its verdict is back.
        in_flight: dict[str, bytes] = {}
        read: set[str] = set()

        def photos() -> Iterator[tuple[str, bytes]]:
            # Only the wanted files are read; a name a zip holds twice is read once.
            for name, data in source.photos(only=wanted.keys()):
                if name not in read:
                    read.add(name)
                    in_flight[name] = data
                    yield name, data

        checked = check_many(photos(), fix=fix, progress=progress, total=len(wanted))
        auto_backup(db, "import")  # what the import changes can be taken back
        with db.unit_of_work() as session:
            stored = _store_checked(session, checked, wanted, known, in_flight)
        ignored = tuple((i.name, i.reason.value) for i in source.ignored)
    return PhotoImportReport(tuple(early + stored), tuple(unmatched), ignored)


def _duplicate(file: str, id_number: str, name: str) -> PhotoImportItem:
    problem = error("photos.duplicate_in_source", id_number=id_number)
    return PhotoImportItem(file, id_number, name, Verdict.REJECTED, (problem,), stored=False)


def _store_checked(
    session: Session,
    checked: Iterator[tuple[str, PhotoResult]],
    wanted: dict[str, str],
    known: dict[str, str],
    in_flight: dict[str, bytes],
) -> list[PhotoImportItem]:
    candidates = {
        c.id_number: c
        for c in session.scalars(
            select(Candidate)
            .where(Candidate.id_number.in_(set(wanted.values())))
            .options(selectinload(Candidate.photo))
        )
    }
    items: list[PhotoImportItem] = []
    for done, (file, result) in enumerate(checked, start=1):
        id_number = wanted[file]
        candidate = candidates[id_number]
        data = in_flight.pop(file)
        if candidate.platform_status == CandidateStatus.VERIFIED:
            locked = error("photos.locked_verified", name=candidate.name)
            items.append(
                PhotoImportItem(file, id_number, candidate.name, result.verdict, (locked,), False)
            )
            continue
        outcome = store_photo(
            session, candidate, data, source_name=file, fix=False, result=result, refresh=False
        )
        problems = outcome.problems
        if outcome.kept_previous:
            problems += (notice("photos.kept_previous"),)
        items.append(
            PhotoImportItem(
                file, id_number, known[id_number], result.verdict, problems, outcome.stored
            )
        )
        if done % _FLUSH_EVERY == 0:
            _flush_and_release(session, candidates.values())
    refresh_statuses(session, ids=[c.id for c in candidates.values()])
    return items


_PHOTO_BYTES = ["original", "image", "thumbnail", "original_patch"]


def _flush_and_release(session: Session, candidates: Iterable[Candidate]) -> None:
    """Write what is pending and let go of the photo bytes the session still holds."""
    session.flush()
    for candidate in candidates:
        if candidate.photo is not None and "image" in candidate.photo.__dict__:
            session.expire(candidate.photo, _PHOTO_BYTES)


# --- the page: list, show, replace, fix ------------------------------------------------------


@dataclass(frozen=True)
class PhotoRow:
    """A candidate and their photo's verdict, for the photos page's grid.

    ``state`` is how every page counts the photo (``PhotoState``: missing, rejected,
    review, fixed, pass); ``fixable`` marks a rejected photo the automatic fix repairs.
    """

    id_number: str
    name: str
    kind: str
    status: str
    verdict: Verdict | None  # None: no photo yet
    problems: tuple[Problem, ...]
    background: str
    width: int
    height: int
    source_name: str
    fixable: bool

    @property
    def state(self) -> PhotoState:
        return photo_state(self.verdict)


def list_photos(
    db: Database, *, verdict: Verdict | None = None, id_numbers: Iterable[str] | None = None
) -> list[PhotoRow]:
    """Every candidate with their photo's verdict (no photo bytes are loaded).

    ``id_numbers`` limits the list to those candidates: the page re-reads only the rows a
    replace or a fix changed instead of all 10,000.
    """
    query = (
        select(
            Candidate.id_number,
            Candidate.name,
            Candidate.kind,
            Candidate.status,
            Photo.verdict,
            Photo.problems,
            Photo.background,
            Photo.width,
            Photo.height,
            Photo.source_name,
        )
        .outerjoin(Photo, Photo.candidate_id == Candidate.id)
        .where(~is_purged_candidate())  # a purged round's anonymous rows have no photo
        .order_by(Candidate.id)
    )
    if verdict is not None:
        query = query.where(Photo.verdict == verdict.value)
    if id_numbers is not None:
        query = query.where(Candidate.id_number.in_(list(id_numbers)))
    with db.read() as session:
        rows = session.execute(query).all()
    result = []
    for id_number, name, kind, status, photo_verdict, problems, bg, width, height, source in rows:
        decoded = problems_from_json(problems or [])
        result.append(
            PhotoRow(
                id_number,
                name,
                kind,
                status,
                Verdict(photo_verdict) if photo_verdict else None,
                decoded,
                bg or "",
                width or 0,
                height or 0,
                source or "",
                is_fixable(decoded),
            )
        )
    return result


def thumbnails(db: Database, id_numbers: Iterable[str]) -> dict[str, bytes]:
    """Thumbnails (small JPEGs) of the given candidates' photos, for a visible page of the grid.

    A rejected photo's was stored by the check; the others are made here from the stored
    image (a half-scale decode, a fraction of a millisecond each).
    """
    wanted = list(id_numbers)
    with db.read() as session:
        rows = session.execute(
            select(
                Candidate.id_number,
                Photo.thumbnail,
                case((Photo.thumbnail.is_(None), Photo.image), else_=None),
            )
            .join(Photo, Photo.candidate_id == Candidate.id)
            .where(Candidate.id_number.in_(wanted))
        ).all()
    found: dict[str, bytes] = {}
    for id_number, thumb, image in rows:
        thumb = thumb or (make_thumbnail(image) if image else None)
        if thumb:
            found[id_number] = thumb
    return found


def photo_bytes(db: Database, id_number: str, *, original: bool = False) -> bytes | None:
    """The stored photo (what is exported), or with ``original`` the file as it came."""
    with db.read() as session:
        if not original:
            return session.scalar(
                select(Photo.image).join(Candidate).where(Candidate.id_number == id_number)
            )
        row = session.execute(
            select(Photo.original, Photo.image, Photo.original_patch)
            .join(Candidate)
            .where(Candidate.id_number == id_number)
        ).one_or_none()
    return None if row is None else _original(*row)


def original_bytes(photo: Photo) -> bytes:
    """The file as it came of a loaded ``Photo`` (see ``Photo``: it is stored once)."""
    return _original(photo.original, photo.image, photo.original_patch) or b""


def _original(original: bytes | None, image: bytes | None, patch: bytes | None) -> bytes | None:
    if original is not None:
        return original
    if image is None:
        return None
    return restore_original(image, patch or b"")


def replace_photo(db: Database, id_number: str, path: Path, *, fix: bool) -> PhotoImportItem:
    """Check one dropped file and store it as the candidate's photo (the page's drop)."""
    if path.is_file() and path.stat().st_size > MAX_INPUT_BYTES:
        raise InputError("photos.file_too_large", file=path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError("photos.file_unreadable", file=path.name, reason=reason(exc)) from exc
    with db.unit_of_work() as session:
        candidate = _candidate(session, id_number)
        if candidate.platform_status == CandidateStatus.VERIFIED:
            raise InputError("photos.locked_verified", name=candidate.name)
        outcome = store_photo(session, candidate, data, source_name=path.name, fix=fix)
        problems = outcome.problems
        if outcome.kept_previous:
            problems += (notice("photos.kept_previous"),)
        return PhotoImportItem(
            path.name, id_number, candidate.name, outcome.verdict, problems, outcome.stored
        )


@dataclass(frozen=True)
class FixReport:
    """What the automatic fix did: each photo it tried, and how many photos are still
    rejected afterwards (those it could not mend and those no fix can mend)."""

    items: tuple[PhotoImportItem, ...]
    still_rejected: int

    @property
    def fixed(self) -> int:
        return sum(1 for i in self.items if i.verdict is not Verdict.REJECTED)


def fix_photos(db: Database, *, progress: Progress | None = None) -> FixReport:
    """Re-check every rejected photo from its original with fixing on (the page's button).

    Only what can be fixed without guessing changes (rotation, colour mode, scale); a wrong
    background or a landscape picture stays rejected.
    """
    progress = progress or Progress()
    items: list[PhotoImportItem] = []
    with db.unit_of_work() as session:
        candidates = {
            c.id_number: c
            for c in session.scalars(
                select(Candidate)
                .join(Photo, Photo.candidate_id == Candidate.id)
                .where(Photo.verdict == Verdict.REJECTED.value)
                .options(selectinload(Candidate.photo))
            )
            if c.photo is not None and is_fixable(problems_from_json(c.photo.problems or []))
        }
        originals = ((i, original_bytes(c.photo)) for i, c in candidates.items() if c.photo)
        for id_number, result in check_many(
            originals, fix=True, progress=progress, total=len(candidates)
        ):
            candidate = candidates[id_number]
            assert candidate.photo is not None
            source_name = candidate.photo.source_name
            outcome = store_photo(
                session,
                candidate,
                original_bytes(candidate.photo),
                source_name=source_name,
                fix=True,
                result=result,
                refresh=False,
            )
            items.append(
                PhotoImportItem(
                    source_name,
                    id_number,
                    candidate.name,
                    outcome.verdict,
                    outcome.problems,
                    outcome.stored,
                )
            )
        refresh_statuses(session, ids=[c.id for c in candidates.values()])
        still = session.scalar(select(func.count()).where(Photo.verdict == Verdict.REJECTED.value))
    return FixReport(tuple(items), still or 0)


def _candidate(session: Session, id_number: str) -> Candidate:
    candidate = session.scalar(
        select(Candidate)
        .where(Candidate.id_number == id_number)
        .options(selectinload(Candidate.photo))
    )
    if candidate is None:
        raise NotFoundError("photos.no_candidate", id_number=id_number)
    return candidate


# --- the step's status ---------------------------------------------------------------------


def photos_status(_session: Session, facts: RoundFacts) -> StepStatus:
    """Step 3's status: photos rejected, to review, and candidates without a photo."""
    by_photo = facts.candidates.by_photo
    rejected = by_photo.get(PhotoState.REJECTED, 0)
    review = by_photo.get(PhotoState.REVIEW, 0)
    missing = by_photo.get(PhotoState.MISSING, 0)
    photos = facts.candidates.total - missing
    problems: list[Problem] = []
    if rejected:
        problems.append(error("status.photos_rejected", count=rejected))
    if missing and photos:
        problems.append(error("status.photos_missing", count=missing))
    if review:
        problems.append(warning("status.photos_review", count=review))
    if rejected:
        figure = notice("status.figure_photos_rejected", count=rejected)
    elif photos and missing:
        figure = notice("status.figure_photos_missing", count=photos, missing=missing)
    elif photos:
        figure = notice("status.figure_photos", count=photos)
    else:
        figure = notice("status.figure_no_photos")
    summary = {"photos": photos, "rejected": rejected, "review": review, "missing": missing}
    return step_status(Step.PHOTOS, photos, summary, problems, figure)
