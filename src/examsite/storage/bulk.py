"""Inserting and updating thousands of rows at once, for the imports and the arrangement.

SQLAlchemy's Core ``executemany`` spends most of an import's write time preparing each
row's parameters in general-purpose code. ``insert_rows`` compiles the INSERT once, applies
only the bind processors the table's types really have (JSON, dates, booleans, uids),
fills the columns' Python-side defaults, and hands plain tuples to the driver: SQLite's
``executemany``, PostgreSQL's ``COPY … FROM STDIN`` (one stream instead of a statement a
row, which even pipelined costs the server a parse-bind-execute each): the same values
SQLAlchemy would store, several times faster. ``update_rows`` changes thousands of rows
by key in one statement on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Table, bindparam, insert, update
from sqlalchemy.orm import Session

from examsite.storage.registration_freeze import refused_as_closed


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    once: Collection[str] = (),
) -> int:
    """Insert ``rows`` (column name → value; missing columns take their default) in the
    session's transaction; returns how many. The defaults of the columns in ``once`` (a
    creation time, say) are taken once for the whole batch instead of once a row."""
    if not rows:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    names = [c.name for c in table.columns if not _is_autoincrement_key(table, c.name)]
    columns = [table.columns[name] for name in names]
    statement = insert(table).compile(dialect=dialect, column_keys=names)
    processors: list[Callable[[Any], Any] | None] = [
        c.type._cached_bind_processor(dialect) for c in columns
    ]
    defaults = [_python_default(c.default) for c in columns]
    for at, name in enumerate(names):
        default = defaults[at]
        if name in once and default is not None:
            defaults[at] = _constant(default())
    # Processed values of hashable inputs, per column: the same time, the same "{}", the
    # same kind repeat down thousands of rows. A JSON column's values are dicts and lists
    # (unhashable): processed each time, without the failed lookup.
    caches: list[dict[Any, Any] | None] = [
        None if isinstance(c.type, JSON) else {} for c in columns
    ]
    # psycopg 3 (SQLAlchemy's driver for postgresql:// URLs) streams COPY rows.
    copy = dialect.name == "postgresql" and dialect.driver == "psycopg"
    if copy:
        order = list(range(len(names)))
        positional = True
    else:
        # A positional driver (sqlite3) takes parameters in the compiled statement's
        # order; a named one a mapping by the columns' bind names.
        positional = statement.positiontup is not None
        order = [names.index(key) for key in statement.positiontup or names]
    keys = [names[at] for at in order]
    params: list[Any] = []
    for row in rows:
        values = []
        for at in order:
            name = names[at]
            if name in row:
                value = row[name]
            else:
                default = defaults[at]
                value = default() if default is not None else None
            processor = processors[at]
            if processor is not None:
                cache = caches[at]
                value = processor(value) if cache is None else _processed(processor, cache, value)
            values.append(value)
        params.append(tuple(values) if positional else dict(zip(keys, values, strict=True)))
    cursor = connection.connection.cursor()
    try:
        with refused_as_closed():  # the registration freeze's triggers
            if copy:
                _copy(cursor, dialect, table, keys, params)
            else:
                cursor.executemany(str(statement), params)
    finally:
        cursor.close()
    return len(params)


def _copy(cursor: Any, dialect: Any, table: Table, names: list[str], rows: list[Any]) -> None:
    """The rows into ``table`` through psycopg's ``COPY``: each value adapted as a query
    parameter would be (text, numbers, times, bytes, JSON), in a single stream."""
    quote = dialect.identifier_preparer
    columns = ", ".join(quote.quote(name) for name in names)
    with cursor.copy(f"COPY {quote.format_table(table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _processed(processor: Callable[[Any], Any], cache: dict[Any, Any], value: Any) -> Any:
    try:
        return cache[value]
    except KeyError:
        result = cache[value] = processor(value)
        return result
    except TypeError:  # unhashable (a dict for a JSON column): processed each time
        return processor(value)


def _is_autoincrement_key(table: Table, name: str) -> bool:
    column = table.columns[name]
    single_key = len(table.primary_key.columns) == 1
    return bool(column.primary_key and column.autoincrement in (True, "auto") and single_key)


def _is_json(type_: Any) -> bool:
    """A JSON column, or one of our types stored as JSON (a ``TypeDecorator`` over it)."""
    return isinstance(type_, JSON) or isinstance(getattr(type_, "impl_instance", None), JSON)


def _python_default(default: Any) -> Callable[[], Any] | None:
    """A column's ``default`` (or ``onupdate``) made in Python, as a function; None for
    none or one the database makes."""
    if default is None:
        return None
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        function = default.arg
        return lambda: function(None)
    return None


def update_rows(
    session: Session,
    table: Table,
    key: str,
    rows: Sequence[Mapping[str, Any]],
) -> int:
    """Update many rows by ``key`` (each row: the key's value and the same columns to
    set); the columns with an ``onupdate`` (``updated_at``) not given take its value, one
    for the batch. Returns how many rows were given.

    SQLite: SQLAlchemy's ``executemany`` (a statement a row costs SQLite little).
    PostgreSQL: one ``UPDATE … FROM unnest(…)`` with a typed array per column, instead of
    thousands of statements each parsed and run by the server (JSON columns, which an
    array would not carry as such, take the ``executemany``)."""
    if not rows:
        return 0
    given = [name for name in rows[0] if name != key]
    stamps = {
        column.name: made()
        for column in table.columns
        if column.name not in given and column.name != key
        if (made := _python_default(column.onupdate)) is not None
    }
    connection = session.connection()
    dialect = connection.dialect
    names = [key, *given]
    if dialect.name != "postgresql" or any(_is_json(table.columns[n].type) for n in names):
        statement = (
            update(table)
            .where(table.columns[key] == bindparam(f"b_{key}"))
            .values({name: bindparam(f"b_{name}") for name in given} | stamps)
        )
        session.execute(statement, [{f"b_{name}": row[name] for name in names} for row in rows])
        return len(rows)
    quote = dialect.identifier_preparer
    arrays: dict[str, list[Any]] = {}
    casts = []
    for at, name in enumerate(names):
        column = table.columns[name]
        processor = column.type._cached_bind_processor(dialect)
        values = [row[name] for row in rows]
        arrays[f"a{at}"] = [processor(v) for v in values] if processor else values
        casts.append(f"CAST(%(a{at})s AS {column.type.compile(dialect=dialect)}[])")
    target = quote.format_table(table)
    sets = [f"{quote.quote(name)} = u.c{at}" for at, name in enumerate(names) if at]
    for at, name in enumerate(stamps, start=len(names)):
        sets.append(f"{quote.quote(name)} = %(a{at})s")
        arrays[f"a{at}"] = stamps[name]
    alias = ", ".join(f"c{at}" for at in range(len(names)))
    sql = (
        f"UPDATE {target} SET {', '.join(sets)} "
        f"FROM unnest({', '.join(casts)}) AS u({alias}) "
        f"WHERE {target}.{quote.quote(key)} = u.c0"
    )
    cursor = connection.connection.cursor()
    try:
        with refused_as_closed():
            cursor.execute(sql, arrays)
    finally:
        cursor.close()
    return len(rows)
