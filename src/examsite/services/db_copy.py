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

A target that already holds site data is refused unless ``merge``: then the source goes
through a transfer bundle (``services.transfer``) and the target merges it with the
transfer rules (``services.db_copy_merge``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Integer, Table, delete, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from examsite.errors import ExamsiteError, InputError, StorageError
from examsite.messages.system import reason
from examsite.progress import Progress
from examsite.services.db_checksum import PHOTO_TABLE, RowHasher, ordered_rows
from examsite.services.transfer_records import MergeReport
from examsite.storage.db import Database, shown_location, to_url
from examsite.storage.models import Base
from examsite.storage.network_paths import refuse_network_share, refuse_unc_text

log = logging.getLogger(__name__)

#: The tables the catalog (``services.catalog``) fills in a new database: rows there are
#: not the site's data, and a target holding only them is empty. Everything else counts.
CATALOG_TABLES: Final = frozenset(
    {"org", "certificate", "subject", "exam_plan", "plan_certificate", "exam_session"}
)
#: Rows copied (and read back) per batch: photos are ~100 KB each.
BATCH: Final = 500
#: ``--to`` words that mean the school server saved with ``server set``.
SAVED_SERVER_WORDS: Final = ("server", "服务器")
_PLAIN_SCHEMES: Final = ("postgresql", "postgres")


@dataclass(frozen=True)
class TableCheck:
    """One table after a copy: rows and checksum on each side."""

    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def equal(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum


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


# --- what the target holds ----------------------------------------------------------------


def tables_with_site_data(connection: Connection) -> list[str]:
    """The tables outside the catalog that hold rows (none: the database is empty)."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name in CATALOG_TABLES:
            continue
        if connection.execute(select(table).limit(1)).first() is not None:
            found.append(table.name)
    return found


def site_data_in(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return tables_with_site_data(connection)


# --- the copy -----------------------------------------------------------------------------


def copy_tables_in(
    source: Connection, target: Connection, progress: Progress, total: int
) -> list[TableCheck]:
    """Copy every table from ``source`` into the empty ``target`` (in the callers'
    transactions), then read the target back and compare; the checks, table by table.
    Raises ``ExamsiteError`` (db_copy.mismatch) on any difference."""
    tables = Base.metadata.sorted_tables
    for table in reversed(tables):  # the catalog the target may hold, children first
        target.execute(delete(table))
    done = 0
    copied: dict[str, RowHasher] = {}
    for table in tables:
        hasher = RowHasher.of(table)
        for batch in _batches(source, table):
            progress.check_cancelled()
            hasher.add_all(batch)
            insert_batch(target, table, rows_to_insert(table, batch))
            done += len(batch)
            progress.step(done, total, f"复制 {table.name}")
        copied[table.name] = hasher
    if target.dialect.name == "postgresql":
        reset_sequences(target, tables)
    checks = []
    for table in tables:
        mine = copied[table.name]
        theirs = RowHasher.of(table)
        for batch in _batches(target, table):
            progress.check_cancelled()
            theirs.add_all(batch)
            done += len(batch)
            progress.step(done, total, f"核对 {table.name}")
        check = TableCheck(table.name, mine.count, theirs.count, mine.checksum, theirs.checksum)
        if not check.equal:
            raise ExamsiteError(
                "db_copy.mismatch",
                table=table.name,
                source_rows=check.source_rows,
                target_rows=check.target_rows,
            )
        if table.name == PHOTO_TABLE:
            differ = sorted(k for k, v in mine.photos.items() if theirs.photos.get(k) != v)
            if differ or len(theirs.photos) != len(mine.photos):
                raise ExamsiteError("db_copy.photo_mismatch", ids=_listed(differ))
        checks.append(check)
    progress.step(total, total, "核对完成")
    return checks


def rows_to_insert(table: Table, batch: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of ``batch`` as the target's INSERT takes them (values as read)."""
    return [dict(row) for row in batch]


def insert_batch(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` (every column given, ids too) with the driver's own
    ``executemany``: the statement compiled once and only the columns' bind processors
    applied (as ``storage.bulk`` does), several times faster than Core's executemany."""
    if not rows:
        return
    names = [c.name for c in table.columns]
    dialect = connection.dialect
    statement = insert(table).compile(dialect=dialect, column_keys=names)
    processors = [table.columns[n].type._cached_bind_processor(dialect) for n in names]
    # None stays SQL NULL in a nullable column (a JSON processor would write JSON null,
    # which reads back the same but no longer ``IS NULL``); a NOT NULL one takes the
    # processor's value for None, as the program writes it.
    keep_null = [table.columns[n].nullable for n in names]
    order = [names.index(key) for key in statement.positiontup or names]
    params: list[Any] = []
    for row in rows:
        values = []
        for at in order:
            value = row[names[at]]
            processor = processors[at]
            if processor is not None and not (value is None and keep_null[at]):
                value = processor(value)
            values.append(value)
        if statement.positiontup is not None:
            params.append(tuple(values))
        else:
            params.append(dict(zip([names[at] for at in order], values, strict=True)))
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(str(statement), params)
    finally:
        cursor.close()


def _batches(connection: Connection, table: Table) -> Iterator[Sequence[Any]]:
    batch: list[Any] = []
    for row in ordered_rows(connection, table, BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _listed(ids: Sequence[Any]) -> str:
    shown = "、".join(str(i) for i in ids[:10])
    return shown + ("等" if len(ids) > 10 else "")


def reset_sequences(connection: Connection, tables: Sequence[Table]) -> None:
    """Move each id sequence past the highest id (PostgreSQL): the next insert gets the
    next free id, not one a copied row holds."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0]
        highest = connection.scalar(select(func.max(column)))
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :value, :called)"),
            {
                "table": table.name,
                "column": column.name,
                "value": highest or 1,
                "called": highest is not None,
            },
        )


def count_all(connection: Connection) -> int:
    return sum(
        connection.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    )


@contextlib.contextmanager
def snapshot(database: Database) -> Iterator[Connection]:
    """A connection that reads one consistent state of ``database`` for the whole copy
    (SQLite: a read transaction; PostgreSQL: REPEATABLE READ) and writes nothing."""
    with database.engine.connect() as connection:
        if database.is_sqlite:
            connection.exec_driver_sql("BEGIN")
        else:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            connection.begin()
        try:
            yield connection
        finally:
            connection.rollback()


def copy_into(source: Database, target: Database, progress: Progress) -> list[TableCheck]:
    """Copy ``source`` into the (site-empty) ``target`` in one target transaction; checks
    the target is still empty under its write lock. All or nothing."""
    with snapshot(source) as reading, target.unit_of_work() as session:
        writing = session.connection()
        holds = tables_with_site_data(writing)
        if holds:
            raise InputError(
                "db_copy.target_has_data", target=_label(target.url), tables=_listed(holds)
            )
        if target.is_sqlite:
            writing.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        total = 2 * count_all(reading)
        return copy_tables_in(reading, writing, progress, total)


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
    holds = _existing_site_data(url, path)
    if holds:
        if not merge:
            raise InputError("db_copy.target_has_data", target=_label(url), tables=_listed(holds))
        from examsite.services.db_copy_merge import merge_into

        report = merge_into(source, url, pair=pair, resolutions=resolutions, progress=progress)
        return CopyResult(
            _label(source.url),
            _label(url),
            "merge",
            time.perf_counter() - started,
            merge=report,
            target_file=str(path) if path else None,
            holds=tuple(holds),
        )
    if path is not None:
        checks = _copy_to_file(source, path, progress)
    else:
        target = Database.open(url)
        try:
            checks = copy_into(source, target, progress)
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
    try:
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
            checks = copy_into(source, target, progress)
            with target.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()
        _refuse_open_file(path)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
        _sync_folder(path.parent)
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


def _sync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder to fsync it; NTFS logs the rename itself
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _label(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or url
    return shown_location(url)
