"""Exam-day incidents (考场突发情况), by 003's emergency section. Each is stored with one of
these short English codes (``Incident.code``) and shown in Chinese through
``examsite.messages``.

What each code needs (``RULES``):

- 迟到 late, 违纪/作弊 misconduct, 换机 machine_change, 疾病 illness: the candidates
  involved (at least one), in a room session (the room record form lists them);
- 延时 extension: its minutes, more than 0; up to ``SITE_EXTENSION_LIMIT`` (15) the chief
  examiner and the inspector decide on site and report it, more needs the organisation
  (003: "15 分钟以上的，由中教畅享公司决定，并在《考场情况记录表》中记录") — a warning, the
  extension is still recorded. More than the session lasts (or ``EXTENSION_MAX`` for the
  whole site) is refused as a typing slip. Only 延时 carries minutes;
- 题目疑问 question and 其他 other: a description (what the question or the event was);
- 停电 power_cut: nothing more (003: wait up to 60 minutes for the power).

Every incident says what was done (``action``). Its time lies within the room session
(``TIME_BEFORE`` before the start to ``TIME_AFTER`` after the end), or on an exam day of
the plan for a site-wide one; never in the future. ``check_incident`` returns the
problems: errors refuse the incident, warnings and notices go with the recorded one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from examsite.domain.attendance import ENTRY_CLOSES_AFTER
from examsite.domain.problems import Problem, error, notice, warning

SITE_EXTENSION_LIMIT: Final = 15  # minutes
EXTENSION_MAX: Final = 120  # minutes: the most a site-wide extension may say
POWER_WAIT_LIMIT: Final = 60  # minutes: 003, wait for the power to come back
TIME_BEFORE: Final = dt.timedelta(minutes=90)  # 003: the PCs are started 90 min before
TIME_AFTER: Final = dt.timedelta(minutes=120)  # uploading, backing up after the end
CLOCK_SKEW: Final = dt.timedelta(minutes=5)  # two PCs' clocks may differ a little


class IncidentCode(StrEnum):
    LATE = "late"  # 迟到
    MISCONDUCT = "misconduct"  # 违纪/作弊
    MACHINE_CHANGE = "machine_change"  # 换机
    EXTENSION = "extension"  # 延时
    POWER_CUT = "power_cut"  # 停电
    QUESTION = "question"  # 题目疑问
    ILLNESS = "illness"  # 疾病
    OTHER = "other"  # 其他


@dataclass(frozen=True)
class CodeRule:
    """What an incident of one code must carry."""

    candidates: bool = False  # at least one candidate, in a room session
    description: bool = False  # what happened, in words
    minutes: bool = False  # an extension's minutes


RULES: Final[dict[IncidentCode, CodeRule]] = {
    IncidentCode.LATE: CodeRule(candidates=True),
    IncidentCode.MISCONDUCT: CodeRule(candidates=True),
    IncidentCode.MACHINE_CHANGE: CodeRule(candidates=True),
    IncidentCode.EXTENSION: CodeRule(minutes=True),
    IncidentCode.POWER_CUT: CodeRule(),
    IncidentCode.QUESTION: CodeRule(description=True),
    IncidentCode.ILLNESS: CodeRule(candidates=True),
    IncidentCode.OTHER: CodeRule(description=True),
}


@dataclass(frozen=True)
class Window:
    """The room session an incident happened in (its planned start and end)."""

    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class IncidentFacts:
    """An incident as typed, before it is stored."""

    code: IncidentCode
    occurred_at: dt.datetime
    action: str
    candidates: int = 0  # how many named (each already checked to exist)
    minutes: int | None = None
    description: str = ""


def parse_time(text: str, day: dt.date) -> dt.datetime | None:
    """``09:40`` on ``day``, or a whole ``2026-12-20 09:40`` / ``2026-12-20T09:40``; None
    when it is neither. Seconds are dropped."""
    value = text.strip().replace("：", ":")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            clock = dt.time.fromisoformat(value if len(value) != 4 else f"0{value}")
        except ValueError:
            return None
        moment = dt.datetime.combine(day, clock)
    if moment.tzinfo is not None:
        return None
    return moment.replace(second=0, microsecond=0)


def check_incident(
    facts: IncidentFacts,
    *,
    now: dt.datetime,
    window: Window | None,
    exam_days: Sequence[dt.date] = (),
) -> list[Problem]:
    """Every problem of ``facts`` (errors first), and the notices 003 attaches to its code.

    ``window``: the room session's times (None for a site-wide incident, then the time
    must fall on one of ``exam_days`` when any are given)."""
    rule = RULES[facts.code]
    found: list[Problem] = []
    if not facts.action.strip():
        found.append(error("incident.action_empty", column="处理措施"))
    if rule.description and not facts.description.strip():
        found.append(error("incident.description_empty", column="情况说明"))
    if rule.candidates and facts.candidates == 0:
        found.append(error("incident.candidates_needed", column="涉及考生"))
    found.extend(_time_problems(facts.occurred_at, now, window, exam_days))
    found.extend(_minutes_problems(facts, rule, window))
    if not any(p.is_error for p in found):
        found.extend(_notices(facts, window))
    return sorted(found, key=lambda p: not p.is_error)


def _time_problems(
    at: dt.datetime, now: dt.datetime, window: Window | None, exam_days: Sequence[dt.date]
) -> list[Problem]:
    time = f"{at:%Y-%m-%d %H:%M}"
    if at > now + CLOCK_SKEW:
        return [error("incident.time_in_future", column="时间", time=time, now=f"{now:%H:%M}")]
    if window is not None:
        first, last = window.starts_at - TIME_BEFORE, window.ends_at + TIME_AFTER
        if not first <= at <= last:
            return [
                error(
                    "incident.time_outside_session",
                    column="时间",
                    time=time,
                    first=f"{first:%Y-%m-%d %H:%M}",
                    last=f"{last:%H:%M}",
                )
            ]
    elif exam_days and at.date() not in exam_days:
        days = "、".join(f"{d:%Y-%m-%d}" for d in sorted(set(exam_days)))
        return [error("incident.time_outside_plan", column="时间", time=time, days=days)]
    return []


def _minutes_problems(facts: IncidentFacts, rule: CodeRule, window: Window | None) -> list[Problem]:
    minutes = facts.minutes
    if not rule.minutes:
        if minutes is not None:
            return [error("incident.minutes_not_extension", column="延时分钟")]
        return []
    if minutes is None:
        return [error("incident.minutes_needed", column="延时分钟")]
    if minutes <= 0:
        return [error("incident.minutes_not_positive", column="延时分钟", minutes=minutes)]
    limit = window.minutes if window is not None else EXTENSION_MAX
    if minutes > limit:
        return [error("incident.minutes_too_many", column="延时分钟", minutes=minutes, limit=limit)]
    return []


def _notices(facts: IncidentFacts, window: Window | None) -> list[Problem]:
    """What 003 asks of the site for this kind of incident."""
    code = facts.code
    if code is IncidentCode.EXTENSION:
        assert facts.minutes is not None
        if facts.minutes > SITE_EXTENSION_LIMIT:
            return [
                warning(
                    "incident.extension_needs_org",
                    column="延时分钟",
                    minutes=facts.minutes,
                    limit=SITE_EXTENSION_LIMIT,
                )
            ]
        return [notice("incident.extension_on_site", minutes=facts.minutes)]
    if code is IncidentCode.LATE and window is not None:
        closes = window.starts_at + ENTRY_CLOSES_AFTER
        if facts.occurred_at > closes:
            return [notice("incident.late_entry_closed", closes=f"{closes:%H:%M}")]
        return []
    simple = {
        IncidentCode.MISCONDUCT: "incident.misconduct_signature",
        IncidentCode.MACHINE_CHANGE: "incident.machine_change_time",
        IncidentCode.QUESTION: "incident.question_report",
        IncidentCode.ILLNESS: "incident.illness_report",
        IncidentCode.OTHER: "incident.other_report",
    }
    if code is IncidentCode.POWER_CUT:
        return [notice("incident.power_cut_wait", limit=POWER_WAIT_LIMIT)]
    if code in simple:
        return [notice(simple[code])]
    return []
