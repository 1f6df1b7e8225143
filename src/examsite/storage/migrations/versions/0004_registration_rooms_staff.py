"""registration, rooms, staff: what steps 1 and 4 to 7 keep

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 11:00:00

- ``candidate.class_name`` (班级): classmates are seated apart, teachers kept out.
- ``registration.kind`` (the kind registered as; existing rows take the candidate's),
  ``home_school`` (借考), ``source`` and ``ticket_official``.
- ``room.exam_capacity`` (seats usable in an exam) and the address split into province,
  city, district and the detail (``address``); ``site.province``.
- ``staff.classes_taught``, ``certified``, ``daily_duty_cap``.
- ``invigilator_assignment.manual`` and ``warnings``.
- New tables ``lab`` (the site's labs, what rooms are proposed from) and ``fee_override``
  (a province's fee for a certificate level).

Every existing row is kept; downgrade drops what upgrade added.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default="")


def _columns() -> dict[str, list[sa.Column]]:  # type: ignore[type-arg]
    return {
        "candidate": [_text("class_name", 60)],
        "site": [_text("province", 40)],
        "registration": [
            sa.Column("kind", sa.String(length=10), nullable=False, server_default="school"),
            _text("home_school", 200),
            sa.Column("source", sa.String(length=20), nullable=False, server_default="page"),
            sa.Column("ticket_official", sa.Boolean(), nullable=False, server_default=sa.false()),
        ],
        "room": [
            sa.Column("exam_capacity", sa.Integer(), nullable=True),
            _text("province", 40),
            _text("city", 40),
            _text("district", 40),
        ],
        "staff": [
            sa.Column("classes_taught", sa.JSON(), nullable=False, server_default="[]"),
            sa.Column("certified", sa.Boolean(), nullable=False, server_default=sa.false()),
            sa.Column("daily_duty_cap", sa.Integer(), nullable=True),
        ],
        "invigilator_assignment": [
            sa.Column("manual", sa.Boolean(), nullable=False, server_default=sa.false()),
            sa.Column("warnings", sa.JSON(), nullable=False, server_default="[]"),
        ],
    }


def upgrade() -> None:
    for table, columns in _columns().items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.add_column(column)
    # A registration made before this revision was made as the candidate's own kind.
    op.execute(
        "UPDATE registration SET kind = "
        "(SELECT candidate.kind FROM candidate WHERE candidate.id = registration.candidate_id)"
    )
    op.create_table(
        "lab",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("exam_capacity", sa.Integer(), nullable=True),
        sa.Column("room_type", sa.String(length=40), nullable=False),
        sa.Column("province", sa.String(length=40), nullable=False),
        sa.Column("city", sa.String(length=40), nullable=False),
        sa.Column("district", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_lab_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab")),
        sa.UniqueConstraint("site_id", "name", name=op.f("uq_lab_site_id_name")),
        sa.UniqueConstraint("uid", name=op.f("uq_lab_uid")),
    )
    op.create_table(
        "fee_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(length=40), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_fee_override_certificate_id_certificate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_override")),
        sa.UniqueConstraint(
            "certificate_id", "province", name=op.f("uq_fee_override_certificate_id_province")
        ),
    )


def downgrade() -> None:
    op.drop_table("fee_override")
    op.drop_table("lab")
    for table, columns in reversed(list(_columns().items())):
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column.name)
