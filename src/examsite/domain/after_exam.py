"""After the exam (003, 考核结束 and the materials checklist): the papers a site hands in —
each in two copies, one posted to the organisation (上交), one kept by the school (留档) —
and the monitoring videos' file names, "考核时间+考核站点+考场名称" (003's example:
20200630某学院2号楼102).

Choices where 003 is silent:

- the checklist ticks each paper twice: posted (``sent``) and kept (``kept``);
- the monitoring video is on the list too (003's item 13: the whole site, 2 copies);
- a video is named per physical room (rows of the same name are one room) and exam day;
  the 考核站点 part is the school's name (003's example writes "某学院", not the
  platform's long site name "学校 - 证书考核站点"), the site's name when there is no
  school; spaces and the characters Windows forbids in a file name are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

COPIES: Final = 2  # 一份上交，一份留档


class Scope(StrEnum):
    SITE = "site"  # one set for the whole site
    ROOM_SESSION = "room_session"  # one set per room session (theory and practical each)


class Copy(StrEnum):
    SENT = "sent"  # posted to the organisation
    KEPT = "kept"  # kept by the school


@dataclass(frozen=True)
class Paper:
    key: str
    scope: Scope


#: 003's list, in its order (巡考情况记录表, 考场封场确认单, 考务人员承诺书, 考场签到表,
#: 考场情况记录表, 监控视频).
PAPERS: Final[tuple[Paper, ...]] = (
    Paper("inspection_record", Scope.SITE),
    Paper("sealing_confirmation", Scope.SITE),
    Paper("commitment", Scope.SITE),
    Paper("sign_in", Scope.ROOM_SESSION),
    Paper("room_record", Scope.ROOM_SESSION),
    Paper("monitoring_video", Scope.SITE),
)

_FORBIDDEN = re.compile(r'[\s\\/:*?"<>|\x00-\x1f]+')


def tick_key(paper: str, copy: Copy) -> str:
    """``inspection_record.sent``."""
    return f"{paper}.{copy.value}"


def tick_keys() -> tuple[str, ...]:
    """Every tick of the checklist."""
    return tuple(tick_key(p.key, c) for p in PAPERS for c in Copy)


def expand_tick(text: str) -> tuple[str, ...] | None:
    """The ticks ``text`` names: one (``sign_in.kept``), both copies of a paper
    (``sign_in``), or everything (``all``); None when it names none."""
    value = text.strip()
    if value == "all":
        return tick_keys()
    if value in tick_keys():
        return (value,)
    if any(p.key == value for p in PAPERS):
        return tuple(tick_key(value, c) for c in Copy)
    return None


def copies_needed(paper: Paper, room_sessions: int) -> int:
    """How many copies of ``paper`` the site hands in and keeps together."""
    if paper.scope is Scope.ROOM_SESSION:
        return COPIES * room_sessions
    return COPIES


def file_name_part(text: str) -> str:
    """``text`` fit for a file name: no spaces, nothing Windows forbids."""
    return _FORBIDDEN.sub("", text)


def video_name(day: dt.date, site: str, room: str) -> str:
    """``20200630某学院2号楼102``: the exam day, the site, the room."""
    return f"{day:%Y%m%d}{file_name_part(site)}{file_name_part(room)}"
