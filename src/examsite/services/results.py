"""The certificate results (证书结果) of a plan, worked out from the data held: the subject
scores (``Score``), the attendance recorded on exam day (``Attendance``: a candidate
recorded absent with no score counts as absent) and each certificate's scoring rule
(``domain.results.certificate_outcome``). Withdrawn subject records are left out. The
platform's own 考证结果, when imported (``CertificateResult``), is shown beside it.

``results_in`` is the one place the rule is applied: the results page, the CLI
(``scores results``), the statistics and the review form all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.collections_pause import with_fewer_collections
from examsite.domain.attendance import NOT_SAT
from examsite.domain.results import (
    CertificateOutcome,
    SubjectScore,
    SubjectState,
    certificate_outcome,
)
from examsite.services.plan_records import (
    ATTENDANCE,
    CANDIDATE,
    CERTIFICATE,
    RECORD,
    REGISTRATION,
    SCORE,
    SUBJECT,
    plan_records,
)
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import Certificate, CertificateResult, ExamPlan

_STATES = {"scored": SubjectState.SCORED, "absent": SubjectState.ABSENT, "void": SubjectState.VOID}


@dataclass(frozen=True)
class SubjectResult:
    subject: str
    kind: str  # theory / practical
    score: float | None
    status: SubjectState


@dataclass(frozen=True)
class CertificateResultRow:
    """One registration's result, with what the statistics group by."""

    id_number: str
    name: str
    ticket: str
    kind: str  # school / social (as registered)
    major: str
    enrollment_year: int | None
    class_name: str
    certificate_code: str
    certificate_name: str
    level: str  # junior / intermediate / senior
    subjects: tuple[SubjectResult, ...]
    outcome: CertificateOutcome
    #: What the platform's 考证结果 said (passed / failed / absent), "" when not imported.
    platform_outcome: str = ""

    def as_dict(self) -> dict[str, Any]:
        from examsite.messages import text

        return {
            "id_number": self.id_number,
            "name": self.name,
            "ticket": self.ticket,
            "certificate_code": self.certificate_code,
            "certificate_name": self.certificate_name,
            "level": self.level,
            "subjects": [
                {"subject": s.subject, "kind": s.kind, "score": s.score, "status": s.status.value}
                for s in self.subjects
            ],
            "total": self.outcome.total,
            "passed": self.outcome.passed,
            "reason": self.outcome.reason.value,
            "platform_outcome": self.platform_outcome,
            "reason_text": text(
                f"results.{self.outcome.reason.value}", subject=self.outcome.subject
            ),
        }


@with_fewer_collections
def results_in(session: Session, plan: ExamPlan) -> tuple[CertificateResultRow, ...]:
    """Every registration of ``plan`` with its result, by certificate then ticket then ID."""
    result = cast(Any, CertificateResult.__table__)
    c = (REGISTRATION.c, CANDIDATE.c, CERTIFICATE.c, RECORD.c, SUBJECT.c, SCORE.c)
    registration, candidate, certificate, record, subject, score = c
    query = plan_records(
        plan.id,
        registration.id, registration.ticket_number, registration.kind,
        candidate.id_number, candidate.name, candidate.major, candidate.enrollment_year,
        candidate.class_name, certificate.code, certificate.name, certificate.level,
        certificate.id, record.id, subject.name, subject.kind,
        subject.weight, subject.pass_mark, score.score, score.status, ATTENDANCE.c.status,
        result.c.outcome,
    )  # fmt: skip
    rows = session.execute(
        query.outerjoin(result, result.c.registration_id == registration.id).order_by(
            certificate.code, registration.ticket_number, candidate.id_number, subject.kind.desc()
        )
    ).all()
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    # Each certificate's rule once (parsing the typed JSON on every row is most of the time).
    rules = {
        certificate_id: rule
        for certificate_id, rule in session.execute(
            select(Certificate.id, Certificate.scoring_rule).where(
                Certificate.id.in_({row[11] for row in rows})
            )
        )
    }
    results: list[CertificateResultRow] = []
    for group in grouped.values():
        first = group[0]
        subjects = [_subject_score(row) for row in group]
        outcome = certificate_outcome(rules[first[11]], subjects)
        results.append(
            CertificateResultRow(
                id_number=first[3],
                name=first[4],
                ticket=first[1] or "",
                kind=first[2],
                major=first[5],
                enrollment_year=first[6],
                class_name=first[7],
                certificate_code=first[8],
                certificate_name=first[9],
                level=first[10],
                subjects=tuple(SubjectResult(s.name, s.kind, s.score, s.state) for s in subjects),
                outcome=outcome,
                platform_outcome=first[20] or "",
            )
        )
    return tuple(results)


def _subject_score(row: Any) -> SubjectScore:
    name, kind, weight, pass_mark, score, status, attendance = row[13:20]
    state = _STATES.get(status or "", SubjectState.PENDING)
    if state is SubjectState.SCORED and score is None:
        state = SubjectState.PENDING
    if state is SubjectState.PENDING and attendance in NOT_SAT:
        state = SubjectState.ABSENT  # recorded absent on exam day, no score (yet)
    return SubjectScore(
        kind, name, weight, pass_mark, state, score if state is SubjectState.SCORED else None
    )


def certificate_results_of(db: Database, plan_code: str) -> tuple[CertificateResultRow, ...]:
    """``results_in`` for a plan code (``catalog.plan_not_found`` when unknown)."""
    with db.read() as session:
        return results_in(session, find_plan(session, plan_code))
