"""Registrations, rooms and sessions for the arrangement's tests, made directly with the
ORM (the registration and rooms services are built elsewhere; these tests do not depend on
them). Importable from every test folder (``tests`` is on ``sys.path`` through its
conftest)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    ExamSession,
    Registration,
    RegistrationSubject,
    Room,
    School,
    Site,
)

PLAN = "2232100001"
JUNIOR = "1630054223010588"
INTERMEDIATE = "1630054223020943"

_REGION = "110101"


def id_number(n: int, year: int = 2003) -> str:
    """A valid 18-digit ID number, distinct for each ``n`` (< 1000 a day)."""
    day = 1 + n // 900
    body = f"{_REGION}{year}{1 + (day - 1) // 28:02d}{1 + (day - 1) % 28:02d}{n % 900 + 100:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


@dataclass(frozen=True)
class Built:
    ids: tuple[str, ...]
    rooms: tuple[str, ...]


def site(db: Database) -> int:
    """The site of the database (made when there is none)."""
    with db.unit_of_work() as session:
        existing = session.scalar(select(Site.id).order_by(Site.id))
        if existing is not None:
            return existing
        school = School(name="测试职业技术学院", code="12345")
        session.add(school)
        session.flush()
        made = Site(school_id=school.id, code="110000009", name="测试职业技术学院考核站点")
        session.add(made)
        session.flush()
        return made.id


def add_rooms(
    db: Database,
    capacities: Sequence[int | tuple[int, int]],
    certificate: str = JUNIOR,
    plan: str = PLAN,
    prefix: str = "第",
) -> tuple[str, ...]:
    """Rooms of ``certificate`` named 第1考场 …; a capacity is seats or (seats, exam
    capacity)."""
    site_id = site(db)
    names = []
    with db.unit_of_work() as session:
        plan_id = session.scalar(select(ExamPlan.id).where(ExamPlan.code == plan))
        cert_id = session.scalar(select(Certificate.id).where(Certificate.code == certificate))
        start = session.scalar(
            select(Room.id).where(Room.plan_id == plan_id, Room.certificate_id == cert_id)
        )
        offset = (
            0
            if start is None
            else len(
                session.scalars(
                    select(Room.id).where(Room.plan_id == plan_id, Room.certificate_id == cert_id)
                ).all()
            )
        )
        for at, capacity in enumerate(capacities, start=1 + offset):
            seats, exam = capacity if isinstance(capacity, tuple) else (capacity, None)
            name = f"{prefix}{at}考场"
            session.add(
                Room(
                    plan_id=plan_id,
                    site_id=site_id,
                    certificate_id=cert_id,
                    name=name,
                    seats=seats,
                    exam_capacity=exam,
                )
            )
            names.append(name)
    return tuple(names)


def add_registrations(
    db: Database,
    classes: Sequence[tuple[str, int]],
    certificate: str = JUNIOR,
    plan: str = PLAN,
    first: int = 0,
) -> tuple[str, ...]:
    """Candidates registered for ``certificate`` (theory + practical records): for each
    (class name, count) that many; returns their ID numbers in order."""
    site_id = site(db)
    ids = []
    with db.unit_of_work() as session:
        school_id = session.scalar(select(Site.school_id).where(Site.id == site_id))
        plan_id = session.scalar(select(ExamPlan.id).where(ExamPlan.code == plan))
        cert = session.scalar(select(Certificate).where(Certificate.code == certificate))
        assert cert is not None
        n = first
        for class_name, count in classes:
            for _ in range(count):
                idn = id_number(n)
                candidate = session.scalar(select(Candidate).where(Candidate.id_number == idn))
                if candidate is None:
                    candidate = Candidate(
                        kind="school",
                        name=f"考生{n:03d}",
                        id_number=idn,
                        class_name=class_name,
                        school_id=school_id,
                    )
                    session.add(candidate)
                    session.flush()
                registration = Registration(
                    candidate_id=candidate.id,
                    plan_id=plan_id,
                    certificate_id=cert.id,
                    site_id=site_id,
                )
                registration.subjects = [
                    RegistrationSubject(subject_id=s.id) for s in cert.subjects
                ]
                session.add(registration)
                ids.append(idn)
                n += 1
    return tuple(ids)


def session_uid(db: Database, kind: str, certificate: str = JUNIOR, plan: str = PLAN) -> str:
    from examsite.storage.models import Subject

    with db.read() as session:
        uid = session.scalar(
            select(ExamSession.uid)
            .join(Subject, Subject.id == ExamSession.subject_id)
            .join(Certificate, Certificate.id == Subject.certificate_id)
            .join(ExamPlan, ExamPlan.id == ExamSession.plan_id)
            .where(Certificate.code == certificate, Subject.kind == kind, ExamPlan.code == plan)
        )
        assert uid is not None
        return uid
