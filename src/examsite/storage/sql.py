"""SQL that SQLite and PostgreSQL spell differently, spelled once here.

``least(a, b, …)``: the smallest of its arguments, one row at a time (not the aggregate
``min``): SQLite's scalar ``min(a, b)``, PostgreSQL's ``least(a, b)``. They differ on NULL
(SQLite gives NULL, PostgreSQL the smallest of the others): write ``coalesce`` around the
arguments that may be NULL, as the callers do.

``insert_for(session)``: the engine's own ``insert``, for an upsert.

``keys_given(session, table)``: after rows inserted with keys the program chose, the
server's key sequence moved past them.

``among(session, column, values)``: ``column IN values`` for thousands of values, as the
engine takes it best: one ``= ANY(array)`` on PostgreSQL (one parameter, one statement to
parse), lists of a few hundred on SQLite (its limit on parameters a statement).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import GenericFunction


class least(GenericFunction[Any]):
    inherit_cache = True
    name = "least"


@compiles(least, "sqlite")
def _least_on_sqlite(element: least, compiler: Any, **kw: Any) -> str:
    return f"min({compiler.process(element.clause_expr, **kw)[1:-1]})"


def insert_for(session: Session) -> Callable[..., Any]:
    """The ``insert`` of the session's engine, with ``on_conflict_do_update`` (SQLite's
    and PostgreSQL's take the same arguments)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def keys_given(session: Session, table: Any) -> None:
    """After rows were inserted with primary keys given by the program: on PostgreSQL the
    table's key sequence moves past them (else the next row the database numbers would
    take one of theirs); SQLite numbers from the largest key anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return
    name = table.name
    session.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f'coalesce((SELECT max(id) FROM "{name}"), 0) + 1, false)'
        )
    )


def among(
    session: Session, column: Any, values: Collection[Any], size: int = 500
) -> Iterator[ColumnElement[bool]]:
    """Conditions that together select the rows whose ``column`` is one of ``values``:
    run the statement once with each (none when ``values`` is empty)."""
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # loaded on a server only

        yield column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
        return
    ordered = list(values)
    for start in range(0, len(ordered), size):
        yield column.in_(ordered[start : start + size])
