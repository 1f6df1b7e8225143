"""Retention of a round's personal data (PIPL art. 19: kept no longer than the purpose
needs).

A round is an exam plan. Its personal data is needed until the results' publication
window closes (``ExamPlan.publication_end``) and for a while after it (score reviews,
certificates handed out, questions from the organisation); the retention date is that
close plus a number of months: the site's default (``DEFAULT_MONTHS``, a setting the
director changes) or the plan's own. After the date the director is offered a purge.

What a purge removes (the rule, kept in one place): whatever identifies a candidate —
name, pinyin, ID number (replaced by a placeholder, the column is unique), phone, gender,
the social candidates' extra fields (address, employer …), the photo, the ticket number,
the certificate number, free-text notes of exam day. What it keeps is what the statistics
group by, which names nobody on its own: kind, school, major, enrolment year, education
level, class name, and the scores and attendance.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from typing import Final

#: Months after the publication window closes, unless the director sets another period.
DEFAULT_MONTHS: Final = 12
#: The longest period accepted (10 years).
MAX_MONTHS: Final = 120
#: How a purged candidate's ID number begins; the rest is random, so placeholders never
#: collide (not even with another PC's, should a bundle bring one over).
PURGED_PREFIX: Final = "已清除-"
#: What a purged candidate's name reads in every list and paper.
PURGED_NAME: Final = "（已清除）"


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` plus whole calendar months (31 January + 1 month is 28/29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def retention_date(publication_end: dt.datetime, months: int) -> dt.datetime:
    """When a round's personal data is due to go: ``months`` after its publication window
    closes."""
    return add_months(publication_end, months)


def is_due(retain_until: dt.datetime, now: dt.datetime) -> bool:
    """Whether the retention date has passed."""
    return now >= retain_until


def valid_months(months: int) -> bool:
    """Whether ``months`` is an acceptable retention period (1 to ``MAX_MONTHS``)."""
    return 1 <= months <= MAX_MONTHS


def purged_id_number() -> str:
    """A fresh placeholder for a purged candidate's ID number (36 characters)."""
    return PURGED_PREFIX + uuid.uuid4().hex


def is_purged(id_number: str) -> bool:
    """Whether ``id_number`` is a purged candidate's placeholder."""
    return id_number.startswith(PURGED_PREFIX)
