"""Certificate results worked out from the held scores and attendance (services.results)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from examsite.domain.attendance import AttendanceStatus
from examsite.domain.results import Reason
from examsite.services.results import certificate_results_of
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    ExamPlan,
    Registration,
    RegistrationSubject,
    Score,
    Seat,
    Subject,
)


def _plan_and_records(db: Database) -> tuple[str, list[tuple[int, int, str]]]:
    with db.read() as session:
        plan = session.scalar(
            select(ExamPlan.code).join(Registration, Registration.plan_id == ExamPlan.id).limit(1)
        )
        assert plan is not None
        records = session.execute(
            select(Registration.id, RegistrationSubject.id, Subject.kind)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Subject, Subject.id == RegistrationSubject.subject_id)
            .order_by(Registration.id, Subject.kind)
        ).all()
        return plan, [(r[0], r[1], r[2]) for r in records]


def test_scores_and_attendance_give_each_registration_its_result(
    arranged_db_file: Callable[[int], Path],
) -> None:
    db = Database.open(arranged_db_file(12))
    plan, records = _plan_and_records(db)
    by_registration: dict[int, dict[str, int]] = {}
    for registration, record, kind in records:
        by_registration.setdefault(registration, {})[kind] = record
    first, second, third, *_ = list(by_registration.values())
    with db.unit_of_work() as session:
        # first: passes at exactly 60 (0.3 x 60 + 0.7 x 60)
        session.add(Score(registration_subject_id=first["theory"], score=60, status="scored"))
        session.add(Score(registration_subject_id=first["practical"], score=60, status="scored"))
        # second: theory scored, practical recorded absent on exam day, no score
        session.add(Score(registration_subject_id=second["theory"], score=90, status="scored"))
        seat = session.scalar(
            select(Seat).where(Seat.registration_subject_id == second["practical"])
        )
        assert seat is not None
        session.add(Attendance(seat_id=seat.id, status=AttendanceStatus.ABSENT))
        # third: one score only, still pending
        session.add(Score(registration_subject_id=third["theory"], score=59.9, status="scored"))
    results = {r.outcome.reason: r for r in certificate_results_of(db, plan)}
    assert results[Reason.PASSED].outcome.total == 60.0
    absent = results[Reason.ABSENT]
    assert absent.outcome.passed is False and absent.outcome.subject
    assert results[Reason.PENDING].outcome.passed is None
    assert len(certificate_results_of(db, plan)) == len(by_registration)
    db.close()
