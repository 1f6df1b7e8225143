"""Everything the rooms page shows for one plan, read in one job: the plans to choose
from, the plan's rooms, the capacity check, the site's labs, the sessions and the
timetable's clashes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from examsite import clock
from examsite.messages import text
from examsite.services.labs import LabInfo, list_labs_in
from examsite.services.plans import find_plan
from examsite.services.rooms import (
    RoomInfo,
    SessionCheck,
    check_capacity_in,
    list_rooms_in,
    locked,
)
from examsite.services.sessions import SessionInfo, list_sessions
from examsite.services.timetable_check import Clash, check_timetable_in
from examsite.storage.db import Database
from examsite.storage.models import ExamPlan, Site


@dataclass(frozen=True)
class PlanChoice:
    code: str
    name: str
    certificates: tuple[tuple[str, str, str], ...]  # (code, name, level)


@dataclass(frozen=True)
class RoomsView:
    plans: tuple[PlanChoice, ...]
    plan_code: str | None
    rooms: tuple[RoomInfo, ...] = ()
    checks: tuple[SessionCheck, ...] = ()
    labs: tuple[LabInfo, ...] = ()
    sessions: tuple[SessionInfo, ...] = ()
    clashes: tuple[Clash, ...] = ()
    has_site: bool = False
    locked: str = ""  # why the plan's rooms can no longer change ("" while they can)

    @property
    def short_sessions(self) -> int:
        return sum(1 for c in self.checks if c.short_by)


def rooms_view(db: Database, plan_code: str | None = None) -> RoomsView:
    """The page's data for ``plan_code`` (None: the site's plan whose exam comes next)."""
    with db.read() as session:
        site = session.scalars(select(Site).order_by(Site.id)).first()
        offered = {c.id for c in site.certificates} if site else set()
        all_plans = session.scalars(select(ExamPlan).order_by(ExamPlan.registration_end)).all()
        mine = [p for p in all_plans if any(c.id in offered for c in p.certificates)]
        plans = mine or list(all_plans)
        choices = tuple(
            PlanChoice(
                p.code,
                p.name,
                tuple(
                    (c.code, c.name, c.level)
                    for c in p.certificates
                    if not offered or c.id in offered
                ),
            )
            for p in plans
        )
        if plan_code is None or plan_code not in {p.code for p in plans}:
            now = clock.now()
            upcoming = [p for p in plans if p.exam_end >= now]
            chosen = (upcoming or plans)[0] if plans else None
            plan_code = chosen.code if chosen else None
        if plan_code is None:
            return RoomsView(choices, None, has_site=site is not None)
        plan = find_plan(session, plan_code)
        rooms = list_rooms_in(session, plan)
        checks = check_capacity_in(session, plan)
        labs = list_labs_in(session)
        clashes = check_timetable_in(session, plan_code)
        has_site = site is not None
        reason = ""
        if locked(plan):
            reason = text(
                "rooms.plan_locked", plan=plan.name, start=f"{plan.exam_start:%Y-%m-%d %H:%M}"
            )
    sessions = list_sessions(db, plan_code)
    return RoomsView(choices, plan_code, rooms, checks, labs, sessions, clashes, has_site, reason)
