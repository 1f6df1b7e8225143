"""A certificate's result (证书结果) from its subject scores, by the certificate's scoring
rule (``domain.certificate_rules.ScoringRule``):

- weighted (003): the total is the sum of score × subject weight (theory 30 % + practical
  70 %), passed when the total reaches the rule's pass mark (60: 59.9 fails, 60 passes);
- every subject passed: each subject at or above its own pass mark.

A subject the candidate did not sit (absent, refused for lateness, no score because they
were recorded absent) means not passed, with the reason; a subject with no score yet
means the result is pending (``passed`` None), not failed. A voided subject (违纪 / 作弊)
means not passed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from examsite.domain.certificate_rules import ScoringKind, ScoringRule

#: The total is compared after rounding to this many decimals, so that 0.3 × 60 + 0.7 × 60
#: is 60 and not 59.99999999.
TOTAL_DECIMALS: Final = 2


class SubjectState(StrEnum):
    SCORED = "scored"
    ABSENT = "absent"  # 缺考 (the platform said so, or the site recorded it)
    VOID = "void"  # 违纪 / 作弊: the score does not count
    PENDING = "pending"  # no score yet


class Reason(StrEnum):
    """Why a result is what it is (message codes ``results.<value>``)."""

    PASSED = "passed"
    BELOW_PASS_MARK = "below_pass_mark"  # weighted total under the pass mark
    SUBJECT_FAILED = "subject_failed"  # every-subject rule: a subject under its mark
    ABSENT = "absent"
    VOID = "void"
    PENDING = "pending"


@dataclass(frozen=True)
class SubjectScore:
    """One subject of a registration: its kind (theory / practical), name, weight and own
    pass mark from the catalog, and the score (None unless ``state`` is scored)."""

    kind: str
    name: str
    weight: float
    pass_mark: float
    state: SubjectState
    score: float | None = None


@dataclass(frozen=True)
class CertificateOutcome:
    """The result: ``total`` the weighted total (None for the every-subject rule or when a
    score is missing), ``passed`` True / False / None (pending), ``reason`` and the subject
    it names (the first absent, void, missing or failed one; "" when none)."""

    total: float | None
    passed: bool | None
    reason: Reason
    subject: str = ""


def certificate_outcome(rule: ScoringRule, subjects: Sequence[SubjectScore]) -> CertificateOutcome:
    """The result of one registration under ``rule``. Absent and void subjects decide
    before missing ones: a candidate absent from theory has failed even while the
    practical score is still to come."""
    if not subjects:
        return CertificateOutcome(None, None, Reason.PENDING)
    for state, reason in ((SubjectState.ABSENT, Reason.ABSENT), (SubjectState.VOID, Reason.VOID)):
        hit = next((s for s in subjects if s.state is state), None)
        if hit is not None:
            return CertificateOutcome(None, False, reason, hit.name)
    pending = next((s for s in subjects if s.state is not SubjectState.SCORED), None)
    if pending is not None or any(s.score is None for s in subjects):
        name = pending.name if pending else next(s.name for s in subjects if s.score is None)
        return CertificateOutcome(None, None, Reason.PENDING, name)
    if rule.kind is ScoringKind.WEIGHTED:
        total = round(sum((s.score or 0.0) * s.weight for s in subjects), TOTAL_DECIMALS)
        mark = rule.pass_mark if rule.pass_mark is not None else 60.0
        if total >= mark:
            return CertificateOutcome(total, True, Reason.PASSED)
        return CertificateOutcome(total, False, Reason.BELOW_PASS_MARK)
    failed = next((s for s in subjects if (s.score or 0.0) < s.pass_mark), None)
    if failed is not None:
        return CertificateOutcome(None, False, Reason.SUBJECT_FAILED, failed.name)
    return CertificateOutcome(None, True, Reason.PASSED)
