"""Step 7, the arrangement (排考): every subject record in a room session and a seat, and
every seated registration with a ticket number.

``run_arrangement`` seats whoever has no seat yet (``domain.seating``: classmates apart,
theory and practical in the same room, nobody already seated moved) and gives the newly
seated registrations their ticket numbers (``domain.ticket_number``). When any subject
has more records to seat than free seats it writes nothing and says, per session, how many
would be left without a seat. ``arrangement_rows`` is what ``arrange show`` prints;
``room_plans`` what the page draws. The late changes are in ``services.seating_changes``,
the platform's official arrangement in ``services.arrangement_import``.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice, warning
from examsite.domain.seating import STRATEGIES, Placement, arrange
from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.progress import Progress
from examsite.services.audit import record
from examsite.services.plans import find_plan
from examsite.services.seating_data import (
    ACTOR,
    ARRANGED,
    WITHDRAWN,
    PlanData,
    check_open,
    is_closed,
    load_plan,
)
from examsite.services.sessions import ensure_room_sessions
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.bulk import insert_rows, update_rows
from examsite.storage.db import Database, count_rows
from examsite.storage.models import (
    Candidate,
    ExamPlan,
    ExamSession,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
    Subject,
)
from examsite.storage.sql import among, least

_SEAT_TABLE = cast(Table, Seat.__table__)
_MINUTE = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class ArrangeResult:
    """What a run did: seats given now, seats kept, tickets given now, records seated in
    all, records to seat in all (withdrawn ones not counted)."""

    plan: str
    strategy: str
    seated: int
    kept: int
    tickets: int
    total: int
    room_sessions_made: int


@dataclass(frozen=True)
class ArrangedRow:
    """One candidate in one session, as ``arrange show`` prints it."""

    ticket: str
    id_number: str
    name: str
    subject: str
    session_start: dt.datetime
    room: str
    seat: int


@dataclass(frozen=True)
class SeatView:
    """A seat of a room plan with who sits there (``group`` is the class, "" for none)."""

    seat: int
    id_number: str
    name: str
    ticket: str
    group: str
    official: bool


@dataclass(frozen=True)
class RoomPlan:
    """A room session as the page draws it."""

    uid: str
    session_uid: str
    room: str
    subject: str
    starts_at: dt.datetime
    capacity: int
    seats: tuple[SeatView, ...]


@dataclass(frozen=True)
class Unseated:
    """A subject record without a seat (``withdrawn`` when taken out on purpose)."""

    id_number: str
    name: str
    subject: str
    withdrawn: bool


# --- the run ---------------------------------------------------------------------------


def run_arrangement(
    db: Database,
    plan_code: str,
    strategy: str = "class-spread",
    progress: Progress | None = None,
) -> ArrangeResult:
    """Seat everyone of the plan who has no seat yet (see ``run_arrangement_in``)."""
    with no_gc_pauses(), db.unit_of_work() as session:
        return run_arrangement_in(session, plan_code, strategy, progress)


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """The cyclic garbage collector off while a run makes its tens of thousands of small,
    acyclic objects (as the candidate import does: it would scan them again and again)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_arrangement_in(
    session: Session,
    plan_code: str,
    strategy: str = "class-spread",
    progress: Progress | None = None,
) -> ArrangeResult:
    """Seat every record of the plan without a seat, keeping every seat given; refuse the
    whole run (writing nothing) when a subject has not enough free seats."""
    if strategy not in STRATEGIES:
        raise InputError("arrange.unknown_strategy", strategy=strategy, known="、".join(STRATEGIES))
    progress = progress or Progress()
    plan = find_plan(session, plan_code)
    check_open(plan)
    made = ensure_room_sessions(session, plan.id)
    progress.step(1, 4, "读取报考与考场")
    data = load_plan(session, plan)
    progress.check_cancelled()
    progress.step(2, 4, "编排考位")
    kept = len(data.seats)
    result = arrange(data.pools(), data.seats, data.groups(), strategy)
    if result.shortages:
        raise shortage_error(data, {s.pool: s.unseated for s in result.shortages})
    progress.check_cancelled()
    progress.step(3, 4, "写入考位与准考证号")
    tickets = write_placements(session, data, result.placements)
    total = sum(1 for r in data.records.values() if r.status != WITHDRAWN)
    record(
        session,
        "create",
        "arrangement",
        plan.code,
        None,
        {"strategy": strategy, "seated": len(result.placements), "tickets": tickets},
        ACTOR,
    )
    progress.step(4, 4, "完成")
    return ArrangeResult(
        plan.code,
        strategy,
        len(result.placements),
        kept,
        tickets,
        total,
        made,
    )


def shortage_error(data: PlanData, unseated: Mapping[object, int]) -> InputError:
    """The refusal of a run that would leave records without a seat: one problem per
    subject (its first session), with the count left out and the seats free."""
    problems: list[Problem] = []
    for subject, count in unseated.items():
        assert isinstance(subject, int)
        slots = [data.slots[k] for k in data.subject_slots.get(subject, [])]
        start = data.subject_start.get(subject)
        problems.append(
            error(
                "arrange.session_short" if slots else "arrange.session_without_rooms",
                subject=data.subject_names.get(subject, str(subject)),
                start=f"{start:{_MINUTE}}" if start else "—",
                count=count,
                rooms=len(slots),
            )
        )
    return InputError(
        "arrange.seats_short",
        problems=problems,
        count=sum(unseated.values()),
        sessions=len(problems),
    )


def write_placements(session: Session, data: PlanData, placements: tuple[Placement, ...]) -> int:
    """Insert the new seats, mark their records arranged and give the registrations
    without a ticket theirs. Returns how many tickets were given."""
    if not placements:
        return 0
    insert_rows(
        session,
        _SEAT_TABLE,
        [
            {"room_session_id": p.slot, "registration_subject_id": p.record, "seat_number": p.seat}
            for p in placements
        ],
        once=("created_at", "updated_at"),
    )
    set_status(session, [p.record for p in placements], ARRANGED)
    seats = {**data.seats, **{p.record: (p.slot, p.seat) for p in placements}}
    given = sorted(
        {data.records[p.record].registration for p in placements}
        - {reg for reg, ticket in data.tickets.items() if ticket}
    )
    if given:
        numbers = {reg: data.new_ticket(reg, seats) for reg in given}
        # Not the ORM's bulk update by key: it costs 10 times more here.
        update_rows(
            session,
            cast(Table, Registration.__table__),
            "id",
            [{"id": reg, "ticket_number": number} for reg, number in numbers.items()],
        )
        data.tickets.update(numbers)
    data.seats.update({p.record: (p.slot, p.seat) for p in placements})
    return len(given)


def set_status(session: Session, records: list[int], status: str) -> None:
    """Set the status of many subject records."""
    for condition in among(session, RegistrationSubject.id, records):
        session.execute(
            update(RegistrationSubject)
            .where(condition)
            .values(status=status)
            .execution_options(synchronize_session=False)
        )


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanChoice:
    """A plan the page offers: with its registrations and rooms counted."""

    code: str
    name: str
    registrations: int
    rooms: int
    closed: str  # "" while seats may change, else the end of the exam window


def arrangement_plans(db: Database) -> tuple[PlanChoice, ...]:
    """The exam plans, those with registrations first (then by code)."""
    with db.read() as session:
        return arrangement_plans_in(session)


def arrangement_plans_in(session: Session) -> tuple[PlanChoice, ...]:
    regs = dict(
        session.execute(
            select(Registration.plan_id, func.count()).group_by(Registration.plan_id)
        ).all()
    )
    rooms = dict(session.execute(select(Room.plan_id, func.count()).group_by(Room.plan_id)).all())
    plans = [
        PlanChoice(
            plan.code,
            plan.name,
            regs.get(plan.id, 0),
            rooms.get(plan.id, 0),
            f"{plan.exam_end:%Y-%m-%d %H:%M}" if is_closed(plan) else "",
        )
        for plan in session.scalars(select(ExamPlan).order_by(ExamPlan.code))
    ]
    return tuple(sorted(plans, key=lambda p: (p.registrations == 0, p.code)))


def arrangement_rows(db: Database, plan_code: str) -> tuple[ArrangedRow, ...]:
    """Every seat of the plan: one row per candidate per session, by session start, room
    and seat."""
    with db.read() as session:
        plan = find_plan(session, plan_code)
        rows = session.execute(
            select(
                Registration.ticket_number,
                Candidate.id_number,
                Candidate.name,
                Subject.name,
                ExamSession.starts_at,
                Room.name,
                Seat.seat_number,
            )
            .select_from(Seat)
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .join(Room, Room.id == RoomSession.room_id)
            .join(ExamSession, ExamSession.id == RoomSession.session_id)
            .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
            .join(Subject, Subject.id == RegistrationSubject.subject_id)
            .join(Registration, Registration.id == RegistrationSubject.registration_id)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .where(Room.plan_id == plan.id)
            .order_by(ExamSession.starts_at, Room.id, Seat.seat_number)
        )
        return tuple(
            ArrangedRow(ticket or "", idn, name, subject, start, room, seat)
            for ticket, idn, name, subject, start, room, seat in rows
        )


def room_plans(db: Database, plan_code: str) -> tuple[tuple[RoomPlan, ...], tuple[Unseated, ...]]:
    """The plan's room sessions with their seats, and the records without a seat (the
    missing room sessions are made first, so a new room shows before the first run)."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        ensure_room_sessions(session, plan.id)
        seats: dict[int, list[SeatView]] = {}
        for rs, number, idn, name, ticket, official, school, class_name in session.execute(
            select(
                Seat.room_session_id,
                Seat.seat_number,
                Candidate.id_number,
                Candidate.name,
                Registration.ticket_number,
                Registration.ticket_official,
                Candidate.school_id,
                Candidate.class_name,
            )
            .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
            .join(Registration, Registration.id == RegistrationSubject.registration_id)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .where(Registration.plan_id == plan.id)
        ):
            group = f"{school or 0}/{class_name}" if class_name else ""
            seats.setdefault(rs, []).append(
                SeatView(number, idn, name, ticket or "", group, official)
            )
        plans = tuple(
            RoomPlan(
                uid,
                session_uid,
                room,
                subject,
                start,
                seats_n if cap is None else min(seats_n, cap),
                tuple(sorted(seats.get(rs, []), key=lambda s: s.seat)),
            )
            for rs, uid, session_uid, room, subject, start, seats_n, cap in session.execute(
                select(
                    RoomSession.id,
                    RoomSession.uid,
                    ExamSession.uid,
                    Room.name,
                    Subject.name,
                    ExamSession.starts_at,
                    Room.seats,
                    Room.exam_capacity,
                )
                .join(Room, Room.id == RoomSession.room_id)
                .join(ExamSession, ExamSession.id == RoomSession.session_id)
                .join(Subject, Subject.id == ExamSession.subject_id)
                .where(Room.plan_id == plan.id)
                .order_by(ExamSession.starts_at, Room.id)
            )
        )
        unseated = tuple(
            Unseated(idn, name, subject, status == WITHDRAWN)
            for idn, name, subject, status in session.execute(
                select(
                    Candidate.id_number, Candidate.name, Subject.name, RegistrationSubject.status
                )
                .select_from(RegistrationSubject)
                .join(Registration, Registration.id == RegistrationSubject.registration_id)
                .join(Candidate, Candidate.id == Registration.candidate_id)
                .join(Subject, Subject.id == RegistrationSubject.subject_id)
                .outerjoin(Seat, Seat.registration_subject_id == RegistrationSubject.id)
                .where(Registration.plan_id == plan.id, Seat.id.is_(None))
                .order_by(RegistrationSubject.status, Candidate.id_number, Subject.kind.desc())
            )
        )
        return plans, unseated


# --- the step's status -----------------------------------------------------------------


def arrangement_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 7's status: seated records of all (withdrawn ones aside), records still
    without a seat, room sessions holding more than their exam capacity."""
    seats = count_rows(session, Seat)
    withdrawn = (
        session.scalar(
            select(func.count())
            .select_from(RegistrationSubject)
            .where(RegistrationSubject.status == WITHDRAWN)
        )
        or 0
    )
    records = count_rows(session, RegistrationSubject) - withdrawn
    problems: list[Problem] = []
    if seats and seats < records:
        problems.append(error("status.unseated", count=records - seats))
    crowded = _crowded_rooms(session)
    if crowded:
        problems.append(
            error("arrange.status_over_capacity", count=len(crowded), rooms="、".join(crowded[:3]))
        )
    if withdrawn:
        problems.append(warning("arrange.status_withdrawn", count=withdrawn))
    figure = (
        notice("arrange.figure_seated", seated=seats, total=records)
        if seats
        else notice("status.figure_no_seats")
    )
    return step_status(
        Step.ARRANGEMENT, seats, {"seats": seats, "records": records}, problems, figure
    )


def _crowded_rooms(session: Session) -> list[str]:
    """Room sessions with a seat past the room's exam capacity (the capacity was lowered
    after seating, or an official arrangement says so)."""
    capacity = func.coalesce(least(Room.seats, Room.exam_capacity), Room.seats)
    rows = session.execute(
        select(Room.name)
        .select_from(Seat)
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .join(Room, Room.id == RoomSession.room_id)
        .where(Seat.seat_number > capacity)
        .distinct()
        .order_by(Room.name)
    )
    return [name for (name,) in rows]
