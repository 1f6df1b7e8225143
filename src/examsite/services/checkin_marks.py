"""Attendance set by hand (考试签到): ``mark`` any status of one seat (缺考, 迟到, 提前离场
with the time, 违纪 …) with a note, ``mark_rest_absent`` once entry has closed; and
``write_attendance``, the one place an attendance row is written (the scan writes through
it too), logged (entity ``attendance``, key ``<ticket>/<session uid>``: what a transfer
bundle merges by) with ``recorded_by`` and ``updated_at``.
"""

from __future__ import annotations

import datetime as dt
import platform
from dataclasses import replace
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.attendance import AttendanceStatus
from examsite.domain.scan_code import lookup_keys
from examsite.errors import InputError, NotFoundError
from examsite.services.audit import record
from examsite.services.checkin_data import (
    SeatInfo,
    door_seats,
    find_door,
    hh_mm,
    nearness,
    seats_of_code,
)
from examsite.services.own_rooms import ensure_own
from examsite.services.plans import find_plan
from examsite.services.tombstones import bury, seat_keys
from examsite.storage.db import Database
from examsite.storage.models import Attendance, ExamPlan, Seat

ENTITY: Final = "attendance"


def recorder() -> str:
    """Who records on this PC when nobody says: the computer's name (the door PC and the
    coordinator's PC are told apart in a merged bundle)."""
    return (platform.node() or "本机")[:60]


def mark(
    db: Database,
    plan_code: str,
    key: str,
    status: AttendanceStatus | None,
    *,
    note: str | None = None,
    subject: str | None = None,
    room_session_uid: str | None = None,
    left_at: dt.datetime | None = None,
    recorded_by: str | None = None,
) -> SeatInfo:
    """Set the attendance of the seat ``key`` (a ticket or ID number) names: ``status``
    None clears it (未签到). ``subject`` (theory/practical, 理论/实操, the subject's name
    or the session's uid) or ``room_session_uid`` picks the seat of a candidate with more
    than one; ``left_at`` is the time of an early leaving (default: now)."""
    with db.unit_of_work() as session:
        return mark_in(
            session,
            plan_code,
            key,
            status,
            note=note,
            subject=subject,
            room_session_uid=room_session_uid,
            left_at=left_at,
            at=clock.now(),
            recorded_by=recorded_by,
        )


SUBJECT_WORDS: Final = {"理论": "theory", "实操": "practical"}


def mark_in(
    session: Session,
    plan_code: str,
    key: str,
    status: AttendanceStatus | None,
    *,
    note: str | None,
    subject: str | None,
    room_session_uid: str | None,
    left_at: dt.datetime | None,
    at: dt.datetime,
    recorded_by: str | None,
) -> SeatInfo:
    plan = find_plan(session, plan_code)
    seat = _pick_seat(session, plan, key, subject, room_session_uid, at)
    if left_at is not None and status is not AttendanceStatus.LEFT_EARLY:
        raise InputError("checkin.left_at_not_left_early")
    if status is AttendanceStatus.LEFT_EARLY:
        left_at = left_at or at
        if not seat.session_start <= left_at <= seat.session_end:
            raise InputError(
                "checkin.left_at_outside",
                left_at=hh_mm(left_at),
                start=hh_mm(seat.session_start),
                end=hh_mm(seat.session_end),
            )
    checked_in_at = seat.checked_in_at
    if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
        checked_in_at = checked_in_at or at
    elif status is AttendanceStatus.ABSENT:
        checked_in_at = None
    return write_attendance(
        session,
        seat,
        status,
        at=at,
        checked_in_at=checked_in_at,
        left_at=left_at,
        note=note,
        by=recorded_by,
    )


def _pick_seat(
    session: Session,
    plan: ExamPlan,
    key: str,
    subject: str | None,
    room_session_uid: str | None,
    at: dt.datetime,
) -> SeatInfo:
    keys = lookup_keys(key)
    seats = seats_of_code(session, plan, keys) if keys else []
    if not seats:
        raise NotFoundError("checkin.ticket_not_found", ticket=key.strip())
    if room_session_uid:
        door = find_door(session, plan, room_session_uid)
        seats = [s for s in seats if s.room_session_uid in door.room_session_uids]
    if subject:
        wanted = subject.strip()
        kind = SUBJECT_WORDS.get(wanted, wanted)
        seats = [s for s in seats if wanted in (s.subject, s.session_uid) or kind == s.subject_kind]
    if not seats:
        raise NotFoundError("checkin.no_such_seat", ticket=key.strip(), subject=subject or "")
    if len(seats) > 1:
        running = [s for s in seats if nearness(s, at)[0] == 0]
        if len(running) == 1:
            return running[0]
        raise InputError(
            "checkin.which_subject",
            ticket=key.strip(),
            subjects="、".join(f"{s.subject}（{s.session_start:%m-%d %H:%M}）" for s in seats),
        )
    return seats[0]


def mark_rest_absent(
    db: Database, plan_code: str, room_session_uid: str, *, recorded_by: str | None = None
) -> int:
    """After entry closed: everyone behind the door with nothing recorded is 缺考. Returns
    how many were marked; refused before entry has closed."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        door = find_door(session, plan, room_session_uid)
        at = clock.now()
        if at <= door.timeline.entry_closes:
            raise InputError(
                "checkin.rest_absent_too_soon", closes=hh_mm(door.timeline.entry_closes)
            )
        marked = 0
        for seat in door_seats(session, door):
            if seat.status is None:
                write_attendance(
                    session,
                    seat,
                    AttendanceStatus.ABSENT,
                    at=at,
                    checked_in_at=None,
                    by=recorded_by,
                )
                marked += 1
        return marked


# --- writing -----------------------------------------------------------------------------


def write_attendance(
    session: Session,
    seat: SeatInfo,
    status: AttendanceStatus | None,
    *,
    at: dt.datetime,
    checked_in_at: dt.datetime | None,
    left_at: dt.datetime | None = None,
    note: str | None = None,
    by: str | None,
) -> SeatInfo:
    """Write the seat's attendance (or delete it: ``status`` None) and log the change.
    An invigilator's account writes only in the rooms it watches."""
    ensure_own(session, (seat.room_session_uid,), seat.room)
    by = (by or recorder())[:60]
    row = session.scalar(select(Attendance).where(Attendance.seat_id == seat.seat_id))
    before = _plain(seat) if row is not None else None
    entity_id = f"{seat.ticket}/{seat.session_uid}"
    if status is None:
        if row is not None:
            session.delete(row)
            record_id = session.scalar(
                select(Seat.registration_subject_id).where(Seat.id == seat.seat_id)
            )
            # The undone check-in travels in a transfer bundle (not brought back by it).
            bury(session, "attendance", seat_keys(session, [record_id] if record_id else []))
            record(session, "delete", ENTITY, entity_id, before, None, by)
        return replace(
            seat,
            status=None,
            checked_in_at=None,
            left_at=None,
            note="",
            recorded_by="",
            updated_at=None,
        )
    if row is None:
        row = Attendance(seat_id=seat.seat_id, status=status.value)
        session.add(row)
    row.status = status.value
    row.checked_in_at = checked_in_at
    row.left_at = left_at if status is AttendanceStatus.LEFT_EARLY else None
    if note is not None:
        row.note = note.strip()
    row.recorded_by = by
    row.updated_at = at
    session.flush()
    after = replace(
        seat,
        status=row.status,
        checked_in_at=row.checked_in_at,
        left_at=row.left_at,
        note=row.note or "",
        recorded_by=by,
        updated_at=at,
    )
    record(session, "update" if before else "create", ENTITY, entity_id, before, _plain(after), by)
    return after


def _plain(seat: SeatInfo) -> dict[str, Any]:
    return {
        "room": seat.room,
        "seat": seat.seat,
        "status": seat.status,
        "checked_in_at": seat.checked_in_at,
        "left_at": seat.left_at,
        "note": seat.note,
    }
