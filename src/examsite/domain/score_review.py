"""Score review (成绩复查, 003 section 八(二) and annex 1): when it may be asked for, and
what the school's form says.

003 says "于成绩公布7日内申请复查" and "复查时间为成绩公示期内一周": the scores are
published when the plan's publication window (成绩公示时间, ``ExamPlan.publication_start``)
opens; that moment starts the 7 days. The window is therefore
``[publication_start, publication_start + 7 days)`` — open at the very start, closed at the
same clock time 7 days later — and never past the end of the publication window (after it
the platform locks the scores). Before ``publication_start`` the scores are not published
yet: no review either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

REVIEW_DAYS: Final = 7


class ReviewState(StrEnum):
    NOT_OPEN = "not_open"  # the scores are not published yet
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class ReviewWindow:
    start: dt.datetime
    end: dt.datetime  # exclusive

    def state(self, now: dt.datetime) -> ReviewState:
        if now < self.start:
            return ReviewState.NOT_OPEN
        if now < self.end:
            return ReviewState.OPEN
        return ReviewState.CLOSED


def review_window(publication_start: dt.datetime, publication_end: dt.datetime) -> ReviewWindow:
    """The review window of a plan published from ``publication_start`` (see the module)."""
    end = publication_start + dt.timedelta(days=REVIEW_DAYS)
    if publication_start < publication_end < end:
        end = publication_end
    return ReviewWindow(publication_start, end)


@dataclass(frozen=True)
class ReviewLine:
    """A candidate on the form: name, ID, ticket, level (as printed), the scores."""

    name: str
    id_number: str
    ticket: str
    level: str
    score: str


@dataclass(frozen=True)
class ReviewSheet:
    """003's annex 1 filled in for one certificate: the school, the person in charge and
    the phone, the plan, the candidates, the reason."""

    certificate: str  # the certificate's name (the form's title)
    school: str
    director: str
    phone: str
    plan: str
    lines: tuple[ReviewLine, ...]
    reason: str = ""

    @property
    def people(self) -> int:
        """复查总人数: the candidates (one may have a line per level)."""
        return len({line.id_number for line in self.lines})
