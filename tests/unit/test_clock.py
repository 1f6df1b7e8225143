"""The one clock of the business rules, and a test fixing it."""

from __future__ import annotations

import datetime as dt

from examsite import clock


def test_tests_run_at_the_fixed_moment(fixed_clock: dt.datetime) -> None:
    assert clock.now() == fixed_clock


def test_fixed_nests_and_restores() -> None:
    outer = clock.now()
    moment = dt.datetime(2030, 5, 1, 8, 0)
    with clock.fixed(moment):
        assert clock.now() == moment
        with clock.fixed(moment + dt.timedelta(days=1)):
            assert clock.now() == moment + dt.timedelta(days=1)
        assert clock.now() == moment
    assert clock.now() == outer


def test_the_system_clock_has_no_microseconds() -> None:
    assert clock._system().microsecond == 0
