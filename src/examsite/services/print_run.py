"""The print run: every paper of a plan in one folder, with a manifest.

``print_run(db, plan_code, out_dir)`` reads the plan's materials once (one read session
for the whole run; photos fetched chunk by chunk as the documents ask) and writes into
``out_dir/<plan code>/``:

- ``<key>-<title>.pdf`` for each document of the registry (``print_documents.DOCUMENTS``);
  a ``room`` document gives one PDF for every room at once (room=None) besides its part
  in each room's kit;
- ``考场-<room name>.pdf``: a room's kit, its ``room`` documents in registry order in one
  PDF (one canvas);
- ``manifest.json`` (what was made: file, document key and title, pages, sha256, size)
  and ``清单.txt`` (the same for people); with ``zip_folder`` also ``<plan code>.zip``
  beside the folder.

It refuses before writing anything when the plan has no seats and a document that lists
them is asked for, or when a name has a character no font can draw. The folder is made
in a temporary folder beside it and moved into place at the end: a cancelled or failed
run leaves the previous run's folder as it was. The documents' canvases are invariant, so
the same data gives the same bytes (and the same checksums).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.materials import MaterialsData, PrintSettings, RoomFacts
from examsite.domain.problems import Problem, error
from examsite.errors import ExamsiteError, InputError
from examsite.formats.atomic import atomic_path
from examsite.formats.pdf.drawing import pdf_canvas
from examsite.formats.pdf.job import PrintJob
from examsite.messages.system import reason
from examsite.progress import Progress
from examsite.services import print_documents
from examsite.services.exam_day_record import load_exam_day_record
from examsite.services.materials_data import load_materials, photos_of
from examsite.services.materials_forms import load_site_forms
from examsite.services.plans import find_plan
from examsite.services.print_documents import DocumentKind
from examsite.services.print_settings import (
    LastRun,
    arrangement_checksum,
    check_print_settings,
    last_runs_in,
    load_print_settings_in,
    record_run_in,
)
from examsite.services.retention import refuse_purged_in
from examsite.storage.db import Database

MANIFEST = "manifest.json"
LISTING = "清单.txt"
KIT_KEY = "room_kit"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class Part:
    """One document inside a room kit."""

    key: str
    title: str
    pages: int


@dataclass(frozen=True)
class ManifestEntry:
    """One file of the run."""

    file: str  # its name in the plan's folder
    key: str  # the document's key, or ``room_kit``
    title: str
    scope: str  # plan / room (the plan-wide PDF of a room document) / kit
    room: str  # the room's name for a kit, else ""
    pages: int
    sha256: str
    size: int
    parts: tuple[Part, ...] = ()  # a kit's documents, in order


@dataclass(frozen=True)
class PrintManifest:
    plan_code: str
    plan_name: str
    folder: Path
    created: str
    arrangement: str  # ``arrangement_checksum`` of the seats printed
    settings: PrintSettings
    entries: tuple[ManifestEntry, ...]
    empty: tuple[str, ...] = ()  # keys of documents that had nothing to print
    zip_file: Path | None = None

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.entries)

    def to_plain(self) -> dict[str, Any]:
        """What ``manifest.json`` holds (and ``print run --json`` prints)."""
        return {
            "plan": self.plan_code,
            "plan_name": self.plan_name,
            "created": self.created,
            "arrangement": self.arrangement,
            "settings": {
                "header": self.settings.header,
                "sign_in_copies": self.settings.sign_in_copies,
                "labels_per_page": self.settings.labels_per_page,
                "ticket_layout": self.settings.ticket_layout,
            },
            "files": [
                {
                    "file": e.file,
                    "key": e.key,
                    "title": e.title,
                    "scope": e.scope,
                    "room": e.room,
                    "pages": e.pages,
                    "sha256": e.sha256,
                    "size": e.size,
                    "parts": [{"key": p.key, "title": p.title, "pages": p.pages} for p in e.parts],
                }
                for e in self.entries
            ],
            "empty": list(self.empty),
            "pages": self.pages,
        }


def read_manifest(folder: Path) -> PrintManifest | None:
    """The manifest a run left in ``folder`` (None when there is none or it is unreadable)."""
    try:
        plain = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return PrintManifest(
            plain["plan"],
            plain["plan_name"],
            folder,
            plain["created"],
            plain["arrangement"],
            PrintSettings(**plain["settings"]),
            tuple(
                ManifestEntry(**{**f, "parts": tuple(Part(**p) for p in f.get("parts", ()))})
                for f in plain["files"]
            ),
            tuple(plain.get("empty", ())),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def safe_name(text: str) -> str:
    """``text`` usable as a file name on Windows (reserved characters become ``_``)."""
    return _UNSAFE.sub("_", text).strip().rstrip(".") or "_"


def document_file(kind: DocumentKind) -> str:
    return safe_name(f"{kind.key}-{kind.title}") + ".pdf"


def kit_file(room_name: str) -> str:
    return safe_name(f"考场-{room_name}") + ".pdf"


def physical_rooms(data: MaterialsData) -> dict[str, tuple[RoomFacts, ...]]:
    """The physical rooms with a session (``MaterialsData.rooms_by_name``): a room
    examining two certificates gets one kit, its rows by first session."""
    kits: dict[str, tuple[RoomFacts, ...]] = {}
    for name, rows in data.rooms_by_name().items():
        used = sorted((r for r in rows if r.sessions), key=lambda r: r.sessions[0].starts_at)
        if used:
            kits[name] = tuple(used)
    return kits


def _merged(parts: list[Part]) -> list[Part]:
    """A kit's parts with the pages of one document (drawn for each room row) summed."""
    pages: dict[str, int] = {}
    titles: dict[str, str] = {}
    for part in parts:
        pages[part.key] = pages.get(part.key, 0) + part.pages
        titles[part.key] = part.title
    return [Part(key, titles[key], count) for key, count in pages.items()]


# --- preflight ------------------------------------------------------------------------


def missing_characters(data: MaterialsData, header: str = "") -> dict[str, str]:
    """The texts on the papers with characters no font has: {text: those characters}
    (``formats.pdf.preflight``: names, schools, rooms, staff, the header …)."""
    from examsite.formats.pdf.preflight import missing_characters as missing

    return dict(missing(data, header))


def preflight(
    data: MaterialsData, kinds: Sequence[DocumentKind], settings: PrintSettings
) -> list[Problem]:
    """Why the run cannot print (an empty list when it can)."""
    problems: list[Problem] = []
    if data.seated() == 0:
        needing = [k.title for k in kinds if k.needs_seats]
        if needing:
            problems.append(error("materials.no_seats", documents="、".join(needing)))
    for name, chars in missing_characters(data, settings.header).items():
        problems.append(error("materials.missing_characters", name=name, chars=chars))
    return problems


def chosen_documents(only: Iterable[str] | None) -> tuple[DocumentKind, ...]:
    """The registry's documents, those of ``only`` alone when given (``InputError`` for an
    unknown key)."""
    kinds = print_documents.DOCUMENTS
    if only is None:
        return kinds
    wanted = set(only)
    known = {k.key for k in kinds}
    unknown = sorted(wanted - known)
    if unknown:
        raise InputError(
            "materials.unknown_document",
            keys="、".join(unknown),
            known="、".join(k.key for k in kinds) or "（无）",
        )
    return tuple(k for k in kinds if k.key in wanted)


# --- the run --------------------------------------------------------------------------


class _Within(Progress):
    """The progress a document gets: its own counts become the label of the run's step;
    a cancel of the run reaches it."""

    def __init__(self, outer: Progress) -> None:
        super().__init__()
        self._outer = outer
        self.done = 0
        self.total = 0
        self.label = ""

    def step(self, done: int, total: int, label: str = "") -> None:
        inner = f"{label} {done}/{total}" if total else label
        self._outer.step(self.done, self.total, f"{self.label}：{inner}".rstrip("："))

    def cancel(self) -> None:
        self._outer.cancel()

    def cancelled(self) -> bool:
        return self._outer.cancelled()

    def check_cancelled(self) -> None:
        self._outer.check_cancelled()


@dataclass
class _Writer:
    folder: Path
    job: PrintJob
    within: _Within
    entries: list[ManifestEntry] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)

    def write(
        self,
        name: str,
        title: str,
        drawings: Sequence[tuple[DocumentKind, RoomFacts | None]],
    ) -> list[Part]:
        """Draw ``drawings`` into one PDF ``name``; its parts (the file is removed when
        it would have no page)."""
        path = self.folder / name
        parts: list[Part] = []
        with pdf_canvas(path, title=title) as canvas:
            for kind, room in drawings:
                self.within.check_cancelled()
                pages = kind.draw(canvas, self.job, room)
                parts.append(Part(kind.key, kind.title, pages))
        if sum(p.pages for p in parts) == 0:
            path.unlink()
        return parts

    def add(
        self, name: str, key: str, title: str, scope: str, room: str, parts: list[Part]
    ) -> None:
        pages = sum(p.pages for p in parts)
        if pages == 0:
            self.empty.append(key if scope != "kit" else f"{key}:{room}")
            return
        data = (self.folder / name).read_bytes()
        self.entries.append(
            ManifestEntry(
                name,
                key,
                title,
                scope,
                room,
                pages,
                hashlib.sha256(data).hexdigest(),
                len(data),
                tuple(parts) if scope == "kit" else (),
            )
        )


def print_run_in(
    session: Session,
    plan_code: str,
    out_dir: Path,
    *,
    only: Iterable[str] | None = None,
    settings: PrintSettings | None = None,
    progress: Progress | None = None,
    zip_folder: bool = False,
) -> PrintManifest:
    """Make the plan's papers in ``out_dir/<plan code>/`` (see the module's text)."""
    progress = progress or Progress()
    kinds = chosen_documents(only)
    if not kinds:
        raise InputError("materials.nothing_chosen")
    settings = check_print_settings(settings or load_print_settings_in(session))
    plan = find_plan(session, plan_code)
    refuse_purged_in(session, plan.code)  # no papers of a round whose personal data went
    progress.step(0, 1, "读取考试计划的数据")
    data = load_materials(session, plan_code)
    problems = preflight(data, kinds, settings)
    if problems:
        raise InputError("materials.preflight_failed", problems=problems, count=len(problems))
    checksum = arrangement_checksum(session, plan.id)
    room_kinds = [k for k in kinds if k.scope == "room"]
    kits = physical_rooms(data) if room_kinds else {}
    total = len(kinds) + len(kits)

    target = out_dir / safe_name(data.plan.code)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=out_dir))
    except OSError as exc:
        raise ExamsiteError(
            "materials.cannot_write", folder=str(out_dir), reason=reason(exc)
        ) from exc
    try:
        within = _Within(progress)
        job = PrintJob(
            data,
            settings,
            lambda ids: photos_of(session, ids),
            within,
            forms=load_site_forms(session, plan_code),
            exam_day=load_exam_day_record(session, plan_code),
        )
        writer = _Writer(staging, job, within)
        done = 0

        def start(label: str) -> None:
            progress.check_cancelled()
            within.done, within.total, within.label = done, total, label
            progress.step(done, total, label)

        for kind in kinds:
            start(kind.title)
            name = document_file(kind)
            writer.add(
                name,
                kind.key,
                kind.title,
                kind.scope,
                "",
                writer.write(name, kind.title, [(kind, None)]),
            )
            done += 1
        for room_name, rooms in kits.items():
            start(f"考场 {room_name}")
            name = kit_file(room_name)
            title = f"考场 {room_name} 物料"
            parts = writer.write(name, title, [(k, r) for k in room_kinds for r in rooms])
            writer.add(name, KIT_KEY, title, "kit", room_name, _merged(parts))
            done += 1
        progress.check_cancelled()
        manifest = PrintManifest(
            data.plan.code,
            data.plan.name,
            target,
            clock.now().isoformat(timespec="seconds"),
            checksum,
            settings,
            tuple(writer.entries),
            tuple(writer.empty),
        )
        _write_manifest(staging, manifest)
        _replace_folder(staging, target)
    except OSError as exc:  # a full disk, a PDF of the last run open in a viewer
        raise ExamsiteError(
            "materials.cannot_write", folder=str(target), reason=reason(exc)
        ) from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    progress.step(total, total, "完成")
    if zip_folder:
        try:
            packed = zip_up(target)
        except OSError as exc:
            raise ExamsiteError(
                "materials.cannot_write", folder=str(out_dir), reason=reason(exc)
            ) from exc
        manifest = dataclasses.replace(manifest, zip_file=packed)
    return manifest


def print_run(
    db: Database,
    plan_code: str,
    out_dir: Path,
    *,
    only: Iterable[str] | None = None,
    settings: PrintSettings | None = None,
    progress: Progress | None = None,
    zip_folder: bool = False,
) -> PrintManifest:
    """Make the plan's papers (one read session for the whole run) and remember the run
    for step 8's status. ``settings`` default to the stored ones."""
    with db.read() as session:
        manifest = print_run_in(
            session,
            plan_code,
            out_dir,
            only=only,
            settings=settings,
            progress=progress,
            zip_folder=zip_folder,
        )
    with db.unit_of_work() as session:
        record_run_in(
            session,
            LastRun(
                manifest.plan_code,
                str(manifest.folder),
                len(manifest.entries),
                manifest.pages,
                manifest.created,
                manifest.arrangement,
            ),
        )
    return manifest


def _write_manifest(folder: Path, manifest: PrintManifest) -> None:
    (folder / MANIFEST).write_text(
        json.dumps(manifest.to_plain(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    lines = [
        f"{manifest.plan_name}（{manifest.plan_code}）考务物料清单",
        f"生成时间：{manifest.created.replace('T', ' ')}",
        f"共 {len(manifest.entries)} 个文件，{manifest.pages} 页",
        "",
    ]
    for entry in manifest.entries:
        lines.append(f"{entry.file}\t{entry.pages} 页\t{entry.title}")
        for part in entry.parts:
            lines.append(f"    {part.title}\t{part.pages} 页")
    if manifest.empty:
        lines += ["", "没有内容、未生成文件：" + "、".join(manifest.empty)]
    (folder / LISTING).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")


def _replace_folder(staging: Path, target: Path) -> None:
    """Move ``staging`` to ``target``; the previous ``target`` goes only once the new one
    is in place (it stays as it was if the move fails)."""
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    os.chmod(staging, 0o755)  # mkdtemp made it private; the papers are the site's
    try:
        os.replace(staging, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def zip_up(folder: Path) -> Path:
    """``folder`` packed into ``<folder>.zip`` beside it (UTF-8 names, fixed times: the
    same files give the same zip)."""
    path = folder.with_name(folder.name + ".zip")
    with (
        atomic_path(path, suffix=".zip") as temporary,
        zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{file.relative_to(folder).as_posix()}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, file.read_bytes())
    return path


# --- what the page shows --------------------------------------------------------------


@dataclass(frozen=True)
class MaterialsView:
    """What the 物料 page shows of a plan: the stored settings, the last run (its manifest
    read back from its folder) and whether the seats changed after it."""

    settings: PrintSettings
    last: LastRun | None
    manifest: PrintManifest | None
    stale: bool


def materials_view(db: Database, plan_code: str) -> MaterialsView:
    with db.read() as session:
        settings = load_print_settings_in(session)
        last = last_runs_in(session).get(plan_code)
        stale = False
        if last is not None:
            plan = find_plan(session, plan_code)
            stale = arrangement_checksum(session, plan.id) != last.arrangement
    manifest = read_manifest(Path(last.folder)) if last is not None else None
    return MaterialsView(settings, last, manifest, stale)
