"""Reading a plan's room sessions for the invigilator rules: who sits there (seated, or
projected before the arrangement), who is assigned, and everyone's duties.

"Candidates in a room session" are the seated ones (``Seat`` rows) once the session has
any seat. Before the arrangement they are projected: the plan's registrations for the
certificate, split over the certificate's rooms by capacity in room order (name, then
creation); their majors and classes are those of every registered candidate of that
certificate in the plan (conservative: a teacher of any of them stays out).

Nothing here writes: a room × session pair without its ``RoomSession`` row yet is read as
one with no seats and no assignment (the writers call ``ensure_room_sessions`` first).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.invigilation import Duty, Person, Slot, required_for
from examsite.domain.staff_roles import Role, read_roles
from examsite.services.staff import duty_cap_in
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    ExamSession,
    InvigilatorAssignment,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
    Staff,
    Subject,
)

K = TypeVar("K")


@dataclass(frozen=True)
class Stored:
    """An assignment as stored."""

    id: int
    staff_id: int
    manual: bool
    warnings: tuple[dict[str, Any], ...]


@dataclass
class SlotFacts:
    """One room session of the plan, with what the rules need."""

    slot: Slot
    room_id: int
    room_uid: str
    session_id: int
    session_uid: str
    subject: str
    room_session_id: int | None
    projected: bool
    assigned: list[Stored] = field(default_factory=list)


@dataclass
class PlanData:
    plan: ExamPlan
    slots: list[SlotFacts]
    people: dict[int, Person]
    names: dict[int, tuple[str, str, str, str]]  # staff id -> uid, name, phone, department
    other_duties: list[Duty]  # other plans' duties (busy elsewhere)

    def duties(self, *, without: int | None = None) -> list[Duty]:
        """Every duty (this plan's assignments and other plans'), but assignment
        ``without``."""
        duties = list(self.other_duties)
        for facts in self.slots:
            slot = facts.slot
            for stored in facts.assigned:
                if stored.id != without:
                    duties.append(Duty(stored.staff_id, slot.start, slot.end, slot.key, slot.room))
        return duties


def load_people(session: Session) -> tuple[dict[int, Person], dict[int, tuple[str, str, str, str]]]:
    default_cap = duty_cap_in(session)
    people: dict[int, Person] = {}
    names: dict[int, tuple[str, str, str, str]] = {}
    for s in session.scalars(select(Staff).order_by(Staff.id)):
        majors: set[str] = set()
        for major in s.majors_taught:
            if isinstance(major, dict):
                majors.update(str(v).strip() for k, v in major.items() if k in ("code", "name"))
        majors.discard("")
        people[s.id] = Person(
            key=s.id,
            name=s.name,
            department=s.department.strip(),
            invigilator=Role.INVIGILATOR in read_roles(s.roles),
            certified=s.certified,
            majors=frozenset(majors),
            classes=frozenset(str(c).strip() for c in s.classes_taught if str(c).strip()),
            cap=s.daily_duty_cap or default_cap,
        )
        names[s.id] = (s.uid, s.name, s.phone, s.department)
    return people, names


def load_plan(session: Session, plan: ExamPlan) -> PlanData:
    """Everything the rules need about ``plan``'s room sessions."""
    rooms = session.scalars(
        select(Room).where(Room.plan_id == plan.id).order_by(Room.name, Room.id)
    ).all()
    exams = session.execute(
        select(ExamSession, Subject.certificate_id, Subject.name)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .where(ExamSession.plan_id == plan.id)
        .order_by(ExamSession.starts_at, ExamSession.id)
    ).all()
    rules = dict(
        session.execute(
            select(Certificate.id, Certificate.invigilator_rule).where(
                Certificate.id.in_({r.certificate_id for r in rooms})
            )
        ).all()
    )
    existing = {
        (room_id, session_id): rs_id
        for rs_id, room_id, session_id in session.execute(
            select(RoomSession.id, RoomSession.room_id, RoomSession.session_id)
            .join(Room, Room.id == RoomSession.room_id)
            .where(Room.plan_id == plan.id)
        )
    }
    seated = _seated(session, plan)
    seated_sessions = {session_id for (_room, session_id) in seated}
    registered = _registered(session, plan)
    order = {room.id: index for index, room in enumerate(rooms)}
    slots: list[SlotFacts] = []
    for exam, certificate_id, subject_name in exams:
        cert_rooms = [r for r in rooms if r.certificate_id == certificate_id]
        projected = exam.id not in seated_sessions
        count, majors, classes = registered.get(certificate_id, (0, frozenset(), frozenset()))
        shares = _split(count, [r.capacity for r in cert_rooms])
        for room, share in zip(cert_rooms, shares, strict=True):
            if projected:
                candidates, room_majors, room_classes = share, majors, classes
            else:
                candidates, room_majors, room_classes = seated.get(
                    (room.id, exam.id), (0, frozenset(), frozenset())
                )
            if not candidates:
                room_majors = room_classes = frozenset()
            rule = rules[certificate_id]
            rs_id = existing.get((room.id, exam.id))
            slot = Slot(
                key=len(slots),
                room=room.name,
                start=exam.starts_at,
                end=exam.ends_at,
                candidates=candidates,
                required=required_for(candidates, rule.required(candidates)),
                majors=room_majors,
                classes=room_classes,
                order=order[room.id],
            )
            slots.append(
                SlotFacts(
                    slot, room.id, room.uid, exam.id, exam.uid, subject_name, rs_id, projected
                )
            )
    _attach_assignments(session, slots)
    people, names = load_people(session)
    return PlanData(plan, slots, people, names, _other_duties(session, plan))


def _split(count: int, capacities: list[int]) -> list[int]:
    """``count`` candidates over rooms of ``capacities``, each filled in turn."""
    shares = []
    for capacity in capacities:
        share = min(max(capacity, 0), count)
        shares.append(share)
        count -= share
    return shares


def _seated(
    session: Session, plan: ExamPlan
) -> dict[tuple[int, int], tuple[int, frozenset[str], frozenset[str]]]:
    rows = session.execute(
        select(
            RoomSession.room_id,
            RoomSession.session_id,
            Candidate.major_code,
            Candidate.major,
            Candidate.class_name,
        )
        .select_from(Seat)
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .join(Room, Room.id == RoomSession.room_id)
        .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .where(Room.plan_id == plan.id)
    )
    return _gather(((room, exam), code, major, klass) for room, exam, code, major, klass in rows)


def _registered(
    session: Session, plan: ExamPlan
) -> dict[int, tuple[int, frozenset[str], frozenset[str]]]:
    rows = session.execute(
        select(Registration.certificate_id, Candidate.major_code, Candidate.major)
        .add_columns(Candidate.class_name)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .where(Registration.plan_id == plan.id)
    )
    return _gather((cert, code, major, klass) for cert, code, major, klass in rows)


def _gather(
    rows: Iterable[tuple[K, str | None, str | None, str | None]],
) -> dict[K, tuple[int, frozenset[str], frozenset[str]]]:
    counts: dict[K, int] = defaultdict(int)
    majors: dict[K, set[str]] = defaultdict(set)
    classes: dict[K, set[str]] = defaultdict(set)
    for key, code, major, klass in rows:
        counts[key] += 1
        majors[key].update(v.strip() for v in (code or "", major or "") if v and v.strip())
        if klass and klass.strip():
            classes[key].add(klass.strip())
    return {k: (n, frozenset(majors[k]), frozenset(classes[k])) for k, n in counts.items()}


def _attach_assignments(session: Session, slots: list[SlotFacts]) -> None:
    by_rs = {f.room_session_id: f for f in slots if f.room_session_id is not None}
    if not by_rs:
        return
    rows = session.execute(
        select(
            InvigilatorAssignment.id,
            InvigilatorAssignment.room_session_id,
            InvigilatorAssignment.staff_id,
            InvigilatorAssignment.manual,
            InvigilatorAssignment.warnings,
        )
        .where(InvigilatorAssignment.room_session_id.in_(list(by_rs)))
        .order_by(InvigilatorAssignment.id)
    )
    for a_id, rs_id, staff_id, manual, warnings in rows:
        by_rs[rs_id].assigned.append(Stored(a_id, staff_id, manual, tuple(warnings or ())))


def _other_duties(session: Session, plan: ExamPlan) -> list[Duty]:
    rows = session.execute(
        select(InvigilatorAssignment.staff_id, ExamSession.starts_at, ExamSession.ends_at)
        .add_columns(Room.name)
        .join(RoomSession, RoomSession.id == InvigilatorAssignment.room_session_id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .join(Room, Room.id == RoomSession.room_id)
        .where(ExamSession.plan_id != plan.id)
    )
    return [Duty(staff, start, end, None, room) for staff, start, end, room in rows]
