"""Exam-day attendance (考试签到) of a candidate in one room session, and 003's timeline:
entry opens 30 minutes before the start, no entry 30 minutes after it, a reminder 15
minutes before the end.

The statuses are stored as these short English keys (``Attendance.status``) and shown in
Chinese through ``examsite.messages``.
"""

from __future__ import annotations

import datetime as dt
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
