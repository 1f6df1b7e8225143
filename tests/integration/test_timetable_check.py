"""The exam timetable's check: no candidate has two sessions at once."""

from __future__ import annotations

import datetime as dt

import pytest
from rooms_helpers import INTERMEDIATE, JUNIOR, SENIOR, register
from sqlalchemy import select

from examsite.errors import NotFoundError
from examsite.messages import render
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.sessions import list_sessions, set_session_time
from examsite.services.timetable_check import (
    SAME_CERTIFICATE,
    SHARED_CANDIDATES,
    check_timetable,
)
from examsite.storage.db import Database
from examsite.storage.models import ExamSession

PLAN = DEMO_PLAN_CODE


@pytest.fixture
def demo(db: Database, demo_site) -> Database:
    demo_site(db, 20)
    return db


def session_of(db: Database, certificate: str, kind: str):
    return next(
        s
        for s in list_sessions(db, PLAN)
        if s.certificate_code == certificate and s.subject_kind == kind
    )


def test_the_demo_timetable_has_no_clash(demo: Database) -> None:
    register(demo, JUNIOR, 5)
    register(demo, INTERMEDIATE, 5)  # the same five sit both levels: morning and afternoon
    assert check_timetable(demo, PLAN) == ()


def test_theory_and_practical_of_a_level_must_not_overlap(demo: Database) -> None:
    theory = session_of(demo, JUNIOR, "theory")
    set_session_time(demo, session_of(demo, JUNIOR, "practical").uid, theory.starts_at)
    (clash,) = check_timetable(demo, PLAN)
    assert clash.kind == SAME_CERTIFICATE
    assert {clash.first.subject_kind, clash.second.subject_kind} == {"theory", "practical"}
    assert "同一证书等级" in render(clash.problem())


def test_two_levels_at_once_clash_only_for_candidates_of_both(demo: Database) -> None:
    # Junior and senior share the morning: fine while nobody sits both.
    register(demo, JUNIOR, 6)
    register(demo, SENIOR, 6, skip=6)
    assert check_timetable(demo, PLAN) == ()
    register(demo, SENIOR, 2, skip=0)  # two junior candidates sit the senior level too
    clashes = check_timetable(demo, PLAN)
    assert {c.kind for c in clashes} == {SHARED_CANDIDATES}
    assert all(c.candidates == 2 for c in clashes)
    assert len(clashes) == 2  # theory with theory, practical with practical
    assert "2 名考生" in render(clashes[0].problem())


def test_sessions_that_touch_do_not_overlap(demo: Database) -> None:
    theory = session_of(demo, JUNIOR, "theory")
    set_session_time(
        demo, session_of(demo, JUNIOR, "practical").uid, theory.ends_at, None
    )  # starts when theory ends
    assert check_timetable(demo, PLAN) == ()
    with demo.read() as session:
        moved = session.scalars(select(ExamSession).where(ExamSession.edited)).one()
        assert moved.starts_at == theory.ends_at
    assert isinstance(theory.ends_at, dt.datetime)


def test_an_unknown_plan_is_named(demo: Database) -> None:
    with pytest.raises(NotFoundError):
        check_timetable(demo, "NOPE")
