"""The invigilator rules as pure functions: count rule, teachers kept out, department
preference, no double booking, even load, the duty cap, the explanations."""

from __future__ import annotations

import datetime as dt

import pytest

from examsite.domain import invigilation as inv
from examsite.domain.certificate_rules import InvigilatorRule, Rounding
from examsite.domain.invigilation import Duty, Person, Schedule, Slot, assign, reasons_against

DAY = dt.datetime(2027, 1, 10)
RULE_000 = InvigilatorRule(2, 20, 60, Rounding.FLOOR, "000")
RULE_003 = InvigilatorRule(2, 20, 40, Rounding.CEIL, "003")


def at(hour: int, minute: int = 0, days: int = 0) -> dt.datetime:
    return DAY + dt.timedelta(days=days, hours=hour, minutes=minute)


def slot(key: int, start: dt.datetime, *, required: int = 2, hours: int = 1, **kw) -> Slot:
    return Slot(key, f"R{key}", start, start + dt.timedelta(hours=hours), 30, required, **kw)


def person(key: int, **kw) -> Person:
    kw.setdefault("name", f"P{key:02d}")
    return Person(key, **kw)


@pytest.mark.parametrize(
    ("candidates", "by_000", "by_003"),
    [(0, 0, 0), (1, 2, 2), (40, 2, 2), (45, 2, 3), (59, 2, 3), (60, 3, 3), (79, 3, 4), (80, 4, 4)],
)
def test_the_count_follows_the_organisations_rule(candidates, by_000, by_003):
    assert inv.required_for(candidates, RULE_000.required(candidates)) == by_000
    assert inv.required_for(candidates, RULE_003.required(candidates)) == by_003


def test_a_teacher_of_a_major_or_class_in_the_room_is_never_chosen():
    room = slot(1, at(8), majors=frozenset({"630801", "电子商务"}), classes=frozenset({"电商2101"}))
    people = [
        person(1, majors=frozenset({"电子商务"})),
        person(2, classes=frozenset({"电商2101"})),
        person(3),
        person(4),
    ]
    result = assign([room], people)
    assert result.assigned[1] == (3, 4)
    codes = [r.code for r in reasons_against(people[0], room, Schedule())]
    assert codes == [inv.TEACHES_MAJOR]
    assert reasons_against(people[1], room, Schedule())[0].params == {"classes": "电商2101"}


def test_another_department_is_preferred():
    room = slot(1, at(8), majors=frozenset({"电子商务"}))
    people = [
        person(1, department="经管", majors=frozenset({"电子商务"})),  # the teacher
        person(2, department="经管"),  # a colleague: same department
        person(3, department="信息"),
        person(4, department="机电"),
    ]
    assert assign([room], people).assigned[1] == (3, 4)
    # with no one else, a colleague of the department is still allowed
    assert assign([room], people[:3]).assigned[1] == (3, 2)


def test_certified_staff_come_first():
    people = [person(1), person(2, certified=True), person(3), person(4, certified=True)]
    assert assign([slot(1, at(8))], people).assigned[1] == (2, 4)


def test_nobody_is_in_two_rooms_at_once_but_back_to_back_is_fine():
    first, overlapping, after = slot(1, at(8)), slot(2, at(8, 30)), slot(3, at(9))
    people = [person(k) for k in range(1, 5)]
    result = assign([first, overlapping, after], people)
    assert set(result.assigned[1]).isdisjoint(result.assigned[2])
    assert not result.shortfalls
    # [start, end): the 9:00 room may take someone from the 8:00 room
    assert set(result.assigned[3]) & set(result.assigned[1])


def test_duties_elsewhere_count_as_busy():
    other_plan = Duty(1, at(8), at(9), None, "别的计划")
    result = assign([slot(1, at(8))], [person(1), person(2), person(3)], [other_plan])
    assert 1 not in result.assigned[1]


def test_the_load_is_spread_evenly():
    slots = [slot(k, at(8 + k % 4, days=k // 4), required=2) for k in range(12)]
    people = [person(k) for k in range(1, 7)]
    result = assign(slots, people)
    loads = [sum(p in chosen for chosen in result.assigned.values()) for p in range(1, 7)]
    assert sum(loads) == 24 and max(loads) - min(loads) <= 1


def test_the_daily_cap_holds_and_the_shortfall_says_why():
    slots = [slot(k, at(8 + 2 * k)) for k in range(3)]
    people = [person(1, cap=2), person(2, cap=2)]
    result = assign(slots, people)
    assert result.assigned[0] == (1, 2) and result.assigned[1] == (1, 2)
    assert result.assigned[2] == ()
    (short,) = result.shortfalls
    assert (short.slot, short.needed, short.found) == (2, 2, 0)
    assert short.reasons == {inv.CAP_REACHED: 2}


def test_only_invigilators_and_fixed_ones_are_kept():
    room = slot(1, at(8), required=3)
    people = [person(1, invigilator=False), person(2), person(3), person(4)]
    fixed = [Duty(1, room.start, room.end, 1, room.room)]  # a hand-made one stays
    result = assign([room], people, fixed)
    assert len(result.assigned[1]) == 2 and 1 not in result.assigned[1]
    assert reasons_against(people[0], room, Schedule())[0].code == inv.NOT_INVIGILATOR


def test_the_assignment_is_deterministic():
    slots = [slot(k, at(8 + k % 3)) for k in range(9)]
    people = [person(k, department=("A", "B", "C")[k % 3]) for k in range(1, 12)]
    assert assign(slots, people) == assign(list(reversed(slots)), list(reversed(people)))


def test_explanations_name_every_reason():
    room = slot(1, at(8), majors=frozenset({"电子商务"}))
    busy = Schedule([Duty(5, at(7, 30), at(8, 30), 9, "B202")])
    teacher = person(5, department="经管", majors=frozenset({"电子商务"}), cap=1)
    reasons = reasons_against(teacher, room, busy, frozenset({"经管"}))
    assert [r.code for r in reasons] == [
        inv.TEACHES_MAJOR,
        inv.BUSY,
        inv.CAP_REACHED,
        inv.SAME_DEPARTMENT,
    ]
    assert reasons[1].params["room"] == "B202"
