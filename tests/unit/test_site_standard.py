"""The site's name as the platform builds it, the site standard's readiness, the team."""

from __future__ import annotations

from examsite.domain.site_standard import ITEMS, TICKABLE, SiteFacts, evaluate, site_name
from examsite.domain.staff_roles import Role, check_team, read_roles

FULL_TEAM = [["chief"], ["invigilator"], ["invigilator"], ["sysadmin"], ["logistics"]]


def test_the_site_name_is_school_certificates_and_site():
    name = site_name(
        "北京科技大学",
        [
            ("数字营销技术应用职业技能等级证书", "intermediate"),
            ("数字营销技术应用职业技能等级证书", "junior"),
        ],
    )
    assert name == "北京科技大学 - 数字营销技术应用职业技能等级证书（初级、中级）考核站点"
    two = site_name("某学院", [("甲证书", "senior"), ("乙证书", "junior")])
    assert two == "某学院 - 甲证书（高级）、乙证书（初级）考核站点"
    assert site_name("某学院", []) == "某学院考核站点"


def test_readiness_counts_ticks_and_computed_items():
    facts = SiteFacts(big_labs=1, team=check_team(FULL_TEAM))
    nothing = evaluate({}, facts)
    assert nothing.total == len(ITEMS)
    assert nothing.done == 3  # rooms, team size, team roles: computed, not ticked
    everything = evaluate(dict.fromkeys(TICKABLE, True), facts)
    assert (everything.done, everything.percent, everything.missing) == (len(ITEMS), 100, ())
    half = evaluate({"computers": True, "ups": True, "rooms": False}, facts)
    assert half.done == 5 and half.percent == round(100 * 5 / len(ITEMS))
    assert [m.key for m in half.missing][:2] == ["servers", "cameras"]
    assert half.missing[0].reasons[0].code == "site.missing_servers"


def test_computed_items_cannot_be_ticked_into_done():
    facts = SiteFacts(big_labs=0, team=check_team(FULL_TEAM[:3]))
    result = evaluate({"rooms": True, "staff_team": True, "staff_roles": True}, facts)
    missing = {m.key: m.reasons for m in result.missing}
    assert missing["rooms"][0].params == {"seats": 40}
    assert missing["staff_team"][0].params == {"count": 3, "minimum": 5}
    assert [p.code for p in missing["staff_roles"]] == [
        "staff.post_short_sysadmin",
        "staff.post_short_logistics",
    ]


def test_the_team_check_knows_the_posts_and_old_names():
    assert check_team(FULL_TEAM).ok
    old = check_team([["chief"], ["invigilator"], ["invigilator"], ["sysadmin"], ["worker"]])
    assert old.ok  # "worker" (工作人员) reads as 考务管理, which fills 后勤
    small = check_team([["director", "invigilator"], ["invigilator", "sysadmin", "logistics"]])
    assert small.roles_filled and not small.big_enough
    gaps = check_team([["invigilator"]] * 6).gaps
    assert [g.post for g in gaps] == ["director", "sysadmin", "logistics"]
    assert read_roles(["worker", "INVIGILATOR", "nonsense"]) == (Role.AFFAIRS, Role.INVIGILATOR)
