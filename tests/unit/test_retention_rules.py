"""The retention rules (``domain.retention``): dates, periods and placeholders."""

from __future__ import annotations

import datetime as dt

import pytest

from examsite.domain.retention import (
    MAX_MONTHS,
    PURGED_PREFIX,
    add_months,
    is_due,
    is_purged,
    purged_id_number,
    retention_date,
    valid_months,
)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (dt.datetime(2027, 1, 24, 0, 0), 12, dt.datetime(2028, 1, 24, 0, 0)),
        (dt.datetime(2027, 6, 30, 23, 59), 6, dt.datetime(2027, 12, 30, 23, 59)),
        (dt.datetime(2027, 8, 31, 12, 0), 6, dt.datetime(2028, 2, 29, 12, 0)),  # leap year
        (dt.datetime(2027, 1, 31), 1, dt.datetime(2027, 2, 28)),
        (dt.datetime(2027, 11, 15), 14, dt.datetime(2029, 1, 15)),
    ],
)
def test_months_are_calendar_months(
    moment: dt.datetime, months: int, expected: dt.datetime
) -> None:
    assert add_months(moment, months) == expected
    assert retention_date(moment, months) == expected


def test_due_from_the_retention_date_on() -> None:
    until = dt.datetime(2028, 1, 24)
    assert not is_due(until, until - dt.timedelta(seconds=1))
    assert is_due(until, until)


def test_periods_from_one_month_to_ten_years() -> None:
    assert not valid_months(0) and not valid_months(-3)
    assert valid_months(1) and valid_months(MAX_MONTHS) and not valid_months(MAX_MONTHS + 1)


def test_placeholders_are_unique_fit_the_column_and_are_recognised() -> None:
    made = {purged_id_number() for _ in range(200)}
    assert len(made) == 200
    assert all(len(p) <= 40 and p.startswith(PURGED_PREFIX) and is_purged(p) for p in made)
    assert not is_purged("110105199001011234")
