"""Each step decides its own status; the invigilators' step follows the certificate's rule."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.id_number import synthetic_id
from examsite.domain.workflow import Step, StepState
from examsite.services.demo import DEMO_PLAN_CODE, STAFF_TEAM
from examsite.services.staff import room_sessions_short_of_invigilators
from examsite.services.status import round_status
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    ExamPlan,
    ExamSession,
    InvigilatorAssignment,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
    Site,
    Staff,
)


def demo_room(session: Session) -> Room:
    """A room of the demo's plan for its first certificate (the demo has labs, no rooms)."""
    plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
    site = session.scalars(select(Site)).first()
    assert site is not None
    room = Room(
        plan_id=plan.id,
        site_id=site.id,
        certificate_id=site.certificates[0].id,
        name="信息楼 301 机房",
        seats=45,
    )
    session.add(room)
    session.flush()
    return room


def seat_candidates(db: Database, count: int) -> int:
    """``count`` registrations of the demo's first room's certificate, seated in that
    room's theory session; returns the room session's id."""
    import datetime as dt

    with db.unit_of_work() as session:
        room = demo_room(session)
        exam = session.scalars(select(ExamSession).where(ExamSession.plan_id == room.plan_id)).all()
        exam_session = next(e for e in exam if e.subject.certificate_id == room.certificate_id)
        room_session = RoomSession(room_id=room.id, session_id=exam_session.id)
        session.add(room_session)
        session.flush()
        for number in range(1, count + 1):
            id_number = synthetic_id("420102", dt.date(2004, 1, 1), number, "男")
            candidate = Candidate(kind="social", name=f"考生{number}", id_number=id_number)
            registration = Registration(
                candidate=candidate, plan_id=room.plan_id, certificate_id=room.certificate_id
            )
            record = RegistrationSubject(
                registration=registration, subject_id=exam_session.subject_id
            )
            session.add_all([candidate, registration, record])
            session.flush()
            session.add(
                Seat(
                    room_session_id=room_session.id,
                    registration_subject_id=record.id,
                    seat_number=number,
                )
            )
        return room_session.id


def assign(db: Database, room_session_id: int, count: int) -> None:
    with db.unit_of_work() as session:
        staff = session.scalars(select(Staff).order_by(Staff.id)).all()[:count]
        session.add_all(
            InvigilatorAssignment(room_session_id=room_session_id, staff_id=s.id) for s in staff
        )


def test_the_invigilator_count_follows_the_certificates_rule(db: Database, demo_site) -> None:
    demo_site(db, 20)
    room_session_id = seat_candidates(db, 45)  # 003: above 40, ceil(45 / 20) = 3
    assign(db, room_session_id, 2)
    with db.read() as session:
        assert room_sessions_short_of_invigilators(session) == [(room_session_id, 2, 3)]
    staff = round_status(db).step(Step.STAFF)
    # the seated theory session, and the practical one (projected from the 45
    # registrations: no seats there yet) that nobody invigilates
    assert staff.summary["room_sessions_short"] == 2
    assert staff.state is StepState.PROBLEMS
    assign_more = 3
    with db.unit_of_work() as session:
        session.query(InvigilatorAssignment).delete()
    assign(db, room_session_id, assign_more)
    with db.read() as session:
        assert room_sessions_short_of_invigilators(session) == []


def test_the_staff_count_is_the_invigilators_steps_figure(db: Database, demo_site) -> None:
    demo_site(db, 20)
    status = round_status(db)
    assert status.step(Step.STAFF).summary["staff"] == len(STAFF_TEAM)
    assert "staff" not in status.step(Step.SITE).summary
