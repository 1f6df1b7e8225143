"""Backup files on disk: where they live, what their names say, whether a SQLite file is
sound.

Low-level and free of the services, so that opening a database (``storage.db``) can name
the last good backup when the file fails its check. The use cases (making, listing and
restoring backups) are in ``services.backup``.

A backup is named ``<database stem>-<YYYYMMDD-HHMMSS>-<kind>[-<reason>].db``: the kind is
``manual`` (made by hand, never pruned), ``auto`` (before an import, a merge, once a day;
the last N are kept) or ``before-restore`` (what a restore replaced; never pruned).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from examsite.paths import data_dir
from examsite.storage import cipher

KIND_MANUAL = "manual"
KIND_AUTO = "auto"
KIND_BEFORE_RESTORE = "before-restore"
KINDS = (KIND_MANUAL, KIND_AUTO, KIND_BEFORE_RESTORE)
TIME_FORMAT = "%Y%m%d-%H%M%S"

_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<time>\d{8}-\d{6})(?:-(?P<n>\d+))?-"
    r"(?P<kind>manual|auto|before-restore)(?:-(?P<reason>[a-z0-9_]+))?\.db$"
)


def backups_dir() -> Path:
    """The default folder of backups: ``data_dir()/backups``."""
    return data_dir() / "backups"


@dataclass(frozen=True)
class BackupName:
    """What a backup's file name says."""

    stem: str
    created: dt.datetime
    kind: str
    reason: str | None


def backup_file_name(
    stem: str, created: dt.datetime, kind: str, reason: str | None = None, n: int = 0
) -> str:
    """``site-20261220-090000-auto-daily.db``; ``n`` tells apart two made in one second."""
    extra = f"-{n}" if n else ""
    tail = f"-{reason}" if reason else ""
    return f"{stem}-{created.strftime(TIME_FORMAT)}{extra}-{kind}{tail}.db"


def parse_backup_name(name: str) -> BackupName | None:
    """What ``name`` says, or None when it is not a backup's name."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        created = dt.datetime.strptime(match["time"], TIME_FORMAT)
    except ValueError:
        return None
    return BackupName(match["stem"], created, match["kind"], match["reason"])


def backups_of(stem: str, folder: Path | None = None) -> list[tuple[Path, BackupName]]:
    """The backups of the database named ``stem`` in ``folder``, oldest first."""
    folder = backups_dir() if folder is None else folder
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        parsed = parse_backup_name(path.name)
        if parsed is not None and parsed.stem == stem and path.is_file():
            found.append((path, parsed))
    found.sort(key=lambda item: (item[1].created, item[0].name))
    return found


def check_sqlite_file(path: Path, *, quick: bool = False, key: bytes | None = None) -> list[str]:
    """What ``PRAGMA integrity_check`` (``quick_check`` with ``quick``) finds wrong with
    the SQLite file at ``path``: nothing when it is sound. A file SQLite cannot read at all
    gives its error as the one problem. An encrypted file is read with ``key`` or the
    remembered key of its sidecar (``storage.cipher``)."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        connection = cipher.connect(path, key=key, timeout=30)
        try:
            rows = connection.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            connection.close()
    except cipher.DATABASE_ERRORS as exc:
        return [str(exc)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def last_good_backup(stem: str, folder: Path | None = None) -> tuple[Path, BackupName] | None:
    """The newest backup of ``stem`` that passes ``quick_check``, if any."""
    for path, parsed in reversed(backups_of(stem, folder)):
        if not check_sqlite_file(path, quick=True):
            return path, parsed
    return None


#: The tables whose rows a backup's summary counts: candidates, registrations, seats.
SQLITE_TABLES = ("candidate", "registration", "seat")
