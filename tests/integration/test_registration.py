"""Registering candidates on a real database: the rules on the services' path, the
2-records check, fees, withdrawals with seats, the audit log and the window lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import delete, func, select, update

from examsite import clock
from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.services.demo import DEMO_PLAN_CODE, demo_windows
from examsite.services.registration import ensure_registration_open, register_candidates
from examsite.services.registration_changes import remove_registrations, set_home_school
from examsite.services.registration_query import (
    fee_summary,
    list_registrations,
    records_check,
    set_fee_override,
)
from examsite.services.status import round_status
from examsite.services.step_status import StepStatus
from examsite.storage.db import Database
from examsite.storage.models import (
    AuditLog,
    Candidate,
    Certificate,
    ExamPlan,
    ExamSession,
    Quota,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
    Site,
    Subject,
)
from fixed_time import TEST_NOW

JUNIOR = "1630054223010588"
INTERMEDIATE = "1630054223020943"
SENIOR = "1630054223031298"
# The demo plan's registration window, as the demo made at TEST_NOW has it.
_REGISTRATION = demo_windows(TEST_NOW.date())["registration"]
AFTER = _REGISTRATION[1] + dt.timedelta(minutes=1)
BEFORE = _REGISTRATION[0] - dt.timedelta(minutes=1)


@pytest.fixture
def site(db: Database, demo_site: Callable[[Database, int], None]) -> Database:
    demo_site(db, 30)
    return db


def step_of(db: Database) -> StepStatus:
    return next(s for s in round_status(db).steps if s.step is Step.REGISTRATION)


def ids(db: Database, *, status: str = "ready", kind: str = "school", n: int = 3) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(Candidate.id_number)
                .where(Candidate.status == status, Candidate.kind == kind)
                .order_by(Candidate.id)
                .limit(n)
            )
        )


def test_each_registration_makes_one_record_per_subject(site: Database) -> None:
    numbers = ids(site)
    result = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers)
    assert [a.id_number for a in result.added] == numbers
    assert not result.refused
    check = records_check(site, DEMO_PLAN_CODE)
    assert (check.candidates, check.records, check.expected, check.ok) == (3, 6, 6, True)
    rows = list_registrations(site, DEMO_PLAN_CODE)
    assert {r.as_dict()["status"] for r in rows} == {"unarranged"}
    assert all(len(r.subjects) == 2 for r in rows)
    with site.read() as session:
        logged = session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.entity == "registration")
        )
    assert logged == 3


def test_a_duplicate_is_refused(site: Database) -> None:
    numbers = ids(site, n=1)
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers)
    again = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers + numbers)
    assert not again.added
    assert [r.problems[0].code for r in again.refused] == ["registration.duplicate"] * 2
    assert "不能重复报考" in again.refused[0].reason


def test_two_levels_whose_sessions_overlap_are_refused(site: Database) -> None:
    numbers = ids(site, n=1)
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers)
    # junior and intermediate sit at different times in the demo plan: allowed
    assert register_candidates(site, DEMO_PLAN_CODE, INTERMEDIATE, numbers).added
    # the senior theory starts with the junior theory (08:30): refused
    clash = register_candidates(site, DEMO_PLAN_CODE, SENIOR, numbers)
    assert [r.problems[0].code for r in clash.refused] == ["registration.sessions_clash"]
    assert "初级" in clash.refused[0].reason


def test_incomplete_and_photoless_candidates_are_refused(site: Database) -> None:
    numbers = ids(site, status="no_photo", n=1) + ids(site, status="incomplete", n=1)
    assert len(numbers) == 2
    result = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers)
    assert not result.added
    assert sorted(r.problems[0].code for r in result.refused) == [
        "registration.incomplete",
        "registration.no_photo",
    ]


def test_all_ready_registers_every_registrable_candidate_once(site: Database) -> None:
    first = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, all_ready=True)
    with site.read() as session:
        registrable = session.scalar(
            select(func.count())
            .select_from(Candidate)
            .where(Candidate.status.in_(["ready", "pending", "manual", "verified"]))
        )
    assert len(first.added) == registrable
    assert not register_candidates(site, DEMO_PLAN_CODE, JUNIOR, all_ready=True).added


def test_a_major_outside_the_certificate_may_register_as_social(site: Database) -> None:
    number = ids(site, n=1)
    with site.unit_of_work() as session:
        session.execute(
            update(Candidate)
            .where(Candidate.id_number == number[0])
            .values(major="护理", major_code="620201")
        )
    refused = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, number)
    assert refused.refused[0].problems[0].code == "registration.major_mismatch"
    assert refused.social_possible
    social = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, number, as_social=True)
    assert [a.kind for a in social.added] == ["social"]


def test_the_quota_holds_across_the_year(site: Database) -> None:
    with site.unit_of_work() as session:
        cert = session.scalars(select(Certificate).where(Certificate.code == JUNIOR)).one()
        session.execute(update(Quota).where(Quota.certificate_id == cert.id).values(approved=2))
    numbers = ids(site, n=3)
    result = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers)
    assert len(result.added) == 2
    assert [r.problems[0].code for r in result.refused] == ["registration.quota_full"]
    late = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers[2:], as_social=True)
    assert [a.kind for a in late.added] == ["social"]
    # social candidates never count against the quota
    social = ids(site, kind="social", n=2)
    assert len(register_candidates(site, DEMO_PLAN_CODE, JUNIOR, social).added) == 2


def test_a_lowered_quota_shows_in_the_status(site: Database) -> None:
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, ids(site, n=3))
    with site.unit_of_work() as session:
        session.execute(update(Quota).values(approved=1))
    status = step_of(site)
    assert "registration.status_quota_over" in [p.code for p in status.problems]


def test_a_borrowing_candidate_names_the_home_school(site: Database) -> None:
    numbers = ids(site, kind="social", n=1)
    result = register_candidates(
        site, DEMO_PLAN_CODE, JUNIOR, numbers, home_school="武汉示例职业学院"
    )
    assert result.added[0].home_school == "武汉示例职业学院"
    set_home_school(site, DEMO_PLAN_CODE, JUNIOR, numbers[0], "黄冈示例学院")
    assert list_registrations(site, DEMO_PLAN_CODE)[0].home_school == "黄冈示例学院"


def test_a_candidate_short_of_records_is_flagged(site: Database) -> None:
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, ids(site, n=2))
    with site.unit_of_work() as session:
        victim = session.scalars(select(RegistrationSubject.id).limit(1)).one()
        session.execute(delete(RegistrationSubject).where(RegistrationSubject.id == victim))
    check = records_check(site, DEMO_PLAN_CODE)
    assert (check.records, check.expected, check.ok) == (3, 4, False)
    assert [len(r.subjects) for r in check.short] == [1]
    status = step_of(site)
    assert "registration.status_short_records" in [p.code for p in status.problems]
    assert status.summary["short"] == 1


def test_a_subject_added_later_leaves_everyone_short(site: Database) -> None:
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, ids(site, n=2))
    with site.unit_of_work() as session:
        cert = session.scalars(select(Certificate).where(Certificate.code == JUNIOR)).one()
        session.add(
            Subject(
                certificate_id=cert.id,
                code="EXTRA",
                name="面试",
                kind="interview",
                mode="笔试",
                duration_minutes=30,
            )
        )
    assert len(records_check(site, DEMO_PLAN_CODE).short) == 2


def test_fees_per_level_with_the_province_override(site: Database) -> None:
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, ids(site, n=3))
    summary = fee_summary(site, DEMO_PLAN_CODE)
    junior = next(line for line in summary.lines if line.certificate_code == JUNIOR)
    assert (junior.candidates, junior.fee, junior.amount, junior.overridden) == (3, 270, 810, False)
    with site.unit_of_work() as session:
        session.execute(update(Site).values(province="广东省"))
    set_fee_override(site, JUNIOR, "湖北省", 300)
    assert fee_summary(site, DEMO_PLAN_CODE).total == 810  # another province's fee
    with site.unit_of_work() as session:
        session.execute(update(Site).values(province="湖北省"))
    summary = fee_summary(site, DEMO_PLAN_CODE)
    junior = next(line for line in summary.lines if line.certificate_code == JUNIOR)
    assert (junior.fee, junior.overridden, summary.total) == (300, True, 900)
    set_fee_override(site, JUNIOR, "湖北省", 310)
    assert fee_summary(site, DEMO_PLAN_CODE).total == 930
    with pytest.raises(InputError):
        set_fee_override(site, JUNIOR, "湖北省", -1)


def _seat_everyone(db: Database) -> int:
    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
        cert = session.scalars(select(Certificate).where(Certificate.code == JUNIOR)).one()
        site_id = session.scalars(select(Site.id)).first()
        room = Room(plan_id=plan.id, site_id=site_id, certificate_id=cert.id, name="T1", seats=40)
        session.add(room)
        session.flush()
        by_subject = {}
        for exam in session.scalars(select(ExamSession).where(ExamSession.plan_id == plan.id)):
            room_session = RoomSession(room_id=room.id, session_id=exam.id)
            session.add(room_session)
            session.flush()
            by_subject[exam.subject_id] = room_session.id
        records = session.scalars(select(RegistrationSubject)).all()
        for number, record in enumerate(records, start=1):
            session.add(
                Seat(
                    room_session_id=by_subject[record.subject_id],
                    registration_subject_id=record.id,
                    seat_number=number,
                )
            )
        return len(records)


def test_withdrawing_removes_the_seats_too_and_logs_them(site: Database) -> None:
    numbers = ids(site, n=2)
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers)
    assert _seat_everyone(site) == 4
    assert {r.status for r in list_registrations(site, DEMO_PLAN_CODE)} == {"arranged"}
    result = remove_registrations(site, DEMO_PLAN_CODE, JUNIOR, [numbers[0], "110105200201010021"])
    assert result.removed == (numbers[0],)
    assert result.seats_removed == 2
    assert result.not_found == ("110105200201010021",)
    with site.read() as session:
        assert session.scalar(select(func.count()).select_from(Seat)) == 2
        assert session.scalar(select(func.count()).select_from(Registration)) == 1
        deleted = session.scalars(
            select(AuditLog.entity).where(AuditLog.action == "delete").order_by(AuditLog.id)
        ).all()
    assert deleted == ["seat", "seat", "registration"]


@pytest.mark.parametrize(
    ("moment", "code"), [(AFTER, "registration.closed"), (BEFORE, "registration.not_open")]
)
def test_outside_the_window_nothing_changes(site: Database, moment: dt.datetime, code: str) -> None:
    numbers = ids(site, n=2)
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers[:1])
    with clock.fixed(moment):
        for attempt in (
            lambda: register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers[1:]),
            lambda: register_candidates(site, DEMO_PLAN_CODE, JUNIOR, all_ready=True),
            lambda: remove_registrations(site, DEMO_PLAN_CODE, JUNIOR, numbers[:1]),
            lambda: set_home_school(site, DEMO_PLAN_CODE, JUNIOR, numbers[0], "某校"),
        ):
            with pytest.raises(InputError) as refused:
                attempt()
            assert refused.value.code == code
    assert len(list_registrations(site, DEMO_PLAN_CODE)) == 1


def test_the_guard_is_one_public_function(site: Database) -> None:
    with site.read() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
        ensure_registration_open(plan)  # open at TEST_NOW
        with pytest.raises(InputError) as closed:
            ensure_registration_open(plan, AFTER)
    assert "截止" in closed.value.message


def test_unknown_plan_and_certificate_are_refused(site: Database) -> None:
    with pytest.raises(InputError) as plan:
        register_candidates(site, "nope", JUNIOR, ids(site, n=1))
    assert plan.value.code == "catalog.plan_not_found"
    with pytest.raises(InputError) as cert:
        register_candidates(site, DEMO_PLAN_CODE, "EX-BODAO-EDA-1", ids(site, n=1))
    assert cert.value.code == "registration.certificate_not_in_plan"
    unknown = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, ["110105200201010021"])
    assert unknown.refused[0].problems[0].code == "registration.candidate_not_found"


def test_nothing_to_register_is_refused(site: Database) -> None:
    with pytest.raises(InputError) as refused:
        register_candidates(site, DEMO_PLAN_CODE, JUNIOR, [])
    assert refused.value.code == "registration.nothing_to_register"


def test_platform_statuses_are_registrable(site: Database) -> None:
    numbers = ids(site, n=3)
    with site.unit_of_work() as session:
        for number, status in zip(numbers, ("pending", "manual", "verified"), strict=True):
            session.execute(
                update(Candidate)
                .where(Candidate.id_number == number)
                .values(status=status, platform_status=status)
            )
    result = register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers)
    assert len(result.added) == 3
    assert [w.problems[0].code for w in result.warnings] == ["registration.manual_status"]
