"""Checking a catalog file: the built-in one is clean; each mistake is named by the
certificate or plan code and the field."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from examsite.domain.catalog_check import check_catalog
from examsite.domain.certificate_rules import InvigilatorRule, Rounding, ScoringKind
from examsite.messages import render
from examsite.services.catalog import builtin_catalog

PLAN_003 = "2232100001"
JUNIOR_003 = "1630054223010588"


def catalog() -> dict[str, Any]:
    return copy.deepcopy(builtin_catalog())


def certificate(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for c in data["certificates"] if c["code"] == code)


def plan(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(p for p in data["plans"] if p["code"] == code)


def found(data: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(p.code, p.column) for p in check_catalog(data).problems]


def test_the_builtin_catalog_is_clean_and_typed() -> None:
    checked = check_catalog(builtin_catalog())
    assert checked.problems == ()
    invigilators, scoring = checked.rules[JUNIOR_003]
    assert invigilators == InvigilatorRule(
        2, 20, 40, Rounding.CEIL, "003/002: at least 2, at least 1:20"
    )
    assert (scoring.kind, scoring.pass_mark) == (ScoringKind.WEIGHTED, 60.0)
    assert checked.rules["EX-BODAO-EDA-1"][0].rounding is Rounding.FLOOR
    timetable = checked.timetables[PLAN_003]
    assert timetable[(JUNIOR_003, "theory")] == [dt.datetime(2027, 1, 10, 8, 30)]
    assert checked.timetables["EX-BODAO-2027-1"] == {}


def test_a_bad_rule_is_named_by_certificate_and_field() -> None:
    data = catalog()
    certificate(data, JUNIOR_003)["invigilator_rule"]["rounding"] = "nearest"
    problems = check_catalog(data).problems
    assert [(p.code, p.column) for p in problems] == [
        ("catalog.rule_unknown_kind", "invigilator_rule.rounding")
    ]
    message = render(problems[0])
    assert JUNIOR_003 in message and "invigilator_rule.rounding" in message
    assert "nearest" in message and "ceil" in message


def test_weights_of_a_weighted_certificate_must_add_up_to_one() -> None:
    data = catalog()
    certificate(data, JUNIOR_003)["subjects"][1]["weight"] = 0.8
    assert found(data) == [("catalog.weights_not_one", "subjects.weight")]


def test_subject_problems() -> None:
    data = catalog()
    subjects = certificate(data, JUNIOR_003)["subjects"]
    subjects[0]["duration_minutes"] = 0
    subjects[1]["kind"] = "oral"
    assert found(data) == [
        ("catalog.subject_duration_invalid", "subjects.duration_minutes"),
        ("catalog.subject_unknown_kind", "subjects.kind"),
    ]


def test_missing_rule_and_field() -> None:
    data = catalog()
    del certificate(data, "EX-BODAO-EDA-1")["scoring_rule"]
    del certificate(data, "EX-BODAO-EDA-1")["fee"]
    assert found(data) == [
        ("catalog.certificate_field_missing", "fee"),
        ("catalog.rule_missing", "scoring_rule"),
    ]


def test_plan_windows() -> None:
    data = catalog()
    plan(data, PLAN_003)["exam"] = ["2027-01-10T16:30", "2027-01-10T08:30"]
    plan(data, PLAN_003)["publication"] = ["2027-02-01"]
    del plan(data, PLAN_003)["year"]
    problems = check_catalog(data).problems
    assert [(p.code, p.column) for p in problems] == [
        ("catalog.plan_field_missing", "year"),
        ("catalog.window_reversed", "exam"),
        ("catalog.window_invalid", "publication"),
    ]
    assert all(p.params["plan"] == PLAN_003 for p in problems)


def test_timetable_entries() -> None:
    data = catalog()
    plan(data, PLAN_003)["timetable"] = [
        {"certificate": JUNIOR_003, "subject": "theory", "start": "2027-01-10T08:30"},
        {"certificate": JUNIOR_003, "subject": "theory", "start": "2027-01-10T08:30"},
        {"certificate": "EX-BODAO-EDA-1", "subject": "theory", "start": "2027-01-10T08:30"},
        {"certificate": JUNIOR_003, "subject": "lunch", "start": "2027-01-10T12:00"},
        {"certificate": JUNIOR_003, "subject": "practical", "start": "soon"},
    ]
    problems = check_catalog(data).problems
    assert [p.code for p in problems] == [
        "catalog.timetable_twice",
        "catalog.timetable_unknown_certificate",
        "catalog.timetable_entry_invalid",
        "catalog.timetable_entry_invalid",
    ]
    assert problems[1].params["index"] == 3
    assert "第 4 项" in render(problems[2])


def test_timetable_must_be_a_list() -> None:
    data = catalog()
    plan(data, PLAN_003)["timetable"] = {"theory": "08:30"}
    assert found(data) == [("catalog.timetable_not_a_list", "timetable")]
