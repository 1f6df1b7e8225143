"""Inserting thousands of rows at once, for the imports.

SQLAlchemy's Core ``executemany`` spends most of an import's write time preparing each
row's parameters in general-purpose code. ``insert_rows`` compiles the INSERT once, applies
only the bind processors the table's types really have (JSON, dates, booleans, uids),
fills the columns' Python-side defaults, and hands plain tuples to the driver's own
``executemany``: the same values SQLAlchemy would store, several times faster.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import JSON, Table, insert
from sqlalchemy.orm import Session


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
    defaults = [_python_default(c) for c in columns]
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
    # A positional driver (sqlite3) takes parameters in the compiled statement's order; a
    # named one (psycopg) a mapping by the columns' bind names.
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
        cursor.executemany(str(statement), params)
    finally:
        cursor.close()
    return len(params)


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


def _python_default(column: Any) -> Callable[[], Any] | None:
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        function = default.arg
        return lambda: function(None)
    return None
