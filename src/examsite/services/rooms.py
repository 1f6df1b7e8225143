"""Step 5, rooms (考场): the rooms of a plan, their seats and type.

The page comes with the rooms issue; today this module owns the step's status.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice
from examsite.domain.workflow import Step
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.db import count_rows
from examsite.storage.models import Registration, Room


def rooms_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 5's status: rooms and seats, and whether the seats hold the registrations."""
    rooms = count_rows(session, Room)
    seats = session.scalar(select(func.coalesce(func.sum(Room.seats), 0))) or 0
    registrations = count_rows(session, Registration)
    problems: list[Problem] = []
    if rooms and seats < registrations:
        problems.append(error("status.rooms_too_small", seats=seats, candidates=registrations))
    figure = (
        notice("status.figure_rooms", rooms=rooms, seats=seats)
        if rooms
        else notice("status.figure_no_rooms")
    )
    return step_status(Step.ROOMS, rooms, {"rooms": rooms, "seats": seats}, problems, figure)
