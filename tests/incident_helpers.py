"""The arranged demo's room sessions and their candidates, and attendance written as the
check-in would leave it, for the incident and filled-form tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    Candidate,
    ExamSession,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
)


@dataclass(frozen=True)
class Sitting:
    """A room session of the demo and who sits in it (ID numbers by seat)."""

    room: str
    session_uid: str
    room_session_uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    seats: tuple[tuple[int, str, str, str], ...]  # (seat, ID number, name, ticket)


def sittings(db: Database) -> list[Sitting]:
    """Every room session with seats, by start then room."""
    with db.read() as s:
        rows = s.execute(
            select(
                Room.name,
                ExamSession.uid,
                RoomSession.uid,
                ExamSession.starts_at,
                ExamSession.ends_at,
                Seat.seat_number,
                Candidate.id_number,
                Candidate.name,
                Registration.ticket_number,
            )
            .join(RoomSession, RoomSession.room_id == Room.id)
            .join(ExamSession, ExamSession.id == RoomSession.session_id)
            .join(Seat, Seat.room_session_id == RoomSession.id)
            .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
            .join(Registration, Registration.id == RegistrationSubject.registration_id)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .order_by(ExamSession.starts_at, Room.name, Seat.seat_number)
        ).all()
    found: dict[str, Sitting] = {}
    for room, s_uid, rs_uid, start, end, seat, id_number, name, ticket in rows:
        old = found.get(rs_uid) or Sitting(room, s_uid, rs_uid, start, end, ())
        found[rs_uid] = Sitting(
            room, s_uid, rs_uid, start, end, (*old.seats, (seat, id_number, name, ticket or ""))
        )
    return list(found.values())


def mark(db: Database, room_session_uid: str, statuses: dict[int, str]) -> None:
    """Write attendance rows: seat number → status (other seats stay unrecorded)."""
    with db.unit_of_work() as s:
        for seat_id, number in s.execute(
            select(Seat.id, Seat.seat_number)
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .where(RoomSession.uid == room_session_uid)
        ):
            if number in statuses:
                s.add(Attendance(seat_id=seat_id, status=statuses[number], recorded_by="监考"))
