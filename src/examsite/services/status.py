"""The round's progress at a glance: counts per step, what is wrong, days to each deadline.

The same data feeds ``examsite-cli status`` and the dashboard page.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite.domain.candidate_status import CandidateStatus
from examsite.domain.problems import Problem, error, warning
from examsite.domain.workflow import Step, StepState
from examsite.services.catalog import PlanInfo, plan_info
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    Candidate,
    ExamPlan,
    InvigilatorAssignment,
    Photo,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Score,
    Seat,
    Site,
    Staff,
)

MIN_STAFF_TEAM = 5  # 002: a site's staff team has at least five members


@dataclass(frozen=True)
class Deadline:
    window: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class PlanStatus:
    code: str
    name: str
    registration_deadline: dt.datetime
    days_left: int  # to the registration deadline; negative once passed
    next_deadline: Deadline | None  # the first window whose end is still ahead
    for_site: bool = False  # the plan examines a certificate the site offers


@dataclass(frozen=True)
class StepStatus:
    step: Step
    state: StepState
    summary: dict[str, int]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class RoundStatus:
    candidates: int
    registrations: int
    rooms: int
    candidates_by_status: dict[str, int]
    plans: tuple[PlanStatus, ...]
    steps: tuple[StepStatus, ...]
    site_name: str | None = None

    def step(self, step: Step) -> StepStatus:
        return next(s for s in self.steps if s.step is step)


def days_until(moment: dt.datetime, now: dt.datetime) -> int:
    """Whole days left until ``moment`` (1 while less than a day is left, 0 or less after)."""
    return math.ceil((moment - now).total_seconds() / 86400)


def plan_status(plan: PlanInfo, now: dt.datetime, *, for_site: bool = False) -> PlanStatus:
    _start, end = plan.window("registration")
    upcoming = [Deadline(w, s, e) for w, s, e in plan.windows if e >= now]
    return PlanStatus(
        plan.code,
        plan.name,
        end,
        days_until(end, now),
        upcoming[0] if upcoming else None,
        for_site,
    )


def round_status(db: Database, *, now: dt.datetime | None = None) -> RoundStatus:
    """Compute the round's status in one read-only session."""
    now = now or dt.datetime.now()
    with db.read() as session:
        by_status = dict(
            session.execute(select(Candidate.status, func.count()).group_by(Candidate.status)).all()
        )
        candidates = sum(by_status.values())
        registrations = _count(session, Registration)
        rooms = _count(session, Room)
        site = session.scalars(select(Site).order_by(Site.id)).first()
        offered = {c.id for c in site.certificates} if site else set()
        site_name = site.name if site else None
        plans = tuple(
            plan_status(plan_info(p), now, for_site=any(c.id in offered for c in p.certificates))
            for p in session.scalars(select(ExamPlan).order_by(ExamPlan.registration_end))
        )
        steps = (
            _site_step(session),
            _candidates_step(by_status),
            _photos_step(session, by_status),
            _registration_step(session, registrations, plans),
            _rooms_step(session, rooms, registrations),
            _staff_step(session, rooms),
            _arrangement_step(session),
            StepStatus(Step.MATERIALS, StepState.NOT_STARTED, {}, ()),
            StepStatus(Step.SYNC, StepState.NOT_STARTED, {}, ()),
            _counted_step(session, Step.EXAM_DAY, Attendance),
            _counted_step(session, Step.RESULTS, Score),
        )
    return RoundStatus(candidates, registrations, rooms, by_status, plans, steps, site_name)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _state(count: int, problems: list[Problem]) -> StepState:
    if any(p.is_error for p in problems):
        return StepState.PROBLEMS
    if count == 0:
        return StepState.NOT_STARTED
    return StepState.IN_PROGRESS if problems else StepState.DONE


def _site_step(session: Session) -> StepStatus:
    sites = _count(session, Site)
    staff = _count(session, Staff)
    problems: list[Problem] = []
    if sites and staff < MIN_STAFF_TEAM:
        problems.append(error("status.staff_team_small", count=staff, minimum=MIN_STAFF_TEAM))
    if sites and not session.scalar(
        select(func.count()).select_from(Site).where(Site.certificates.any())
    ):
        problems.append(error("status.site_without_certificate"))
    return StepStatus(
        Step.SITE, _state(sites, problems), {"sites": sites, "staff": staff}, tuple(problems)
    )


def _candidates_step(by_status: dict[str, int]) -> StepStatus:
    total = sum(by_status.values())
    problems: list[Problem] = []
    if incomplete := by_status.get(CandidateStatus.INCOMPLETE, 0):
        problems.append(error("status.candidates_incomplete", count=incomplete))
    if manual := by_status.get(CandidateStatus.MANUAL, 0):
        problems.append(error("status.candidates_manual", count=manual))
    return StepStatus(
        Step.CANDIDATES, _state(total, problems), {"candidates": total}, tuple(problems)
    )


def _photos_step(session: Session, by_status: dict[str, int]) -> StepStatus:
    photos = _count(session, Photo)
    rejected = session.scalar(select(func.count()).where(Photo.verdict == "rejected")) or 0
    without = by_status.get(CandidateStatus.NO_PHOTO, 0)
    problems: list[Problem] = []
    if rejected:
        problems.append(error("status.photos_rejected", count=rejected))
    if without and photos:
        problems.append(error("status.photos_missing", count=without))
    summary = {"photos": photos, "rejected": rejected, "missing": without}
    return StepStatus(Step.PHOTOS, _state(photos, problems), summary, tuple(problems))


def _registration_step(
    session: Session, registrations: int, plans: tuple[PlanStatus, ...]
) -> StepStatus:
    subjects = _count(session, RegistrationSubject)
    problems: list[Problem] = []
    open_plans = [p for p in plans if p.days_left > 0]
    if open_plans and 0 < open_plans[0].days_left <= 7:
        problems.append(
            warning("status.deadline_near", plan=open_plans[0].name, days=open_plans[0].days_left)
        )
    summary = {"registrations": registrations, "subject_records": subjects}
    return StepStatus(Step.REGISTRATION, _state(registrations, problems), summary, tuple(problems))


def _rooms_step(session: Session, rooms: int, registrations: int) -> StepStatus:
    seats = session.scalar(select(func.coalesce(func.sum(Room.seats), 0))) or 0
    problems: list[Problem] = []
    if rooms and seats < registrations:
        problems.append(error("status.rooms_too_small", seats=seats, candidates=registrations))
    return StepStatus(
        Step.ROOMS, _state(rooms, problems), {"rooms": rooms, "seats": seats}, tuple(problems)
    )


def _staff_step(session: Session, rooms: int) -> StepStatus:
    assignments = _count(session, InvigilatorAssignment)
    per_room_session = dict(
        session.execute(
            select(InvigilatorAssignment.room_session_id, func.count()).group_by(
                InvigilatorAssignment.room_session_id
            )
        ).all()
    )
    short = sum(
        1
        for room_session_id in session.scalars(select(RoomSession.id))
        if per_room_session.get(room_session_id, 0) < 2
    )
    problems: list[Problem] = []
    if assignments and short:
        problems.append(error("status.rooms_short_of_invigilators", count=short))
    summary = {"assignments": assignments, "rooms_short": short if assignments else rooms}
    return StepStatus(Step.STAFF, _state(assignments, problems), summary, tuple(problems))


def _arrangement_step(session: Session) -> StepStatus:
    seats = _count(session, Seat)
    records = _count(session, RegistrationSubject)
    problems: list[Problem] = []
    if seats and seats < records:
        problems.append(error("status.unseated", count=records - seats))
    return StepStatus(Step.ARRANGEMENT, _state(seats, problems), {"seats": seats}, tuple(problems))


def _counted_step(session: Session, step: Step, model: type) -> StepStatus:
    count = _count(session, model)
    return StepStatus(step, _state(count, []), {"records": count}, ())
