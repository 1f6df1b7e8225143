"""Late changes to an arrangement, each keeping everyone else where they are and each
written to the audit log:

- ``seat_late``: seat one late registrant (every record of theirs without a seat), as the
  run would: a free seat, preferring one with no classmate next to it, in the room they
  sit in for their other subject;
- ``move``: one candidate to another room (of their own certificate) in one session, to a
  given free seat or the best free one;
- ``swap``: two candidates of the same session exchange their seats;
- ``withdraw``: take a candidate out of the seating: their seats are freed, their records
  marked withdrawn (so a new run leaves them out), their registration and ticket number
  kept (a withdrawal can be undone with ``seat_late``, which gives the same ticket back).

A candidate is named by ID number; when they hold several registrations in the plan, a
change applies to the one sitting the session named (move, swap) or to all (seat,
withdraw).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from examsite.domain.seating import arrange, best_free_seat
from examsite.errors import InputError, NotFoundError
from examsite.services.arrangement import shortage_error, write_placements
from examsite.services.audit import record
from examsite.services.plans import find_plan
from examsite.services.seating_data import (
    ACTOR,
    ARRANGED,
    UNARRANGED,
    WITHDRAWN,
    PlanData,
    RecordInfo,
    check_open,
    load_plan,
)
from examsite.services.sessions import ensure_room_sessions
from examsite.services.tombstones import bury, seat_keys
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    ExamSession,
    Registration,
    RegistrationSubject,
    Room,
    Seat,
)

#: Where a candidate sits in one session: (room name, seat number).
Place = tuple[str, int]


@dataclass(frozen=True)
class SeatChange:
    """A seat as a change left it (``room`` "" and ``seat`` 0 when freed)."""

    id_number: str
    subject: str
    session_uid: str
    room: str
    seat: int
    ticket: str


@dataclass(frozen=True)
class ChangeResult:
    action: str  # seat / move / swap / withdraw
    changes: tuple[SeatChange, ...]


def seat_late(db: Database, plan_code: str, id_number: str) -> ChangeResult:
    with db.unit_of_work() as session:
        return seat_late_in(session, plan_code, id_number)


def move(
    db: Database,
    plan_code: str,
    id_number: str,
    session_uid: str,
    room_name: str,
    seat: int | None = None,
    *,
    shown: Place | None = None,
) -> ChangeResult:
    """Move a candidate; ``shown`` is where the page showed them (room, seat): when
    another computer has moved them since, the move is refused instead of undoing that."""
    with db.unit_of_work() as session:
        return move_in(session, plan_code, id_number, session_uid, room_name, seat, shown=shown)


def swap(
    db: Database,
    plan_code: str,
    first: str,
    second: str,
    session_uid: str,
    *,
    shown: tuple[Place, Place] | None = None,
) -> ChangeResult:
    """Swap two candidates' seats; ``shown`` is where the page showed each (as ``move``)."""
    with db.unit_of_work() as session:
        return swap_in(session, plan_code, first, second, session_uid, shown=shown)


def withdraw(db: Database, plan_code: str, id_number: str) -> ChangeResult:
    with db.unit_of_work() as session:
        return withdraw_in(session, plan_code, id_number)


# --- the cores -------------------------------------------------------------------------


def seat_late_in(session: Session, plan_code: str, id_number: str) -> ChangeResult:
    plan = find_plan(session, plan_code)
    check_open(plan)
    ensure_room_sessions(session, plan.id)
    data = load_plan(session, plan)
    mine = _records(data, plan_code, id_number)
    waiting = [r for r in mine if r.key not in data.seats]
    if not waiting:
        raise InputError("arrange.already_seated", id_number=id_number)
    withdrawn = [r.key for r in waiting if r.status == WITHDRAWN]
    if withdrawn:  # seated again: no longer withdrawn
        for key in withdrawn:
            old = data.records[key]
            data.records[key] = RecordInfo(
                key, old.registration, old.subject, UNARRANGED, old.group, old.id_number
            )
        waiting = [data.records[r.key] for r in waiting]
    result = arrange(data.pools(waiting), data.seats, data.groups(), rooms=data.rooms())
    if result.shortages:
        raise shortage_error(data, {s.pool: s.unseated for s in result.shortages})
    write_placements(session, data, result.placements)
    changes = tuple(_view(session, data, p.record) for p in result.placements)
    for change in changes:
        record(session, "create", "seat", id_number, None, _plain(change), ACTOR)
    return ChangeResult("seat", changes)


def move_in(
    session: Session,
    plan_code: str,
    id_number: str,
    session_uid: str,
    room_name: str,
    seat: int | None = None,
    *,
    shown: Place | None = None,
) -> ChangeResult:
    plan = find_plan(session, plan_code)
    check_open(plan)
    data = load_plan(session, plan)
    exam = _session(session, plan.id, session_uid)
    target = _record_in_session(data, plan_code, id_number, exam.subject_id)
    if shown is not None:
        _refuse_moved_elsewhere(session, data, target, shown)
    slots = [data.slots[k] for k in data.subject_slots.get(exam.subject_id, [])]
    slot = next((s for s in slots if s.room_name == room_name and s.session == exam.id), None)
    if slot is None:
        other = session.scalar(
            select(Room.id).where(Room.plan_id == plan.id, Room.name == room_name)
        )
        code = "arrange.room_other_certificate" if other is not None else "arrange.room_not_found"
        raise InputError(code, room=room_name, id_number=id_number)
    occupied = {
        number: data.records[key].group
        for key, (rs, number) in data.seats.items()
        if rs == slot.key and key != target.key
    }
    if seat is None:
        seat = best_free_seat(slot.capacity, occupied, target.group)
        if seat is None:
            raise InputError("arrange.room_full", room=room_name, capacity=slot.capacity)
    elif not 1 <= seat <= slot.capacity:
        raise InputError(
            "arrange.seat_out_of_range", seat=seat, room=room_name, capacity=slot.capacity
        )
    elif seat in occupied:
        holder = next(
            data.records[k].id_number
            for k, (rs, n) in data.seats.items()
            if rs == slot.key and n == seat
        )
        raise InputError("arrange.seat_taken", seat=seat, room=room_name, holder=holder)
    before = _view(session, data, target.key)
    seat_row = session.scalar(select(Seat).where(Seat.registration_subject_id == target.key))
    if seat_row is None:
        session.add(
            Seat(room_session_id=slot.key, registration_subject_id=target.key, seat_number=seat)
        )
        subject_record = session.get(RegistrationSubject, target.key)
        assert subject_record is not None
        subject_record.status = ARRANGED
    else:
        seat_row.room_session_id, seat_row.seat_number = slot.key, seat
    session.flush()
    data.seats[target.key] = (slot.key, seat)
    if not data.tickets.get(target.registration):
        registration = session.get(Registration, target.registration)
        assert registration is not None
        registration.ticket_number = data.new_ticket(target.registration, data.seats)
        session.flush()
    after = _view(session, data, target.key)
    record(session, "update", "seat", id_number, _plain(before), _plain(after), ACTOR)
    return ChangeResult("move", (after,))


def swap_in(
    session: Session,
    plan_code: str,
    first: str,
    second: str,
    session_uid: str,
    *,
    shown: tuple[Place, Place] | None = None,
) -> ChangeResult:
    if first == second:
        raise InputError("arrange.swap_same", id_number=first)
    plan = find_plan(session, plan_code)
    check_open(plan)
    data = load_plan(session, plan)
    exam = _session(session, plan.id, session_uid)
    a = _record_in_session(data, plan_code, first, exam.subject_id)
    b = _record_in_session(data, plan_code, second, exam.subject_id)
    if shown is not None:
        for r, place in zip((a, b), shown, strict=True):
            _refuse_moved_elsewhere(session, data, r, place)
    for r in (a, b):
        if r.key not in data.seats:
            raise InputError("arrange.not_seated", id_number=r.id_number)
    seat_a = session.scalar(select(Seat).where(Seat.registration_subject_id == a.key))
    seat_b = session.scalar(select(Seat).where(Seat.registration_subject_id == b.key))
    assert seat_a is not None and seat_b is not None
    before = (_view(session, data, a.key), _view(session, data, b.key))
    place_a = (seat_a.room_session_id, seat_a.seat_number)
    place_b = (seat_b.room_session_id, seat_b.seat_number)
    # Two steps: (room session, seat number) is unique at every statement.
    seat_a.seat_number = -1
    session.flush()
    seat_b.room_session_id, seat_b.seat_number = place_a
    session.flush()
    seat_a.room_session_id, seat_a.seat_number = place_b
    session.flush()
    data.seats[a.key], data.seats[b.key] = place_b, place_a
    after = (_view(session, data, a.key), _view(session, data, b.key))
    for old, new in zip(before, after, strict=True):
        record(session, "update", "seat", new.id_number, _plain(old), _plain(new), ACTOR)
    return ChangeResult("swap", after)


def withdraw_in(session: Session, plan_code: str, id_number: str) -> ChangeResult:
    plan = find_plan(session, plan_code)
    check_open(plan)
    data = load_plan(session, plan)
    mine = [r for r in _records(data, plan_code, id_number) if r.status != WITHDRAWN]
    if not mine:
        raise InputError("arrange.already_withdrawn", id_number=id_number)
    changes = []
    for r in mine:
        before = _view(session, data, r.key)
        bury(session, "seat", seat_keys(session, [r.key]))
        session.execute(delete(Seat).where(Seat.registration_subject_id == r.key))
        subject_record = session.get(RegistrationSubject, r.key)
        assert subject_record is not None
        subject_record.status = WITHDRAWN
        data.seats.pop(r.key, None)
        after = _view(session, data, r.key)
        record(
            session,
            "update",
            "seat",
            id_number,
            _plain(before),
            {**_plain(after), "withdrawn": True},
            ACTOR,
        )
        changes.append(after)
    session.flush()
    return ChangeResult("withdraw", tuple(changes))


# --- helpers ---------------------------------------------------------------------------


def _records(data: PlanData, plan_code: str, id_number: str) -> list[RecordInfo]:
    mine = [r for r in data.records.values() if r.id_number == id_number]
    if not mine:
        raise NotFoundError("arrange.candidate_not_registered", id_number=id_number, plan=plan_code)
    return sorted(mine, key=lambda r: r.key)


def _record_in_session(data: PlanData, plan_code: str, id_number: str, subject: int) -> RecordInfo:
    mine = [r for r in _records(data, plan_code, id_number) if r.subject == subject]
    if not mine:
        raise InputError(
            "arrange.not_in_session",
            id_number=id_number,
            subject=data.subject_names.get(subject, ""),
        )
    if mine[0].status == WITHDRAWN:
        raise InputError("arrange.is_withdrawn", id_number=id_number)
    return mine[0]


def _refuse_moved_elsewhere(
    session: Session, data: PlanData, record_info: RecordInfo, shown: Place
) -> None:
    """Refuse a change made from a stale view: the candidate no longer sits where the
    page showed them (another computer moved, swapped or unseated them)."""
    place = data.seats.get(record_info.key)
    now = (data.slots[place[0]].room_name, place[1]) if place is not None else None
    if now == tuple(shown):
        return
    name = session.scalar(
        select(Candidate.name).where(Candidate.id_number == record_info.id_number)
    )
    params: dict[str, Any] = {
        "name": name or "",
        "id_number": record_info.id_number,
        "subject": data.subject_names.get(record_info.subject, ""),
        "room": shown[0],
        "seat": shown[1],
    }
    if now is None:
        raise InputError("arrange.seat_freed_elsewhere", **params)
    raise InputError("arrange.seat_changed_elsewhere", now_room=now[0], now_seat=now[1], **params)


def _session(session: Session, plan_id: int, uid: str) -> ExamSession:
    exam = session.scalar(
        select(ExamSession).where(ExamSession.uid == uid, ExamSession.plan_id == plan_id)
    )
    if exam is None:
        raise NotFoundError("arrange.session_not_found", uid=uid)
    return exam


def _view(session: Session, data: PlanData, key: int) -> SeatChange:
    info = data.records[key]
    place = data.seats.get(key)
    ticket = data.tickets.get(info.registration) or ""
    if ticket == "":
        ticket = (
            session.scalar(
                select(Registration.ticket_number).where(Registration.id == info.registration)
            )
            or ""
        )
    subject = data.subject_names.get(info.subject, "")
    if place is None:
        return SeatChange(info.id_number, subject, "", "", 0, ticket)
    slot = data.slots[place[0]]
    session_uid = (
        session.scalar(select(ExamSession.uid).where(ExamSession.id == slot.session)) or ""
    )
    return SeatChange(info.id_number, subject, session_uid, slot.room_name, place[1], ticket)


def _plain(change: SeatChange) -> dict[str, object]:
    return {
        "subject": change.subject,
        "session": change.session_uid,
        "room": change.room,
        "seat": change.seat,
        "ticket": change.ticket,
    }


__all__ = ["ChangeResult", "Place", "SeatChange", "move", "seat_late", "swap", "withdraw"]
