"""Exam sessions (场次): made from the catalog's timetable, re-timed by the coordinator,
and the question "is anyone in two rooms at once?" answered by the database.

A catalog import calls ``sync_plan_sessions`` for each plan in the file: missing sessions
are made, sessions the coordinator has not edited follow the timetable, sessions edited by
hand stay as they are (``domain.timetable.reconcile``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from examsite.domain.catalog_check import Timetable
from examsite.domain.problems import Problem, error
from examsite.domain.timetable import (
    Slot,
    StoredSession,
    certificate_timetable,
    reconcile,
    within,
)
from examsite.errors import InputError, NotFoundError
from examsite.services.audit import record
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import (
    Certificate,
    ExamPlan,
    ExamSession,
    InvigilatorAssignment,
    Room,
    RoomSession,
    Staff,
    Subject,
)

ACTOR = "user"
_MINUTE = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class SessionInfo:
    """One exam session as the pages and the CLI show it."""

    uid: str
    plan_code: str
    plan_name: str
    certificate_code: str
    certificate_name: str
    level: str
    subject_kind: str
    subject_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    edited: bool
    rooms: int  # room sessions


@dataclass(frozen=True)
class Booking:
    """A member of staff's assignment to one room session."""

    room_session_uid: str
    room_name: str
    session_uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class DoubleBooking:
    """A member of staff assigned to two rooms whose sessions overlap in time."""

    staff_uid: str
    staff_name: str
    first: Booking
    second: Booking


@dataclass(frozen=True)
class SyncCounts:
    created: int = 0
    updated: int = 0
    removed: int = 0


# --- reading ---------------------------------------------------------------------------


def list_sessions(db: Database, plan_code: str | None = None) -> tuple[SessionInfo, ...]:
    """The exam sessions, of one plan or of all, by plan, start, certificate and subject."""
    with db.read() as session:
        rooms = (
            select(func.count())
            .where(RoomSession.session_id == ExamSession.id)
            .correlate(ExamSession)
            .scalar_subquery()
        )
        statement = (
            select(ExamSession, rooms)
            .join(ExamSession.plan)
            .join(ExamSession.subject)
            .join(Subject.certificate)
            .order_by(ExamPlan.code, ExamSession.starts_at, Certificate.code, Subject.kind.desc())
        )
        if plan_code is not None:
            find_plan(session, plan_code)
            statement = statement.where(ExamPlan.code == plan_code)
        return tuple(_info(s, count) for s, count in session.execute(statement))


def _info(session: ExamSession, rooms: int) -> SessionInfo:
    subject = session.subject
    cert = subject.certificate
    return SessionInfo(
        uid=session.uid,
        plan_code=session.plan.code,
        plan_name=session.plan.name,
        certificate_code=cert.code,
        certificate_name=cert.name,
        level=cert.level,
        subject_kind=subject.kind,
        subject_name=subject.name,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        edited=session.edited,
        rooms=rooms,
    )


def double_booked_staff(db: Database, plan_code: str | None = None) -> tuple[DoubleBooking, ...]:
    """Staff assigned to two different rooms in sessions that overlap in time ([start, end)
    intervals: one ending at 10:00 and one starting at 10:00 do not overlap)."""
    a1, a2 = aliased(InvigilatorAssignment), aliased(InvigilatorAssignment)
    r1, r2 = aliased(RoomSession), aliased(RoomSession)
    s1, s2 = aliased(ExamSession), aliased(ExamSession)
    room1, room2 = aliased(Room), aliased(Room)
    statement = (
        select(Staff.uid, Staff.name, r1.uid, room1.name, s1.uid, s1.starts_at, s1.ends_at)
        .add_columns(r2.uid, room2.name, s2.uid, s2.starts_at, s2.ends_at)
        .select_from(a1)
        .join(a2, and_(a2.staff_id == a1.staff_id, a2.id > a1.id))
        .join(r1, r1.id == a1.room_session_id)
        .join(r2, and_(r2.id == a2.room_session_id, r2.room_id != r1.room_id))
        .join(s1, s1.id == r1.session_id)
        .join(
            s2, and_(s2.id == r2.session_id, s1.starts_at < s2.ends_at, s2.starts_at < s1.ends_at)
        )
        .join(room1, room1.id == r1.room_id)
        .join(room2, room2.id == r2.room_id)
        .join(Staff, Staff.id == a1.staff_id)
        .order_by(Staff.name, Staff.id, s1.starts_at, a1.id, a2.id)
    )
    with db.read() as session:
        if plan_code is not None:
            plan = find_plan(session, plan_code)
            statement = statement.where(s1.plan_id == plan.id, s2.plan_id == plan.id)
        return tuple(
            DoubleBooking(row[0], row[1], Booking(*row[2:7]), Booking(*row[7:12]))
            for row in session.execute(statement)
        )


# --- the coordinator's changes ---------------------------------------------------------


def set_session_time(
    db: Database, uid: str, start: dt.datetime, end: dt.datetime | None = None
) -> SessionInfo:
    """Move a session to ``start`` (and ``end``; without one it keeps its length). The
    session is marked edited, so a catalog import leaves it where the coordinator put it."""
    with db.unit_of_work() as session:
        exam_session = session.scalar(select(ExamSession).where(ExamSession.uid == uid))
        if exam_session is None:
            raise NotFoundError("sessions.not_found", uid=uid)
        plan = exam_session.plan
        if end is None:
            end = start + (exam_session.ends_at - exam_session.starts_at)
        if end <= start:
            raise InputError(
                "sessions.end_not_after_start", start=f"{start:{_MINUTE}}", end=f"{end:{_MINUTE}}"
            )
        if not within(start, end, plan.exam_start, plan.exam_end):
            raise InputError(
                "sessions.outside_exam_window",
                start=f"{start:{_MINUTE}}",
                end=f"{end:{_MINUTE}}",
                plan=plan.name,
                window_start=f"{plan.exam_start:{_MINUTE}}",
                window_end=f"{plan.exam_end:{_MINUTE}}",
            )
        taken = session.scalar(
            select(ExamSession.id).where(
                ExamSession.plan_id == plan.id,
                ExamSession.subject_id == exam_session.subject_id,
                ExamSession.starts_at == start,
                ExamSession.id != exam_session.id,
            )
        )
        if taken is not None:
            raise InputError(
                "sessions.start_taken",
                plan=plan.name,
                subject=exam_session.subject.name,
                start=f"{start:{_MINUTE}}",
            )
        before = _times(exam_session)
        exam_session.starts_at, exam_session.ends_at = start, end
        exam_session.edited = True
        record(session, "update", "exam_session", uid, before, _times(exam_session), ACTOR)
        session.flush()
        rooms = session.scalar(
            select(func.count()).where(RoomSession.session_id == exam_session.id)
        )
        return _info(exam_session, rooms or 0)


def _times(session: ExamSession) -> dict[str, object]:
    return {"starts_at": session.starts_at, "ends_at": session.ends_at, "edited": session.edited}


# --- room sessions ---------------------------------------------------------------------


def ensure_room_sessions(session: Session, plan_id: int) -> int:
    """Make the missing room sessions of a plan: each room sits every session of its
    certificate's subjects. Returns how many were made. Room sessions whose room or session
    is gone go with them (foreign keys cascade); nothing here deletes."""
    wanted = session.execute(
        select(Room.id, ExamSession.id)
        .join(Subject, Subject.certificate_id == Room.certificate_id)
        .join(
            ExamSession,
            and_(ExamSession.subject_id == Subject.id, ExamSession.plan_id == Room.plan_id),
        )
        .where(Room.plan_id == plan_id)
    ).all()
    have = set(
        session.execute(
            select(RoomSession.room_id, RoomSession.session_id)
            .join(Room, Room.id == RoomSession.room_id)
            .where(Room.plan_id == plan_id)
        ).all()
    )
    missing = [(room, exam) for room, exam in wanted if (room, exam) not in have]
    session.add_all(RoomSession(room_id=room, session_id=exam) for room, exam in missing)
    session.flush()
    return len(missing)


# --- following the catalog -------------------------------------------------------------


def sync_plan_sessions(
    session: Session, plan: ExamPlan, timetable: Timetable
) -> tuple[list[Problem], SyncCounts]:
    """Make and re-time the sessions of ``plan`` to follow ``timetable`` (the catalog's
    starts by certificate code and subject kind; the default rule for the rest). Returns
    the problems (a subject the certificate lacks, a session outside the exam window) and
    what changed; the caller refuses the import when there are problems."""
    problems: list[Problem] = []
    wanted: dict[int, list[Slot]] = {}
    for cert in plan.certificates:
        by_kind = {s.kind: s for s in cert.subjects}
        explicit = {kind: starts for (code, kind), starts in timetable.items() if code == cert.code}
        for kind in sorted(set(explicit) - set(by_kind)):
            problems.append(
                error(
                    "catalog.timetable_unknown_subject",
                    column="timetable",
                    plan=plan.code,
                    certificate=cert.code,
                    subject=kind,
                )
            )
        durations = {kind: s.duration_minutes for kind, s in by_kind.items()}
        for slot in certificate_timetable(plan.exam_start, durations, explicit):
            if not within(slot.start, slot.end, plan.exam_start, plan.exam_end):
                problems.append(_outside(plan, cert.code, slot))
            wanted.setdefault(by_kind[slot.subject].id, []).append(slot)
    if problems:
        return problems, SyncCounts()
    stored: dict[int, list[ExamSession]] = {}
    for exam_session in session.scalars(select(ExamSession).where(ExamSession.plan_id == plan.id)):
        stored.setdefault(exam_session.subject_id, []).append(exam_session)
    counts = [
        _follow(session, plan, subject_id, stored.get(subject_id, []), wanted.get(subject_id, []))
        for subject_id in sorted(set(stored) | set(wanted))
    ]
    return [], SyncCounts(
        sum(c.created for c in counts),
        sum(c.updated for c in counts),
        sum(c.removed for c in counts),
    )


def _outside(plan: ExamPlan, certificate: str, slot: Slot) -> Problem:
    return error(
        "catalog.session_outside_window",
        column="timetable",
        plan=plan.code,
        certificate=certificate,
        subject=slot.subject,
        start=f"{slot.start:{_MINUTE}}",
        end=f"{slot.end:{_MINUTE}}",
        window_start=f"{plan.exam_start:{_MINUTE}}",
        window_end=f"{plan.exam_end:{_MINUTE}}",
    )


def _follow(
    session: Session,
    plan: ExamPlan,
    subject_id: int,
    stored: Iterable[ExamSession],
    wanted: list[Slot],
) -> SyncCounts:
    by_id = {s.id: s for s in stored}
    changes = reconcile(
        [StoredSession(s.id, s.starts_at, s.ends_at, s.edited) for s in by_id.values()], wanted
    )
    for key, slot in changes.update:
        by_id[key].starts_at, by_id[key].ends_at = slot.start, slot.end
    for slot in changes.create:
        session.add(
            ExamSession(plan=plan, subject_id=subject_id, starts_at=slot.start, ends_at=slot.end)
        )
    removed = 0
    for key in changes.leftover:
        if not by_id[key].room_sessions:  # never take rooms, seats or invigilators with it
            session.delete(by_id[key])
            removed += 1
    return SyncCounts(len(changes.create), len(changes.update), removed)
