"""exam sessions and room sessions, ticket number on the registration, uids, typed rules

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:00:00

- ``exam_session`` (a subject of a plan at a time) and ``room_session`` (a room in an exam
  session); seats and invigilator assignments point at room sessions.
- The admission-ticket number moves from the seat to the registration.
- ``uid`` on staff, room and registration (and the two new tables).
- A certificate's rules are stored in the full form the typed rules read.

Every row is kept. Upgrade: each seat goes to the room session of its room and of the exam
session of its plan and subject at the seat's times (at the default timetable's times
when it has none); its ticket number goes to its registration; each room-level assignment
becomes one assignment per room session of the room; every plan gets its exam sessions.
Downgrade: seats get their room, ticket number and times back; assignments collapse to
one per room and member of staff.

The default timetable rule is written out here on purpose: a migration must not change
when the program's code does.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

UID_TABLES = ("staff", "room", "registration")
GAP = dt.timedelta(minutes=30)
SUBJECT_ORDER = ("theory", "practical")

# The tables as this revision sees them (typed, so that dates and JSON convert).
exam_plan = sa.table("exam_plan", sa.column("id", sa.Integer), sa.column("exam_start", sa.DateTime))
plan_certificate = sa.table(
    "plan_certificate", sa.column("plan_id", sa.Integer), sa.column("certificate_id", sa.Integer)
)
certificate = sa.table(
    "certificate",
    sa.column("id", sa.Integer),
    sa.column("scoring_rule", sa.JSON),
    sa.column("invigilator_rule", sa.JSON),
)
subject = sa.table(
    "subject",
    sa.column("id", sa.Integer),
    sa.column("certificate_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("duration_minutes", sa.Integer),
)
room = sa.table(
    "room",
    sa.column("id", sa.Integer),
    sa.column("plan_id", sa.Integer),
    sa.column("certificate_id", sa.Integer),
)
registration = sa.table(
    "registration",
    sa.column("id", sa.Integer),
    sa.column("plan_id", sa.Integer),
    sa.column("certificate_id", sa.Integer),
    sa.column("ticket_number", sa.String),
)
registration_subject = sa.table(
    "registration_subject",
    sa.column("id", sa.Integer),
    sa.column("registration_id", sa.Integer),
    sa.column("subject_id", sa.Integer),
)
exam_session = sa.table(
    "exam_session",
    sa.column("id", sa.Integer),
    sa.column("uid", sa.String),
    sa.column("plan_id", sa.Integer),
    sa.column("subject_id", sa.Integer),
    sa.column("starts_at", sa.DateTime),
    sa.column("ends_at", sa.DateTime),
    sa.column("edited", sa.Boolean),
)
room_session = sa.table(
    "room_session",
    sa.column("id", sa.Integer),
    sa.column("uid", sa.String),
    sa.column("room_id", sa.Integer),
    sa.column("session_id", sa.Integer),
)
seat = sa.table(
    "seat",
    sa.column("id", sa.Integer),
    sa.column("registration_subject_id", sa.Integer),
    sa.column("room_id", sa.Integer),
    sa.column("room_session_id", sa.Integer),
    sa.column("seat_number", sa.Integer),
    sa.column("ticket_number", sa.String),
    sa.column("session_start", sa.DateTime),
    sa.column("session_end", sa.DateTime),
)
assignment = sa.table(
    "invigilator_assignment",
    sa.column("id", sa.Integer),
    sa.column("room_id", sa.Integer),
    sa.column("room_session_id", sa.Integer),
    sa.column("staff_id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)


def _uid() -> str:
    return str(uuid.uuid4())


# --- upgrade ---------------------------------------------------------------------------


def upgrade() -> None:
    bind = op.get_bind()
    _create_session_tables()
    for table in UID_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
            if table == "registration":
                batch_op.add_column(sa.Column("ticket_number", sa.String(length=40), nullable=True))
        rows = sa.table(table, sa.column("id", sa.Integer), sa.column("uid", sa.String))
        for (row_id,) in bind.execute(sa.select(rows.c.id)).all():
            bind.execute(rows.update().where(rows.c.id == row_id).values(uid=_uid()))
    with op.batch_alter_table("seat") as batch_op:
        batch_op.add_column(sa.Column("room_session_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("invigilator_assignment") as batch_op:
        batch_op.add_column(sa.Column("room_session_id", sa.Integer(), nullable=True))
        # one room and member of staff becomes several rows (one per room session)
        batch_op.drop_constraint(
            batch_op.f("uq_invigilator_assignment_room_id_staff_id"), type_="unique"
        )

    sessions = _Sessions(bind)
    _move_seats(bind, sessions)
    sessions.add_defaults()
    _spread_assignments(bind, sessions)
    _normalise_rules(bind)

    with op.batch_alter_table("seat") as batch_op:
        batch_op.drop_index("ix_seat_room")
        batch_op.drop_index(batch_op.f("ix_seat_ticket_number"))
        batch_op.drop_constraint(batch_op.f("fk_seat_room_id_room"), type_="foreignkey")
        batch_op.drop_column("room_id")
        batch_op.drop_column("ticket_number")
        batch_op.drop_column("session_start")
        batch_op.drop_column("session_end")
        batch_op.alter_column("room_session_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_seat_room_session_id_room_session"),
            "room_session",
            ["room_session_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_seat_room_session_id_seat_number"), ["room_session_id", "seat_number"]
        )
    with op.batch_alter_table("invigilator_assignment") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_invigilator_assignment_room_id_room"), type_="foreignkey"
        )
        batch_op.drop_column("room_id")
        batch_op.alter_column("room_session_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_invigilator_assignment_room_session_id_room_session"),
            "room_session",
            ["room_session_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_invigilator_assignment_room_session_id_staff_id"),
            ["room_session_id", "staff_id"],
        )
    for table in UID_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_uid"), ["uid"])
            if table == "registration":
                batch_op.create_unique_constraint(
                    batch_op.f("uq_registration_ticket_number"), ["ticket_number"]
                )


def _create_session_tables() -> None:
    op.create_table(
        "exam_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_exam_session_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["exam_plan.id"],
            name=op.f("fk_exam_session_plan_id_exam_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["subject.id"],
            name=op.f("fk_exam_session_subject_id_subject"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_session")),
        sa.UniqueConstraint(
            "plan_id",
            "subject_id",
            "starts_at",
            name=op.f("uq_exam_session_plan_id_subject_id_starts_at"),
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_exam_session_uid")),
    )
    op.create_table(
        "room_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_room_session_room_id_room"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_session.id"],
            name=op.f("fk_room_session_session_id_exam_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_session")),
        sa.UniqueConstraint(
            "room_id", "session_id", name=op.f("uq_room_session_room_id_session_id")
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_room_session_uid")),
    )


class _Sessions:
    """Finds or makes exam sessions and room sessions, remembering what it made."""

    def __init__(self, bind: sa.Connection) -> None:
        self.bind = bind
        self.exam_start: dict[int, dt.datetime] = {
            row[0]: row[1]
            for row in bind.execute(sa.select(exam_plan.c.id, exam_plan.c.exam_start))
        }
        self.subjects: dict[int, list[tuple[int, str, int]]] = {}  # certificate -> subjects
        self.certificate_of: dict[int, int] = {}
        for subject_id, cert_id, kind, minutes in bind.execute(
            sa.select(
                subject.c.id, subject.c.certificate_id, subject.c.kind, subject.c.duration_minutes
            )
        ):
            self.subjects.setdefault(cert_id, []).append((subject_id, kind, minutes))
            self.certificate_of[subject_id] = cert_id
        self.sessions: dict[tuple[int, int, dt.datetime], int] = {}
        self.room_sessions: dict[tuple[int, int], int] = {}

    def default_slots(
        self, plan_id: int, cert_id: int
    ) -> dict[int, tuple[dt.datetime, dt.datetime]]:
        """The default timetable of a certificate in a plan: on the exam window's first day
        from its opening, theory first, each next subject 30 minutes after the previous."""
        slots: dict[int, tuple[dt.datetime, dt.datetime]] = {}
        start = self.exam_start[plan_id]
        ordered = sorted(
            self.subjects.get(cert_id, []),
            key=lambda s: (SUBJECT_ORDER.index(s[1]) if s[1] in SUBJECT_ORDER else 9, s[1]),
        )
        for subject_id, _kind, minutes in ordered:
            end = start + dt.timedelta(minutes=max(minutes, 1))
            slots[subject_id] = (start, end)
            start = end + GAP
        return slots

    def exam_session(
        self, plan_id: int, subject_id: int, start: dt.datetime | None, end: dt.datetime | None
    ) -> int:
        default_start, default_end = self.default_slots(plan_id, self.certificate_of[subject_id])[
            subject_id
        ]
        if start is None:
            start, end = default_start, default_end
        elif end is None or end <= start:
            end = start + (default_end - default_start)
        key = (plan_id, subject_id, start)
        if key not in self.sessions:
            edited = (start, end) != (default_start, default_end)
            self.sessions[key] = self._insert(
                exam_session,
                uid=_uid(),
                plan_id=plan_id,
                subject_id=subject_id,
                starts_at=start,
                ends_at=end,
                edited=edited,
            )
        return self.sessions[key]

    def room_session(self, room_id: int, session_id: int) -> int:
        key = (room_id, session_id)
        if key not in self.room_sessions:
            self.room_sessions[key] = self._insert(
                room_session, uid=_uid(), room_id=room_id, session_id=session_id
            )
        return self.room_sessions[key]

    def of_plan(self, plan_id: int, cert_id: int) -> list[int]:
        """The exam sessions of a plan for a certificate's subjects."""
        subject_ids = {s[0] for s in self.subjects.get(cert_id, [])}
        return [
            session_id
            for (plan, subject_id, _start), session_id in sorted(self.sessions.items())
            if plan == plan_id and subject_id in subject_ids
        ]

    def add_defaults(self) -> None:
        """Sessions by the default rule for every plan and certificate (of the plan, of its
        rooms and of its registrations) whose subject has no session yet."""
        pairs: set[tuple[int, int]] = set()
        for statement in (
            sa.select(plan_certificate.c.plan_id, plan_certificate.c.certificate_id),
            sa.select(room.c.plan_id, room.c.certificate_id),
            sa.select(registration.c.plan_id, registration.c.certificate_id),
        ):
            pairs |= {(row[0], row[1]) for row in self.bind.execute(statement)}
        have = {(plan, subject_id) for plan, subject_id, _start in self.sessions}
        for plan_id, cert_id in sorted(pairs):
            for subject_id, (start, end) in self.default_slots(plan_id, cert_id).items():
                if (plan_id, subject_id) not in have:
                    self.exam_session(plan_id, subject_id, start, end)

    def _insert(self, table: sa.TableClause, **values: Any) -> int:
        new_id = self.bind.execute(table.insert().values(**values)).lastrowid
        return int(new_id)


def _move_seats(bind: sa.Connection, sessions: _Sessions) -> None:
    rows = bind.execute(
        sa.select(
            seat.c.id,
            seat.c.room_id,
            seat.c.seat_number,
            seat.c.ticket_number,
            seat.c.session_start,
            seat.c.session_end,
            registration_subject.c.registration_id,
            registration_subject.c.subject_id,
            registration.c.plan_id,
        )
        .join(registration_subject, registration_subject.c.id == seat.c.registration_subject_id)
        .join(registration, registration.c.id == registration_subject.c.registration_id)
        .order_by(seat.c.id)
    ).all()
    numbers: dict[int, set[int]] = {}
    tickets: dict[int, str] = {}
    for row in rows:
        session_id = sessions.exam_session(
            row.plan_id, row.subject_id, row.session_start, row.session_end
        )
        room_session_id = sessions.room_session(row.room_id, session_id)
        taken = numbers.setdefault(room_session_id, set())
        number = row.seat_number
        if number in taken:  # the old schema allowed it; seat numbers are now unique
            number = max(taken) + 1
            log.warning("seat %s: seat number %s taken, now %s", row.id, row.seat_number, number)
        taken.add(number)
        bind.execute(
            seat.update()
            .where(seat.c.id == row.id)
            .values(room_session_id=room_session_id, seat_number=number)
        )
        if row.ticket_number:
            tickets.setdefault(row.registration_id, row.ticket_number)
    used: set[str] = set()
    for registration_id, ticket in sorted(tickets.items()):
        if ticket in used:  # ticket numbers are now unique per registration
            log.warning("registration %s: ticket %s used twice, left out", registration_id, ticket)
            continue
        used.add(ticket)
        bind.execute(
            registration.update()
            .where(registration.c.id == registration_id)
            .values(ticket_number=ticket)
        )


def _spread_assignments(bind: sa.Connection, sessions: _Sessions) -> None:
    rows = bind.execute(
        sa.select(
            assignment.c.id,
            assignment.c.room_id,
            assignment.c.staff_id,
            assignment.c.role,
            assignment.c.created_at,
            assignment.c.updated_at,
            room.c.plan_id,
            room.c.certificate_id,
        )
        .join(room, room.c.id == assignment.c.room_id)
        .order_by(assignment.c.id)
    ).all()
    for row in rows:
        room_sessions = [
            sessions.room_session(row.room_id, session_id)
            for session_id in sessions.of_plan(row.plan_id, row.certificate_id)
        ]
        if not room_sessions:
            log.warning("assignment %s: the room's certificate has no subject, dropped", row.id)
            bind.execute(assignment.delete().where(assignment.c.id == row.id))
            continue
        first, *others = room_sessions
        bind.execute(
            assignment.update().where(assignment.c.id == row.id).values(room_session_id=first)
        )
        for room_session_id in others:
            bind.execute(
                assignment.insert().values(
                    room_id=row.room_id,
                    room_session_id=room_session_id,
                    staff_id=row.staff_id,
                    role=row.role,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                )
            )


def _normalise_rules(bind: sa.Connection) -> None:
    """The rules in the full form the typed rules read (missing numbers filled in with the
    general rule: at least 2 a room, 1:20; unknown keys dropped)."""
    for cert_id, scoring, invigilators in bind.execute(
        sa.select(certificate.c.id, certificate.c.scoring_rule, certificate.c.invigilator_rule)
    ).all():
        bind.execute(
            certificate.update()
            .where(certificate.c.id == cert_id)
            .values(
                scoring_rule=_scoring(_as_dict(scoring)),
                invigilator_rule=_invigilators(_as_dict(invigilators)),
            )
        )


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value) if isinstance(value, dict) else {}


def _count(value: Any, default: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        return default
    return int(value)


def _invigilators(rule: dict[str, Any]) -> dict[str, Any]:
    full: dict[str, Any] = {
        "min_per_room": _count(rule.get("min_per_room"), 2, 1),
        "candidates_per_invigilator": _count(rule.get("candidates_per_invigilator"), 20, 1),
        "from_candidates": _count(rule.get("from_candidates"), 0, 0),
        "rounding": rule.get("rounding") if rule.get("rounding") in ("floor", "ceil") else "ceil",
    }
    if isinstance(rule.get("source"), str) and rule["source"]:
        full["source"] = rule["source"]
    return full


def _scoring(rule: dict[str, Any]) -> dict[str, Any]:
    full: dict[str, Any] = {"kind": "weighted" if rule.get("kind") == "weighted" else "all_pass"}
    if full["kind"] == "weighted":
        mark = rule.get("pass_mark")
        ok = isinstance(mark, int | float) and not isinstance(mark, bool) and 0 <= mark <= 100
        full["pass_mark"] = float(mark) if ok and mark is not None else 60.0
    if isinstance(rule.get("source"), str) and rule["source"]:
        full["source"] = rule["source"]
    return full


# --- downgrade -------------------------------------------------------------------------


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("seat") as batch_op:
        batch_op.add_column(sa.Column("room_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ticket_number", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("session_start", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("session_end", sa.DateTime(), nullable=True))
    rows = bind.execute(
        sa.select(
            seat.c.id,
            room_session.c.room_id,
            registration.c.ticket_number,
            exam_session.c.starts_at,
            exam_session.c.ends_at,
        )
        .join(room_session, room_session.c.id == seat.c.room_session_id)
        .join(exam_session, exam_session.c.id == room_session.c.session_id)
        .join(registration_subject, registration_subject.c.id == seat.c.registration_subject_id)
        .join(registration, registration.c.id == registration_subject.c.registration_id)
    ).all()
    for row in rows:
        bind.execute(
            seat.update()
            .where(seat.c.id == row.id)
            .values(
                room_id=row.room_id,
                ticket_number=row.ticket_number or "",
                session_start=row.starts_at,
                session_end=row.ends_at,
            )
        )

    with op.batch_alter_table("invigilator_assignment") as batch_op:
        batch_op.add_column(sa.Column("room_id", sa.Integer(), nullable=True))
    kept: set[tuple[int, int]] = set()
    for assignment_id, room_id, staff_id in bind.execute(
        sa.select(assignment.c.id, room_session.c.room_id, assignment.c.staff_id)
        .join(room_session, room_session.c.id == assignment.c.room_session_id)
        .order_by(assignment.c.id)
    ).all():
        if (room_id, staff_id) in kept:
            bind.execute(assignment.delete().where(assignment.c.id == assignment_id))
        else:
            kept.add((room_id, staff_id))
            bind.execute(
                assignment.update().where(assignment.c.id == assignment_id).values(room_id=room_id)
            )

    with op.batch_alter_table("invigilator_assignment") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_invigilator_assignment_room_session_id_staff_id"), type_="unique"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_invigilator_assignment_room_session_id_room_session"),
            type_="foreignkey",
        )
        batch_op.drop_column("room_session_id")
        batch_op.alter_column("room_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_invigilator_assignment_room_id_room"),
            "room",
            ["room_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_invigilator_assignment_room_id_staff_id"), ["room_id", "staff_id"]
        )
    with op.batch_alter_table("seat") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_seat_room_session_id_seat_number"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_seat_room_session_id_room_session"), type_="foreignkey"
        )
        batch_op.drop_column("room_session_id")
        batch_op.alter_column("room_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("ticket_number", existing_type=sa.String(length=40), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_seat_room_id_room"), "room", ["room_id"], ["id"], ondelete="RESTRICT"
        )
        batch_op.create_index("ix_seat_room", ["room_id", "seat_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_seat_ticket_number"), ["ticket_number"], unique=False)
    for table in UID_TABLES:
        with op.batch_alter_table(table) as batch_op:
            if table == "registration":
                batch_op.drop_constraint(
                    batch_op.f("uq_registration_ticket_number"), type_="unique"
                )
                batch_op.drop_column("ticket_number")
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_uid"), type_="unique")
            batch_op.drop_column("uid")
    op.drop_table("room_session")
    op.drop_table("exam_session")
