"""The certificate result rules at their edges (domain.results)."""

from __future__ import annotations

import pytest

from examsite.domain.certificate_rules import ScoringKind, ScoringRule
from examsite.domain.results import Reason, SubjectScore, SubjectState, certificate_outcome

WEIGHTED = ScoringRule(ScoringKind.WEIGHTED, 60.0)
ALL_PASS = ScoringRule(ScoringKind.ALL_PASS)


def _subjects(theory: float | None, practical: float | None) -> list[SubjectScore]:
    def one(kind: str, name: str, weight: float, score: float | None) -> SubjectScore:
        state = SubjectState.PENDING if score is None else SubjectState.SCORED
        return SubjectScore(kind, name, weight, 60.0, state, score)

    return [one("theory", "理论", 0.3, theory), one("practical", "实操", 0.7, practical)]


@pytest.mark.parametrize(
    ("theory", "practical", "total", "passed"),
    [
        (60, 60, 60.0, True),
        (59.9, 59.9, 59.9, False),
        (100, 42.86, 60.0, True),  # 30 + 30.002 = 60.002 -> 60.0
        (0, 85.71, 60.0, True),
        (0, 85.7, 59.99, False),
        (90, 50, 62.0, True),
    ],
)
def test_weighted_rule_at_the_pass_mark(
    theory: float, practical: float, total: float, passed: bool
) -> None:
    outcome = certificate_outcome(WEIGHTED, _subjects(theory, practical))
    assert outcome.total == total
    assert outcome.passed is passed
    assert outcome.reason is (Reason.PASSED if passed else Reason.BELOW_PASS_MARK)


@pytest.mark.parametrize(
    ("theory", "practical", "passed", "failed_subject"),
    [(60, 60, True, ""), (59.9, 100, False, "理论"), (100, 59.9, False, "实操")],
)
def test_every_subject_rule_at_each_pass_mark(
    theory: float, practical: float, passed: bool, failed_subject: str
) -> None:
    outcome = certificate_outcome(ALL_PASS, _subjects(theory, practical))
    assert outcome.passed is passed and outcome.total is None
    assert outcome.subject == failed_subject


def test_absent_fails_before_a_missing_score_and_missing_is_pending() -> None:
    absent = [
        SubjectScore("theory", "理论", 0.3, 60.0, SubjectState.ABSENT),
        SubjectScore("practical", "实操", 0.7, 60.0, SubjectState.PENDING),
    ]
    outcome = certificate_outcome(WEIGHTED, absent)
    assert (outcome.passed, outcome.reason, outcome.subject) == (False, Reason.ABSENT, "理论")
    pending = certificate_outcome(WEIGHTED, _subjects(80, None))
    assert (pending.passed, pending.reason, pending.subject) == (None, Reason.PENDING, "实操")
    void = [SubjectScore("theory", "理论", 0.3, 60.0, SubjectState.VOID)]
    assert certificate_outcome(ALL_PASS, void).reason is Reason.VOID
