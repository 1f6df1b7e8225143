"""What the door reads (考试签到): the seats of a plan as check-in sees them, the candidate
a scanned code names, the doors to choose from and their attendance lists.

A *door* is a physical room at one time: the room session chosen on the page together
with its siblings — room sessions of the same room name starting at the same moment
(two certificates sharing a lab; ``MaterialsData.rooms_by_name`` treats rooms of one name
as one physical room). Whoever is seated behind that door is checked in there.

Everything here reads; ``services.checkin`` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from examsite.domain.attendance import (
    NOT_SAT,
    SAT,
    AttendanceStatus,
    PhaseAt,
    Timeline,
)
from examsite.domain.incidents import IncidentCode
from examsite.domain.masking import mask_id
from examsite.errors import NotFoundError
from examsite.storage.models import (
    Attendance,
    Candidate,
    ExamPlan,
    ExamSession,
    Incident,
    Photo,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
    Subject,
)


@dataclass(frozen=True)
class SeatInfo:
    """A candidate's seat in one room session, with its attendance (``status`` None while
    nothing is recorded)."""

    seat_id: int
    candidate_id: int
    ticket: str
    id_number: str
    name: str
    subject: str
    subject_kind: str  # theory / practical
    session_uid: str
    session_start: dt.datetime
    session_end: dt.datetime
    room: str
    room_session_uid: str
    seat: int
    status: str | None = None
    checked_in_at: dt.datetime | None = None
    left_at: dt.datetime | None = None
    note: str = ""
    recorded_by: str = ""
    updated_at: dt.datetime | None = None

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def door(self) -> tuple[str, dt.datetime]:
        """The physical room and the time: what the door PC stands at."""
        return (self.room, self.session_start)


#: A seat as check-in sees it (``_seat_info`` unpacks them in this order).
_SEAT_COLUMNS: tuple[Any, ...] = (
    Seat.id,
    Candidate.id,
    Registration.ticket_number,
    Candidate.id_number,
    Candidate.name,
    Subject.name,
    Subject.kind,
    ExamSession.uid,
    ExamSession.starts_at,
    ExamSession.ends_at,
    Room.name,
    RoomSession.uid,
    Seat.seat_number,
    Attendance.status,
    Attendance.checked_in_at,
    Attendance.left_at,
    Attendance.note,
    Attendance.recorded_by,
    Attendance.updated_at,
)


def _seat_query() -> Select[Any]:
    return (
        select(*_SEAT_COLUMNS)
        .select_from(Seat)
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .join(Room, Room.id == RoomSession.room_id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
        .join(Subject, Subject.id == RegistrationSubject.subject_id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .outerjoin(Attendance, Attendance.seat_id == Seat.id)
    )


def _seat_infos(session: Session, query: Select[Any]) -> list[SeatInfo]:
    rows = session.execute(query.order_by(ExamSession.starts_at, Room.name, Seat.seat_number))
    return [_seat_info(tuple(r)) for r in rows]


def _seat_info(r: tuple[Any, ...]) -> SeatInfo:
    (seat_id, candidate_id, ticket, id_number, name, subject, kind, session_uid, starts) = r[:9]
    (ends, room, rs_uid, number, status, checked_in, left, note, by, updated) = r[9:]
    return SeatInfo(
        seat_id,
        candidate_id,
        ticket or "",
        id_number,
        name,
        subject,
        kind,
        session_uid,
        starts,
        ends,
        room,
        rs_uid,
        number,
        status,
        checked_in,
        left,
        note or "",
        by or "",
        updated,
    )


def seats_of_code(session: Session, plan: ExamPlan, keys: Sequence[str]) -> list[SeatInfo]:
    """The seats in ``plan`` of the candidate a scanned code names: a ticket number first
    (the QR code holds it), else an ID number; the first key that names anyone wins."""
    for key in keys:
        by_ticket = _seat_infos(
            session,
            _seat_query().where(Registration.ticket_number == key, Registration.plan_id == plan.id),
        )
        if by_ticket:
            return by_ticket
        candidate_id = session.scalar(select(Candidate.id).where(Candidate.id_number == key))
        if candidate_id is not None:
            found = _seat_infos(
                session,
                _seat_query().where(
                    Registration.candidate_id == candidate_id, Registration.plan_id == plan.id
                ),
            )
            if found:
                return found
    return []


def known_person(session: Session, keys: Sequence[str]) -> str | None:
    """The name of whoever ``keys`` name without a seat in the plan (a candidate not
    registered or not arranged, or a ticket of another plan), else None."""
    for key in keys:
        name = session.scalar(
            select(Candidate.name)
            .outerjoin(Registration, Registration.candidate_id == Candidate.id)
            .where(or_(Candidate.id_number == key, Registration.ticket_number == key))
            .limit(1)
        )
        if name is not None:
            return name
    return None


def photo_of(session: Session, candidate_id: int) -> bytes | None:
    """The candidate's photo for the screen: the checked image, else the thumbnail of a
    rejected one."""
    row = session.execute(
        select(Photo.image, Photo.thumbnail).where(Photo.candidate_id == candidate_id)
    ).first()
    if row is None:
        return None
    return row[0] or row[1]


# --- doors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    """A physical room at one time: the room sessions behind it, its subjects and its
    timeline (the end moved by any extension granted on the day)."""

    room_session_uid: str  # the first of them, which names the door
    room_session_uids: tuple[str, ...]
    room: str
    subjects: tuple[str, ...]
    session_uids: tuple[str, ...]
    starts: dt.datetime
    ends: dt.datetime
    extension_minutes: int = 0

    @property
    def timeline(self) -> Timeline:
        return Timeline(self.starts, self.ends + dt.timedelta(minutes=self.extension_minutes))

    def phase(self, at: dt.datetime) -> PhaseAt:
        return self.timeline.phase(at)

    @property
    def label(self) -> str:
        return f"{self.starts:%m-%d %H:%M} {self.room} · {'、'.join(self.subjects)}"


def doors_of(session: Session, plan: ExamPlan, behind: Collection[str] | None = None) -> list[Door]:
    """The plan's doors that have seats, by start and room name; with ``behind``, only
    the doors of those room sessions (a scan asks for one: reading all 500 doors of a
    10,000-candidate plan would cost it most of its time)."""
    query = (
        select(RoomSession.uid, Room.name, Subject.name, ExamSession.uid, ExamSession.starts_at)
        .add_columns(ExamSession.ends_at, RoomSession.id)
        .select_from(RoomSession)
        .join(Room, Room.id == RoomSession.room_id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .where(Room.plan_id == plan.id)
        .where(select(Seat.id).where(Seat.room_session_id == RoomSession.id).exists())
        .order_by(ExamSession.starts_at, Room.name, RoomSession.id)
    )
    keys: set[tuple[str, dt.datetime]] | None = None
    if behind is not None:
        keys = {
            (room, starts)
            for room, starts in session.execute(
                select(Room.name, ExamSession.starts_at)
                .select_from(RoomSession)
                .join(Room, Room.id == RoomSession.room_id)
                .join(ExamSession, ExamSession.id == RoomSession.session_id)
                .where(RoomSession.uid.in_(list(behind)))
            )
        }
        if not keys:
            return []
        query = query.where(
            Room.name.in_({room for room, _ in keys}),
            ExamSession.starts_at.in_({starts for _, starts in keys}),
        )
    grouped: dict[tuple[str, dt.datetime], list[tuple[str, str, str, dt.datetime, int]]] = {}
    for uid, room, subject, session_uid, starts, ends, rs_id in session.execute(query):
        if keys is None or (room, starts) in keys:
            grouped.setdefault((room, starts), []).append((uid, subject, session_uid, ends, rs_id))
    extensions = _extensions(session, plan)
    doors = []
    for (room, starts), members in grouped.items():
        ends = max(m[3] for m in members)
        minutes = _extension_of(extensions, {m[4] for m in members}, starts, ends)
        doors.append(
            Door(
                members[0][0],
                tuple(m[0] for m in members),
                room,
                tuple(dict.fromkeys(m[1] for m in members)),
                tuple(dict.fromkeys(m[2] for m in members)),
                starts,
                ends,
                minutes,
            )
        )
    return doors


def _extensions(session: Session, plan: ExamPlan) -> list[tuple[int | None, dt.datetime, int]]:
    """The plan's extensions (延时) of whole rooms or the whole site: one naming candidates
    gives them alone more time, and leaves the room's clock as it is."""
    return [
        (rs, at, minutes or 0)
        for rs, at, minutes, candidates in session.execute(
            select(
                Incident.room_session_id,
                Incident.occurred_at,
                Incident.extension_minutes,
                Incident.candidates,
            )
            .where(Incident.plan_id == plan.id)
            .where(Incident.code == IncidentCode.EXTENSION.value)
        )
        if not candidates
    ]


def _extension_of(
    extensions: Iterable[tuple[int | None, dt.datetime, int]],
    room_sessions: set[int],
    starts: dt.datetime,
    ends: dt.datetime,
) -> int:
    """Minutes granted to a door: its own extensions, and the whole site's granted while
    it was running; each one recorded adds (a power cut, later a network fault)."""
    return sum(
        m
        for rs, at, m in extensions
        if (rs in room_sessions) or (rs is None and starts <= at <= ends)
    )


def find_door(session: Session, plan: ExamPlan, room_session_uid: str) -> Door:
    """The door a room session stands behind, or ``NotFoundError``."""
    for door in doors_of(session, plan, [room_session_uid]):
        if room_session_uid in door.room_session_uids:
            return door
    raise NotFoundError("checkin.room_session_not_found", room_session=room_session_uid)


def find_door_by_names(session: Session, plan: ExamPlan, room: str, session_uid: str) -> Door:
    """The door of room ``room`` in exam session ``session_uid`` (the CLI's --room and
    --session), or ``NotFoundError``."""
    for door in doors_of(session, plan):
        if door.room == room.strip() and session_uid.strip() in door.session_uids:
            return door
    raise NotFoundError("checkin.door_not_found", room=room, session=session_uid)


def door_on_now(doors: Sequence[Door], at: dt.datetime) -> Door | None:
    """The door whose entry has opened and whose session has not ended at ``at`` (the
    first by start and room); else the next to open; else the last."""
    running = [d for d in doors if d.timeline.entry_opens <= at < d.timeline.ends]
    if running:
        return running[0]
    upcoming = [d for d in doors if d.timeline.entry_opens > at]
    if upcoming:
        return min(upcoming, key=lambda d: d.starts)
    return doors[-1] if doors else None


def door_seats(session: Session, door: Door) -> list[SeatInfo]:
    """Everyone seated behind the door, by seat."""
    seats = _seat_infos(session, _seat_query().where(RoomSession.uid.in_(door.room_session_uids)))
    return sorted(seats, key=lambda s: (s.seat, s.subject))


def plan_seats(
    session: Session, plan: ExamPlan, room: str | None = None, session_uid: str | None = None
) -> list[SeatInfo]:
    """The plan's seats, optionally of one room (by name) and one exam session (by uid)."""
    query = _seat_query().where(Room.plan_id == plan.id)
    if room:
        query = query.where(Room.name == room.strip())
    if session_uid:
        query = query.where(ExamSession.uid == session_uid.strip())
    return _seat_infos(session, query)


@dataclass(frozen=True)
class Counts:
    """A list's attendance at a glance."""

    seats: int
    present: int  # sat (present, late, left early, misconduct)
    late: int
    absent: int  # absent or refused
    unmarked: int
    left_early: int
    misconduct: int


def count(seats: Iterable[SeatInfo]) -> Counts:
    statuses = [s.status for s in seats]
    return Counts(
        seats=len(statuses),
        present=sum(1 for s in statuses if s in SAT),
        late=statuses.count(AttendanceStatus.LATE),
        absent=sum(1 for s in statuses if s in NOT_SAT),
        unmarked=statuses.count(None),
        left_early=statuses.count(AttendanceStatus.LEFT_EARLY),
        misconduct=statuses.count(AttendanceStatus.MISCONDUCT),
    )


def seat_count_by_day(session: Session, day: dt.date) -> list[tuple[str, int, str | None]]:
    """(exam session uid, seats, attendance status) counted for the sessions of ``day``:
    what the sidebar needs, in one query."""
    start = dt.datetime.combine(day, dt.time())
    rows = session.execute(
        select(ExamSession.uid, func.count(Seat.id), Attendance.status)
        .select_from(Seat)
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .outerjoin(Attendance, Attendance.seat_id == Seat.id)
        .where(ExamSession.starts_at >= start, ExamSession.starts_at < start + dt.timedelta(1))
        .group_by(ExamSession.uid, Attendance.status)
    )
    return [(uid, n, status) for uid, n, status in rows]


def nearness(seat: SeatInfo, at: dt.datetime) -> tuple[int, float]:
    """A sort key: the seat whose session is on at ``at`` first, then the nearest start
    (an upcoming one before a past one)."""
    timeline = Timeline(seat.session_start, seat.session_end)
    if timeline.entry_opens <= at < timeline.ends:
        return (0, 0.0)
    gap = (seat.session_start - at).total_seconds()
    return (1, gap) if gap > 0 else (2, -gap)


def hh_mm(moment: dt.datetime | None) -> str:
    return f"{moment:%H:%M}" if moment else ""
