"""What exam day recorded for a plan (``domain.exam_day_record``): each room session's seats
with their attendance, counted by the rule there, and the incidents. The filled room record
form and inspection record are drawn from it; the print run hands it to them as
``PrintJob(..., exam_day=load_exam_day_record(session, plan))``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.exam_day_record import (
    ExamDayRecord,
    IncidentLine,
    RoomSessionRecord,
    SeatStatus,
    count_room_session,
)
from examsite.services.incidents import IncidentRow, list_incidents_in
from examsite.services.plans import find_plan
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


def exam_day_record(db: Database, plan_code: str) -> ExamDayRecord:
    with db.read() as session:
        return load_exam_day_record(session, plan_code)


def load_exam_day_record(session: Session, plan_code: str) -> ExamDayRecord:
    """The plan's record as of the clock's now (``NotFoundError`` for an unknown plan)."""
    plan = find_plan(session, plan_code)
    now = clock.now()
    seats: dict[str, list[SeatStatus]] = defaultdict(list)
    for rs_uid, number, name, ticket, id_number, status, note in session.execute(
        select(
            RoomSession.uid,
            Seat.seat_number,
            Candidate.name,
            Registration.ticket_number,
            Candidate.id_number,
            Attendance.status,
            Attendance.note,
        )
        .join(Seat, Seat.room_session_id == RoomSession.id)
        .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .outerjoin(Attendance, Attendance.seat_id == Seat.id)
        .where(Registration.plan_id == plan.id)
        .order_by(RoomSession.id, Seat.seat_number)
    ):
        seats[rs_uid].append(SeatStatus(number, name, ticket or "", id_number, status, note or ""))
    incidents: dict[str, list[IncidentLine]] = defaultdict(list)
    site: list[IncidentLine] = []
    for row in list_incidents_in(session, plan_code):
        line = incident_line(row)
        if row.room_session_uid:
            incidents[row.room_session_uid].append(line)
        else:
            site.append(line)
    rooms: dict[str, RoomSessionRecord] = {}
    for rs_uid, ends_at in session.execute(
        select(RoomSession.uid, ExamSession.ends_at)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .join(Room, Room.id == RoomSession.room_id)
        .where(Room.plan_id == plan.id)
    ):
        lines = tuple(incidents[rs_uid])
        extra = sum(i.minutes or 0 for i in lines if i.code == "extension")
        ended = now >= ends_at + dt.timedelta(minutes=extra)
        counts = count_room_session(seats[rs_uid], ended=ended)
        rooms[rs_uid] = RoomSessionRecord(rs_uid, counts, lines, ended)
    return ExamDayRecord(rooms, tuple(site), now)


def incident_line(row: IncidentRow) -> IncidentLine:
    names = tuple(
        (f"{c.name}（{c.seat} 号）" if c.seat else c.name) if c.name else c.id_number
        for c in row.candidates
    )
    return IncidentLine(
        row.occurred_at,
        row.code,
        names,
        row.description,
        row.action,
        row.minutes,
        row.recorded_by,
    )
