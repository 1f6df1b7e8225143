"""exam day, results, sync: what steps 9 to 11 keep

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 13:30:00

- ``attendance.left_at``, ``recorded_by`` and ``updated_at`` (a transfer bundle merges
  check-ins by the newer change).
- ``score.exam_status`` (the platform's 考试状态), ``previous_score`` and
  ``previous_status`` (what the import before said), ``source_file``.
- New tables ``incident`` (exam-day incidents), ``certificate_result`` (the platform's
  考证结果, until now a note in ``setting``), ``bundle_log`` (the bundles written and read)
  and ``tombstone`` (deleted records, so that a deletion travels in a transfer bundle).

Every existing row is kept; downgrade drops what upgrade added.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default="")


def _columns() -> dict[str, list[sa.Column]]:  # type: ignore[type-arg]
    return {
        "attendance": [
            sa.Column("left_at", sa.DateTime(), nullable=True),
            _text("recorded_by", 60),
            sa.Column(
                "updated_at",
                sa.DateTime(),
                nullable=False,
                server_default="2000-01-01 00:00:00.000000",
            ),
        ],
        "score": [
            _text("exam_status", 40),
            sa.Column("previous_score", sa.Float(), nullable=True),
            _text("previous_status", 20),
            _text("source_file", 260),
        ],
    }


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def upgrade() -> None:
    for table, columns in _columns().items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.add_column(column)
    op.create_table(
        "incident",
        _id(),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("room_session_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("extension_minutes", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=60), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["exam_plan.id"],
            name=op.f("fk_incident_plan_id_exam_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["room_session_id"],
            ["room_session.id"],
            name=op.f("fk_incident_room_session_id_room_session"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("uid", name=op.f("uq_incident_uid")),
    )
    op.create_table(
        "certificate_result",
        _id(),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("written", sa.String(length=60), nullable=False),
        sa.Column("certificate_number", sa.String(length=60), nullable=False),
        sa.Column("source_file", sa.String(length=260), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_certificate_result_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_result")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_certificate_result_registration_id")),
    )
    op.create_table(
        "bundle_log",
        _id(),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("plan", sa.String(length=40), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_log")),
    )
    op.create_index(op.f("ix_bundle_log_at"), "bundle_log", ["at"], unique=False)
    op.create_table(
        "tombstone",
        _id(),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tombstone")),
        sa.UniqueConstraint("entity", "key", name=op.f("uq_tombstone_entity_key")),
    )


def downgrade() -> None:
    op.drop_table("tombstone")
    op.drop_index(op.f("ix_bundle_log_at"), table_name="bundle_log")
    op.drop_table("bundle_log")
    op.drop_table("certificate_result")
    op.drop_table("incident")
    for table, columns in reversed(list(_columns().items())):
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column.name)
