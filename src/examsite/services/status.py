"""The round's progress at a glance: every step's status, the candidates' figures and the
days to each deadline. The same data feeds ``examsite-cli status``, the sidebar and the
dashboard page.

Each step decides its own status in its service module (``STEP_STATUS``); this module only
collects them. A step whose page is not built yet (``domain.workflow.BUILT_STEPS``) never
shows as done or wrong: the coordinator could do nothing about it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.problems import notice
from examsite.domain.workflow import BUILT_STEPS, STEPS, Step, StepState
from examsite.services.arrangement import arrangement_status
from examsite.services.candidate_state import CandidateCounts, count_candidates
from examsite.services.candidates import candidates_status
from examsite.services.catalog import plan_info
from examsite.services.checkin_status import exam_day_status
from examsite.services.photos import photos_status
from examsite.services.print_settings import materials_status
from examsite.services.registration import registration_status
from examsite.services.results_status import results_status
from examsite.services.rooms import rooms_status
from examsite.services.site import site_status
from examsite.services.staff import staff_status
from examsite.services.step_status import (
    Deadline,
    PlanStatus,
    RoundFacts,
    StepStatus,
    days_until,
    plan_status,
)
from examsite.services.sync_status import sync_status
from examsite.storage.db import Database
from examsite.storage.models import ExamPlan, Site

__all__ = [
    "Deadline",
    "PlanStatus",
    "RoundStatus",
    "StepStatus",
    "days_until",
    "plan_status",
    "round_status",
]

StatusOfStep = Callable[[Session, RoundFacts], StepStatus]

#: Each step's own status, from its service module.
STEP_STATUS: Mapping[Step, StatusOfStep] = {
    Step.SITE: site_status,
    Step.CANDIDATES: candidates_status,
    Step.PHOTOS: photos_status,
    Step.REGISTRATION: registration_status,
    Step.ROOMS: rooms_status,
    Step.STAFF: staff_status,
    Step.ARRANGEMENT: arrangement_status,
    Step.MATERIALS: materials_status,
    Step.SYNC: sync_status,
    Step.EXAM_DAY: exam_day_status,
    Step.RESULTS: results_status,
}


@dataclass(frozen=True)
class RoundStatus:
    candidates: CandidateCounts
    plans: tuple[PlanStatus, ...]
    steps: tuple[StepStatus, ...]
    site_name: str | None = None

    def step(self, step: Step) -> StepStatus:
        return next(s for s in self.steps if s.step is step)

    @property
    def registrations(self) -> int:
        return self.step(Step.REGISTRATION).summary.get("registrations", 0)

    @property
    def rooms(self) -> int:
        return self.step(Step.ROOMS).summary.get("rooms", 0)


def round_status(db: Database, *, now: dt.datetime | None = None) -> RoundStatus:
    """Compute the round's status in one read-only session."""
    now = now or clock.now()
    with db.read() as session:
        site = session.scalars(select(Site).order_by(Site.id)).first()
        offered = {c.id for c in site.certificates} if site else set()
        plans = tuple(
            plan_status(plan_info(p), now, for_site=any(c.id in offered for c in p.certificates))
            for p in session.scalars(select(ExamPlan).order_by(ExamPlan.registration_end))
        )
        facts = RoundFacts(now, count_candidates(session), plans)
        steps = tuple(_status_of(step, session, facts) for step in STEPS)
        site_name = site.name if site else None
    return RoundStatus(facts.candidates, plans, steps, site_name)


def _status_of(step: Step, session: Session, facts: RoundFacts) -> StepStatus:
    decide = STEP_STATUS.get(step)
    if decide is None:
        return StepStatus(step, StepState.NOT_STARTED, {}, (), notice(f"status.figure_{step}"))
    status = decide(session, facts)
    if step not in BUILT_STEPS:
        return dataclasses.replace(status, state=StepState.NOT_STARTED, problems=())
    return status
