"""Step 7, the arrangement (排考): every subject record in a room session and a seat.

The page and the seating come with the arrangement issue; today this module owns the
step's status.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice
from examsite.domain.workflow import Step
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.db import count_rows
from examsite.storage.models import RegistrationSubject, Seat


def arrangement_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 7's status: seats given, and subject records still without one."""
    seats = count_rows(session, Seat)
    records = count_rows(session, RegistrationSubject)
    problems: list[Problem] = []
    if seats and seats < records:
        problems.append(error("status.unseated", count=records - seats))
    figure = (
        notice("status.figure_seats", count=seats) if seats else notice("status.figure_no_seats")
    )
    return step_status(Step.ARRANGEMENT, seats, {"seats": seats}, problems, figure)
