"""Step 11, results (成绩): its status, kept light (the window asks it on every refresh):
how many subject scores are in, how many expected records still lack one, and how many
scores are of candidates recorded absent on exam day (to check)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite.domain.attendance import NOT_SAT
from examsite.domain.problems import Problem, notice, warning
from examsite.domain.workflow import Step
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.models import Attendance, RegistrationSubject, Score, Seat

WITHDRAWN = "withdrawn"  # services.seating_data.WITHDRAWN (not imported: kept light)


def results_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 11's status: scores in, scores missing, scores of absent candidates."""
    records = (
        session.scalar(
            select(func.count())
            .select_from(RegistrationSubject)
            .where(RegistrationSubject.status != WITHDRAWN)
        )
        or 0
    )
    scored = (
        session.scalar(
            select(func.count())
            .select_from(Score)
            .join(RegistrationSubject, RegistrationSubject.id == Score.registration_subject_id)
            .where(RegistrationSubject.status != WITHDRAWN)
        )
        or 0
    )
    absent_scored = (
        session.scalar(
            select(func.count())
            .select_from(Score)
            .join(Seat, Seat.registration_subject_id == Score.registration_subject_id)
            .join(Attendance, Attendance.seat_id == Seat.id)
            .where(Score.status == "scored", Attendance.status.in_([s.value for s in NOT_SAT]))
        )
        or 0
    )
    missing = max(records - scored, 0)
    problems: list[Problem] = []
    if scored and missing:
        problems.append(warning("scores.status_missing", count=missing))
    if absent_scored:
        problems.append(warning("scores.status_absent_scored", count=absent_scored))
    figure = (
        notice("scores.figure_scored", scored=scored, records=records)
        if scored
        else notice("scores.figure_none")
    )
    summary = {"scores": scored, "missing": missing, "absent_scored": absent_scored}
    return step_status(Step.RESULTS, scored, summary, problems, figure)
