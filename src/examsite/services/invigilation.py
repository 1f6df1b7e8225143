"""Who invigilates where (监考安排): the automatic assignment, changes by hand, the
explanations, and the per-room-session overview the page, the CLI and the status read.

The rules are ``domain.invigilation``; the plan's facts come from
``services.invigilation_data``. The automatic assignment keeps hand-made assignments
(``manual``) and replaces the automatic ones; it says what it could not fill. A hand-made
assignment that breaks a rule is stored with its warnings (``InvigilatorAssignment
.warnings``, ``[{"code", "params"}]``) and shown wherever it is listed. Every change goes
to the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from examsite.domain import invigilation as rules
from examsite.domain.problems import Problem, warning
from examsite.errors import InputError, NotFoundError
from examsite.progress import Progress
from examsite.services.audit import AuditEntry, record, record_many
from examsite.services.invigilation_data import (
    PlanData,
    SlotFacts,
    load_plan,
)
from examsite.services.plans import find_plan
from examsite.services.sessions import ensure_room_sessions
from examsite.services.staff import find_staff
from examsite.services.tombstones import assignment_keys, bury
from examsite.storage.db import Database
from examsite.storage.models import ExamPlan, InvigilatorAssignment, RoomSession

ACTOR = "user"


@dataclass(frozen=True)
class Assigned:
    """A person in a room session, with what is wrong with it (live and as stored)."""

    uid: str
    name: str
    phone: str
    department: str
    manual: bool
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class SlotRow:
    """One room session as the page and ``staff assignments`` show it."""

    room: str
    room_uid: str
    session_uid: str
    subject: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    candidates: int
    projected: bool  # candidates projected from registrations (no seats yet)
    required: int
    invigilators: tuple[Assigned, ...]

    @property
    def short(self) -> int:
        return max(0, self.required - len(self.invigilators))

    @property
    def breaking(self) -> int:
        return sum(1 for a in self.invigilators if _breaks(a))


@dataclass(frozen=True)
class PlanOverview:
    plan_code: str
    plan_name: str
    rows: tuple[SlotRow, ...]

    @property
    def short(self) -> int:
        """Room sessions with fewer invigilators than they need."""
        return sum(1 for r in self.rows if r.short)

    @property
    def breaking(self) -> int:
        """Assignments that break a rule now."""
        return sum(r.breaking for r in self.rows)


@dataclass(frozen=True)
class Shortfall:
    room: str
    session_uid: str
    starts_at: dt.datetime
    needed: int
    found: int
    reasons: tuple[Problem, ...]  # one per rule, with how many were left out for it


@dataclass(frozen=True)
class AssignReport:
    plan_code: str
    added: int
    replaced: int  # automatic assignments removed before the run
    kept_manual: int
    shortfalls: tuple[Shortfall, ...]

    @property
    def complete(self) -> bool:
        return not self.shortfalls


@dataclass(frozen=True)
class Verdict:
    """One person's place in a room session: assigned, or left out and why."""

    uid: str
    name: str
    department: str
    assigned: bool
    manual: bool
    allowed: bool  # no hard rule against them
    reasons: tuple[Problem, ...]


@dataclass(frozen=True)
class Explanation:
    room: str
    session_uid: str
    starts_at: dt.datetime
    candidates: int
    required: int
    people: tuple[Verdict, ...]


# --- reading ---------------------------------------------------------------------------


def plan_overview(db: Database, plan_code: str) -> PlanOverview:
    with db.read() as session:
        return overview_in(session, find_plan(session, plan_code))


def overview_in(session: Session, plan: ExamPlan, data: PlanData | None = None) -> PlanOverview:
    data = data or load_plan(session, plan)
    schedule = rules.Schedule(data.duties())
    teaching = rules.teaching_departments(data.people.values())
    rows = tuple(_row(data, facts, schedule, teaching) for facts in data.slots)
    return PlanOverview(plan.code, plan.name, rows)


def plan_overviews_in(session: Session) -> Iterator[PlanOverview]:
    """The overview of each plan that has rooms (for the step's status)."""
    from examsite.storage.models import Room

    plan_ids = set(session.scalars(select(Room.plan_id).distinct()))
    for plan in session.scalars(select(ExamPlan).where(ExamPlan.id.in_(plan_ids))):
        yield overview_in(session, plan)


def _row(
    data: PlanData, facts: SlotFacts, schedule: rules.Schedule, teaching: dict[str, set[str]]
) -> SlotRow:
    slot = facts.slot
    departments = rules.departments_of(teaching, slot)
    assigned = []
    for stored in facts.assigned:
        uid, name, phone, department = data.names[stored.staff_id]
        live = rules.reasons_against(data.people[stored.staff_id], slot, schedule, departments)
        problems = {p.code: p for p in (_problem(r) for r in live)}
        for plain in stored.warnings:
            code = str(plain.get("code", ""))
            if code and code not in problems:
                problems[code] = warning(code, **dict(plain.get("params") or {}))
        assigned.append(
            Assigned(uid, name, phone, department, stored.manual, tuple(problems.values()))
        )
    return SlotRow(
        room=slot.room,
        room_uid=facts.room_uid,
        session_uid=facts.session_uid,
        subject=facts.subject,
        starts_at=slot.start,
        ends_at=slot.end,
        candidates=slot.candidates,
        projected=facts.projected,
        required=slot.required,
        invigilators=tuple(assigned),
    )


def _problem(reason: rules.Reason) -> Problem:
    return warning(f"staff.reason_{reason.code}", **dict(reason.params))


def _breaks(assigned: Assigned) -> bool:
    hard = {f"staff.reason_{code}" for code in rules.HARD_REASONS}
    return any(p.code in hard for p in assigned.warnings)


def explain(db: Database, plan_code: str, room: str, session_uid: str) -> Explanation:
    """For each member of staff: assigned to this room session, or why not."""
    with db.read() as session:
        data = load_plan(session, find_plan(session, plan_code))
        facts = _slot(data, room, session_uid)
        slot = facts.slot
        in_slot = {s.staff_id: s for s in facts.assigned}
        schedule = rules.Schedule(data.duties())
        departments = rules.related_departments(data.people.values(), slot)
        people = []
        for key, person in sorted(data.people.items(), key=lambda kv: (kv[1].name, kv[0])):
            reasons = rules.reasons_against(person, slot, schedule, departments)
            stored = in_slot.get(key)
            problems = tuple(_problem(r) for r in reasons)
            if stored is None and not any(rules.is_hard(r) for r in reasons):
                problems = (*problems, warning("staff.reason_not_needed"))
            uid, name, _phone, department = data.names[key]
            people.append(
                Verdict(
                    uid,
                    name,
                    department,
                    stored is not None,
                    bool(stored and stored.manual),
                    not any(rules.is_hard(r) for r in reasons),
                    problems,
                )
            )
        return Explanation(
            slot.room, facts.session_uid, slot.start, slot.candidates, slot.required, tuple(people)
        )


def _slot(data: PlanData, room: str, session_uid: str) -> SlotFacts:
    for facts in data.slots:
        if facts.session_uid == session_uid and room in (facts.slot.room, facts.room_uid):
            return facts
    raise NotFoundError("staff.room_session_not_found", room=room, session=session_uid)


# --- the automatic assignment ----------------------------------------------------------


def assign_plan(db: Database, plan_code: str, progress: Progress | None = None) -> AssignReport:
    """Assign invigilators to every room session of the plan: hand-made assignments stay,
    automatic ones are made again. Writes what it could; ``shortfalls`` say the rest."""
    progress = progress or Progress()
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        progress.step(0, 3, "读取考场场次")
        ensure_room_sessions(session, plan.id)
        data = load_plan(session, plan)
        report = assign_in(session, data)
        progress.step(3, 3, "完成")
        return report


def assign_in(session: Session, data: PlanData) -> AssignReport:
    """The core of ``assign_plan`` on loaded data (room sessions already made)."""
    removed: list[AuditEntry] = []
    fixed: list[rules.Duty] = list(data.other_duties)
    automatic_ids: list[int] = []
    for facts in data.slots:
        slot = facts.slot
        keep = []
        for stored in facts.assigned:
            if stored.manual:
                keep.append(stored)
                fixed.append(rules.Duty(stored.staff_id, slot.start, slot.end, slot.key, slot.room))
            else:
                automatic_ids.append(stored.id)
                removed.append(_entry("delete", facts, data, stored.staff_id, manual=False))
        facts.assigned = keep
    if automatic_ids:
        bury(session, "assignment", assignment_keys(session, automatic_ids))
        session.execute(
            delete(InvigilatorAssignment).where(InvigilatorAssignment.id.in_(automatic_ids))
        )
    result = rules.assign([f.slot for f in data.slots], list(data.people.values()), fixed)
    rows: list[dict[str, Any]] = []
    added: list[AuditEntry] = []
    by_key = {f.slot.key: f for f in data.slots}
    for key, people in result.assigned.items():
        facts = by_key[key]
        for person in people:
            rows.append(
                {"room_session_id": facts.room_session_id, "staff_id": person, "manual": False}
            )
            added.append(_entry("create", facts, data, person, manual=False))
    if rows:
        session.execute(
            insert(InvigilatorAssignment),
            [{**row, "role": "invigilator", "warnings": []} for row in rows],
        )
    record_many(session, [*removed, *added])
    shortfalls = tuple(
        Shortfall(
            by_key[s.slot].slot.room,
            by_key[s.slot].session_uid,
            by_key[s.slot].slot.start,
            s.needed,
            s.found,
            tuple(
                warning(f"staff.left_out_{code}", count=count)
                for code, count in sorted(s.reasons.items())
                if count
            ),
        )
        for s in result.shortfalls
    )
    kept = sum(len(f.assigned) for f in data.slots)
    return AssignReport(data.plan.code, len(rows), len(automatic_ids), kept, shortfalls)


def _entry(
    action: str, facts: SlotFacts, data: PlanData, staff_id: int, *, manual: bool
) -> AuditEntry:
    state = {
        "plan": data.plan.code,
        "room": facts.slot.room,
        "session": facts.session_uid,
        "staff": data.names[staff_id][1],
        "manual": manual,
    }
    before, after = (None, state) if action == "create" else (state, None)
    entity_id = f"{facts.room_session_id}:{data.names[staff_id][0]}"
    return AuditEntry(action, "invigilator_assignment", entity_id, before, after, ACTOR)


# --- by hand ---------------------------------------------------------------------------


def assign_one(db: Database, plan_code: str, room: str, session_uid: str, staff: str) -> Assigned:
    """Put one person in a room session by hand. A rule it breaks does not refuse it: the
    warnings are stored with it and shown wherever it is listed."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        ensure_room_sessions(session, plan.id)
        person = find_staff(session, staff)
        data = load_plan(session, plan)
        facts = _slot(data, room, session_uid)
        existing = next((s for s in facts.assigned if s.staff_id == person.id), None)
        if existing is not None and existing.manual:
            raise InputError("staff.already_assigned", staff=person.name, room=facts.slot.room)
        schedule = rules.Schedule(data.duties(without=existing.id if existing else None))
        departments = rules.related_departments(data.people.values(), facts.slot)
        reasons = rules.reasons_against(data.people[person.id], facts.slot, schedule, departments)
        plain = [{"code": f"staff.reason_{r.code}", "params": dict(r.params)} for r in reasons]
        if existing is not None:
            row = session.get(InvigilatorAssignment, existing.id)
            assert row is not None
            row.manual, row.warnings = True, plain
            action = "update"
        else:
            rs_id = facts.room_session_id or _room_session_id(session, facts)
            session.add(
                InvigilatorAssignment(
                    room_session_id=rs_id, staff_id=person.id, manual=True, warnings=plain
                )
            )
            action = "create"
        entry = _entry(action, facts, data, person.id, manual=True)
        record(session, action, entry.entity, entry.entity_id, entry.before, entry.after, ACTOR)
        return Assigned(
            person.uid,
            person.name,
            person.phone,
            person.department,
            True,
            tuple(_problem(r) for r in reasons),
        )


def unassign(db: Database, plan_code: str, room: str, session_uid: str, staff: str) -> str:
    """Take one person out of a room session (hand-made or automatic); their name."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        person = find_staff(session, staff)
        data = load_plan(session, plan)
        facts = _slot(data, room, session_uid)
        stored = next((s for s in facts.assigned if s.staff_id == person.id), None)
        if stored is None:
            raise InputError("staff.not_assigned", staff=person.name, room=facts.slot.room)
        bury(session, "assignment", assignment_keys(session, [stored.id]))
        session.execute(delete(InvigilatorAssignment).where(InvigilatorAssignment.id == stored.id))
        entry = _entry("delete", facts, data, person.id, manual=stored.manual)
        record(session, "delete", entry.entity, entry.entity_id, entry.before, None, ACTOR)
        return person.name


def _room_session_id(session: Session, facts: SlotFacts) -> int:
    found = session.scalar(
        select(RoomSession.id).where(
            RoomSession.room_id == facts.room_id, RoomSession.session_id == facts.session_id
        )
    )
    assert found is not None  # ensure_room_sessions made it
    return found


@dataclass(frozen=True)
class PlanChoice:
    code: str
    name: str


def plans_with_rooms(db: Database) -> tuple[PlanChoice, ...]:
    """The plans that have rooms at the site, newest exam first (the page's choice)."""
    from examsite.storage.models import Room

    with db.read() as session:
        plans = session.scalars(
            select(ExamPlan)
            .where(ExamPlan.id.in_(select(Room.plan_id)))
            .order_by(ExamPlan.exam_start.desc(), ExamPlan.code)
        )
        return tuple(PlanChoice(p.code, p.name) for p in plans)
