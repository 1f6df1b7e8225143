"""Step 10, exam day (考试): its status for the sidebar, kept light (the window asks on
every refresh): which sessions are today and how many came, or when the next exam is."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite.domain.attendance import NOT_SAT, SAT
from examsite.domain.problems import Problem, notice, warning
from examsite.domain.workflow import Step, StepState
from examsite.services.checkin_data import seat_count_by_day
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.models import Attendance, ExamSession, Room, RoomSession, Seat


def exam_day_status(session: Session, facts: RoundFacts) -> StepStatus:
    """Today's sessions with their check-in counts; before the day, the next exam; after
    it, the records kept. A warning for seats of ended sessions with nothing recorded."""
    recorded = session.scalar(select(func.count()).select_from(Attendance)) or 0
    today = seat_count_by_day(session, facts.now.date())
    problems: list[Problem] = []
    unmarked, rooms = _unmarked_after_end(session, facts.now)
    if unmarked:
        problems.append(
            warning("checkin.status_unmarked", count=unmarked, rooms="、".join(rooms[:3]))
        )
    summary = {"recorded": recorded, "unmarked_after_end": unmarked}
    if today:
        seats = sum(n for _uid, n, _s in today)
        present = sum(n for _uid, n, s in today if s in SAT)
        absent = sum(n for _uid, n, s in today if s in NOT_SAT)
        figure = notice(
            "checkin.figure_today",
            present=present,
            seats=seats,
            absent=absent,
        )
        summary |= {
            "today_sessions": len({uid for uid, _n, _s in today}),
            "today_seats": seats,
            "today_present": present,
            "today_absent": absent,
        }
    elif recorded:
        figure = notice("checkin.figure_recorded", count=recorded)
    else:
        figure = _next_exam(session, facts.now)
    status = step_status(Step.EXAM_DAY, recorded, summary, problems, figure)
    if status.state is StepState.DONE and _sessions_ahead(session, facts.now):
        # Some check-in done, more sessions to come: under way, not done.
        return dataclasses.replace(status, state=StepState.IN_PROGRESS)
    return status


def _sessions_ahead(session: Session, now: dt.datetime) -> bool:
    return (
        session.scalar(
            select(Seat.id)
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .join(ExamSession, ExamSession.id == RoomSession.session_id)
            .where(ExamSession.ends_at >= now)
            .limit(1)
        )
        is not None
    )


def _next_exam(session: Session, now: dt.datetime) -> Problem:
    row = session.execute(
        select(func.min(ExamSession.starts_at), func.count(Seat.id))
        .select_from(Seat)
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .where(ExamSession.starts_at >= now)
    ).first()
    if row is None or row[0] is None:
        return notice("checkin.figure_not_arranged")
    return notice("checkin.figure_next", date=f"{row[0]:%m月%d日}", seats=row[1])


def _unmarked_after_end(session: Session, now: dt.datetime) -> tuple[int, list[str]]:
    """Seats with nothing recorded in sessions that have ended, counted only for the
    sessions where check-in was used at all (a site keeping paper sign-in sheets is not
    nagged), with their rooms."""
    rows = session.execute(
        select(ExamSession.id, Room.name, func.count(Seat.id), func.count(Attendance.id))
        .select_from(Seat)
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .join(Room, Room.id == RoomSession.room_id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .outerjoin(Attendance, Attendance.seat_id == Seat.id)
        .where(ExamSession.ends_at < now)
        .group_by(ExamSession.id, Room.name)
    ).all()
    used = {r[0] for r in rows if r[3]}
    missing = [(r[2] - r[3], r[1]) for r in rows if r[0] in used and r[2] > r[3]]
    return sum(n for n, _room in missing), list(dict.fromkeys(room for _n, room in missing))
