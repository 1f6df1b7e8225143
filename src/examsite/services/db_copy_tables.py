"""The table-by-table copy under ``db copy`` (``services.db_copy``): every table of the
models in foreign-key order, batch by batch, into the target's one transaction; the id
sequences reset on PostgreSQL; the target read back and compared with the source rows as
they were copied (``services.db_checksum``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, Integer, Table, delete, func, insert, select, text

from examsite.errors import ExamsiteError, InputError
from examsite.messages.db_copy import table_title
from examsite.progress import Progress
from examsite.services.db_checksum import PHOTO_TABLE, RowHasher, ordered_rows
from examsite.storage.db import Database
from examsite.storage.models import Base
from examsite.storage.registration_freeze import suspended

#: The tables the catalog (``services.catalog``) fills in a new database: rows there are
#: not the site's data, and a target holding only them is empty. Everything else counts.
CATALOG_TABLES: Final = frozenset(
    {"org", "certificate", "subject", "exam_plan", "plan_certificate", "exam_session"}
)
#: Rows copied (and read back) per batch: photos are ~100 KB each.
BATCH: Final = 500


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
        if table.name == PHOTO_TABLE:  # first: it names the photos, not only the table
            differ = sorted(k for k, v in mine.photos.items() if theirs.photos.get(k) != v)
            if differ:
                raise ExamsiteError("db_copy.photo_mismatch", ids=listed(differ))
        check = TableCheck(table.name, mine.count, theirs.count, mine.checksum, theirs.checksum)
        if not check.equal:
            raise ExamsiteError(
                "db_copy.mismatch",
                table=table.name,
                source_rows=check.source_rows,
                target_rows=check.target_rows,
            )
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


def titled(tables: Sequence[str]) -> str:
    """Tables by their Chinese titles, for a message."""
    return "、".join(table_title(name) for name in tables)


def listed(ids: Sequence[Any]) -> str:
    shown = "、".join(str(i) for i in ids[:10])
    return shown + ("等" if len(ids) > 10 else "")


def fast_toast(connection: Connection) -> None:
    """Store this transaction's large values (the photos) with LZ4 where the server has it
    (PostgreSQL 14+): the photos are JPEGs that do not compress, and the default pglz
    spends four times as long finding that out. Nothing in the schema changes; values
    written later by the program take the server's default again."""
    offered = connection.scalar(
        text(
            "SELECT count(*) FROM pg_settings"
            " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
    )
    if offered:
        connection.exec_driver_sql("SET LOCAL default_toast_compression = 'lz4'")


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


def copy_into(
    source: Database, target: Database, progress: Progress, label: str
) -> list[TableCheck]:
    """Copy ``source`` into the (site-empty) ``target`` in one target transaction; checks
    the target is still empty under its write lock. All or nothing. The registrations are
    copied whatever their plan's deadline (the triggers of the freeze suspended within
    the transaction: nobody else sees them off)."""
    with snapshot(source) as reading, target.unit_of_work() as session:
        writing = session.connection()
        holds = tables_with_site_data(writing)
        if holds:
            raise InputError("db_copy.target_has_data", target=label, tables=titled(holds))
        if target.is_sqlite:
            writing.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        else:
            fast_toast(writing)
        total = 2 * count_all(reading)
        # A whole site copied as it is, frozen registrations too: the freeze's triggers
        # are off inside this transaction only (``registration_freeze.suspended``).
        with suspended(writing):
            return copy_tables_in(reading, writing, progress, total)
