"""Building a site with rooms, registrations, seats and staff straight through the ORM,
for the tests of the site and staff steps (they must not depend on the registration or
arrangement code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from examsite.domain.id_number import synthetic_id
from examsite.services.sessions import ensure_room_sessions
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    ExamSession,
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

PLAN = "2232100001"  # 003's plan: 数字营销技术应用, exam on 2027-01-10
CERT = "1630054223010588"  # its junior level, 003's rule (2, then 1:20 from 40)
PLAN_000 = "EX-BODAO-2027-1"
CERT_000 = "EX-BODAO-EDA-1"  # 000's rule (2 below 60, 3 from 60)


@dataclass(frozen=True)
class Group:
    """Candidates of one major and class."""

    count: int
    major_code: str = "530605"
    major: str = "市场营销"
    class_name: str = "营销2101"


def site(db: Database, school: str = "测试职业学院") -> None:
    with db.unit_of_work() as session:
        if session.scalar(select(Site.id)) is None:
            s = School(name=school)
            session.add(Site(school=s, name=f"{school}考核站点", checklist={}))


def rooms(db: Database, seats: Sequence[int], plan: str = PLAN, cert: str = CERT) -> None:
    site(db)
    with db.unit_of_work() as session:
        plan_row = session.scalars(select(ExamPlan).where(ExamPlan.code == plan)).one()
        cert_row = session.scalars(select(Certificate).where(Certificate.code == cert)).one()
        site_id = session.scalars(select(Site.id)).first()
        for index, count in enumerate(seats, start=1):
            session.add(
                Room(
                    plan_id=plan_row.id,
                    site_id=site_id,
                    certificate_id=cert_row.id,
                    name=f"A{index:02d}",
                    seats=count,
                )
            )


_serial = [0]


def register(db: Database, groups: Sequence[Group], plan: str = PLAN, cert: str = CERT) -> None:
    with db.unit_of_work() as session:
        plan_row = session.scalars(select(ExamPlan).where(ExamPlan.code == plan)).one()
        cert_row = session.scalars(select(Certificate).where(Certificate.code == cert)).one()
        subjects = session.scalars(select(Subject).where(Subject.certificate_id == cert_row.id))
        subject_ids = [s.id for s in subjects]
        for group in groups:
            for _ in range(group.count):
                _serial[0] += 1
                birth = dt.date(1990, 1, 1) + dt.timedelta(days=_serial[0] // 500)
                id_number = synthetic_id("420102", birth, _serial[0] % 500, "男")
                candidate = Candidate(
                    kind="school",
                    name=f"考生{_serial[0]}",
                    id_number=id_number,
                    major=group.major,
                    major_code=group.major_code,
                    class_name=group.class_name,
                )
                registration = Registration(
                    candidate=candidate, plan_id=plan_row.id, certificate_id=cert_row.id
                )
                session.add_all([candidate, registration])
                for subject_id in subject_ids:
                    session.add(
                        RegistrationSubject(registration=registration, subject_id=subject_id)
                    )


def seat_all(db: Database, plan: str = PLAN, *, newest_first: bool = False) -> None:
    """Seat every registration subject record in room order, filling each room (the
    newest registrations first when asked: a late class then lands in the first room)."""
    with db.unit_of_work() as session:
        plan_row = session.scalars(select(ExamPlan).where(ExamPlan.code == plan)).one()
        ensure_room_sessions(session, plan_row.id)
        for exam in session.scalars(select(ExamSession).where(ExamSession.plan_id == plan_row.id)):
            records = session.scalars(
                select(RegistrationSubject)
                .join(Registration)
                .where(RegistrationSubject.subject_id == exam.subject_id)
                .where(Registration.plan_id == plan_row.id)
                .order_by(RegistrationSubject.id.desc() if newest_first else RegistrationSubject.id)
            ).all()
            room_sessions = session.scalars(
                select(RoomSession)
                .join(Room)
                .where(RoomSession.session_id == exam.id)
                .order_by(Room.name)
            ).all()
            queue = list(records)
            for rs in room_sessions:
                for number in range(1, rs.room.capacity + 1):
                    if not queue:
                        break
                    session.add(
                        Seat(
                            room_session_id=rs.id,
                            registration_subject_id=queue.pop(0).id,
                            seat_number=number,
                        )
                    )


def staff(
    db: Database,
    name: str,
    department: str = "信息工程学院",
    roles: Sequence[str] = ("invigilator",),
    majors: Sequence[tuple[str, str]] = (),
    classes: Sequence[str] = (),
    *,
    certified: bool = False,
    cap: int | None = None,
) -> None:
    with db.unit_of_work() as session:
        session.add(
            Staff(
                name=name,
                department=department,
                roles=list(roles),
                majors_taught=[{"code": c, "name": n} for c, n in majors],
                classes_taught=list(classes),
                certified=certified,
                daily_duty_cap=cap,
                phone="13800000000",
            )
        )


def invigilators(db: Database, count: int, department: str = "信息工程学院") -> None:
    for index in range(count):
        staff(db, f"监考{index + 1:02d}", department)
