"""The bundle history (同步 page, ``export history``): every bundle written or read.

One ``BundleLog`` row per export (``written`` / ``dry_run``) and per import (``merged`` /
``imported`` / ``dry_run`` / ``refused``): when, which way, what kind, the file with its
SHA-256 and size, the plan, counts and a short summary. ``record_bundle_in`` writes a
row; ``bundle_history`` reads them newest first.

The four entry points hook in with one decorator line each, ``@logged(EXPORT_PLATFORM)``
and so on, so that their bodies stay theirs: the decorator records the result after the
call returns, in a small transaction of its own; an import refused with ``InputError``
(``BundleError`` is one) is recorded as ``refused`` with the reason's code and text, in
its own transaction, and the refusal is raised on unchanged. A log row that cannot be
written (a locked or full disk) is reported in the log file and never turns a finished
export or import into a failure.

Where the documents are silent: an import of a transfer bundle stopped by a conflict not
yet chosen writes nothing and is recorded as ``refused`` with ``bundle_log.conflicts_open``;
a refused export is not recorded (nothing left the PC, the page says why at once).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, ParamSpec, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from examsite import clock
from examsite.errors import InputError
from examsite.storage.db import Database
from examsite.storage.models import BundleLog

log = logging.getLogger(__name__)

EXPORT: Final = "export"
IMPORT: Final = "import"
WRITTEN: Final = "written"
MERGED: Final = "merged"
IMPORTED: Final = "imported"
DRY_RUN: Final = "dry_run"
REFUSED: Final = "refused"
OUTCOMES: Final = (WRITTEN, MERGED, IMPORTED, DRY_RUN, REFUSED)

PLATFORM_UPLOAD: Final = "platform-upload"
SITE_TRANSFER: Final = "site-transfer"
PLATFORM_SHEET: Final = "platform-sheet"  # one of the platform's exports, read back

# The hooks (``logged``'s argument).
EXPORT_PLATFORM: Final = "export_platform"
EXPORT_TRANSFER: Final = "export_transfer"
IMPORT_TRANSFER: Final = "import_transfer"
IMPORT_PLATFORM: Final = "import_platform"

DEFAULT_LIMIT: Final = 200
# The platform's exports (``platform_import.KINDS``' values) as the history names them.
SHEET_TITLES: Final[Mapping[str, str]] = {
    "arrangement": "排考明细",
    "statuses": "考生信息状态",
    "scores": "科目成绩",
    "results": "考证结果",
}


@dataclass(frozen=True)
class BundleEntry:
    """One bundle written or read (a ``BundleLog`` row)."""

    id: int
    at: dt.datetime
    direction: str
    kind: str
    outcome: str
    path: str
    sha256: str
    size_bytes: int
    plan: str
    counts: Mapping[str, int] = field(default_factory=dict)
    summary: Mapping[str, Any] = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return Path(self.path).name if self.path else ""

    @property
    def reason(self) -> str:
        """The refusal's message code ("" unless refused)."""
        return str(self.summary.get("reason", ""))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "direction": self.direction,
            "kind": self.kind,
            "outcome": self.outcome,
            "path": self.path,
            "file": self.file_name,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "plan": self.plan,
            "counts": dict(self.counts),
            "summary": dict(self.summary),
            "content": content_text(self),
        }


# --- writing and reading -------------------------------------------------------------------


def record_bundle_in(
    session: Session,
    direction: str,
    kind: str,
    outcome: str,
    path: Path | str | None,
    sha256: str,
    size_bytes: int,
    plan: str,
    counts: Mapping[str, int],
    summary: Mapping[str, Any],
) -> BundleEntry:
    """Add a history row in ``session`` (the caller's transaction) and return it."""
    if direction not in (EXPORT, IMPORT):
        raise ValueError(f"direction {direction!r}")
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome {outcome!r}")
    row = BundleLog(
        at=clock.now().replace(microsecond=0),
        direction=direction,
        kind=kind,
        outcome=outcome,
        path=str(path) if path else "",
        sha256=sha256,
        size_bytes=size_bytes,
        plan=plan or "",
        counts={k: int(v) for k, v in counts.items()},
        summary=dict(summary),
    )
    session.add(row)
    session.flush()
    return _entry(row)


def record_bundle(db: Database, **values: Any) -> BundleEntry:
    """``record_bundle_in`` in a transaction of its own."""
    with db.unit_of_work() as session:
        return record_bundle_in(session, **values)


def bundle_history_in(session: Session, limit: int = DEFAULT_LIMIT) -> tuple[BundleEntry, ...]:
    rows = session.scalars(
        select(BundleLog).order_by(BundleLog.at.desc(), BundleLog.id.desc()).limit(limit)
    )
    return tuple(_entry(row) for row in rows)


def bundle_history(db: Database, limit: int = DEFAULT_LIMIT) -> tuple[BundleEntry, ...]:
    """The last ``limit`` bundles written or read, newest first."""
    with db.read() as session:
        return bundle_history_in(session, limit)


def _entry(row: BundleLog) -> BundleEntry:
    return BundleEntry(
        row.id,
        row.at,
        row.direction,
        row.kind,
        row.outcome,
        row.path,
        row.sha256,
        row.size_bytes,
        row.plan,
        dict(row.counts or {}),
        dict(row.summary or {}),
    )


def file_facts(path: Path | str | None) -> tuple[str, int]:
    """The SHA-256 and size of the file at ``path`` ("" and 0 when there is none)."""
    if not path:
        return "", 0
    try:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        return digest, Path(path).stat().st_size
    except OSError:
        return "", 0


# --- the hooks -----------------------------------------------------------------------------


def _platform_export(result: Any, arguments: Mapping[str, Any]) -> dict[str, Any]:
    upload = result.plan
    target = result.path if result.path is not None else arguments.get("out")
    diff = upload.diff
    return {
        "direction": EXPORT,
        "kind": PLATFORM_UPLOAD,
        "outcome": DRY_RUN if result.dry_run else WRITTEN,
        "path": target,
        "file": None if result.dry_run else result.path,
        "plan": upload.plan_code,
        "counts": {k: v for k, v in upload.counts.items() if k != "held_back"},
        "summary": {
            "plan_name": upload.plan_name,
            "held_back": len(upload.held_back),
            "files": list(result.files),
            "added": len(diff.added),
            "changed": len(diff.changed),
            "withdrawn": len(diff.withdrawn),
        },
    }


def _transfer_export(result: Any, _arguments: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "direction": EXPORT,
        "kind": SITE_TRANSFER,
        "outcome": WRITTEN,
        "path": result.file,
        "file": result.file,
        "plan": result.plan,
        "counts": dict(result.counts),
        "summary": {
            "site": result.site,
            "sequence": result.sequence,
            "fingerprint": result.fingerprint,
            "photos": result.photos,
        },
    }


def _transfer_import(report: Any, _arguments: Mapping[str, Any]) -> dict[str, Any]:
    from examsite.messages import text

    added, updated = dict(report.added), dict(report.updated)
    summary: dict[str, Any] = {
        "site": report.site,
        "sequence": report.sequence,
        "paired": report.paired,
        "added": added,
        "updated": updated,
    }
    if report.dry_run:
        outcome = DRY_RUN
    elif report.applied:
        outcome = MERGED
    else:
        outcome = REFUSED
        summary["reason"] = "bundle_log.conflicts_open"
        summary["message"] = text("bundle_log.conflicts_open", count=len(report.unresolved))
    return {
        "direction": IMPORT,
        "kind": SITE_TRANSFER,
        "outcome": outcome,
        "path": report.file,
        "file": report.file,
        "plan": "",
        "counts": {
            "added": sum(added.values()),
            "updated": sum(updated.values()),
            "unchanged": report.unchanged,
            "photos_added": report.photos_added,
            "conflicts": len(report.conflicts),
            "refused": len(report.refused),
        },
        "summary": summary,
    }


def _platform_import(result: Any, arguments: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "direction": IMPORT,
        "kind": PLATFORM_SHEET,
        "outcome": DRY_RUN if result.dry_run else IMPORTED,
        "path": arguments.get("path"),
        "file": arguments.get("path"),
        "plan": arguments.get("plan_code") or "",
        "counts": {
            "rows": result.rows,
            "matched": result.matched,
            "changed": result.changed,
            "unchanged": result.unchanged,
            "problems": len(result.problems),
        },
        "summary": {"sheet": result.kind, "template": result.template},
    }


_Describe = Callable[[Any, Mapping[str, Any]], dict[str, Any]]
# hook → (describe the result, the kind and plan argument of a refused call, or None when
# a refusal is not recorded)
_HOOKS: Final[Mapping[str, tuple[_Describe, tuple[str, str] | None]]] = {
    EXPORT_PLATFORM: (_platform_export, None),
    EXPORT_TRANSFER: (_transfer_export, None),
    IMPORT_TRANSFER: (_transfer_import, (SITE_TRANSFER, "")),
    IMPORT_PLATFORM: (_platform_import, (PLATFORM_SHEET, "plan_code")),
}

P = ParamSpec("P")
R = TypeVar("R")


def logged(hook: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record each call of the decorated export or import in the bundle history."""
    describe, refusals = _HOOKS[hook]

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = bound.arguments
            db = arguments["db"]
            try:
                result = function(*args, **kwargs)
            except InputError as exc:
                if refusals is not None:
                    kind, plan_argument = refusals
                    _refused(db, kind, arguments, plan_argument, exc)
                raise
            _record(db, describe(result, arguments))
            return result

        return run

    return wrap


def _record(db: Database, values: Mapping[str, Any]) -> None:
    sha256, size = file_facts(values["file"])
    try:
        record_bundle(
            db,
            direction=values["direction"],
            kind=values["kind"],
            outcome=values["outcome"],
            path=values["path"],
            sha256=sha256,
            size_bytes=size,
            plan=values["plan"],
            counts=values["counts"],
            summary=values["summary"],
        )
    except SQLAlchemyError:  # the bundle is done; only its line in the history is missing
        log.exception("could not record the bundle %s in the history", values["path"])


def _refused(
    db: Database,
    kind: str,
    arguments: Mapping[str, Any],
    plan_argument: str,
    error: InputError,
) -> None:
    path = arguments.get("path")
    plan = str(arguments.get(plan_argument) or "") if plan_argument else ""
    _record(
        db,
        {
            "direction": IMPORT,
            "kind": kind,
            "outcome": REFUSED,
            "path": path,
            "file": path,
            "plan": plan,
            "counts": {},
            "summary": {"reason": error.code, "message": error.message},
        },
    )


# --- what to say ---------------------------------------------------------------------------


def content_text(entry: BundleEntry) -> str:
    """The history's 内容 column: what the bundle held or did, or why it was refused."""
    from examsite.messages import text

    c, s = entry.counts, entry.summary
    if entry.outcome == REFUSED:
        return str(s.get("message") or s.get("reason") or "")
    if entry.kind == PLATFORM_UPLOAD:
        return text(
            "bundle_log.upload_content",
            candidates=c.get("candidates", 0),
            registrations=c.get("registrations", 0),
            photos=c.get("photos", 0),
            held=s.get("held_back", 0),
        )
    if entry.kind == SITE_TRANSFER and entry.direction == EXPORT:
        return text(
            "bundle_log.transfer_content",
            sequence=s.get("sequence", 0),
            candidates=c.get("candidate", 0),
            registrations=c.get("registration", 0),
            photos=s.get("photos", 0),
        )
    if entry.kind == SITE_TRANSFER:
        return text(
            "bundle_log.merge_content",
            sequence=s.get("sequence", 0),
            added=c.get("added", 0),
            updated=c.get("updated", 0),
            conflicts=c.get("conflicts", 0),
        )
    return text(
        "bundle_log.sheet_content",
        sheet=SHEET_TITLES.get(str(s.get("sheet")), str(s.get("sheet", ""))),
        rows=c.get("rows", 0),
        matched=c.get("matched", 0),
        changed=c.get("changed", 0),
    )


def direction_title(direction: str) -> str:
    return {EXPORT: "导出", IMPORT: "导入"}.get(direction, direction)


def kind_title(kind: str) -> str:
    return {PLATFORM_UPLOAD: "平台上传包", SITE_TRANSFER: "传输包", PLATFORM_SHEET: "平台数据"}.get(
        kind, kind
    )


def outcome_title(outcome: str) -> str:
    return {
        WRITTEN: "已写入",
        MERGED: "已合并",
        IMPORTED: "已导入",
        DRY_RUN: "试运行",
        REFUSED: "被拒绝",
    }.get(outcome, outcome)
