"""What the printed materials (物料) read of a plan, as the plain frozen data of
``domain.materials``, in a few flat queries: the site, the plan, its rooms with their room sessions, the seats (candidate,
ticket) and the invigilators of each, and the staff. Every document module draws from
this; photos are fetched separately in chunks (``photos_of``) so 10,000 tickets stream
instead of holding every photo at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.materials import (
    MaterialsData,
    PlanFacts,
    RoomFacts,
    RoomSessionFacts,
    SeatFacts,
    SiteFacts,
    StaffFacts,
)
from examsite.services.plans import find_plan
from examsite.services.sessions import ensure_room_sessions
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamSession,
    InvigilatorAssignment,
    Org,
    Photo,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    School,
    Seat,
    Site,
    Staff,
    Subject,
)

PHOTO_CHUNK = 500


def load_materials(session: Session, plan_code: str) -> MaterialsData:
    """The plan's materials data (``NotFoundError`` for an unknown plan). Room sessions
    without seats are kept (a door sign can be printed before the arrangement)."""
    plan = find_plan(session, plan_code)
    ensure_room_sessions(session, plan.id)
    org = session.get(Org, plan.org_id)
    site_row = session.execute(
        select(Site, School.name).join(School, School.id == Site.school_id).order_by(Site.id)
    ).first()
    if site_row is None:
        site = SiteFacts("", "", "", "", "", "", "")
    else:
        s, school = site_row
        site = SiteFacts(s.name, s.code, school, s.address, s.director, s.phone, s.province)
    plan_facts = PlanFacts(
        plan.code, plan.name, org.name if org else "", plan.exam_start, plan.exam_end
    )
    invigilators: dict[int, list[str]] = defaultdict(list)
    for room_session_id, name in session.execute(
        select(InvigilatorAssignment.room_session_id, Staff.name)
        .join(Staff, Staff.id == InvigilatorAssignment.staff_id)
        .join(RoomSession, RoomSession.id == InvigilatorAssignment.room_session_id)
        .join(Room, Room.id == RoomSession.room_id)
        .where(Room.plan_id == plan.id)
        .order_by(InvigilatorAssignment.id)
    ):
        invigilators[room_session_id].append(name)
    seats: dict[int, list[SeatFacts]] = defaultdict(list)
    for row in session.execute(
        select(
            Seat.room_session_id,
            Seat.seat_number,
            Registration.ticket_number,
            Registration.kind,
            Registration.home_school,
            Candidate.id,
            Candidate.name,
            Candidate.id_number,
            Candidate.gender,
            Candidate.class_name,
            Candidate.major,
            School.name,
        )
        .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .outerjoin(School, School.id == Candidate.school_id)
        .where(Registration.plan_id == plan.id)
        .order_by(Seat.room_session_id, Seat.seat_number)
    ):
        (rs_id, number, ticket, kind, home, cid, name, idn, gender, klass, major, school) = row
        seats[rs_id].append(
            SeatFacts(
                number,
                ticket or "",
                cid,
                name,
                idn,
                gender,
                kind,
                klass,
                major,
                home or (school or "" if kind == "school" else ""),
            )
        )
    sessions: dict[int, list[RoomSessionFacts]] = defaultdict(list)
    for rs_id, rs_uid, room_id, cert, subject, exam in session.execute(
        select(
            RoomSession.id, RoomSession.uid, RoomSession.room_id, Certificate, Subject, ExamSession
        )
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .join(Certificate, Certificate.id == Subject.certificate_id)
        .where(ExamSession.plan_id == plan.id)
        .order_by(ExamSession.starts_at, RoomSession.id)
    ):
        sessions[room_id].append(
            RoomSessionFacts(
                rs_uid,
                cert.code,
                cert.name,
                cert.level,
                subject.name,
                subject.kind,
                subject.mode,
                exam.starts_at,
                exam.ends_at,
                tuple(invigilators[rs_id]),
                tuple(seats[rs_id]),
            )
        )
    rooms = tuple(
        RoomFacts(
            room.uid,
            room.name,
            room.seats,
            room.capacity,
            room.room_type,
            "".join(p for p in (room.province, room.city, room.district, room.address) if p),
            tuple(sessions[room.id]),
        )
        for room in session.scalars(
            select(Room).where(Room.plan_id == plan.id).order_by(Room.name, Room.id)
        )
    )
    staff = tuple(
        StaffFacts(s.name, tuple(s.roles), s.department, s.phone)
        for s in session.scalars(select(Staff).order_by(Staff.name, Staff.id))
    )
    return MaterialsData(site, plan_facts, rooms, staff)


def photos_of(session: Session, candidate_ids: Iterable[int]) -> dict[int, bytes]:
    """The stored photos (295 × 413 JPEG) of some candidates, by candidate id; those
    without one are absent. Call it chunk by chunk (``chunks``) for thousands."""
    ids = list(candidate_ids)
    found: dict[int, bytes] = {}
    for start in range(0, len(ids), PHOTO_CHUNK):
        chunk = ids[start : start + PHOTO_CHUNK]
        for candidate_id, image in session.execute(
            select(Photo.candidate_id, Photo.image).where(Photo.candidate_id.in_(chunk))
        ):
            if image:
                found[candidate_id] = image
    return found


def chunks(items: Sequence[object], size: int = PHOTO_CHUNK) -> Iterator[Sequence[object]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
