"""Step 6, staff and invigilators (监考): the staff roster and who invigilates where.

The page comes with the invigilators issue; today this module owns the step's status.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice
from examsite.domain.workflow import Step
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.models import Certificate, InvigilatorAssignment, Room, Staff

#: 002: a site's staff team has at least five members.
MIN_STAFF_TEAM = 5


def staff_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 6's status: the staff team's size and the rooms short of invigilators."""
    staff = session.scalar(select(func.count()).select_from(Staff)) or 0
    assignments = session.scalar(select(func.count()).select_from(InvigilatorAssignment)) or 0
    per_room = dict(
        session.execute(
            select(InvigilatorAssignment.room_id, func.count()).group_by(
                InvigilatorAssignment.room_id
            )
        ).all()
    )
    rules = session.execute(
        select(Room.id, Certificate.invigilator_rule).join(
            Certificate, Certificate.id == Room.certificate_id
        )
    ).all()
    short = sum(
        1 for room_id, rule in rules if per_room.get(room_id, 0) < rule.get("min_per_room", 2)
    )
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
    summary = {"staff": staff, "assignments": assignments, "rooms_short": short}
    return step_status(Step.STAFF, assignments, summary, problems, figure)
