"""Exam sessions: made by the catalog import, re-timed by the coordinator, kept by a
re-import; the typed rules in the database; staff booked in two rooms at once."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from examsite.domain.certificate_rules import InvigilatorRule, Rounding, ScoringKind
from examsite.errors import InputError, NotFoundError
from examsite.services.catalog import builtin_catalog, import_catalog, load_catalog
from examsite.services.sessions import double_booked_staff, list_sessions, set_session_time
from examsite.storage.db import Database
from examsite.storage.models import (
    AuditLog,
    Certificate,
    ExamPlan,
    ExamSession,
    InvigilatorAssignment,
    Room,
    RoomSession,
    School,
    Site,
    Staff,
    Subject,
)

PLAN_003 = "2232100001"
JUNIOR, INTERMEDIATE = "1630054223010588", "1630054223020943"


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 1, 10, hour, minute)


def session_of(db: Database, certificate: str, kind: str, plan: str = PLAN_003) -> Any:
    return next(
        s
        for s in list_sessions(db, plan)
        if s.certificate_code == certificate and s.subject_kind == kind
    )


def test_the_catalog_gives_every_plan_its_sessions(db: Database) -> None:
    sessions = list_sessions(db)
    with db.read() as session:
        subjects = sum(
            len(c.subjects) for p in session.scalars(select(ExamPlan)) for c in p.certificates
        )
    assert len(sessions) == subjects == 18
    # the 003 plan's explicit timetable: intermediate in the afternoon
    theory = session_of(db, INTERMEDIATE, "theory")
    practical = session_of(db, INTERMEDIATE, "practical")
    assert (theory.starts_at, theory.ends_at) == (at(13), at(14))
    assert (practical.starts_at, practical.ends_at) == (at(14, 30), at(16, 30))
    # a plan without a timetable: the default rule from the window's opening
    bodao = session_of(db, "EX-BODAO-EDA-1", "practical", "EX-BODAO-2027-1")
    assert bodao.starts_at == dt.datetime(2027, 5, 28, 10, 0)
    assert not any(s.edited for s in sessions)
    assert {s.plan_code for s in list_sessions(db, PLAN_003)} == {PLAN_003}


def test_list_sessions_of_an_unknown_plan(db: Database) -> None:
    with pytest.raises(NotFoundError) as caught:
        list_sessions(db, "nope")
    assert caught.value.code == "catalog.plan_not_found"


def test_set_session_time_marks_it_edited_and_a_reimport_keeps_it(db: Database) -> None:
    theory = session_of(db, JUNIOR, "theory")
    changed = set_session_time(db, theory.uid, at(9))
    assert (changed.starts_at, changed.ends_at, changed.edited) == (at(9), at(10), True)
    changed = set_session_time(db, theory.uid, at(9), at(10, 30))
    assert changed.ends_at == at(10, 30)

    data = copy.deepcopy(builtin_catalog())
    plan = next(p for p in data["plans"] if p["code"] == PLAN_003)
    for entry in plan["timetable"]:
        if entry["certificate"] == JUNIOR and entry["subject"] == "practical":
            entry["start"] = "2027-01-10T11:00"
    counts = import_catalog(db, data)
    assert counts["sessions_created"] == 0
    assert len(list_sessions(db)) == 18
    kept = session_of(db, JUNIOR, "theory")
    assert (kept.starts_at, kept.ends_at, kept.edited) == (at(9), at(10, 30), True)
    moved = session_of(db, JUNIOR, "practical")
    assert (moved.starts_at, moved.ends_at, moved.edited) == (at(11), at(13), False)
    with db.read() as session:
        logged = session.scalars(
            select(AuditLog.entity_id).where(AuditLog.entity == "exam_session")
        ).all()
    assert logged == [theory.uid, theory.uid]


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (at(10), at(10), "sessions.end_not_after_start"),
        (at(10), at(9), "sessions.end_not_after_start"),
        (at(8), at(9), "sessions.outside_exam_window"),
        (at(16), None, "sessions.outside_exam_window"),
        (at(8, 30), None, "sessions.start_taken"),
    ],
)
def test_set_session_time_refuses(
    db: Database, start: dt.datetime, end: dt.datetime | None, code: str
) -> None:
    theory = session_of(db, JUNIOR, "theory")
    other = session_of(db, INTERMEDIATE, "theory")
    if code == "sessions.start_taken":  # a second sitting of the same subject at 08:30
        set_session_time(db, other.uid, at(13))
        with db.unit_of_work() as session:
            first = session.scalar(select(ExamSession).where(ExamSession.uid == theory.uid))
            assert first is not None
            session.add(
                ExamSession(
                    plan_id=first.plan_id,
                    subject_id=first.subject_id,
                    starts_at=at(11),
                    ends_at=at(12),
                )
            )
        target = next(
            s.uid
            for s in list_sessions(db, PLAN_003)
            if s.certificate_code == JUNIOR and s.starts_at == at(11)
        )
    else:
        target = theory.uid
    with pytest.raises(InputError) as caught:
        set_session_time(db, target, start, end)
    assert caught.value.code == code
    assert "请" in caught.value.message


def test_set_session_time_of_an_unknown_session(db: Database) -> None:
    with pytest.raises(NotFoundError):
        set_session_time(db, "no-such-uid", at(9))


def test_rules_are_typed_in_the_database(db: Database) -> None:
    with db.read() as session:
        cert = session.scalar(select(Certificate).where(Certificate.code == JUNIOR))
        assert cert is not None
        assert isinstance(cert.invigilator_rule, InvigilatorRule)
        assert cert.invigilator_rule.required(41) == 3
        assert cert.scoring_rule.kind is ScoringKind.WEIGHTED
    info = next(c for c in load_catalog(db).certificates if c.code == "EX-BODAO-EDA-1")
    assert info.invigilator_rule.rounding is Rounding.FLOOR
    with db.unit_of_work() as session:
        cert = session.scalar(select(Certificate).where(Certificate.code == JUNIOR))
        assert cert is not None
        cert.invigilator_rule = InvigilatorRule(3, 15, 0, Rounding.CEIL)
    with db.read() as session:
        cert = session.scalar(select(Certificate).where(Certificate.code == JUNIOR))
        assert cert is not None and cert.invigilator_rule.required(46) == 4


def test_a_bad_catalog_writes_nothing(db: Database) -> None:
    data = copy.deepcopy(builtin_catalog())
    cert = next(c for c in data["certificates"] if c["code"] == JUNIOR)
    cert["name"] = "改过的名字"
    plan = next(p for p in data["plans"] if p["code"] == PLAN_003)
    plan["name"] = "改过的计划"
    # accepted by the file check, refused by the import: practical until 17:00
    plan["timetable"][3]["start"] = "2027-01-10T15:00"
    with pytest.raises(InputError) as caught:
        import_catalog(db, data)
    assert caught.value.code == "catalog.invalid"
    assert [p.code for p in caught.value.problems] == ["catalog.session_outside_window"]
    assert INTERMEDIATE in caught.value.problems[0].params["certificate"]
    catalog = load_catalog(db)
    assert next(c for c in catalog.certificates if c.code == JUNIOR).name != "改过的名字"
    assert next(p for p in catalog.plans if p.code == PLAN_003).name != "改过的计划"


def test_a_catalog_refers_to_what_does_not_exist(db: Database) -> None:
    data = copy.deepcopy(builtin_catalog())
    data["plans"][0]["certificates"].append("NO-SUCH-CERT")
    data["certificates"][0]["org"] = "NOBODY"
    with pytest.raises(InputError) as caught:
        import_catalog(db, data)
    assert [p.code for p in caught.value.problems] == [
        "catalog.certificate_unknown_org",
        "catalog.plan_unknown_certificate",
    ]


def test_a_timetable_for_a_subject_the_certificate_lacks(db: Database) -> None:
    source = builtin_catalog()
    cert = copy.deepcopy(next(c for c in source["certificates"] if c["code"] == JUNIOR))
    cert.update(code="X-THEORY-ONLY", name="只考理论的证书")
    cert["subjects"] = [dict(cert["subjects"][0], code="X-1", weight=1.0)]
    plan = copy.deepcopy(next(p for p in source["plans"] if p["code"] == PLAN_003))
    plan.update(code="X-PLAN", certificates=["X-THEORY-ONLY"])
    plan["timetable"] = [
        {"certificate": "X-THEORY-ONLY", "subject": "practical", "start": "2027-01-10T10:00"}
    ]
    data = {"format": "examsite-catalog", "certificates": [cert], "plans": [plan]}
    with pytest.raises(InputError) as caught:
        import_catalog(db, data)
    assert [p.code for p in caught.value.problems] == ["catalog.timetable_unknown_subject"]
    plan["timetable"] = []
    assert import_catalog(db, data)["sessions_created"] == 1


# --- double booking --------------------------------------------------------------------


def _room(session: Any, name: str, certificate: Certificate, plan: ExamPlan, site: Site) -> Room:
    room = Room(
        plan_id=plan.id, site_id=site.id, certificate_id=certificate.id, name=name, seats=40
    )
    session.add(room)
    return room


def test_staff_in_two_rooms_at_once(db: Database) -> None:
    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == PLAN_003)).one()
        junior, intermediate, senior = plan.certificates
        school = School(name="示例学院")
        site = Site(school=school, name="示例学院考核站点")
        session.add(site)
        session.flush()
        rooms = {
            name: _room(session, name, cert, plan, site)
            for name, cert in (("301", junior), ("302", senior), ("401", intermediate))
        }
        zhang, li, wang = Staff(name="张老师"), Staff(name="李老师"), Staff(name="王老师")
        session.add_all([zhang, li, wang])
        session.flush()
        by_cert_kind = {
            (s.subject.certificate_id, s.subject.kind): s
            for s in session.scalars(select(ExamSession).where(ExamSession.plan_id == plan.id))
        }

        def assign(staff: Staff, room: str, cert: Certificate, kind: str) -> None:
            exam_session = by_cert_kind[(cert.id, kind)]
            room_session = session.scalar(
                select(RoomSession).where(
                    RoomSession.room_id == rooms[room].id,
                    RoomSession.session_id == exam_session.id,
                )
            ) or RoomSession(room=rooms[room], exam_session=exam_session)
            session.add(InvigilatorAssignment(room_session=room_session, staff=staff))
            session.flush()

        # 张: junior theory in 301 and senior theory in 302, both 08:30-09:30: a clash
        assign(zhang, "301", junior, "theory")
        assign(zhang, "302", senior, "theory")
        # 李: junior theory in 301, then intermediate theory in 401 at 13:00: no clash
        assign(li, "301", junior, "theory")
        assign(li, "401", intermediate, "theory")
        # 王: junior theory and junior practical in the same room: no clash
        assign(wang, "301", junior, "theory")
        assign(wang, "301", junior, "practical")

    clashes = double_booked_staff(db)
    assert [(c.staff_name, c.first.room_name, c.second.room_name) for c in clashes] == [
        ("张老师", "301", "302")
    ]
    assert clashes[0].first.starts_at == at(8, 30)
    assert double_booked_staff(db, PLAN_003) == clashes

    # moving the senior theory to 09:30 (the end of the junior one) ends the clash
    senior_theory = session_of(db, "1630054223031298", "theory")
    set_session_time(db, senior_theory.uid, at(9, 30))
    assert double_booked_staff(db) == ()
    # moving it to 09:29 brings it back
    set_session_time(db, senior_theory.uid, at(9, 29))
    assert len(double_booked_staff(db)) == 1
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(RoomSession)) == 4
    assert sum(s.rooms for s in list_sessions(db, PLAN_003)) == 4


def test_ensure_room_sessions_gives_each_room_every_session_of_its_certificate(
    db: Database,
) -> None:
    from examsite.services.sessions import ensure_room_sessions

    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == PLAN_003)).one()
        junior, _intermediate, senior = plan.certificates
        site = Site(school=School(name="示例学院"), name="示例学院考核站点")
        session.add(site)
        session.flush()
        _room(session, "301", junior, plan, site)
        _room(session, "302", junior, plan, site)
        _room(session, "303", senior, plan, site)
        session.flush()
        # one made by hand already: kept, not doubled
        first = session.scalars(select(Room).order_by(Room.name)).first()
        assert first is not None
        theory = session.scalars(
            select(ExamSession)
            .join(ExamSession.subject)
            .where(ExamSession.plan_id == plan.id, ExamSession.subject.has(certificate=junior))
        ).first()
        session.add(RoomSession(room=first, exam_session=theory))
        session.flush()
        # 3 rooms x 2 subjects; one was there
        assert ensure_room_sessions(session, plan.id) == 5
        assert ensure_room_sessions(session, plan.id) == 0
        pairs = session.execute(
            select(Room.name, Subject.kind)
            .select_from(RoomSession)
            .join(Room, Room.id == RoomSession.room_id)
            .join(ExamSession, ExamSession.id == RoomSession.session_id)
            .join(Subject, Subject.id == ExamSession.subject_id)
            .where(Subject.certificate_id == Room.certificate_id)
        ).all()
        assert len(pairs) == 6
        assert sorted(pairs) == sorted(
            (room, kind) for room in ("301", "302", "303") for kind in ("practical", "theory")
        )
