"""audit_log append-only and hash-chained (issue 13)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 17:20:00

- ``audit_log.prev_hash`` and ``hash`` (hex SHA-256, ``storage.audit_chain``); the entries
  already there are chained in id order, batch by batch.
- Triggers that refuse UPDATE and DELETE on ``audit_log`` (and TRUNCATE on PostgreSQL):
  the log is appended to, never rewritten.

A later migration that rebuilds ``audit_log`` with SQLite's batch mode (copy, drop,
rename) loses the triggers: it must create them again (``audit_chain.SQLITE_TRIGGERS``).
Downgrade drops the triggers and the two columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from examsite.storage.audit_chain import (
    GENESIS,
    POSTGRESQL_DROP_TRIGGERS,
    POSTGRESQL_TRIGGERS,
    SQLITE_DROP_TRIGGERS,
    SQLITE_TRIGGERS,
    canonical_json,
    chain_hash,
    entry_head,
)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000
_PG_TEMPORARY = (
    "CREATE TEMPORARY TABLE audit_chain_0007 "
    "(i integer PRIMARY KEY, p text, h text, b text, a text) ON COMMIT DROP"
)
_PG_APPLY = (
    "UPDATE audit_log SET prev_hash = u.p, hash = u.h, "
    '"before" = COALESCE(CAST(u.b AS json), audit_log."before"), '
    '"after" = COALESCE(CAST(u.a AS json), audit_log."after") '
    "FROM audit_chain_0007 AS u WHERE audit_log.id = u.i"
)

_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch_op:
        for name in ("prev_hash", "hash"):
            batch_op.add_column(
                sa.Column(name, sa.String(length=64), nullable=False, server_default="")
            )
    connection = op.get_bind()
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        connection.exec_driver_sql(_PG_TEMPORARY)
    _chain(connection)
    if postgresql:
        connection.exec_driver_sql(_PG_APPLY)
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        connection.exec_driver_sql(statement)


def _chain(connection: sa.Connection) -> None:
    """Every existing entry's ``prev_hash`` and ``hash``, in id order, batch by batch;
    ``before``/``after`` rewritten as the canonical JSON hashed (the same values), as
    ``record_many`` stores them, so that ``audit verify`` checks them without parsing."""
    previous = GENESIS
    after_id = 0
    postgresql = connection.dialect.name == "postgresql"
    while True:
        rows = connection.execute(
            sa.select(_log).where(_log.c.id > after_id).order_by(_log.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        updates: list[_Update] = []
        for row in rows:
            before, after = canonical_json(row.before), canonical_json(row.after)
            head = entry_head(row.at, row.actor, row.action, row.entity, row.entity_id)
            digest = chain_hash(previous, head, before, after)
            updates.append(
                (
                    row.id,
                    previous,
                    digest,
                    None if row.before is None else before,
                    None if row.after is None else after,
                )
            )
            previous = digest
        after_id = rows[-1].id
        _store(connection, updates, postgresql=postgresql)


#: id, prev_hash, hash, before and after as canonical JSON (None: left as it is).
_Update = tuple[int, str, str, str | None, str | None]


def _store(connection: sa.Connection, updates: list[_Update], *, postgresql: bool) -> None:
    if postgresql:
        # Streamed into a temporary table (COPY), applied by one UPDATE at the end
        # (``_apply``): a statement a row would cost a round trip each.
        cursor = connection.connection.cursor()
        try:
            with cursor.copy("COPY audit_chain_0007 (i, p, h, b, a) FROM STDIN") as copy:
                for row in updates:
                    copy.write_row(row)
        finally:
            cursor.close()
        return
    params: list[Any] = [(p, h, b, a, i) for i, p, h, b, a in updates]
    connection.exec_driver_sql(
        'UPDATE audit_log SET prev_hash = ?, hash = ?, "before" = COALESCE(?, "before"), '
        '"after" = COALESCE(?, "after") WHERE id = ?',
        params,
    )


def downgrade() -> None:
    connection = op.get_bind()
    postgresql = connection.dialect.name == "postgresql"
    for statement in POSTGRESQL_DROP_TRIGGERS if postgresql else SQLITE_DROP_TRIGGERS:
        connection.exec_driver_sql(statement)
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
