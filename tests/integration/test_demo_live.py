"""The demo site is live on the day it is made: its plan's registration is open and the
exam lies after it, whatever the day; a catalog import leaves it as it is."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from examsite import clock
from examsite.services.catalog import builtin_catalog, import_catalog
from examsite.services.demo import DEMO_PLAN_CODE, EXAMPLE_PLAN_CODE, create_demo
from examsite.services.sessions import list_sessions
from examsite.storage.db import Database
from examsite.storage.models import Candidate, ExamPlan, Lab, Room, Staff


def windows(db: Database) -> ExamPlan:
    with db.read() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
        session.expunge(plan)
        return plan


def assert_live(plan: ExamPlan, now: dt.datetime) -> None:
    assert plan.registration_start < now - dt.timedelta(days=3)  # opened some days ago
    assert now + dt.timedelta(days=7) < plan.registration_end  # closes in weeks
    assert plan.registration_end < plan.arrangement_start < plan.arrangement_end
    assert plan.arrangement_end < plan.exam_start < plan.exam_end
    assert plan.exam_start.weekday() == 5  # a Saturday
    assert plan.exam_end < plan.score_entry_start < plan.publication_start


def test_the_demo_is_live_at_the_test_clock(db: Database, fixed_clock: dt.datetime) -> None:
    create_demo(db, candidates=10)
    plan = windows(db)
    assert_live(plan, fixed_clock)  # TEST_NOW
    sessions = list_sessions(db, DEMO_PLAN_CODE)
    assert len(sessions) == 6  # three levels, theory and practical
    for cert in {s.certificate_code for s in sessions}:
        mine = [s for s in sessions if s.certificate_code == cert]
        assert len({s.starts_at.date() for s in mine}) == 1  # both subjects on one day
        assert all(plan.exam_start <= s.starts_at < s.ends_at <= plan.exam_end for s in mine)


def test_made_on_two_days_the_demo_has_two_windows(tmp_path, db_templates) -> None:
    import shutil

    made = []
    for day in (dt.datetime(2026, 3, 2, 10, 0), dt.datetime(2027, 8, 15, 18, 30)):
        path = tmp_path / f"{day:%Y%m%d}.db"
        shutil.copyfile(db_templates.empty(), path)
        db = Database.open(path)
        with clock.fixed(day):
            create_demo(db, candidates=5)
        plan = windows(db)
        assert_live(plan, day)
        made.append(plan.registration_end)
        db.close()
    assert made[1] - made[0] > dt.timedelta(days=500)


def test_a_catalog_import_leaves_the_demo_live(db: Database) -> None:
    create_demo(db, candidates=5)
    before = windows(db)
    import_catalog(db, builtin_catalog())
    after = windows(db)
    assert (after.registration_end, after.exam_start) == (
        before.registration_end,
        before.exam_start,
    )
    with db.read() as session:
        example = session.scalars(select(ExamPlan).where(ExamPlan.code == EXAMPLE_PLAN_CODE)).one()
        assert example.exam_start == dt.datetime(2027, 1, 10, 8, 30)  # the catalog's own


def test_the_demo_has_what_the_later_steps_need(db: Database) -> None:
    result = create_demo(db, candidates=60)
    assert result.rooms == 0 and result.labs == 9
    with db.read() as session:
        school = session.scalars(select(Candidate).where(Candidate.kind == "school")).all()
        assert all(c.class_name for c in school)
        assert len({c.class_name for c in school}) >= 5
        staff = session.scalars(select(Staff)).all()
        roles = {role for s in staff for role in s.roles}
        assert roles >= {"director", "chief", "deputy", "affairs", "sysadmin", "logistics"}
        assert {"inspector", "invigilator"} <= roles
        invigilators = [s for s in staff if "invigilator" in s.roles]
        assert len(invigilators) >= 12
        assert len({s.department for s in invigilators}) >= 4
        teaching = {c for s in invigilators for c in s.classes_taught}
        assert teaching & {c.class_name for c in school}
        assert any(not s.certified for s in staff)
        labs = session.scalars(select(Lab)).all()
        assert sum(1 for lab in labs if lab.seats == 45 and lab.exam_capacity == 40) == 8
        assert session.scalars(select(Room)).all() == []
