"""003's exam-day timeline: a session's phase at each moment and what a scan at the door
means, at the edges (the start itself, 29:59 / 30:00 / 30:01 after it); what a scanner
types made into lookup keys."""

from __future__ import annotations

import datetime as dt

import pytest

from examsite.domain.attendance import (
    CAME,
    NOT_SAT,
    SAT,
    AttendanceStatus,
    Phase,
    ScanTiming,
    Timeline,
    scan_timing,
    status_of,
)
from examsite.domain.scan_code import lookup_keys, normalize_code

START = dt.datetime(2026, 12, 19, 8, 30)
ONE_HOUR = Timeline(START, START + dt.timedelta(hours=1))


def after(minutes: int, seconds: int = 0) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes, seconds=seconds)


@pytest.mark.parametrize(
    ("moment", "timing"),
    [
        (after(-30, -1), ScanTiming.TOO_EARLY),
        (after(-30), ScanTiming.PRESENT),  # entry opens 30 minutes before the start
        (after(-1), ScanTiming.PRESENT),
        (after(0), ScanTiming.PRESENT),  # the start itself is not late
        (after(0, 1), ScanTiming.LATE),
        (after(29, 59), ScanTiming.LATE),
        (after(30), ScanTiming.LATE),  # "开考 30 分钟后"不得进场: 30:00 is still in
        (after(30, 1), ScanTiming.REFUSED_LATE),
        (after(45), ScanTiming.REFUSED_LATE),
        (after(90), ScanTiming.REFUSED_LATE),  # after the end: still refused and recorded
    ],
)
def test_what_a_scan_means_at_each_edge(moment: dt.datetime, timing: ScanTiming) -> None:
    assert scan_timing(ONE_HOUR, moment) is timing


def test_the_status_each_scan_records() -> None:
    assert status_of(ScanTiming.TOO_EARLY) is None
    assert status_of(ScanTiming.PRESENT) is AttendanceStatus.PRESENT
    assert status_of(ScanTiming.LATE) is AttendanceStatus.LATE
    assert status_of(ScanTiming.REFUSED_LATE) is AttendanceStatus.REFUSED_LATE


def test_every_status_is_either_sat_or_not_and_a_second_scan_refuses_the_came() -> None:
    assert set(AttendanceStatus) == SAT | NOT_SAT
    assert not SAT & NOT_SAT
    assert AttendanceStatus.ABSENT not in CAME  # marked absent early, then came: checked in
    assert AttendanceStatus.REFUSED_LATE in CAME


@pytest.mark.parametrize(
    ("moment", "phase", "next_phase", "left"),
    [
        (after(-31), Phase.BEFORE_ENTRY, Phase.ENTRY_OPEN, dt.timedelta(minutes=1)),
        (after(-30), Phase.ENTRY_OPEN, Phase.LATE_ENTRY, dt.timedelta(minutes=30)),
        (after(0), Phase.ENTRY_OPEN, Phase.LATE_ENTRY, dt.timedelta(0)),
        (after(0, 1), Phase.LATE_ENTRY, Phase.ENTRY_CLOSED, dt.timedelta(minutes=29, seconds=59)),
        (after(29, 59), Phase.LATE_ENTRY, Phase.ENTRY_CLOSED, dt.timedelta(seconds=1)),
        (after(30), Phase.LATE_ENTRY, Phase.ENTRY_CLOSED, dt.timedelta(0)),
        (after(30, 1), Phase.ENTRY_CLOSED, Phase.ENDING_SOON, dt.timedelta(minutes=14, seconds=59)),
        (after(44, 59), Phase.ENTRY_CLOSED, Phase.ENDING_SOON, dt.timedelta(seconds=1)),
        (after(45), Phase.ENDING_SOON, Phase.ENDED, dt.timedelta(minutes=15)),  # 15 min left
        (after(59, 59), Phase.ENDING_SOON, Phase.ENDED, dt.timedelta(seconds=1)),
    ],
)
def test_the_phase_and_the_time_to_the_next(
    moment: dt.datetime, phase: Phase, next_phase: Phase, left: dt.timedelta
) -> None:
    at = ONE_HOUR.phase(moment)
    assert (at.phase, at.next_phase, at.until_next) == (phase, next_phase, left)
    assert at.next_at == moment + left


def test_ended_has_no_next_phase() -> None:
    for moment in (after(60), after(600)):
        at = ONE_HOUR.phase(moment)
        assert (at.phase, at.next_phase, at.until_next) == (Phase.ENDED, None, None)


def test_an_extension_moves_the_reminder_and_the_end() -> None:
    extended = Timeline(START, START + dt.timedelta(hours=1, minutes=10))
    assert extended.phase(after(45)).phase is Phase.ENTRY_CLOSED
    assert extended.phase(after(55)).phase is Phase.ENDING_SOON
    assert extended.phase(after(65)).phase is Phase.ENDING_SOON
    assert extended.phase(after(70)).phase is Phase.ENDED


def test_a_short_session_shows_the_reminder_over_late_entry_but_scans_by_the_rule() -> None:
    short = Timeline(START, START + dt.timedelta(minutes=40))  # reminder at 25:00
    at = short.phase(after(10))
    assert (at.phase, at.next_phase, at.next_at) == (Phase.LATE_ENTRY, Phase.ENDING_SOON, after(25))
    assert short.phase(after(26)).phase is Phase.ENDING_SOON
    assert scan_timing(short, after(26)) is ScanTiming.LATE  # still allowed in


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("202612190001001017\r\n", "202612190001001017"),
        (" 4201 0220 0501 0112 3x ", "42010220050101123X"),
        ("４２０１０２２００５０１０１１２３Ｘ", "42010220050101123X"),
        ("420102-20050101-123x", "42010220050101123X"),
    ],
)
def test_what_is_typed_is_normalised(typed: str, normal: str) -> None:
    assert normalize_code(typed) == normal
    assert lookup_keys(typed) == (normal,)


def test_a_code_with_words_offers_its_number_too() -> None:
    assert lookup_keys("准考证号：202612190001001017") == (
        "准考证号:202612190001001017",
        "202612190001001017",
    )
    assert lookup_keys("ticket=2026-12-19") == ("TICKET=20261219", "20261219")


def test_nothing_typed_has_no_key() -> None:
    assert lookup_keys("") == ()
    assert lookup_keys(" \t\r\n") == ()
