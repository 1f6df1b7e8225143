"""Invigilation on a real database: projection before the arrangement, the automatic
assignment (keeps hand-made ones, says what it could not fill), hand changes with
warnings, explanations, breaches after seating, the sheet, the duty cap setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

import staff_world as w
from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.services.invigilation import (
    assign_one,
    assign_plan,
    explain,
    plan_overview,
    unassign,
)
from examsite.services.invigilation_sheet import write_invigilator_sheet
from examsite.services.staff import list_staff, set_duty_cap
from examsite.services.status import round_status
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, InvigilatorAssignment


def test_before_the_arrangement_candidates_are_projected_by_capacity(db: Database):
    w.rooms(db, [45, 45, 45])
    w.register(db, [w.Group(90)])
    rows = plan_overview(db, w.PLAN).rows
    theory = [r for r in rows if r.starts_at == rows[0].starts_at]
    assert [(r.room, r.candidates, r.required, r.projected) for r in theory] == [
        ("A01", 45, 3, True),  # 003: ceil(45 / 20)
        ("A02", 45, 3, True),
        ("A03", 0, 0, True),  # nobody sits there: nobody to invigilate
    ]


def test_the_000_rule_asks_fewer_for_the_same_room(db: Database):
    w.rooms(db, [45], plan=w.PLAN_000, cert=w.CERT_000)
    w.register(db, [w.Group(45)], plan=w.PLAN_000, cert=w.CERT_000)
    assert {r.required for r in plan_overview(db, w.PLAN_000).rows} == {2}


def test_assign_fills_every_room_session_and_keeps_teachers_out(db: Database):
    w.rooms(db, [45, 45])
    w.register(
        db,
        [
            w.Group(50, "530605", "市场营销", "营销2101"),
            w.Group(30, "530701", "电子商务", "电商2102"),
        ],
    )
    w.staff(db, "营销老师", "经济管理学院", majors=[("530605", "市场营销")])
    w.staff(db, "班主任", "经济管理学院", classes=["电商2102"])
    w.staff(db, "同院系", "经济管理学院")
    w.invigilators(db, 6)
    report = assign_plan(db, w.PLAN)
    assert report.complete and report.added == 10  # (3 + 2) rooms x theory + practical
    rows = plan_overview(db, w.PLAN).rows
    named = {n for r in rows for n in (a.name for a in r.invigilators)}
    assert not named & {"营销老师", "班主任"}
    assert "同院系" not in named  # six others from another department suffice
    assert all(len(r.invigilators) == r.required for r in rows)
    with db.read() as session:
        logged = session.scalar(
            select(func.count()).where(AuditLog.entity == "invigilator_assignment")
        )
    assert logged == 10


def test_a_short_plan_is_reported_and_never_complete(db: Database):
    w.rooms(db, [45, 45])
    w.register(db, [w.Group(90)])
    w.invigilators(db, 4)
    w.staff(db, "主考", roles=["chief"])
    report = assign_plan(db, w.PLAN)
    assert not report.complete
    theory = [s for s in report.shortfalls if s.starts_at.hour == 8]
    assert [(s.needed, s.found) for s in theory] == [(3, 1)]
    codes = {p.code: p.params["count"] for p in theory[0].reasons}
    assert codes["staff.left_out_busy"] == 3 and codes["staff.left_out_not_invigilator"] == 1
    assert round_status(db).step(Step.STAFF).summary["room_sessions_short"] == 2


def test_hand_made_assignments_stay_and_carry_their_warnings(db: Database):
    w.rooms(db, [40])
    w.register(db, [w.Group(40)])
    w.staff(db, "营销老师", "经济管理学院", majors=[("530605", "市场营销")])
    w.invigilators(db, 3)
    session_uid = plan_overview(db, w.PLAN).rows[0].session_uid
    done = assign_one(db, w.PLAN, "A01", session_uid, "营销老师")
    assert [p.code for p in done.warnings][:1] == ["staff.reason_teaches_major"]
    report = assign_plan(db, w.PLAN)
    assert report.kept_manual == 1
    row = plan_overview(db, w.PLAN).rows[0]
    teacher = next(a for a in row.invigilators if a.name == "营销老师")
    assert teacher.manual and teacher.warnings[0].code == "staff.reason_teaches_major"
    assert len(row.invigilators) == 2  # the rule asks 2; the hand-made one counts
    assert round_status(db).step(Step.STAFF).summary["breaking_rules"] == 1
    with pytest.raises(InputError) as refused:
        assign_one(db, w.PLAN, "A01", session_uid, "营销老师")
    assert refused.value.code == "staff.already_assigned"
    assert unassign(db, w.PLAN, "A01", session_uid, "营销老师") == "营销老师"
    assign_plan(db, w.PLAN)  # running again replaces only the automatic ones
    with db.read() as session:
        assert not session.scalar(
            select(func.count()).where(InvigilatorAssignment.manual.is_(True))
        )


def test_explain_says_why_each_person_is_left_out(db: Database):
    w.rooms(db, [40, 40])
    w.register(db, [w.Group(80)])
    w.staff(db, "营销老师", "经济管理学院", majors=[("530605", "市场营销")])
    w.staff(db, "同院系", "经济管理学院")
    w.staff(db, "主考", roles=["chief"])
    w.staff(db, "满额", cap=1)
    w.invigilators(db, 4)
    assign_plan(db, w.PLAN)
    rows = plan_overview(db, w.PLAN).rows
    first = rows[0]
    result = explain(db, w.PLAN, first.room, first.session_uid)
    reasons = {v.name: [p.code for p in v.reasons] for v in result.people}
    assert reasons["营销老师"][0] == "staff.reason_teaches_major"
    assert reasons["主考"] == ["staff.reason_not_invigilator"]
    assert "staff.reason_same_department" in reasons["同院系"]
    in_other = next(
        v
        for v in result.people
        if not v.assigned and "staff.reason_busy" in [p.code for p in v.reasons]
    )
    assert in_other.name.startswith("监考") or in_other.name == "满额"
    assigned = [v.name for v in result.people if v.assigned]
    assert sorted(assigned) == sorted(a.name for a in first.invigilators)


def test_after_seating_the_status_flags_assignments_that_break_a_rule(db: Database):
    w.rooms(db, [40, 40])
    w.register(db, [w.Group(40, "530605", "市场营销", "营销2101")])  # projected into A01 only
    w.invigilators(db, 4)
    w.staff(db, "电商老师", "信息工程学院", classes=["电商2102"], certified=True)
    assign_plan(db, w.PLAN)
    before = plan_overview(db, w.PLAN).rows
    assert any("电商老师" in [a.name for a in r.invigilators] for r in before)
    w.register(db, [w.Group(20, "530701", "电子商务", "电商2102")])  # a late class
    w.seat_all(db, newest_first=True)  # the late class sits in A01
    after = plan_overview(db, w.PLAN)
    assert not any(r.projected for r in after.rows)
    assert after.breaking >= 1
    assert round_status(db).step(Step.STAFF).summary["breaking_rules"] >= 1


def test_the_sheet_reads_back_with_another_reader(db: Database, tmp_path: Path):
    w.rooms(db, [40])
    w.register(db, [w.Group(30)])
    w.invigilators(db, 2)
    with pytest.raises(InputError):
        write_invigilator_sheet(db, w.PLAN, tmp_path / "empty.xlsx")
    assign_plan(db, w.PLAN)
    written = write_invigilator_sheet(db, w.PLAN, tmp_path / "监考")
    assert written.path.suffix == ".xlsx" and written.rows == 4
    rows = CalamineWorkbook.from_path(str(written.path)).get_sheet_by_index(0).to_python()
    assert rows[2][:6] == [
        "*考试计划编号",
        "*考核站点",
        "*考场名称",
        "*场次开始时间",
        "*场次结束时间",
        "*监考员姓名",
    ]
    assert rows[3][0] == w.PLAN and rows[3][2] == "A01"
    assert rows[3][3] == "2027-01-10 08:30" and rows[3][6] == "13800000000"


def test_the_duty_cap_is_a_setting(db: Database):
    assert list_staff(db).duty_cap == 3
    assert set_duty_cap(db, 5) == 5
    assert list_staff(db).duty_cap == 5
    with pytest.raises(InputError):
        set_duty_cap(db, 0)
