"""The score reconciliation (成绩核对) of a plan: which subject records still lack a score,
which ticket or ID numbers of the last score import matched nothing, who has a theory
score but no practical one (or the reverse), who has a score although recorded absent on
exam day (``Attendance`` in ``NOT_SAT``), and which scores an import changed
(``Score.previous_*`` against the current value: the previous import of the same
subject said otherwise). The page and the CLI (``scores reconcile``) ask it; the platform
import (``services.platform_import``) includes it after a score sheet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy.orm import Session

from examsite.domain.attendance import NOT_SAT
from examsite.messages import certificate_title
from examsite.services.plan_records import (
    ATTENDANCE,
    CANDIDATE,
    CERTIFICATE,
    REGISTRATION,
    SCORE,
    SUBJECT,
    plan_records,
)
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import Setting

UNKNOWN_SETTING: Final = "scores.unknown."  # + the plan code: the last import's unmatched numbers


@dataclass(frozen=True)
class ScoreGap:
    """A subject record without a score: who, their ticket, the certificate, the subject."""

    id_number: str
    name: str
    ticket: str
    certificate: str
    subject: str


@dataclass(frozen=True)
class ScoreChange:
    """A score that differs from what the previous import of the subject said (or a
    score of a candidate recorded absent: then ``before`` is the attendance)."""

    gap: ScoreGap
    score: float | None
    status: str  # scored / absent / void
    previous_score: float | None
    previous_status: str


@dataclass(frozen=True)
class ScoreReconciliation:
    """How the scores of a plan stand: ``records`` subject records expected (withdrawn ones
    left out), ``scored`` of them with a score (or marked absent); ``missing`` the others;
    ``unknown`` the ticket or ID numbers of the last score import that matched nothing;
    ``theory_only`` / ``practical_only`` the records lacking while the registration's
    other subject has its score (the record named is the one that lacks);
    ``absent_scored`` the scores of subjects the candidate was recorded absent from on
    exam day; ``changed`` the scores an import changed (previous against current)."""

    plan: str
    records: int
    scored: int
    missing: tuple[ScoreGap, ...] = ()
    unknown: tuple[str, ...] = ()
    theory_only: tuple[ScoreGap, ...] = ()
    practical_only: tuple[ScoreGap, ...] = ()
    absent_scored: tuple[ScoreChange, ...] = ()
    changed: tuple[ScoreChange, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unknown


# --- the reconciliation -------------------------------------------------------------------


def score_reconciliation(db: Database, plan_code: str) -> ScoreReconciliation:
    """How the scores of ``plan_code`` stand (see ``ScoreReconciliation``)."""
    with db.read() as session:
        return score_reconciliation_in(session, find_plan(session, plan_code).code)


def score_reconciliation_in(session: Session, plan_code: str) -> ScoreReconciliation:
    plan = find_plan(session, plan_code)
    registration, candidate, certificate = REGISTRATION.c, CANDIDATE.c, CERTIFICATE.c
    subject, score = SUBJECT.c, SCORE.c
    rows = session.execute(
        plan_records(
            plan.id,
            registration.id, candidate.id_number, candidate.name, registration.ticket_number,
            certificate.name, certificate.level, subject.name, subject.kind, score.id,
            score.score, score.status, score.previous_score, score.previous_status,
            ATTENDANCE.c.status,
        ).order_by(registration.ticket_number, candidate.id_number, subject.kind.desc())
    ).all()  # fmt: skip
    by_reg: dict[int, list[Any]] = {}
    absent_scored: list[ScoreChange] = []
    changed: list[ScoreChange] = []
    for row in rows:
        by_reg.setdefault(row[0], []).append(row)
        if row[8] is None:  # no score
            continue
        score, status, previous_score, previous_status, attendance = row[9:]
        absent = status == "scored" and attendance in NOT_SAT
        differs = bool(previous_status) and (previous_score, previous_status) != (score, status)
        if absent or differs:
            change = ScoreChange(_gap(row), score, status, previous_score, previous_status or "")
            if absent:
                absent_scored.append(change)
            if differs:
                changed.append(change)
    missing: list[ScoreGap] = []
    theory_only: list[ScoreGap] = []
    practical_only: list[ScoreGap] = []
    for records in by_reg.values():
        if all(r[8] is not None for r in records):
            continue
        kinds_scored = {r[7] for r in records if r[8] is not None}
        for record in records:
            if record[8] is not None:
                continue
            gap, kind = _gap(record), record[7]
            missing.append(gap)
            if kind == "practical" and "theory" in kinds_scored:
                theory_only.append(gap)
            elif kind == "theory" and "practical" in kinds_scored:
                practical_only.append(gap)
    setting = session.get(Setting, UNKNOWN_SETTING + plan.code)
    unknown: tuple[str, ...] = ()
    if setting is not None:
        try:
            unknown = tuple(str(u) for u in json.loads(setting.value))
        except ValueError:
            unknown = ()
    return ScoreReconciliation(
        plan.code,
        len(rows),
        len(rows) - len(missing),
        tuple(missing),
        unknown,
        tuple(theory_only),
        tuple(practical_only),
        tuple(absent_scored),
        tuple(changed),
    )


def _gap(row: Any) -> ScoreGap:
    _reg, idn, name, ticket, cert, level, subject = row[:7]
    return ScoreGap(idn, name, ticket or "", certificate_title(cert, level), subject)


def reconciliation_plain(rec: ScoreReconciliation) -> dict[str, Any]:
    """What ``--json`` prints for a reconciliation."""

    def gaps(items: tuple[ScoreGap, ...]) -> list[dict[str, str]]:
        return [
            {
                "id_number": g.id_number,
                "name": g.name,
                "ticket": g.ticket,
                "certificate": g.certificate,
                "subject": g.subject,
            }
            for g in items
        ]

    def changes(items: tuple[ScoreChange, ...]) -> list[dict[str, Any]]:
        return [
            {
                **gaps((c.gap,))[0],
                "score": c.score,
                "status": c.status,
                "previous_score": c.previous_score,
                "previous_status": c.previous_status,
            }
            for c in items
        ]

    return {
        "plan": rec.plan,
        "records": rec.records,
        "scored": rec.scored,
        "missing": gaps(rec.missing),
        "unknown": list(rec.unknown),
        "theory_only": gaps(rec.theory_only),
        "practical_only": gaps(rec.practical_only),
        "absent_scored": changes(rec.absent_scored),
        "changed": changes(rec.changed),
    }
