"""The site's record, its certificates and name, the checklist with computed items, and
the staff roster with the team check."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import staff_world as w
from examsite.domain.workflow import Step, StepState
from examsite.errors import InputError, NotFoundError
from examsite.services.site import SiteChanges, change_certificate, set_site, show_site, tick
from examsite.services.staff import Major, StaffInput, list_staff, remove_staff, save_staff
from examsite.services.status import round_status
from examsite.storage.db import Database
from examsite.storage.models import Lab, Site

JUNIOR, MIDDLE = "1630054223010588", "1630054223020943"


def test_a_new_site_is_named_as_the_platform_names_it(db: Database):
    with pytest.raises(NotFoundError):
        show_site(db)
    with pytest.raises(InputError) as refused:
        set_site(db, SiteChanges(director="王"))
    assert refused.value.problems[0].code == "site.school_needed"
    info = set_site(db, SiteChanges(school="江汉学院", code="S-01", phone="027-88886666"))
    assert info.name == "江汉学院考核站点" and info.code == "S-01"
    change_certificate(db, MIDDLE, add=True)
    info = change_certificate(db, JUNIOR, add=True)
    assert info.name == "江汉学院 - 数字营销技术应用职业技能等级证书（初级、中级）考核站点"
    info = change_certificate(db, MIDDLE, add=False)
    assert info.name.endswith("证书（初级）考核站点")
    with pytest.raises(InputError):
        change_certificate(db, JUNIOR, add=True)
    with pytest.raises(InputError) as bad:
        set_site(db, SiteChanges(phone="电话"))
    assert bad.value.problems[0].code == "site.bad_phone"
    assert show_site(db).phone == "027-88886666"


def test_a_certificate_with_rooms_cannot_be_removed(db: Database):
    set_site(db, SiteChanges(school="江汉学院"))
    change_certificate(db, w.CERT, add=True)
    w.rooms(db, [40])
    with pytest.raises(InputError) as refused:
        change_certificate(db, w.CERT, add=False)
    assert refused.value.code == "site.certificate_has_rooms"


def test_the_checklist_ticks_and_computes(db: Database):
    set_site(db, SiteChanges(school="江汉学院"))
    change_certificate(db, JUNIOR, add=True)
    start = show_site(db).readiness
    missing = {m.key for m in start.missing}
    assert {"rooms", "staff_team", "staff_roles", "servers"} <= missing
    with db.unit_of_work() as session:
        site_id = session.scalar(select(Site.id))
        session.add(Lab(site_id=site_id, name="机房 1", seats=45, exam_capacity=40))
    for name, roles in (("甲", ["director"]), ("乙", ["sysadmin"]), ("丙", ["logistics"])):
        w.staff(db, name, roles=roles)
    w.invigilators(db, 2)
    after = tick(db, "servers").readiness
    assert after.done == start.done + 4  # the lab, the team, its posts, the tick
    with pytest.raises(InputError):
        tick(db, "staff_team")  # computed: not for ticking
    assert tick(db, "servers", done=False).readiness.done == after.done - 1
    status = round_status(db).step(Step.SITE)
    assert status.state is StepState.IN_PROGRESS
    assert status.summary["readiness"] == show_site(db).readiness.percent
    assert status.problems[-1].code == "site.standard_missing"


def test_the_roster_add_edit_remove_and_team_check(db: Database):
    w.site(db)
    assert list_staff(db).team.size == 0
    added = save_staff(
        db,
        StaffInput(
            "李老师",
            "13912345678",
            "经济管理学院",
            ("invigilator", "chief"),
            (Major("530605", "市场营销"),),
            ("营销2101",),
            certified=True,
        ),
    )
    assert added.roles == ("chief", "invigilator") and added.majors[0].name == "市场营销"
    with pytest.raises(InputError) as twin:
        save_staff(db, StaffInput("李老师"))
    assert twin.value.problems[0].code == "staff.duplicate_name"
    with pytest.raises(InputError) as bad:
        save_staff(db, StaffInput("王", phone="123", roles=("wizard",), daily_duty_cap=99))
    assert [p.code for p in bad.value.problems] == [
        "staff.bad_phone",
        "staff.unknown_role",
        "staff.bad_cap",
    ]
    edited = save_staff(
        db, StaffInput("李老师", roles=("invigilator",), daily_duty_cap=2), added.uid
    )
    assert edited.daily_duty_cap == 2 and edited.roles == ("invigilator",)
    roster = list_staff(db)
    assert not roster.team.ok
    assert roster.team_problems[0].code == "status.staff_team_small"
    remove_staff(db, "李老师")
    assert list_staff(db).staff == ()
    with pytest.raises(NotFoundError):
        remove_staff(db, "李老师")


def test_staff_with_assignments_cannot_be_removed(db: Database):
    from examsite.services.invigilation import assign_plan

    w.rooms(db, [30])
    w.register(db, [w.Group(30)])
    w.invigilators(db, 2)
    assign_plan(db, w.PLAN)
    with pytest.raises(InputError) as refused:
        remove_staff(db, "监考01")
    assert refused.value.code == "staff.has_assignments"
