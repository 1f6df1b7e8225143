"""The demo site and the round status computed from it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from examsite.domain.id_number import check_id_number
from examsite.domain.workflow import Step, StepState
from examsite.errors import InputError
from examsite.messages import has_message
from examsite.services.demo import create_demo
from examsite.services.status import days_until, round_status
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Photo, Room, Staff


def test_demo_fills_a_site_with_problems_on_purpose(db: Database) -> None:
    result = create_demo(db, candidates=40)
    assert result.created and result.candidates == 40
    status = round_status(db)
    assert status.candidates.total == 40
    assert status.candidates.by_status["no_photo"] >= 1
    assert status.candidates.by_status["incomplete"] == 1
    assert status.step(Step.PHOTOS).state is StepState.PROBLEMS
    # The demo ticks part of the site standard: under way, with what is missing.
    site = status.step(Step.SITE)
    assert site.state is StepState.IN_PROGRESS
    assert 0 < site.summary["readiness"] < 100
    with db.read() as session:
        ids = session.scalars(select(Candidate.id_number)).all()
        assert all(check_id_number(i).valid for i in ids)
        rejected = session.scalar(select(func.count()).where(Photo.verdict == "rejected"))
        assert rejected == 2  # the blue background and the oversized one (not fixed)


def test_demo_twice_duplicates_nothing(db: Database) -> None:
    create_demo(db, candidates=20)
    again = create_demo(db, candidates=20)
    assert not again.created
    with db.read() as session:
        for model, expected in ((Candidate, 20), (Room, again.rooms), (Staff, again.staff)):
            assert session.scalar(select(func.count()).select_from(model)) == expected


def test_demo_refused_on_a_database_with_real_candidates(db: Database) -> None:
    with db.unit_of_work() as session:
        session.add(Candidate(kind="social", name="张三", id_number="11010519491231002X"))
    with pytest.raises(InputError):
        create_demo(db, candidates=5)


def test_status_reports_plans_and_deadlines(db: Database) -> None:
    now = dt.datetime(2026, 12, 31, 12, 0)
    status = round_status(db, now=now)
    plan = next(p for p in status.plans if p.code == "2232100001")
    assert plan.registration_deadline == dt.datetime(2027, 1, 7, 23, 59)
    assert plan.days_left == 8
    assert plan.next_deadline is not None and plan.next_deadline.window == "registration"
    assert [s.step for s in status.steps] == list(Step)


def test_every_status_problem_has_a_chinese_message(db: Database, demo_site) -> None:
    demo_site(db, 20)
    for step in round_status(db).steps:
        for problem in step.problems:
            assert has_message(problem.code), problem.code


def test_days_until() -> None:
    now = dt.datetime(2027, 1, 1, 0, 0)
    assert days_until(dt.datetime(2027, 1, 1, 1, 0), now) == 1
    assert days_until(dt.datetime(2027, 1, 3, 0, 0), now) == 2
    assert days_until(dt.datetime(2026, 12, 31, 0, 0), now) == -1
