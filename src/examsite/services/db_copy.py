"""Moving a whole site between databases: ``db copy`` (issue 12, "Moving a site").

A SQLite file to the school's PostgreSQL server and back (the server to a SQLite file for
an exam day on a PC without the LAN). The copy:

- opens the target (migrated to head, as every open does) and, in ONE transaction holding
  its write lock, empties the catalog the target may hold (nothing else: a target with
  site data is refused before), then copies every table of the models in foreign-key
  order (``Base.metadata.sorted_tables``), batch by batch, primary keys as they are;
- on PostgreSQL moves each table's id sequence past the highest id copied, so later
  inserts work;
- reads the target back in the same transaction and compares, table by table, the row
  count and the checksum (``services.db_checksum``, computed the same way from the source
  rows as they were copied) and each photo's SHA-256; any difference rolls everything
  back and names the table;
- a SQLite target is built in a temporary file beside it and renamed over it only when
  verified: a pulled stick or a failure leaves the old file (or nothing), never half a
  copy. A file on a network share is refused.

The table copy itself is ``services.db_copy_tables``. A target that already holds site
data is refused unless ``merge``: then the source goes through a transfer bundle
(``services.transfer``) and the target merges it with the transfer rules
(``services.db_copy_merge``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from examsite.errors import InputError, StorageError
from examsite.messages.system import reason
from examsite.progress import Progress
from examsite.services.bundle_encryption import site_is_encrypted
from examsite.services.db_checksum import PHOTO_TABLE
from examsite.services.db_copy_tables import TableCheck, copy_into, site_data_in, titled
from examsite.services.disclosure import record_full_ids_in
from examsite.services.transfer_records import MergeReport
from examsite.storage.db import Database, count_rows, shown_location, to_url
from examsite.storage.durable import fsync_folder
from examsite.storage.models import Candidate
from examsite.storage.network_paths import refuse_network_share, refuse_unc_text

log = logging.getLogger(__name__)

#: ``--to`` words that mean the school server saved with ``server set``.
SAVED_SERVER_WORDS: Final = ("server", "服务器")
_PLAIN_SCHEMES: Final = ("postgresql", "postgres")


@dataclass(frozen=True)
class CopyResult:
    """What ``copy_database`` did: ``mode`` "copy" (tables and their checks) or "merge"
    (the transfer merge's report)."""

    source: str
    target: str
    mode: str
    seconds: float
    tables: tuple[TableCheck, ...] = ()
    photos: int = 0
    photos_equal: bool = True
    merge: MergeReport | None = None
    target_file: str | None = None
    holds: tuple[str, ...] = field(default=())

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)


# --- where to -----------------------------------------------------------------------------


def target_url(text_or_path: str | Path) -> str:
    """The SQLAlchemy URL of ``--to``: a file path, a ``postgresql+psycopg://`` URL, a
    plain ``postgresql://`` one (given the psycopg driver), or "server" for the school
    server saved with ``server set`` (with its stored password)."""
    given = str(text_or_path).strip()
    if given.lower() in SAVED_SERVER_WORDS:
        from examsite.services import server_settings

        settings = server_settings.load()
        if settings is None:
            raise InputError("server.not_set")
        return server_settings.url_with_stored_password(settings)
    if "://" not in given:
        refuse_unc_text(given)
        return to_url(given)
    scheme, rest = given.split("://", 1)
    if scheme.lower() in _PLAIN_SCHEMES:
        given = f"postgresql+psycopg://{rest}"
    try:
        backend = make_url(given).get_backend_name()
    except ArgumentError as exc:
        raise InputError("db_copy.bad_target", target=shown_location(given)) from exc
    if backend not in ("sqlite", "postgresql"):
        raise InputError("db_copy.bad_target", target=shown_location(given))
    return given


def same_database(first: str, second: str) -> bool:
    """Whether two URLs name one database: the same file, or the same server and database
    (whoever connects)."""
    a, b = make_url(first), make_url(second)
    if a.get_backend_name() != b.get_backend_name():
        return False
    if a.get_backend_name() == "sqlite":
        pa, pb = Path(a.database or ""), Path(b.database or "")
        if pa.exists() and pb.exists():
            return pa.samefile(pb)
        return pa.resolve() == pb.resolve()
    host = (a.host or "localhost", a.port or 5432, a.database)
    return host == (b.host or "localhost", b.port or 5432, b.database)


# --- the use case -------------------------------------------------------------------------


def copy_database(
    source: Database,
    to: str | Path,
    *,
    merge: bool = False,
    pair: bool = False,
    resolutions: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> CopyResult:
    """Copy the site in ``source`` to ``to`` (a file path or a server URL), verified table
    by table; a target holding site data is refused unless ``merge`` (see the module)."""
    progress = progress or Progress()
    started = time.perf_counter()
    url = target_url(to)
    if same_database(source.url, url):
        raise InputError("db_copy.same_database", target=_label(url))
    is_file = make_url(url).get_backend_name() == "sqlite"
    path = Path(make_url(url).database or "") if is_file else None
    if path is not None:
        refuse_network_share(path)
        if site_is_encrypted(source):
            # A plain copy of an encrypted site would undo its encryption (issue 13).
            raise InputError("db_copy.encrypted_source", target=_label(url))
    holds = _existing_site_data(url, path)
    if holds:
        if not merge:
            raise InputError("db_copy.target_has_data", target=_label(url), tables=titled(holds))
        from examsite.services.db_copy_merge import merge_into

        report = merge_into(
            source, url, label=_label(url), pair=pair, resolutions=resolutions, progress=progress
        )
        return CopyResult(
            _label(source.url),
            _label(url),
            "merge",
            time.perf_counter() - started,
            merge=report,
            target_file=str(path) if path else None,
            holds=tuple(holds),
        )
    # Logged before the data leaves, so that the copy carries its own entry (and the
    # source and the copy compare equal, audit log included).
    with source.unit_of_work() as session:
        people = count_rows(session, Candidate)
        record_full_ids_in(session, "export", "db_copy", _label(url), people)
    if path is not None:
        checks = _copy_to_file(source, path, progress)
    else:
        target = Database.open(url)
        try:
            checks = copy_into(source, target, progress, _label(target.url))
        finally:
            target.close()
    photos = next((c.target_rows for c in checks if c.table == PHOTO_TABLE), 0)
    log.info(
        "copied %s to %s: %d rows",
        _label(source.url),
        _label(url),
        sum(c.target_rows for c in checks),
    )
    return CopyResult(
        _label(source.url),
        _label(url),
        "copy",
        time.perf_counter() - started,
        tuple(checks),
        photos=photos,
        target_file=str(path) if path else None,
    )


def _existing_site_data(url: str, path: Path | None) -> list[str]:
    """The target's tables with site data; a file that does not exist yet holds none (and
    is not made here)."""
    if path is not None and (not path.exists() or path.stat().st_size == 0):
        return []
    target = Database.open(url)
    try:
        return site_data_in(target)
    finally:
        target.close()


def _copy_to_file(source: Database, path: Path, progress: Progress) -> list[TableCheck]:
    """Build the copy in a temporary file beside ``path``; renamed over it when verified."""
    _refuse_open_file(path)  # before the work, and again before the rename
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".copying", dir=path.parent)
    except OSError as exc:
        raise StorageError(
            "db_copy.cannot_write", folder=str(path.parent), reason=reason(exc)
        ) from exc
    os.close(handle)
    temporary = Path(name)
    try:
        target = Database.open(temporary)
        try:
            checks = copy_into(source, target, progress, _label(target.url))
            with target.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()
        _refuse_open_file(path)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
        fsync_folder(path.parent)
        return checks
    except OSError as exc:
        raise StorageError(
            "db_copy.cannot_write", folder=str(path.parent), reason=reason(exc)
        ) from exc
    finally:
        for leftover in (temporary, *_sidecars(temporary)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _refuse_open_file(path: Path) -> None:
    """A target whose write-ahead log holds pages is open (or was left) by another
    program: renaming a new file under it would mix the two."""
    wal = _sidecars(path)[0]
    if wal.exists() and wal.stat().st_size > 0:
        raise StorageError("db_copy.target_in_use", path=str(path))


def _label(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or url
    return shown_location(url)
