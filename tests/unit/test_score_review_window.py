"""The score review window (domain.score_review): 7 days from the start of publication,
open at the first second, closed at the same clock time 7 days later, never past the
end of publication."""

from __future__ import annotations

import datetime as dt

import pytest

from examsite.domain.score_review import REVIEW_DAYS, ReviewState, review_window

START = dt.datetime(2027, 2, 1, 0, 0)
END = dt.datetime(2027, 2, 15, 0, 0)
SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (START - SECOND, ReviewState.NOT_OPEN),
        (START, ReviewState.OPEN),
        (START + dt.timedelta(days=REVIEW_DAYS) - SECOND, ReviewState.OPEN),
        (START + dt.timedelta(days=REVIEW_DAYS), ReviewState.CLOSED),
        (END, ReviewState.CLOSED),
    ],
)
def test_the_window_edges(moment: dt.datetime, state: ReviewState) -> None:
    assert review_window(START, END).state(moment) is state


def test_a_publication_shorter_than_a_week_closes_the_review_with_it() -> None:
    short_end = START + dt.timedelta(days=3)
    window = review_window(START, short_end)
    assert window.end == short_end
    assert window.state(short_end - SECOND) is ReviewState.OPEN
    assert window.state(short_end) is ReviewState.CLOSED


def test_003s_plan_reviews_until_the_8th() -> None:
    # 003: 成绩公示时间 2022-02-01 00:00 ~ 2022-02-15 00:00
    window = review_window(dt.datetime(2022, 2, 1), dt.datetime(2022, 2, 15))
    assert window.end == dt.datetime(2022, 2, 8)
