"""A certificate's typed rules: invigilator counts as the documents give them, scoring
rules, and every problem of a rule written by hand."""

from __future__ import annotations

import json

import pytest

from examsite.domain.certificate_rules import (
    InvigilatorRule,
    Rounding,
    ScoringKind,
    ScoringRule,
    parse_invigilator_rule,
    parse_scoring_rule,
)
from examsite.services.catalog import builtin_catalog

RULE_000 = InvigilatorRule(2, 20, 60, Rounding.FLOOR)  # 2 below 60, 3 from 60, and so on
RULE_003 = InvigilatorRule(2, 20, 40, Rounding.CEIL)  # 2 up to 40, at least 1:20 above


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [(0, 2), (20, 2), (40, 2), (59, 2), (60, 3), (79, 3), (80, 4), (99, 4), (100, 5)],
)
def test_000_two_below_60_three_from_60_and_so_on(candidates: int, expected: int) -> None:
    assert RULE_000.required(candidates) == expected


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [(0, 2), (30, 2), (40, 2), (41, 3), (45, 3), (60, 3), (61, 4), (80, 4), (81, 5)],
)
def test_003_at_least_one_to_twenty_from_40(candidates: int, expected: int) -> None:
    assert RULE_003.required(candidates) == expected


def test_negative_candidates_is_a_bug() -> None:
    with pytest.raises(ValueError):
        RULE_003.required(-1)


def test_builtin_catalog_rules_follow_the_documents() -> None:
    rules = {}
    for cert in builtin_catalog()["certificates"]:
        rule, problems = parse_invigilator_rule(cert["invigilator_rule"], certificate=cert["code"])
        assert problems == ()
        rules[cert["code"]] = rule
    assert [rules["EX-BODAO-EDA-1"].required(n) for n in (59, 60, 80)] == [2, 3, 4]
    assert [rules["1630054223010588"].required(n) for n in (40, 41, 61)] == [2, 3, 4]


def test_rules_round_trip_through_json() -> None:
    weighted = ScoringRule(ScoringKind.WEIGHTED, 60.0, "003")
    for rule in (RULE_000, InvigilatorRule(source="002"), weighted, ScoringRule()):
        plain = json.loads(json.dumps(rule.to_plain()))
        assert type(rule).from_plain(plain) == rule


def test_from_plain_refuses_what_is_not_a_rule() -> None:
    with pytest.raises(ValueError):
        InvigilatorRule.from_plain({"min_per_room": 2})
    with pytest.raises(ValueError):
        ScoringRule.from_plain({"kind": "average"})


def codes(problems) -> list[tuple[str, str | None]]:
    return [(p.code, p.column) for p in problems]


def test_invigilator_rule_problems_name_the_certificate_and_the_field() -> None:
    rule, problems = parse_invigilator_rule(
        {"min_per_room": -1, "candidates_per_invigilator": "20", "rounding": "round", "ratio": 2},
        certificate="C1",
    )
    assert rule is None
    assert codes(problems) == [
        ("catalog.rule_unknown_field", "invigilator_rule.ratio"),
        ("catalog.rule_not_a_count", "invigilator_rule.min_per_room"),
        ("catalog.rule_not_a_count", "invigilator_rule.candidates_per_invigilator"),
        ("catalog.rule_unknown_kind", "invigilator_rule.rounding"),
    ]
    assert all(p.params["certificate"] == "C1" for p in problems)
    assert problems[1].params["value"] == -1


def test_invigilator_rule_missing_or_not_an_object() -> None:
    assert codes(parse_invigilator_rule(None, certificate="C1")[1]) == [
        ("catalog.rule_missing", "invigilator_rule")
    ]
    assert codes(parse_invigilator_rule([2, 20], certificate="C1")[1]) == [
        ("catalog.rule_not_an_object", "invigilator_rule")
    ]
    assert codes(parse_invigilator_rule({"min_per_room": 2}, certificate="C1")[1]) == [
        ("catalog.rule_missing", "invigilator_rule.candidates_per_invigilator")
    ]


def test_invigilator_rule_defaults() -> None:
    rule, problems = parse_invigilator_rule({"min_per_room": 2, "candidates_per_invigilator": 20})
    assert problems == ()
    assert rule == InvigilatorRule(2, 20, 0, Rounding.CEIL)


def test_weighted_rule_needs_a_pass_mark_and_weights_that_add_up_to_one() -> None:
    rule, problems = parse_scoring_rule(
        {"kind": "weighted", "pass_mark": 60},
        certificate="C1",
        subject_weights={"theory": 0.3, "practical": 0.7},
    )
    assert problems == ()
    assert rule == ScoringRule(ScoringKind.WEIGHTED, 60.0)

    rule, problems = parse_scoring_rule(
        {"kind": "weighted"}, certificate="C1", subject_weights={"theory": 0.5, "practical": 0.7}
    )
    assert rule is None
    assert codes(problems) == [
        ("catalog.rule_missing", "scoring_rule.pass_mark"),
        ("catalog.weights_not_one", "subjects.weight"),
    ]
    assert problems[1].params["total"] == 1.2


def test_scoring_rule_problems() -> None:
    assert codes(parse_scoring_rule({"kind": "best_of"}, certificate="C1")[1]) == [
        ("catalog.rule_unknown_kind", "scoring_rule.kind")
    ]
    assert codes(parse_scoring_rule({"kind": "weighted", "pass_mark": 160})[1]) == [
        ("catalog.rule_not_a_mark", "scoring_rule.pass_mark")
    ]
    assert codes(parse_scoring_rule({"kind": "all_pass", "pass_mark": 60})[1]) == [
        ("catalog.rule_unknown_field", "scoring_rule.pass_mark")
    ]
    # every subject passed: the weights do not matter
    rule, problems = parse_scoring_rule(
        {"kind": "all_pass"}, subject_weights={"theory": 0.5, "practical": 0.7}
    )
    assert (rule, problems) == (ScoringRule(ScoringKind.ALL_PASS), ())
