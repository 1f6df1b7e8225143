"""Who invigilates where: the rules and a deterministic assignment (no database).

Hard rules (a person is left out of a room session when one holds):

- ``not_invigilator``: only staff with the invigilator role (监考员) invigilate;
- ``teaches_major`` / ``teaches_class``: never a teacher of a major or a class sitting in
  that room session (002: "不得为考生的任课教师");
- ``busy``: nobody in two rooms at once — sessions overlap when their [start, end)
  intervals do, across rooms and plans;
- ``cap_reached``: at most ``cap`` sessions a person a day.

Preferences, in order, among those allowed: another department than the candidates'
(002: 交叉监考), certified staff (监考资格), the fewest duties so far (the load spreads
evenly), then the name. The candidates' department is not recorded, so a person counts as
"same department" when their department is that of a teacher of one of the room's
majors — the department that teaches those students.

``assign`` keeps what is ``fixed`` (hand-made assignments and other plans' duties) and
fills each room session up to its ``required`` count, room sessions in time order; what it
cannot fill is a ``Shortfall`` with the reasons people were left out.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NOT_INVIGILATOR = "not_invigilator"
TEACHES_MAJOR = "teaches_major"
TEACHES_CLASS = "teaches_class"
BUSY = "busy"
CAP_REACHED = "cap_reached"
SAME_DEPARTMENT = "same_department"  # a preference, not a rule
HARD_REASONS = (NOT_INVIGILATOR, TEACHES_MAJOR, TEACHES_CLASS, BUSY, CAP_REACHED)


@dataclass(frozen=True)
class Person:
    """A member of staff as the rules see them; ``majors`` holds codes and names."""

    key: int
    name: str
    department: str = ""
    invigilator: bool = True
    certified: bool = False
    majors: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    cap: int = 4


@dataclass(frozen=True)
class Slot:
    """A room session to staff: its candidates' majors (codes and names) and classes."""

    key: int
    room: str
    start: dt.datetime
    end: dt.datetime
    candidates: int
    required: int
    majors: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    order: int = 0  # the room's place in the plan's list of rooms


@dataclass(frozen=True)
class Duty:
    """A person's duty in a room session (``slot`` None: in another plan)."""

    person: int
    start: dt.datetime
    end: dt.datetime
    slot: int | None = None
    room: str = ""


@dataclass(frozen=True)
class Reason:
    """Why a person is left out of (or warned about in) a room session."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Shortfall:
    slot: int
    needed: int
    found: int
    reasons: Mapping[str, int]  # reason code -> people left out for it


@dataclass(frozen=True)
class Result:
    assigned: Mapping[int, tuple[int, ...]]  # slot -> people added (not the fixed ones)
    shortfalls: tuple[Shortfall, ...]


class Schedule:
    """Everyone's duties so far, for the checks: overlaps and duties a day."""

    def __init__(self, duties: Iterable[Duty] = ()) -> None:
        self._by_person: dict[int, list[Duty]] = {}
        for duty in duties:
            self.add(duty)

    def add(self, duty: Duty) -> None:
        self._by_person.setdefault(duty.person, []).append(duty)

    def duties(self, person: int) -> list[Duty]:
        return self._by_person.get(person, [])

    def load(self, person: int) -> int:
        return len(self.duties(person))

    def clash(self, person: int, slot: Slot) -> Duty | None:
        """A duty of ``person`` elsewhere that overlaps ``slot``."""
        for duty in self.duties(person):
            if duty.slot != slot.key and duty.start < slot.end and slot.start < duty.end:
                return duty
        return None

    def on_day(self, person: int, day: dt.date, besides: int | None = None) -> int:
        return sum(1 for d in self.duties(person) if d.start.date() == day and d.slot != besides)


def related_departments(people: Iterable[Person], slot: Slot) -> frozenset[str]:
    """Departments of those who teach a major sitting in ``slot``."""
    return departments_of(teaching_departments(people), slot)


def teaching_departments(people: Iterable[Person]) -> dict[str, set[str]]:
    """Each major (code or name) and the departments of its teachers."""
    teaching: dict[str, set[str]] = {}
    for person in people:
        if person.department:
            for major in person.majors:
                teaching.setdefault(major, set()).add(person.department)
    return teaching


def departments_of(teaching: dict[str, set[str]], slot: Slot) -> frozenset[str]:
    """The departments that teach the majors sitting in ``slot``."""
    return frozenset().union(*(teaching.get(m, ()) for m in slot.majors))


def reasons_against(
    person: Person, slot: Slot, schedule: Schedule, departments: frozenset[str] = frozenset()
) -> list[Reason]:
    """Every rule that keeps ``person`` out of ``slot`` (hard reasons first), and
    ``same_department`` when it applies."""
    found: list[Reason] = []
    if not person.invigilator:
        found.append(Reason(NOT_INVIGILATOR))
    majors = sorted(person.majors & slot.majors)
    if majors:
        names = [m for m in majors if not m.isdigit()] or majors  # names read better
        found.append(Reason(TEACHES_MAJOR, {"major": "、".join(names)}))
    classes = sorted(person.classes & slot.classes)
    if classes:
        found.append(Reason(TEACHES_CLASS, {"classes": "、".join(classes)}))
    clash = schedule.clash(person.key, slot)
    if clash is not None:
        found.append(Reason(BUSY, {"room": clash.room, "start": f"{clash.start:%m-%d %H:%M}"}))
    if schedule.on_day(person.key, slot.start.date(), besides=slot.key) >= person.cap:
        found.append(Reason(CAP_REACHED, {"cap": person.cap}))
    if person.department and person.department in departments:
        found.append(Reason(SAME_DEPARTMENT, {"department": person.department}))
    return found


def is_hard(reason: Reason) -> bool:
    return reason.code in HARD_REASONS


def assign(
    slots: Sequence[Slot],
    people: Sequence[Person],
    fixed: Iterable[Duty] = (),
) -> Result:
    """Fill every slot up to its ``required`` count, keeping the ``fixed`` duties.

    The invigilators wait in one list sorted by (uncertified, duties so far, name): for
    each slot it is read from the front until enough people pass the rules, those of
    another department first; a person who takes a duty moves back in the list. So a slot
    costs about the people it needs, not the whole roster."""
    fixed = list(fixed)
    schedule = Schedule(fixed)
    kept = Counter(d.slot for d in fixed if d.slot is not None)
    in_slot: dict[int, set[int]] = {}
    for duty in fixed:
        if duty.slot is not None:
            in_slot.setdefault(duty.slot, set()).add(duty.person)
    invigilators = {p.key: p for p in people if p.invigilator}
    day_load: Counter[tuple[int, dt.date]] = Counter((d.person, d.start.date()) for d in fixed)
    queue = sorted(_place(p, schedule.load(p.key)) for p in invigilators.values())
    teaching = teaching_departments(people)
    assigned: dict[int, tuple[int, ...]] = {}
    shortfalls: list[Shortfall] = []
    for slot in sorted(slots, key=lambda s: (s.start, s.order, s.room, s.key)):
        needed = slot.required - kept[slot.key]
        if needed <= 0:
            continue
        departments = departments_of(teaching, slot)
        day = slot.start.date()
        present = in_slot.get(slot.key, set())
        other: list[Person] = []
        same: list[Person] = []
        for *_rank, key in queue:
            person = invigilators[key]
            if key in present or day_load[key, day] >= person.cap:
                continue
            if person.majors & slot.majors or person.classes & slot.classes:
                continue
            if schedule.clash(key, slot) is not None:
                continue
            if person.department and person.department in departments:
                if len(same) < needed:
                    same.append(person)
            else:
                other.append(person)
                if len(other) == needed:
                    break
        chosen = (other + same)[:needed]
        for person in chosen:
            queue.remove(_place(person, schedule.load(person.key)))
            schedule.add(Duty(person.key, slot.start, slot.end, slot.key, slot.room))
            day_load[person.key, day] += 1
            bisect.insort(queue, _place(person, schedule.load(person.key)))
        assigned[slot.key] = tuple(p.key for p in chosen)
        if len(chosen) < needed:
            left_out: Counter[str] = Counter()
            for person in people:
                if person.key in present or person.key in assigned[slot.key]:
                    continue
                if not person.invigilator:
                    left_out[NOT_INVIGILATOR] += 1
                    continue
                hard = _hard_reason(person, slot, schedule, day)
                if hard:
                    left_out[hard] += 1
            shortfalls.append(
                Shortfall(slot.key, slot.required, kept[slot.key] + len(chosen), dict(left_out))
            )
    return Result(assigned, tuple(shortfalls))


def _place(person: Person, load: int) -> tuple[int, int, str, int]:
    """A person's place in the waiting list: certified first, then the fewest duties."""
    return (0 if person.certified else 1, load, person.name, person.key)


def _hard_reason(person: Person, slot: Slot, schedule: Schedule, day: dt.date) -> str:
    """The first hard rule that keeps ``person`` out, fast (no parameters), or ""."""
    if person.majors & slot.majors:
        return TEACHES_MAJOR
    if person.classes & slot.classes:
        return TEACHES_CLASS
    if schedule.clash(person.key, slot) is not None:
        return BUSY
    if schedule.on_day(person.key, day, besides=slot.key) >= person.cap:
        return CAP_REACHED
    return ""


def required_for(candidates: int, required_by_rule: int) -> int:
    """Invigilators a room session needs: none when nobody sits there, else the rule's."""
    return required_by_rule if candidates > 0 else 0
