"""Step 4, registration (报考): candidates registered for a plan's certificate and level.

The page, the import and the checks come with the registration issue; today this module
owns the step's status.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, notice, warning
from examsite.domain.workflow import Step
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.db import count_rows
from examsite.storage.models import Registration, RegistrationSubject

#: Days before the registration deadline from which the step warns.
DEADLINE_WARNING_DAYS = 7


def registration_status(session: Session, facts: RoundFacts) -> StepStatus:
    """Step 4's status: registrations and their subject records, and a deadline close by."""
    registrations = count_rows(session, Registration)
    records = count_rows(session, RegistrationSubject)
    problems: list[Problem] = []
    open_plans = [p for p in facts.plans if p.days_left > 0]
    if open_plans and open_plans[0].days_left <= DEADLINE_WARNING_DAYS:
        nearest = open_plans[0]
        problems.append(warning("status.deadline_near", plan=nearest.name, days=nearest.days_left))
    figure = (
        notice("status.figure_registrations", count=registrations)
        if registrations
        else notice("status.figure_no_registrations")
    )
    summary = {"registrations": registrations, "subject_records": records}
    return step_status(Step.REGISTRATION, registrations, summary, problems, figure)
