"""Step 6, staff and invigilators (监考): the staff roster and who invigilates where.

The page comes with the invigilators issue; today this module owns the step's status.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice
from examsite.domain.workflow import Step
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.db import count_rows
from examsite.storage.models import (
    Certificate,
    InvigilatorAssignment,
    Room,
    RoomSession,
    Seat,
    Staff,
)

#: 002: a site's staff team has at least five members.
MIN_STAFF_TEAM = 5


def staff_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 6's status: the staff team's size and the rooms short of invigilators."""
    staff = count_rows(session, Staff)
    assignments = count_rows(session, InvigilatorAssignment)
    short = len(room_sessions_short_of_invigilators(session))
    problems: list[Problem] = []
    if staff and staff < MIN_STAFF_TEAM:
        problems.append(error("status.staff_team_small", count=staff, minimum=MIN_STAFF_TEAM))
    if assignments and short:
        problems.append(error("status.rooms_short_of_invigilators", count=short))
    figure = (
        notice("status.figure_assignments", count=assignments)
        if assignments
        else notice("status.figure_no_assignments", staff=staff)
    )
    summary = {"staff": staff, "assignments": assignments, "room_sessions_short": short}
    return step_status(Step.STAFF, assignments, summary, problems, figure)


def room_sessions_short_of_invigilators(session: Session) -> list[tuple[int, int, int]]:
    """Each room session with fewer invigilators than its certificate's rule asks for the
    candidates seated there: ``(room session id, assigned, required)``."""
    assigned = dict(
        session.execute(
            select(InvigilatorAssignment.room_session_id, func.count()).group_by(
                InvigilatorAssignment.room_session_id
            )
        ).all()
    )
    seated = dict(
        session.execute(
            select(Seat.room_session_id, func.count()).group_by(Seat.room_session_id)
        ).all()
    )
    rows = session.execute(
        select(RoomSession.id, Certificate.invigilator_rule)
        .join(Room, Room.id == RoomSession.room_id)
        .join(Certificate, Certificate.id == Room.certificate_id)
    ).all()
    short = []
    for room_session_id, rule in rows:
        required = rule.required(seated.get(room_session_id, 0))
        if assigned.get(room_session_id, 0) < required:
            short.append((room_session_id, assigned.get(room_session_id, 0), required))
    return short
