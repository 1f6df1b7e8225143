"""The exam timetable's check: no candidate has two sessions at once.

Two sessions of a plan clash when their times overlap ([start, end): one ending at 10:00
and one starting at 10:00 do not) and

- they are two subjects of the same certificate level (theory and practical): everyone
  registered for the level sits both, so this is always wrong; or
- they belong to two certificates and at least one candidate is registered for both.

Several levels may share a day and even a time, as long as nobody sits both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error
from examsite.messages import certificate_title
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import Certificate, ExamSession, Registration, Subject

SAME_CERTIFICATE = "same_certificate"
SHARED_CANDIDATES = "shared_candidates"


@dataclass(frozen=True)
class TimedSession:
    uid: str
    certificate_code: str
    certificate_name: str
    level: str
    subject_kind: str
    subject_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime

    def plain(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "certificate": self.certificate_code,
            "level": self.level,
            "subject": self.subject_kind,
            "subject_name": self.subject_name,
            "start": self.starts_at.isoformat(),
            "end": self.ends_at.isoformat(),
        }


@dataclass(frozen=True)
class Clash:
    """Two sessions at once that somebody must sit both of."""

    kind: str  # same_certificate / shared_candidates
    first: TimedSession
    second: TimedSession
    candidates: int  # candidates who sit both

    def plain(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "first": self.first.plain(),
            "second": self.second.plain(),
            "candidates": self.candidates,
        }

    def problem(self) -> Problem:
        first, second = self.first, self.second
        params: dict[str, Any] = {
            "first": certificate_title(first.certificate_name, first.level) + first.subject_name,
            "second": certificate_title(second.certificate_name, second.level)
            + second.subject_name,
            "first_time": _span(first),
            "second_time": _span(second),
        }
        if self.kind == SAME_CERTIFICATE:
            return error("rooms.timetable_same_certificate", **params)
        return error("rooms.timetable_shared_candidates", candidates=self.candidates, **params)


def _span(s: TimedSession) -> str:
    return f"{s.starts_at:%m-%d %H:%M}~{s.ends_at:%H:%M}"


def check_timetable(db: Database, plan_code: str) -> tuple[Clash, ...]:
    with db.read() as session:
        return check_timetable_in(session, plan_code)


def check_timetable_in(session: Session, plan_code: str) -> tuple[Clash, ...]:
    plan = find_plan(session, plan_code)
    rows = session.execute(
        select(ExamSession, Subject, Certificate)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .join(Certificate, Certificate.id == Subject.certificate_id)
        .where(ExamSession.plan_id == plan.id)
        .order_by(ExamSession.starts_at, Certificate.code, Subject.kind.desc())
    ).all()
    timed = [
        (
            cert.id,
            subject.id,
            TimedSession(
                exam.uid,
                cert.code,
                cert.name,
                cert.level,
                subject.kind,
                subject.name,
                exam.starts_at,
                exam.ends_at,
            ),
        )
        for exam, subject, cert in rows
    ]
    candidates: dict[int, set[int]] = defaultdict(set)
    for candidate_id, cert_id in session.execute(
        select(Registration.candidate_id, Registration.certificate_id).where(
            Registration.plan_id == plan.id
        )
    ):
        candidates[cert_id].add(candidate_id)
    clashes = []
    for (cert_a, subject_a, a), (cert_b, subject_b, b) in combinations(timed, 2):
        if subject_a == subject_b or not (a.starts_at < b.ends_at and b.starts_at < a.ends_at):
            continue  # two sittings of one subject are for different candidates
        if cert_a == cert_b:
            clashes.append(Clash(SAME_CERTIFICATE, a, b, len(candidates[cert_a])))
            continue
        both = len(candidates[cert_a] & candidates[cert_b])
        if both:
            clashes.append(Clash(SHARED_CANDIDATES, a, b, both))
    return tuple(clashes)
