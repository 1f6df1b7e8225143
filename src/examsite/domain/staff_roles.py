"""Staff roles (考务人员的岗位) and the site team the documents ask for.

The roles come from 002 (考点负责人, 监考管理人员, 技术支持人员, 后勤考务保障人员) and 003
(主考, 副主考, 工作人员, 系统管理员, 监考员, 巡考员). The demo and early databases stored
``worker`` for 003's 工作人员: it reads as ``affairs`` (考务管理), the role that does the same
work, so old rosters stay readable without a migration.

The team check (002, 第十七条): at least five people, with a director (考点负责人), two or
more invigilators (监考管理人员), a sysadmin (技术支持) and logistics (后勤考务保障). Where
003 names the same post differently, either name fills it: 主考 leads the site on exam day
as 考点负责人 does, and 工作人员 / 考务管理 do the auxiliary work 002 gives to 后勤.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Role(StrEnum):
    DIRECTOR = "director"  # 考点负责人
    CHIEF = "chief"  # 主考
    DEPUTY = "deputy"  # 副主考
    AFFAIRS = "affairs"  # 考务管理 / 工作人员
    SYSADMIN = "sysadmin"  # 系统管理员 / 技术支持
    LOGISTICS = "logistics"  # 后勤保障
    INVIGILATOR = "invigilator"  # 监考员
    INSPECTOR = "inspector"  # 巡考员


#: Role names stored by earlier versions, read as today's role.
LEGACY_ROLES: Final[dict[str, Role]] = {"worker": Role.AFFAIRS}

#: 002: "专兼职团队不少于 5 人".
MIN_TEAM: Final = 5


def read_role(value: object) -> Role | None:
    """The role a stored value names (legacy names included), or None."""
    text = str(value).strip().lower()
    if text in LEGACY_ROLES:
        return LEGACY_ROLES[text]
    try:
        return Role(text)
    except ValueError:
        return None


def read_roles(values: Iterable[object]) -> tuple[Role, ...]:
    """The known roles in ``values``, each once, in the order of ``Role``."""
    found = {role for role in (read_role(v) for v in values) if role is not None}
    return tuple(role for role in Role if role in found)


@dataclass(frozen=True)
class TeamPost:
    """A post the team must fill: ``minimum`` people holding any of ``roles``."""

    key: str
    roles: frozenset[Role]
    minimum: int = 1


TEAM_POSTS: Final[tuple[TeamPost, ...]] = (
    TeamPost("director", frozenset({Role.DIRECTOR, Role.CHIEF})),
    TeamPost("invigilators", frozenset({Role.INVIGILATOR}), 2),
    TeamPost("sysadmin", frozenset({Role.SYSADMIN})),
    TeamPost("logistics", frozenset({Role.LOGISTICS, Role.AFFAIRS})),
)


@dataclass(frozen=True)
class PostGap:
    post: str
    have: int
    need: int


@dataclass(frozen=True)
class TeamCheck:
    """The team's size against ``MIN_TEAM`` and the posts that are short."""

    size: int
    minimum: int
    gaps: tuple[PostGap, ...]

    @property
    def big_enough(self) -> bool:
        return self.size >= self.minimum

    @property
    def roles_filled(self) -> bool:
        return not self.gaps

    @property
    def ok(self) -> bool:
        return self.big_enough and self.roles_filled


def check_team(rosters: Sequence[Iterable[object]]) -> TeamCheck:
    """Check a roster given as each person's stored roles."""
    people = [set(read_roles(roles)) for roles in rosters]
    gaps = []
    for post in TEAM_POSTS:
        have = sum(1 for roles in people if roles & post.roles)
        if have < post.minimum:
            gaps.append(PostGap(post.key, have, post.minimum))
    return TeamCheck(len(people), MIN_TEAM, tuple(gaps))
