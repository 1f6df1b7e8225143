"""The site standard of 002 and 003 as a checklist, its readiness, and the site's name.

Items the coordinator ticks (equipment, offices) live in ``Site.checklist`` as
``{key: true}``; items the program can see for itself are computed and cannot be ticked:
the labs of 40 seats or more (the ``Lab`` table), the team's size and its posts (the staff
roster, ``domain.staff_roles.check_team``). Readiness is the share of items met.

The site's name follows the platform (004: "根据院校名称+考核证书的展示方式自动生成"; 003
shows "北京科技大学 - X…职业技能等级证书(高级) 考核站点"): the school, " - ", each
certificate with its levels, then "考核站点".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from examsite.domain.problems import Problem, error
from examsite.domain.staff_roles import TeamCheck

#: 002 and 003: a room (机房) holds 40 candidates at once.
ROOM_SEATS: Final = 40
#: 002's equipment table asks for 45 candidate PCs; 003 for 40 a room.
CANDIDATE_PCS: Final = 45
LEVEL_ORDER: Final = ("junior", "intermediate", "senior")
LEVEL_NAMES: Final = {"junior": "初级", "intermediate": "中级", "senior": "高级"}


@dataclass(frozen=True)
class Item:
    """One line of the checklist; ``computed`` items are decided by the program."""

    key: str
    group: str  # equipment / rooms / offices / staff
    computed: bool = False


ITEMS: Final[tuple[Item, ...]] = (
    Item("computers", "equipment"),
    Item("servers", "equipment"),
    Item("cameras", "equipment"),
    Item("network", "equipment"),
    Item("ups", "equipment"),
    Item("rooms", "rooms", computed=True),
    Item("office", "offices"),
    Item("monitor_room", "offices"),
    Item("waiting_area", "offices"),
    Item("services", "offices"),
    Item("staff_team", "staff", computed=True),
    Item("staff_roles", "staff", computed=True),
)
ITEM_KEYS: Final = frozenset(item.key for item in ITEMS)
TICKABLE: Final = frozenset(item.key for item in ITEMS if not item.computed)


@dataclass(frozen=True)
class SiteFacts:
    """What the program knows itself: labs of 40+ seats, the team check."""

    big_labs: int
    team: TeamCheck


@dataclass(frozen=True)
class ItemState:
    key: str
    group: str
    computed: bool
    done: bool
    reasons: tuple[Problem, ...]  # why it is not met (empty when it is)


@dataclass(frozen=True)
class Readiness:
    items: tuple[ItemState, ...]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def missing(self) -> tuple[ItemState, ...]:
        return tuple(item for item in self.items if not item.done)


def evaluate(ticks: Mapping[str, object], facts: SiteFacts) -> Readiness:
    """Each item's state: ticked items from ``ticks``, computed ones from ``facts``."""
    states = []
    for item in ITEMS:
        reasons = _computed(item.key, facts) if item.computed else _ticked(item.key, ticks)
        states.append(ItemState(item.key, item.group, item.computed, not reasons, reasons))
    return Readiness(tuple(states))


def _ticked(key: str, ticks: Mapping[str, object]) -> tuple[Problem, ...]:
    return () if ticks.get(key) is True else (error(f"site.missing_{key}"),)


def _computed(key: str, facts: SiteFacts) -> tuple[Problem, ...]:
    team = facts.team
    if key == "rooms":
        return () if facts.big_labs else (error("site.missing_rooms", seats=ROOM_SEATS),)
    if key == "staff_team":
        if team.big_enough:
            return ()
        return (error("site.missing_staff_team", count=team.size, minimum=team.minimum),)
    return team_gaps(team)


def team_gaps(team: TeamCheck) -> tuple[Problem, ...]:
    """One problem per post the team has not filled."""
    return tuple(
        error(f"staff.post_short_{gap.post}", have=gap.have, need=gap.need) for gap in team.gaps
    )


def site_name(school: str, certificates: Sequence[tuple[str, str]]) -> str:
    """The platform's name for a site: ``school - 证书A（初级、中级）、证书B（高级）考核站点``.

    ``certificates`` are (name, level) pairs; one certificate name appears once with its
    levels in level order; the names keep the order given."""
    levels: dict[str, list[str]] = {}
    for name, level in certificates:
        levels.setdefault(name, [])
        if level not in levels[name]:
            levels[name].append(level)
    parts = []
    for name, found in levels.items():
        ordered = sorted(found, key=lambda lv: LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 9)
        names = "、".join(LEVEL_NAMES.get(level, level) for level in ordered if level)
        parts.append(f"{name}（{names}）" if names else name)
    school = school.strip()
    if not parts:
        return f"{school}考核站点"
    return f"{school} - {'、'.join(parts)}考核站点"
