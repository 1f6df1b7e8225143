"""audit_log.entity_id wider: 60 → 200 characters

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 14:45:00

A transfer merge logs records by their stable keys (a registration's uid with its
certificate and subject, a seat's …), longer than 60 characters. SQLite never enforced the
length; PostgreSQL refuses such a row (issue 12). Every row is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.alter_column(
            "entity_id", type_=sa.String(length=200), existing_type=sa.String(length=60)
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.alter_column(
            "entity_id", type_=sa.String(length=60), existing_type=sa.String(length=200)
        )
