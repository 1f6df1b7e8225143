"""the registration freeze enforced by triggers (issue 13)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 19:00:00

Triggers on ``registration`` and ``registration_subject`` that refuse adding, removing
or redefining a registration once its plan's registration deadline has passed
(``storage.registration_freeze``); on PostgreSQL also TRUNCATE while a frozen plan has
registrations. A later migration that rebuilds either table with SQLite's batch mode
(copy, drop, rename) loses the triggers: it must create them again
(``registration_freeze.SQLITE_TRIGGERS``). Downgrade drops them.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from examsite.storage.registration_freeze import (
    POSTGRESQL_DROP_TRIGGERS,
    POSTGRESQL_TRIGGERS,
    SQLITE_DROP_TRIGGERS,
    SQLITE_TRIGGERS,
)

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    postgresql = connection.dialect.name == "postgresql"
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        connection.exec_driver_sql(statement)


def downgrade() -> None:
    connection = op.get_bind()
    postgresql = connection.dialect.name == "postgresql"
    for statement in POSTGRESQL_DROP_TRIGGERS if postgresql else SQLITE_DROP_TRIGGERS:
        connection.exec_driver_sql(statement)
