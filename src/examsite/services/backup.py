"""Backups of the site's database: made while the program runs, verified, kept, restored.

- ``create_backup(db, out=None)``: a consistent copy made with SQLite's online backup API
  (other connections may go on writing), checked with ``PRAGMA integrity_check`` before it
  is kept (a copy that fails is deleted and refused), written under a temporary name and
  renamed into place; by default in ``data_dir()/backups`` named after the database and
  the time.
- ``auto_backup(db, reason)``: the same, before an import or a bundle merge and once a
  day on start (``daily_backup_if_due``); of these automatic copies the last N are kept
  (setting ``backup.keep_auto``, default 10), hand-made ones are never pruned.
- ``list_backups(db)``: the backups of this database with what each holds.
- ``restore_backup(db_path, backup)``: verifies the backup, keeps a copy of what it
  replaces, puts the backup in place. No connection to ``db_path`` may be open: the window
  closes its database first and opens it again after.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from examsite import clock
from examsite.errors import InputError, StorageError
from examsite.messages.system import reason as os_reason
from examsite.storage import cipher
from examsite.storage.backups import (
    KIND_AUTO,
    KIND_BEFORE_RESTORE,
    KIND_MANUAL,
    SQLITE_TABLES,
    backup_file_name,
    backups_dir,
    backups_of,
    check_sqlite_file,
    parse_backup_name,
)
from examsite.storage.db import SQLITE_HEADER, Database, shown_location
from examsite.storage.durable import fsync_folder
from examsite.storage.models import Setting

log = logging.getLogger(__name__)

#: The setting that says how many automatic backups are kept.
KEEP_AUTO_SETTING = "backup.keep_auto"
DEFAULT_KEEP_AUTO = 10
#: Why an automatic backup was made (the last part of its name).
REASON_DAILY = "daily"
REASON_IMPORT = "import"
REASON_MERGE = "merge"
REASONS = (REASON_DAILY, REASON_IMPORT, REASON_MERGE)


@dataclass(frozen=True)
class BackupCounts:
    """What a copy holds."""

    candidates: int
    registrations: int
    seats: int


@dataclass(frozen=True)
class BackupInfo:
    """One backup file."""

    path: Path
    created: dt.datetime
    size: int
    kind: str  # manual, auto, before-restore (or "" for a file not named by us)
    reason: str | None
    counts: BackupCounts | None  # None when the copy cannot be read


@dataclass(frozen=True)
class RestoreInfo:
    """What a restore did."""

    database: Path
    backup: BackupInfo
    replaced: BackupInfo | None  # the copy of what was replaced (None: there was nothing)


# -- making a backup ----------------------------------------------------------------------


def create_backup(
    db: Database,
    out: Path | None = None,
    *,
    kind: str = KIND_MANUAL,
    reason: str | None = None,
    folder: Path | None = None,
) -> BackupInfo:
    """A verified copy of ``db`` at ``out`` (or in ``folder``, by default ``backups_dir()``).

    Made with SQLite's online backup API, so the program (and others) may write meanwhile:
    the copy is the database as one moment saw it. Refused (``InputError``) when ``out``
    exists; a copy that fails ``integrity_check`` is deleted (``StorageError``).
    """
    source = _file_of(db)
    return _backup_file(source, out, kind=kind, reason=reason, folder=folder)


def _backup_file(
    source: Path,
    out: Path | None,
    *,
    kind: str,
    reason: str | None,
    folder: Path | None,
) -> BackupInfo:
    created = clock.now()
    if out is None:
        target = _free_name(folder or backups_dir(), source.stem, created, kind, reason)
    else:
        target = out.expanduser().resolve()
        if target.exists():
            raise InputError("backup.target_exists", file=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError("backup.cannot_write", file=str(target), reason=os_reason(exc)) from exc
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    key = cipher.key_of_file(source)  # an encrypted site's backup: encrypted, same key
    try:
        _copy_database(source, partial) if key is None else _copy_keyed(source, partial, key)
        problems = check_sqlite_file(partial, key=key)
        if problems:
            log.error("backup copy of %s fails integrity_check: %s", source, problems[:5])
            raise StorageError("backup.copy_damaged", file=str(source), detail=problems[0])
        counts = read_counts(partial, key=key)
        _fsync(partial)
        # Its size before it is in place: another program's pruning may delete it at once.
        size = partial.stat().st_size
        if key is not None:  # its key wraps go first: a backup never lies without them
            _copy_keys(source, partial)
            os.replace(cipher.keys_path(partial), cipher.keys_path(target))
        os.replace(partial, target)
        fsync_folder(target.parent)
    except OSError as exc:
        raise StorageError("backup.cannot_write", file=str(target), reason=os_reason(exc)) from exc
    finally:
        for leftover in (partial, cipher.keys_path(partial)):
            with contextlib.suppress(OSError):
                leftover.unlink()
    log.info("backup of %s written to %s (%s)", source, target, kind)
    return BackupInfo(target, created, size, kind, reason, counts)


def _copy_keyed(source: Path, target: Path, key: bytes) -> None:
    """``_copy_database`` of an encrypted site: both files SQLCipher under ``key``."""
    _copy_database(source, target, key)


def _copy_database(source: Path, target: Path, key: bytes | None = None) -> None:
    """Copy the database at ``source`` to ``target`` with SQLite's online backup API; the
    copy is a single file (no write-ahead log). With ``key`` both are SQLCipher files
    under that key (the copy is encrypted as the site is)."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    src = cipher.connect(source, key=key, timeout=30)
    try:
        dest = cipher.connect(target, key=key)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
            dest.commit()
        finally:
            dest.close()
    except cipher.DATABASE_ERRORS as exc:
        raise StorageError("backup.copy_failed", file=str(source), reason=str(exc)) from exc
    finally:
        src.close()


def _copy_keys(source: Path, target: Path) -> None:
    """The key sidecar of ``source`` copied beside ``target`` (flushed to disk)."""
    shutil.copyfile(cipher.keys_path(source), cipher.keys_path(target))
    _fsync(cipher.keys_path(target))


def _free_name(
    folder: Path, stem: str, created: dt.datetime, kind: str, reason: str | None
) -> Path:
    for n in range(1000):
        path = folder / backup_file_name(stem, created, kind, reason, n)
        if not path.exists():
            return path
    raise StorageError("backup.cannot_write", file=str(folder), reason="同一秒内的备份过多")


def auto_backup(db: Database, reason: str, *, folder: Path | None = None) -> BackupInfo | None:
    """An automatic backup of ``db`` before ``reason`` (``"import"``, ``"merge"`` or
    ``"daily"``), then the automatic backups beyond the last N (setting ``backup.keep_auto``)
    are deleted. None for a database that is not a file (nothing to copy)."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    if db.file_path is None:
        return None
    info = create_backup(db, kind=KIND_AUTO, reason=reason, folder=folder)
    prune_auto_backups(db, folder=folder)
    return info


def daily_backup_if_due(db: Database, *, folder: Path | None = None) -> BackupInfo | None:
    """The day's automatic backup, when this database has none of today (``clock.now()``)
    yet; None otherwise."""
    path = db.file_path
    if path is None:
        return None
    today = clock.now().date()
    for _file, name in backups_of(path.stem, folder):
        if name.kind == KIND_AUTO and name.reason == REASON_DAILY and name.created.date() == today:
            return None
    return auto_backup(db, REASON_DAILY, folder=folder)


def keep_auto(db: Database) -> int:
    """How many automatic backups are kept (setting ``backup.keep_auto``, default 10)."""
    with db.read() as session:
        value = session.scalar(select(Setting.value).where(Setting.key == KEEP_AUTO_SETTING))
    try:
        return max(1, int(value)) if value is not None else DEFAULT_KEEP_AUTO
    except ValueError:
        return DEFAULT_KEEP_AUTO


def set_keep_auto(db: Database, count: int) -> None:
    """Keep the last ``count`` automatic backups from now on."""
    if count < 1:
        raise InputError("backup.bad_keep", count=count)
    with db.unit_of_work() as session:
        session.merge(Setting(key=KEEP_AUTO_SETTING, value=str(count)))


def prune_auto_backups(db: Database, *, folder: Path | None = None) -> list[Path]:
    """Delete this database's automatic backups beyond the newest N; the deleted files."""
    path = _file_of(db)
    autos = [file for file, name in backups_of(path.stem, folder) if name.kind == KIND_AUTO]
    doomed = autos[: max(0, len(autos) - keep_auto(db))]
    for file in doomed:
        try:
            file.unlink()
            cipher.keys_path(file).unlink(missing_ok=True)
        except OSError:
            log.warning("could not delete the old backup %s", file, exc_info=True)
    return doomed


# -- listing ------------------------------------------------------------------------------


def list_backups(db: Database | Path, *, folder: Path | None = None) -> list[BackupInfo]:
    """The backups of ``db`` (an open database or its file, which is not opened: a damaged
    one can list its backups) in ``folder`` (default ``backups_dir()``), newest first,
    each with what it holds (read from the copy)."""
    path = db if isinstance(db, Path) else _file_of(db)
    return [backup_info(file) for file, _name in reversed(backups_of(path.stem, folder))]


def backup_info(path: Path) -> BackupInfo:
    """What the backup at ``path`` is and holds (its name, else its file's time)."""
    stat = path.stat()
    parsed = parse_backup_name(path.name)
    if parsed is None:
        created = dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
        kind, why = "", None
    else:
        created, kind, why = parsed.created, parsed.kind, parsed.reason
    try:
        counts: BackupCounts | None = read_counts(path)
    except cipher.DATABASE_ERRORS:
        counts = None
    return BackupInfo(path, created, stat.st_size, kind, why, counts)


def read_counts(path: Path, *, key: bytes | None = None) -> BackupCounts:
    """How many candidates, registrations and seats the database file at ``path`` holds
    (an encrypted one read with ``key`` or its remembered key)."""
    key = key if key is not None else cipher.key_of_file(path)
    if key is None:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        connection = cipher.connect_keyed(path, key)
    try:
        found = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        missing = set(SQLITE_TABLES) - found
        if missing:
            raise sqlite3.DatabaseError(f"no table {sorted(missing)[0]}")
        numbers = [
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in SQLITE_TABLES
        ]
    finally:
        connection.close()
    return BackupCounts(*numbers)


# -- restoring ----------------------------------------------------------------------------


def verify_backup(backup: Path) -> BackupInfo:
    """The backup at ``backup`` when it is a sound ExamSite database; ``InputError`` else."""
    backup = backup.expanduser().resolve()
    if not backup.is_file():
        raise InputError("backup.not_found", file=str(backup))
    try:
        with backup.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise InputError("backup.unreadable", file=str(backup), reason=os_reason(exc)) from exc
    if head != SQLITE_HEADER:
        if not cipher.is_encrypted(backup):
            raise InputError("backup.not_a_backup", file=str(backup))
        if cipher.key_of_file(backup) is None:  # keys.read_keyfile says what is wrong
            raise InputError("crypt.backup_locked", file=str(backup))
    problems = check_sqlite_file(backup)
    if problems:
        raise InputError("backup.damaged", file=str(backup), detail=problems[0])
    info = backup_info(backup)
    if info.counts is None:
        raise InputError("backup.not_a_backup", file=str(backup))
    return info


def restore_backup(db_path: Path, backup: Path, *, folder: Path | None = None) -> RestoreInfo:
    """Put the backup at ``backup`` in place of the database at ``db_path``.

    The backup is verified first (a damaged one is refused, nothing changes); what is
    replaced is kept as a ``before-restore`` backup (never pruned). No connection to
    ``db_path`` may be open (close the ``Database`` first, open it again after).
    """
    db_path = db_path.expanduser().resolve()
    info = verify_backup(backup)
    if info.path == db_path:
        raise InputError("backup.same_file", file=str(db_path))
    replaced = _keep_replaced(db_path, folder) if _has_content(db_path) else None
    incoming = db_path.with_name(f"{db_path.name}.{os.getpid()}.restoring")
    key = cipher.key_of_file(info.path)  # an encrypted backup: restored with its wraps
    try:
        if key is None:
            _copy_database(info.path, incoming)
        else:
            _copy_keyed(info.path, incoming, key)
        problems = check_sqlite_file(incoming, key=key)
        if problems:
            raise StorageError("backup.copy_damaged", file=str(info.path), detail=problems[0])
        _fsync(incoming)
        # A write-ahead log left by the replaced file would be applied to the backup.
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                db_path.with_name(db_path.name + suffix).unlink()
        if key is not None:
            _copy_keys(info.path, incoming)
            os.replace(cipher.keys_path(incoming), cipher.keys_path(db_path))
        os.replace(incoming, db_path)
        if key is None:  # a plain backup: the site is plain again, its old wraps go
            cipher.keys_path(db_path).unlink(missing_ok=True)
        fsync_folder(db_path.parent)
    except OSError as exc:
        raise StorageError(
            "backup.cannot_restore", file=str(db_path), reason=os_reason(exc)
        ) from exc
    finally:
        for leftover in (incoming, cipher.keys_path(incoming)):
            with contextlib.suppress(OSError):
                leftover.unlink()
    log.info("database %s restored from %s (replaced kept in %s)", db_path, info.path, replaced)
    return RestoreInfo(db_path, info, replaced)


def _has_content(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def _keep_replaced(db_path: Path, folder: Path | None) -> BackupInfo:
    """A copy of the database about to be replaced: through SQLite when it can read it,
    else the raw file (and its write-ahead log), as it is — even a damaged one."""
    try:
        return _backup_file(db_path, None, kind=KIND_BEFORE_RESTORE, reason=None, folder=folder)
    except StorageError:
        log.warning("copying %s through SQLite failed; keeping the raw file", db_path)
    created = clock.now()
    target = _free_name(folder or backups_dir(), db_path.stem, created, KIND_BEFORE_RESTORE, None)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db_path, target)
        if cipher.keys_path(db_path).is_file():  # an encrypted file keeps its wraps
            shutil.copyfile(cipher.keys_path(db_path), cipher.keys_path(target))
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    except OSError as exc:
        raise StorageError("backup.cannot_write", file=str(target), reason=os_reason(exc)) from exc
    return backup_info(target)


# -- helpers ------------------------------------------------------------------------------


def _file_of(db: Database) -> Path:
    path = db.file_path
    if path is None:
        raise not_a_file(db.url)
    return path


def not_a_file(url: str) -> InputError:
    """Why the database at ``url`` has no backups here: a school server's are made by its
    IT staff with ``pg_dump`` (``backup.on_server``); anything else is not a file."""
    from examsite.services.server_settings import server_label

    if make_url(url).get_backend_name() != "sqlite":
        return InputError("backup.on_server", server=server_label(url))
    return InputError("backup.not_a_file", url=shown_location(url))


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


# -- what to say --------------------------------------------------------------------------


def holds_text(info: BackupInfo) -> str:
    """ "考生 200 人，报考 380 条，座位 380 个" (or that it cannot be read)."""
    from examsite.messages import text

    if info.counts is None:
        return text("backup.holds_unknown")
    c = info.counts
    return text(
        "backup.holds", candidates=c.candidates, registrations=c.registrations, seats=c.seats
    )


def size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


def created_text(info: BackupInfo) -> str:
    from examsite.messages import text

    return text("backup.created", file=info.path, size=size_text(info.size), holds=holds_text(info))


def confirm_text(database: Path, info: BackupInfo) -> str:
    from examsite.messages import text

    return text(
        "backup.confirm_restore",
        file=info.path.name,
        time=f"{info.created:%Y-%m-%d %H:%M}",
        holds=holds_text(info),
        database=database,
    )


def restored_text(result: RestoreInfo) -> str:
    """What a restore did (the CLI and the window say the same)."""
    from examsite.messages import text

    backup = result.backup
    lines = [
        text(
            "backup.restored",
            time=f"{backup.created:%Y-%m-%d %H:%M}",
            file=backup.path.name,
            database=result.database,
            holds=holds_text(backup),
        )
    ]
    if result.replaced is not None:
        lines.append(text("backup.replaced_kept", file=result.replaced.path))
    return "\n".join(lines)
