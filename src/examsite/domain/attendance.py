"""Exam-day attendance (考试签到) of a candidate in one room session, and 003's timeline:
entry opens 30 minutes before the start, no entry 30 minutes after it, a reminder 15
minutes before the end.

The statuses are stored as these short English keys (``Attendance.status``) and shown in
Chinese through ``examsite.messages``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

ENTRY_OPENS_BEFORE: Final = dt.timedelta(minutes=30)
ENTRY_CLOSES_AFTER: Final = dt.timedelta(minutes=30)
END_REMINDER_BEFORE: Final = dt.timedelta(minutes=15)


class AttendanceStatus(StrEnum):
    PRESENT = "present"  # 已签到
    ABSENT = "absent"  # 缺考
    LATE = "late"  # 迟到 (entered within 30 minutes of the start)
    REFUSED_LATE = "refused_late"  # 迟到禁入 (came more than 30 minutes after the start)
    LEFT_EARLY = "left_early"  # 提前离场
    MISCONDUCT = "misconduct"  # 违纪


#: The statuses of a candidate who sat the exam (at least in part).
SAT: Final = frozenset(
    {
        AttendanceStatus.PRESENT,
        AttendanceStatus.LATE,
        AttendanceStatus.LEFT_EARLY,
        AttendanceStatus.MISCONDUCT,
    }
)
#: The statuses counted as absent (缺考) on the room record form and in the results.
NOT_SAT: Final = frozenset({AttendanceStatus.ABSENT, AttendanceStatus.REFUSED_LATE})


# --- the session's phase on 003's timeline --------------------------------------------


class Phase(StrEnum):
    """Where a session stands at a moment (the page's clock)."""

    BEFORE_ENTRY = "before_entry"  # 未到入场时间
    ENTRY_OPEN = "entry_open"  # 入场中 (up to the start)
    LATE_ENTRY = "late_entry"  # 已开考，迟到可入场 (up to 30 minutes after the start)
    ENTRY_CLOSED = "entry_closed"  # 已禁止入场
    ENDING_SOON = "ending_soon"  # 即将结束 (the last 15 minutes)
    ENDED = "ended"  # 已结束


@dataclass(frozen=True)
class Timeline:
    """The moments of one session on 003's timeline. ``ends`` includes any extension
    (延时) granted on the day."""

    starts: dt.datetime
    ends: dt.datetime

    @property
    def entry_opens(self) -> dt.datetime:
        return self.starts - ENTRY_OPENS_BEFORE

    @property
    def entry_closes(self) -> dt.datetime:
        """The last moment a late candidate may still come in (inclusive)."""
        return self.starts + ENTRY_CLOSES_AFTER

    @property
    def reminder(self) -> dt.datetime:
        return self.ends - END_REMINDER_BEFORE

    def phase(self, at: dt.datetime) -> PhaseAt:
        """The phase at ``at``, the next one and when it begins.

        The boundaries follow the scan rule (``scan_timing``): the start itself is still
        entry, 30:00 after it still late entry, 30:01 closed. In a session shorter than
        45 minutes the end reminder wins over late entry on the clock (the scan rule is
        unchanged)."""
        if at >= self.ends:
            return PhaseAt(Phase.ENDED, None, None, at)
        if at >= self.reminder and at > self.starts:
            return PhaseAt(Phase.ENDING_SOON, Phase.ENDED, self.ends, at)
        if at < self.entry_opens:
            return PhaseAt(Phase.BEFORE_ENTRY, Phase.ENTRY_OPEN, self.entry_opens, at)
        if at <= self.starts:
            return PhaseAt(Phase.ENTRY_OPEN, Phase.LATE_ENTRY, self.starts, at)
        if at <= self.entry_closes:
            if self.reminder <= self.entry_closes:
                return PhaseAt(Phase.LATE_ENTRY, Phase.ENDING_SOON, self.reminder, at)
            return PhaseAt(Phase.LATE_ENTRY, Phase.ENTRY_CLOSED, self.entry_closes, at)
        return PhaseAt(Phase.ENTRY_CLOSED, Phase.ENDING_SOON, self.reminder, at)


@dataclass(frozen=True)
class PhaseAt:
    """A session's phase at ``at``; ``next_phase`` begins at ``next_at`` (None once ended)."""

    phase: Phase
    next_phase: Phase | None
    next_at: dt.datetime | None
    at: dt.datetime

    @property
    def until_next(self) -> dt.timedelta | None:
        """Time left to the next phase (zero at its boundary second)."""
        return None if self.next_at is None else self.next_at - self.at


# --- what a scan at the door means ----------------------------------------------------


class ScanTiming(StrEnum):
    """What a scan at a moment means for a candidate of the session."""

    TOO_EARLY = "too_early"  # before entry opens: not recorded, come back later
    PRESENT = "present"  # from entry opening up to the start itself
    LATE = "late"  # after the start, up to 30:00 after it
    REFUSED_LATE = "refused_late"  # from 30:01 after the start: refused and recorded


def scan_timing(timeline: Timeline, at: dt.datetime) -> ScanTiming:
    """003: candidates enter from 30 minutes before the start; "开考 30 分钟后，考生不能再进入
    考场" — after 30 minutes, so 30:00 is still in, 30:01 is out."""
    if at < timeline.entry_opens:
        return ScanTiming.TOO_EARLY
    if at <= timeline.starts:
        return ScanTiming.PRESENT
    if at <= timeline.entry_closes:
        return ScanTiming.LATE
    return ScanTiming.REFUSED_LATE


#: The statuses a second scan does not change: the candidate came already.
CAME: Final = SAT | {AttendanceStatus.REFUSED_LATE}


def status_of(timing: ScanTiming) -> AttendanceStatus | None:
    """The status a scan records (None: too early, nothing recorded)."""
    return {
        ScanTiming.TOO_EARLY: None,
        ScanTiming.PRESENT: AttendanceStatus.PRESENT,
        ScanTiming.LATE: AttendanceStatus.LATE,
        ScanTiming.REFUSED_LATE: AttendanceStatus.REFUSED_LATE,
    }[timing]
