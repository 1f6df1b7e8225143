"""The upload package for the national platform (DESIGN.md, "Sync bundles"): one
``platform-upload`` bundle holding exactly what the platform imports, each in its template
of the registry: the school and the social candidate sheets, the photo .zip
(``<ID number>.jpg``, the stored 295 × 413 image), the by-certificate registration sheet,
the room sheet and the invigilator sheet.

Only what is ready goes in. ``plan_upload`` is the pre-flight list, before anything is
written: what goes in, what is held back and why, and the difference from the last export
of the plan (a snapshot kept in the ``Setting`` table under ``export.platform:<plan>``).
``export_platform`` builds the files in memory, runs the package check
(``formats.platform_check``) on them and refuses, writing nothing, when the package would
be wrong; otherwise it writes the bundle atomically and keeps the new snapshot.

Where the documents are silent: the candidates of a plan are those registered for it; a
photo goes in when it passed or was fixed (one waiting for review is held back); the
registration sheet is 003's (it carries the certificate code the platform matches on);
a candidate sheet, the room sheet or the invigilator sheet with nothing to hold is left out.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import examsite
from examsite import clock
from examsite.domain.candidate_status import CandidateStatus
from examsite.domain.export_diff import EMPTY, ExportDiff, Snapshot, diff, fingerprint
from examsite.domain.photo_spec import HEIGHT, WIDTH
from examsite.errors import InputError
from examsite.formats.bundle import write_bundle
from examsite.formats.file_errors import cannot_write
from examsite.formats.platform_check import OutgoingPackage, OutgoingSheet, check_package
from examsite.formats.registration_templates import REGISTRATION_003
from examsite.formats.template_workbook import filled_template
from examsite.formats.templates import CANDIDATE_SCHOOL, CANDIDATE_SOCIAL, TemplateDef, get_template
from examsite.progress import Progress
from examsite.services import bundle_log
from examsite.services.disclosure import count_ids, record_full_ids_in, remove_written
from examsite.services.invigilation import overview_in
from examsite.services.invigilation_sheet import write_invigilator_sheet
from examsite.services.plans import find_plan
from examsite.services.registration_sheets import registration_values_in
from examsite.services.retention import refuse_purged_in
from examsite.services.room_import import export_rooms, room_sheet
from examsite.services.sync_status import SETTING_PREFIX
from examsite.storage.db import Database
from examsite.storage.models import Candidate, ExamPlan, Photo, Registration, Room, Setting, Site

SCHOOL_FILE: Final = "院校考生信息.xlsx"
SOCIAL_FILE: Final = "社会考生信息.xlsx"
PHOTOS_FILE: Final = "考生照片.zip"
REGISTRATION_FILE: Final = "按证书报考.xlsx"
ROOMS_FILE: Final = "考场信息.xlsx"
INVIGILATORS_FILE: Final = "监考人员.xlsx"
_GOOD_PHOTOS: Final = ("pass", "fixed")
_ZIP_TIME: Final = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class HeldBack:
    """Something left out of the package: a candidate (``key`` the ID number), a
    registration ("<ID>|<certificate code>") or a whole sheet (``key`` its file), with the
    reasons (message codes)."""

    what: str  # candidate / registration / sheet
    key: str
    name: str
    reasons: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        from examsite.messages import text

        return {
            "what": self.what,
            "key": self.key,
            "name": self.name,
            "reasons": [{"code": r, "message": text(r)} for r in self.reasons],
        }


@dataclass(frozen=True)
class UploadPlan:
    """The pre-flight list: what goes in (``counts``), what is held back and why, and the
    difference from the last export."""

    plan_code: str
    plan_name: str
    counts: Mapping[str, int]
    held_back: tuple[HeldBack, ...]
    diff: ExportDiff

    @property
    def ready(self) -> bool:
        """Whether anything can be uploaded."""
        return bool(self.counts.get("candidates") or self.counts.get("registrations"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_code,
            "plan_name": self.plan_name,
            "ready": self.ready,
            "counts": dict(self.counts),
            "held_back": [h.as_dict() for h in self.held_back],
            "diff": self.diff.as_dict(),
        }


@dataclass(frozen=True)
class UploadResult:
    """An export: the bundle written (None for a dry run), its files and the plan."""

    plan: UploadPlan
    path: Path | None
    files: tuple[str, ...]
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.plan.as_dict(),
            "path": str(self.path) if self.path else None,
            "files": list(self.files),
            "dry_run": self.dry_run,
        }


@dataclass
class _Gathered:
    """The ready data of a plan, as sheet rows, and what was held back."""

    plan_code: str
    plan_name: str
    site: str
    school_rows: list[list[object]] = field(default_factory=list)
    social_rows: list[list[object]] = field(default_factory=list)
    photo_ids: dict[int, str] = field(default_factory=dict)  # candidate id → ID number
    registration_rows: list[list[object]] = field(default_factory=list)
    records: dict[str, tuple[int, int]] = field(default_factory=dict)
    held_back: list[HeldBack] = field(default_factory=list)
    snapshot: Snapshot = EMPTY
    rooms: int = 0
    invigilator_rows: int = 0
    record_count: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "candidates": len(self.school_rows) + len(self.social_rows),
            "school_candidates": len(self.school_rows),
            "social_candidates": len(self.social_rows),
            "photos": len(self.photo_ids),
            "registrations": len(self.registration_rows),
            "subject_records": self.record_count,
            "rooms": self.rooms,
            "invigilator_rows": self.invigilator_rows,
            "held_back": len(self.held_back),
        }


# --- the pre-flight list ----------------------------------------------------------------


def plan_upload(db: Database, plan_code: str) -> UploadPlan:
    """What an export of ``plan_code`` would hold, hold back, and change; writes nothing."""
    with db.read() as session:
        gathered = _gather(session, find_plan(session, plan_code))
        last = last_snapshot_in(session, gathered.plan_code)
    return _plan_of(gathered, last)


def _plan_of(gathered: _Gathered, last: Snapshot) -> UploadPlan:
    return UploadPlan(
        gathered.plan_code,
        gathered.plan_name,
        gathered.counts(),
        tuple(gathered.held_back),
        diff(last, gathered.snapshot),
    )


def last_snapshot_in(session: Session, plan_code: str) -> Snapshot:
    """The snapshot of the plan's last export (empty when there was none)."""
    stored = session.get(Setting, setting_key(plan_code))
    if stored is None:
        return EMPTY
    try:
        return Snapshot.from_plain(json.loads(stored.value))
    except (ValueError, TypeError, KeyError, IndexError):
        return EMPTY  # a damaged note only costs the diff, never the export


def setting_key(plan_code: str) -> str:
    return f"{SETTING_PREFIX}{plan_code}"[:60]


def _gather(session: Session, plan: ExamPlan) -> _Gathered:
    refuse_purged_in(session, plan.code)  # its candidates are anonymous rows now
    site = session.scalars(select(Site).order_by(Site.id)).first()
    gathered = _Gathered(plan.code, plan.name, (site.code or site.name) if site else "")
    registered = select(Registration.candidate_id).where(Registration.plan_id == plan.id)
    # Plain rows rather than ORM objects: a third of the time for 10,000 candidates.
    candidates = session.execute(
        select(*Candidate.__table__.columns)
        .where(Candidate.id.in_(registered))
        .order_by(Candidate.id)
    ).all()
    photos = {
        row.candidate_id: row
        for row in session.execute(
            select(
                Photo.candidate_id, Photo.id, Photo.verdict, Photo.width, Photo.height,
                Photo.size_bytes, Photo.imported_at,
            ).where(Photo.candidate_id.in_(registered))
        )
    }  # fmt: skip
    fingerprints: dict[str, tuple[str, str]] = {}
    ready: set[str] = set()
    for candidate in candidates:
        photo = photos.get(candidate.id)
        reasons = _candidate_reasons(candidate, photo)
        if reasons:
            gathered.held_back.append(
                HeldBack("candidate", candidate.id_number, candidate.name, reasons)
            )
            continue
        template = CANDIDATE_SOCIAL if candidate.kind == "social" else CANDIDATE_SCHOOL
        values = _candidate_values(candidate, template)
        (gathered.social_rows if candidate.kind == "social" else gathered.school_rows).append(
            values
        )
        gathered.photo_ids[candidate.id] = candidate.id_number
        ready.add(candidate.id_number)
        mark = f"{photo.id}:{photo.size_bytes}:{photo.imported_at}" if photo else ""
        fingerprints[candidate.id_number] = (fingerprint([*values, mark]), candidate.name)
    keys: set[str] = set()
    for row, sheet_values in registration_values_in(session, plan):
        key = f"{row.id_number}|{row.certificate_code}"
        causes: list[str] = []
        if row.id_number not in ready:
            causes.append("bundle.held_candidate")
        if row.short or not row.expected:
            causes.append("bundle.held_short_records")
        if causes:
            gathered.held_back.append(HeldBack("registration", key, row.name, tuple(causes)))
            continue
        keys.add(key)
        gathered.records[key] = (len(row.subjects), row.expected)
        gathered.record_count += len(row.subjects)
        gathered.registration_rows.append(
            [sheet_values.get(c.field, "") for c in REGISTRATION_003.columns]
        )
    gathered.snapshot = Snapshot(
        fingerprints, frozenset(keys), clock.now().isoformat(timespec="seconds")
    )
    gathered.rooms = session.scalar(select(func.count(Room.id)).where(Room.plan_id == plan.id)) or 0
    if not gathered.rooms:
        gathered.held_back.append(HeldBack("sheet", ROOMS_FILE, "", ("bundle.held_no_rooms",)))
    gathered.invigilator_rows = sum(len(r.invigilators) for r in overview_in(session, plan).rows)
    if not gathered.invigilator_rows:
        gathered.held_back.append(
            HeldBack("sheet", INVIGILATORS_FILE, "", ("bundle.held_no_invigilators",))
        )
    return gathered


def _candidate_reasons(candidate: Any, photo: Any) -> tuple[str, ...]:
    reasons: list[str] = []
    if photo is None or photo.verdict == "rejected":
        reasons.append("bundle.held_no_photo")
    elif photo.verdict not in _GOOD_PHOTOS:
        reasons.append("bundle.held_photo_review")
    elif (photo.width, photo.height) != (WIDTH, HEIGHT):
        reasons.append("bundle.held_photo_size")
    if candidate.status == CandidateStatus.INCOMPLETE:
        reasons.append("bundle.held_incomplete")
    return tuple(reasons)


def _candidate_values(candidate: Any, template: TemplateDef) -> list[object]:
    values: list[object] = []
    for column in template.columns:
        if column.field.startswith("extra."):
            value = (candidate.extra or {}).get(column.field.removeprefix("extra."))
        else:
            value = getattr(candidate, column.field)
        values.append("" if value is None else value)
    return values


# --- the export -------------------------------------------------------------------------


@bundle_log.logged(bundle_log.EXPORT_PLATFORM)
def export_platform(
    db: Database,
    plan_code: str,
    out: Path,
    progress: Progress | None = None,
    *,
    dry_run: bool = False,
) -> UploadResult:
    """Build the plan's upload package, check it, and (unless ``dry_run``) write it to
    ``out`` (a folder: a file named after the plan and the time is made there; or a .zip
    file). Refuses with ``InputError`` and writes nothing when nothing is ready or the
    package check finds a problem."""
    progress = progress or Progress()
    with db.read() as session:
        plan = find_plan(session, plan_code)
        target = resolve_target(Path(out), plan.code)
        gathered = _gather(session, plan)
        last = last_snapshot_in(session, plan.code)
        upload = _plan_of(gathered, last)
        if not upload.ready:
            raise InputError("bundle.platform_nothing_ready", plan=plan.code)
        total = len(gathered.photo_ids) + 6
        progress.step(0, total, "读取照片")
        photos = _photos_in(session, gathered.photo_ids, progress, total)
    files, sheets = _build_files(db, gathered, photos, progress, total)
    problems = check_package(OutgoingPackage(tuple(sheets), photos, gathered.records))
    if problems:
        raise InputError("bundle.platform_refused", problems=problems, count=len(problems))
    progress.check_cancelled()
    if dry_run:
        progress.step(total, total, "检查完成")
        return UploadResult(upload, None, tuple(sorted(files)), dry_run=True)
    progress.step(total - 1, total, "写入上传包")
    try:
        write_bundle(
            target,
            files,
            kind="platform-upload",
            site=gathered.site,
            plan=gathered.plan_code,
            created=clock.now().isoformat(timespec="seconds"),
            program=examsite.__version__,
            counts={k: v for k, v in upload.counts.items() if k != "held_back"},
        )
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    try:
        with db.unit_of_work() as session:
            plain = json.dumps(gathered.snapshot.to_plain(), ensure_ascii=False)
            session.merge(Setting(key=setting_key(gathered.plan_code), value=plain))
            people = count_ids(_ids_in(gathered))
            record_full_ids_in(session, "export", "platform_upload", target, people)
    except BaseException:
        remove_written(target)  # not recorded as sent, not logged: not left behind
        raise
    progress.step(total, total, "完成")
    return UploadResult(upload, target, tuple(sorted(files)))


def _ids_in(gathered: _Gathered) -> Iterator[str]:
    """The ID numbers the package holds in full: its candidate and registration sheets'
    and its photos' names."""
    for template, rows in (
        (CANDIDATE_SCHOOL, gathered.school_rows),
        (CANDIDATE_SOCIAL, gathered.social_rows),
        (REGISTRATION_003, gathered.registration_rows),
    ):
        at = [c.field for c in template.columns].index("id_number")
        yield from (str(row[at]) for row in rows)
    yield from gathered.photo_ids.values()


def resolve_target(out: Path, plan_code: str) -> Path:
    """The bundle's file: in a folder, ``平台上传包_<plan>_<YYYYMMDD-HHMM>.zip``; else
    ``out`` itself, which must end in .zip in an existing folder."""
    if out.is_dir():
        return out / f"平台上传包_{plan_code}_{clock.now():%Y%m%d-%H%M}.zip"
    if out.suffix.lower() != ".zip":
        raise InputError("bundle.platform_out_not_zip", path=str(out))
    if not out.parent.is_dir():
        raise InputError("bundle.platform_out_folder_missing", folder=str(out.parent))
    return out


def _photos_in(
    session: Session, photo_ids: Mapping[int, str], progress: Progress, total: int
) -> dict[str, bytes]:
    photos: dict[str, bytes] = {}
    wanted = list(photo_ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for candidate_id, image in session.execute(
            select(Photo.candidate_id, Photo.image).where(Photo.candidate_id.in_(chunk))
        ):
            if image:
                photos[f"{photo_ids[candidate_id]}.jpg"] = image
        progress.check_cancelled()
        progress.step(min(start + len(chunk), len(wanted)), total, "读取照片")
    return photos


def _build_files(
    db: Database,
    gathered: _Gathered,
    photos: Mapping[str, bytes],
    progress: Progress,
    total: int,
) -> tuple[dict[str, bytes], list[OutgoingSheet]]:
    sheets = _build_sheets(db, gathered, progress, total)
    files = {sheet.path: sheet.data for sheet in sheets}
    if photos:
        files[PHOTOS_FILE] = photo_zip(photos)
    progress.step(len(gathered.photo_ids) + 4, total, "照片压缩包")
    return files, sheets


def _build_sheets(
    db: Database, gathered: _Gathered, progress: Progress, total: int
) -> list[OutgoingSheet]:
    done = len(gathered.photo_ids)
    sheets: list[OutgoingSheet] = []
    for path, template, rows in (
        (SCHOOL_FILE, CANDIDATE_SCHOOL, gathered.school_rows),
        (SOCIAL_FILE, CANDIDATE_SOCIAL, gathered.social_rows),
    ):
        if rows:
            sheets.append(
                OutgoingSheet(path, template, filled_template(template, rows), candidates=True)
            )
    progress.step(done + 1, total, "生成考生信息表")
    if gathered.registration_rows:
        data = filled_template(REGISTRATION_003, gathered.registration_rows)
        sheets.append(OutgoingSheet(REGISTRATION_FILE, REGISTRATION_003, data, registrations=True))
    progress.check_cancelled()
    progress.step(done + 2, total, "生成报考表")
    with tempfile.TemporaryDirectory(prefix="examsite-upload-") as folder:
        if gathered.rooms:
            export_rooms(db, gathered.plan_code, Path(folder) / "rooms.xlsx")
            data = (Path(folder) / "rooms.xlsx").read_bytes()
            sheets.append(OutgoingSheet(ROOMS_FILE, room_sheet(), data))
        if gathered.invigilator_rows:
            written = write_invigilator_sheet(db, gathered.plan_code, Path(folder) / "staff.xlsx")
            data = written.path.read_bytes()
            sheets.append(
                OutgoingSheet(INVIGILATORS_FILE, get_template("staff.invigilators"), data)
            )
    progress.step(done + 3, total, "生成考场和监考表")
    return sheets


def photo_zip(photos: Mapping[str, bytes]) -> bytes:
    """The photo .zip the platform takes: ``<ID number>.jpg`` at the top. The photos are
    stored, not deflated: a JPEG is compressed already (deflate saves 1–2 % of it, at the
    cost of most of a big package's time), and the bundle stores the .zip as it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in sorted(photos.items()):
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()
