"""The incident rules (domain.incidents): what each code needs, the 15-minute extension
rule, the refusals (0 or negative minutes, minutes on another code, a time in the future
or outside the session), the time parser; the code names (messages.incidents); and the
counting rule of the filled forms (domain.exam_day_record)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from examsite.domain.exam_day_record import UNRECORDED, SeatStatus, count_room_session
from examsite.domain.incidents import (
    CLOCK_SKEW,
    EXTENSION_MAX,
    RULES,
    SITE_EXTENSION_LIMIT,
    IncidentCode,
    IncidentFacts,
    Window,
    check_incident,
    parse_time,
)
from examsite.domain.problems import Level
from examsite.messages import render
from examsite.messages.incidents import INCIDENT_TITLES
from examsite.services.incidents import code_of

START = dt.datetime(2027, 1, 10, 8, 30)
WINDOW = Window(START, START + dt.timedelta(minutes=60))
NOW = START + dt.timedelta(minutes=70)
AT = START + dt.timedelta(minutes=20)

#: A complete incident of each code, and the notice 003 attaches to it.
VALID: dict[IncidentCode, tuple[IncidentFacts, str]] = {
    IncidentCode.LATE: (IncidentFacts(IncidentCode.LATE, AT, "准予入场", 1), ""),
    IncidentCode.MISCONDUCT: (
        IncidentFacts(IncidentCode.MISCONDUCT, AT, "警告", 1),
        "incident.misconduct_signature",
    ),
    IncidentCode.MACHINE_CHANGE: (
        IncidentFacts(IncidentCode.MACHINE_CHANGE, AT, "换到备用机", 1),
        "incident.machine_change_time",
    ),
    IncidentCode.EXTENSION: (
        IncidentFacts(IncidentCode.EXTENSION, AT, "延时", minutes=10),
        "incident.extension_on_site",
    ),
    IncidentCode.POWER_CUT: (
        IncidentFacts(IncidentCode.POWER_CUT, AT, "静坐等待"),
        "incident.power_cut_wait",
    ),
    IncidentCode.QUESTION: (
        IncidentFacts(IncidentCode.QUESTION, AT, "继续答题", description="第 3 题无选项"),
        "incident.question_report",
    ),
    IncidentCode.ILLNESS: (
        IncidentFacts(IncidentCode.ILLNESS, AT, "送医务室", 1),
        "incident.illness_report",
    ),
    IncidentCode.OTHER: (
        IncidentFacts(IncidentCode.OTHER, AT, "已处理", description="考场外施工噪音"),
        "incident.other_report",
    ),
}


def check(facts: IncidentFacts, window: Window | None = WINDOW, **kw: object) -> list[str]:
    return [p.code for p in check_incident(facts, now=NOW, window=window, **kw)]  # type: ignore[arg-type]


def errors(facts: IncidentFacts, window: Window | None = WINDOW) -> list[str]:
    return [p.code for p in check_incident(facts, now=NOW, window=window) if p.level is Level.ERROR]


def test_every_code_has_a_rule_a_title_and_a_valid_example():
    assert set(RULES) == set(IncidentCode) == set(VALID)
    assert set(INCIDENT_TITLES) == {c.value for c in IncidentCode}


@pytest.mark.parametrize("code", list(IncidentCode), ids=str)
def test_a_complete_incident_of_each_code_is_taken_with_its_notice(code: IncidentCode):
    facts, notice = VALID[code]
    found = check_incident(facts, now=NOW, window=WINDOW)
    assert not [p for p in found if p.is_error]
    assert [p.code for p in found] == ([notice] if notice else [])
    for problem in found:
        assert "{" not in render(problem)


@pytest.mark.parametrize("code", list(IncidentCode), ids=str)
def test_each_code_needs_what_was_done(code: IncidentCode):
    facts = dataclasses.replace(VALID[code][0], action="  ")
    assert errors(facts) == ["incident.action_empty"]


@pytest.mark.parametrize("code", [c for c in IncidentCode if RULES[c].candidates], ids=str)
def test_codes_about_candidates_need_one(code: IncidentCode):
    facts = dataclasses.replace(VALID[code][0], candidates=0)
    assert errors(facts) == ["incident.candidates_needed"]


@pytest.mark.parametrize("code", [c for c in IncidentCode if RULES[c].description], ids=str)
def test_question_and_other_need_a_description(code: IncidentCode):
    facts = dataclasses.replace(VALID[code][0], description="")
    assert errors(facts) == ["incident.description_empty"]


def test_the_codes_that_need_candidates_are_late_misconduct_machine_change_and_illness():
    needing = {c for c in IncidentCode if RULES[c].candidates}
    assert needing == {
        IncidentCode.LATE,
        IncidentCode.MISCONDUCT,
        IncidentCode.MACHINE_CHANGE,
        IncidentCode.ILLNESS,
    }


def extension(minutes: int | None) -> IncidentFacts:
    return IncidentFacts(IncidentCode.EXTENSION, AT, "延时", minutes=minutes)


def test_an_extension_up_to_15_minutes_is_decided_on_site():
    found = check_incident(extension(SITE_EXTENSION_LIMIT), now=NOW, window=WINDOW)
    assert [(p.code, p.level) for p in found] == [("incident.extension_on_site", Level.NOTICE)]


def test_an_extension_over_15_minutes_needs_the_organisation_and_is_still_taken():
    found = check_incident(extension(SITE_EXTENSION_LIMIT + 1), now=NOW, window=WINDOW)
    assert [(p.code, p.level) for p in found] == [("incident.extension_needs_org", Level.WARNING)]
    assert "评价组织决定" in render(found[0])
    assert "16 分钟" in render(found[0])


@pytest.mark.parametrize("minutes", [0, -1, -30])
def test_no_or_negative_minutes_are_refused(minutes: int):
    assert errors(extension(minutes)) == ["incident.minutes_not_positive"]


def test_an_extension_without_minutes_is_refused():
    assert errors(extension(None)) == ["incident.minutes_needed"]


def test_an_extension_longer_than_the_session_is_refused():
    assert errors(extension(WINDOW.minutes)) == []
    assert errors(extension(WINDOW.minutes + 1)) == ["incident.minutes_too_many"]


def test_a_site_wide_extension_is_capped_at_the_maximum():
    assert errors(extension(EXTENSION_MAX), window=None) == []
    assert errors(extension(EXTENSION_MAX + 1), window=None) == ["incident.minutes_too_many"]


@pytest.mark.parametrize("code", [c for c in IncidentCode if c is not IncidentCode.EXTENSION])
def test_only_an_extension_carries_minutes(code: IncidentCode):
    facts = dataclasses.replace(VALID[code][0], minutes=10)
    assert errors(facts) == ["incident.minutes_not_extension"]


def test_a_time_in_the_future_is_refused_with_a_little_clock_skew_allowed():
    late = dt.datetime(2027, 1, 10, 9, 30)
    facts = dataclasses.replace(VALID[IncidentCode.POWER_CUT][0], occurred_at=late)
    within = late - CLOCK_SKEW
    assert [p.code for p in check_incident(facts, now=within, window=WINDOW) if p.is_error] == []
    before = within - dt.timedelta(minutes=1)
    found = check_incident(facts, now=before, window=WINDOW)
    assert [p.code for p in found] == ["incident.time_in_future"]


def test_a_time_outside_the_room_session_is_refused():
    early = START - dt.timedelta(hours=3)
    facts = dataclasses.replace(VALID[IncidentCode.POWER_CUT][0], occurred_at=early)
    assert errors(facts) == ["incident.time_outside_session"]
    edge = START - dt.timedelta(minutes=90)
    assert errors(dataclasses.replace(facts, occurred_at=edge)) == []


def test_a_site_wide_incident_is_on_an_exam_day():
    facts = VALID[IncidentCode.POWER_CUT][0]
    assert check(facts, window=None, exam_days=[START.date()]) == ["incident.power_cut_wait"]
    other = [START.date() + dt.timedelta(days=1)]
    assert check(facts, window=None, exam_days=other) == ["incident.time_outside_plan"]


def test_a_late_arrival_after_30_minutes_is_told_entry_is_closed():
    facts = dataclasses.replace(
        VALID[IncidentCode.LATE][0], occurred_at=START + dt.timedelta(minutes=31)
    )
    assert check(facts) == ["incident.late_entry_closed"]
    on_time = dataclasses.replace(facts, occurred_at=START + dt.timedelta(minutes=30))
    assert check(on_time) == []


def test_every_error_at_once_errors_first():
    facts = IncidentFacts(IncidentCode.MISCONDUCT, NOW + dt.timedelta(hours=1), "", 0, 5)
    codes = check(facts)
    assert set(codes) == {
        "incident.action_empty",
        "incident.candidates_needed",
        "incident.time_in_future",
        "incident.minutes_not_extension",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:40", dt.datetime(2027, 1, 10, 9, 40)),
        ("9:05", dt.datetime(2027, 1, 10, 9, 5)),
        ("09：40", dt.datetime(2027, 1, 10, 9, 40)),
        ("2027-01-11 10:15", dt.datetime(2027, 1, 11, 10, 15)),
        ("2027-01-11T10:15:33", dt.datetime(2027, 1, 11, 10, 15)),
        ("25:00", None),
        ("noon", None),
        ("", None),
        ("2027-01-11T10:15+08:00", None),
    ],
)
def test_parse_time(text: str, expected: dt.datetime | None):
    assert parse_time(text, dt.date(2027, 1, 10)) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("late", "late"),
        ("迟到", "late"),
        ("违纪/作弊", "misconduct"),
        ("违纪", "misconduct"),
        ("作弊", "misconduct"),
        ("换机", "machine_change"),
        ("延时", "extension"),
        ("停电", "power_cut"),
        ("题目疑问", "question"),
        ("疾病", "illness"),
        ("其他", "other"),
        (" extension ", "extension"),
        ("火灾", None),
    ],
)
def test_codes_by_key_chinese_name_or_alias(text: str, code: str | None):
    assert code_of(text) == code


# --- the counting rule of the filled forms ------------------------------------------------


def seats(*statuses: str | None) -> list[SeatStatus]:
    return [
        SeatStatus(n, f"考生{n}", f"T{n:03d}", f"ID{n}", status)
        for n, status in enumerate(statuses, 1)
    ]


def test_nothing_recorded_leaves_the_counts_blank_even_after_the_end():
    for ended in (False, True):
        counts = count_room_session(seats(None, None, None), ended=ended)
        assert (counts.expected, counts.present, counts.absent) == (3, None, None)
        assert not counts.recorded
        assert counts.absentees == ()


def test_while_the_session_runs_an_unrecorded_seat_is_neither_present_nor_absent():
    counts = count_room_session(seats("present", "absent", None, "late"), ended=False)
    assert (counts.present, counts.absent, counts.unrecorded) == (2, 1, 1)
    assert [s.seat for s in counts.absentees] == [2]


def test_after_the_end_an_unrecorded_seat_counts_as_absent():
    counts = count_room_session(
        seats("present", "refused_late", None, "left_early", "misconduct"), ended=True
    )
    assert (counts.expected, counts.present, counts.absent, counts.unrecorded) == (5, 3, 2, 0)
    assert [(s.seat, s.status) for s in counts.absentees] == [
        (2, "refused_late"),
        (3, UNRECORDED),
    ]
    assert [s.status for s in counts.remarks] == ["left_early", "misconduct"]
