"""What the results page (成绩) shows for a plan, read in one go: every registration's
result (``services.results``), the score reconciliation and the review window."""

from __future__ import annotations

from dataclasses import dataclass

from examsite.services.plans import find_plan
from examsite.services.results import CertificateResultRow, results_in
from examsite.services.score_reconciliation import ScoreReconciliation, score_reconciliation_in
from examsite.services.score_review import ReviewStatus, review_status_in
from examsite.storage.db import Database


@dataclass(frozen=True)
class ResultsView:
    plan: str
    plan_name: str
    rows: tuple[CertificateResultRow, ...]
    reconciliation: ScoreReconciliation
    review: ReviewStatus

    @property
    def passed(self) -> int:
        return sum(r.outcome.passed is True for r in self.rows)

    @property
    def failed(self) -> int:
        return sum(r.outcome.passed is False for r in self.rows)

    @property
    def pending(self) -> int:
        return sum(r.outcome.passed is None for r in self.rows)


def results_view(db: Database, plan_code: str) -> ResultsView:
    with db.read() as session:
        plan = find_plan(session, plan_code)
        return ResultsView(
            plan.code,
            plan.name,
            results_in(session, plan),
            score_reconciliation_in(session, plan.code),
            review_status_in(session, plan.code),
        )
