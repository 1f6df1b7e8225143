"""The statistics a coordinator reports upward (统计) for one exam plan: pass rates by
certificate level, by major, by class (enrolment year + major, and the school's own class
name where it is filled in), each subject's average, lowest, highest and distribution, and
the absences per subject and per exam session.

Everything about passing comes from ``services.results.results_in`` (the one place the
scoring rule is applied); the sessions' absences come from the attendance recorded on
exam day (``Attendance``). Rules where the documents are silent:

- a pass rate is passed / decided (passed + not passed); results still pending (a score
  not in yet) are counted apart and left out of the rate, not counted as failed; a
  candidate absent from a subject has not passed (the scoring rule says so) and is also
  counted in ``absent`` beside the rate;
- a subject's average, lowest and highest are over the scores held (absent, void and
  missing scores are counted apart);
- a session's absence rate is absent / seats (缺考人数 / 应考人数), where absent is 缺考
  or 迟到禁入 (``domain.attendance.NOT_SAT``); seats whose attendance was not recorded
  are counted in ``unrecorded``;
- candidates without a major (social candidates, mostly) make one group, "无专业（社会考生
  等）", in the major table and in the class table whatever their enrolment year.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.attendance import NOT_SAT, SAT
from examsite.domain.results import SubjectState
from examsite.domain.statistics import BAND_LABELS, band_counts, rate
from examsite.messages.titles import SUBJECT_KIND_TITLES, certificate_title
from examsite.services.plans import find_plan
from examsite.services.results import CertificateResultRow, SubjectResult, results_in
from examsite.services.seating_data import WITHDRAWN
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    Certificate,
    ExamPlan,
    ExamSession,
    RegistrationSubject,
    RoomSession,
    Seat,
    Subject,
)

NO_MAJOR = "无专业（社会考生等）"
NO_YEAR = "未填入学年份"
_RATE_DECIMALS = 4
_SCORE_DECIMALS = 2

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class PassCounts:
    """Registrations of a group and how their results stand."""

    registered: int = 0
    passed: int = 0
    failed: int = 0
    absent: int = 0  # of the failed: absent from a subject
    pending: int = 0  # no result yet: left out of the rate

    @property
    def decided(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        """passed / decided as a fraction; None while nothing is decided."""
        return rate(self.passed, self.decided)

    def as_dict(self) -> dict[str, Any]:
        return {
            "registered": self.registered,
            "passed": self.passed,
            "failed": self.failed,
            "absent": self.absent,
            "pending": self.pending,
            "decided": self.decided,
            "pass_rate": _rounded(self.rate, _RATE_DECIMALS),
        }


@dataclass(frozen=True)
class GroupRate:
    """The pass counts of one group; ``label`` is what a table or a chart shows, ``key``
    what the group is (its fields in ``as_dict``)."""

    label: str
    key: tuple[tuple[str, Any], ...]
    counts: PassCounts

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, **dict(self.key), **self.counts.as_dict()}


@dataclass(frozen=True)
class SubjectStatistics:
    """One subject of one certificate: how many sat, how they scored."""

    certificate_code: str
    certificate_name: str
    level: str
    subject: str
    kind: str  # theory / practical
    registered: int
    scored: int
    absent: int
    void: int
    pending: int
    average: float | None
    minimum: float | None
    maximum: float | None
    bands: tuple[int, ...]  # counts per ``domain.statistics.BAND_LABELS``

    @property
    def label(self) -> str:
        return f"{certificate_title(self.certificate_name, self.level)} {self.subject}"

    @property
    def absent_rate(self) -> float | None:
        return rate(self.absent, self.registered)

    def as_dict(self) -> dict[str, Any]:
        return {
            "certificate_code": self.certificate_code,
            "certificate_name": self.certificate_name,
            "level": self.level,
            "subject": self.subject,
            "kind": self.kind,
            "registered": self.registered,
            "scored": self.scored,
            "absent": self.absent,
            "absent_rate": _rounded(self.absent_rate, _RATE_DECIMALS),
            "void": self.void,
            "pending": self.pending,
            "average": _rounded(self.average, _SCORE_DECIMALS),
            "min": self.minimum,
            "max": self.maximum,
            "bands": [
                {"band": label, "count": count}
                for label, count in zip(BAND_LABELS, self.bands, strict=True)
            ],
        }


@dataclass(frozen=True)
class SessionAbsence:
    """The attendance of one exam session (one subject at one time, every room)."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    certificate_code: str
    certificate_name: str
    level: str
    subject: str
    kind: str
    seats: int  # 应考
    sat: int  # present, late, left early, misconduct
    absent: int  # 缺考 + 迟到禁入
    refused_late: int  # of the absent: came too late
    unrecorded: int  # seats with no attendance recorded

    @property
    def absent_rate(self) -> float | None:
        return rate(self.absent, self.seats)

    @property
    def label(self) -> str:
        kind = SUBJECT_KIND_TITLES.get(self.kind, self.kind)
        return f"{self.starts_at:%m-%d %H:%M} {certificate_title(self.certificate_name, self.level)}{kind}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "session_start": self.starts_at.isoformat(timespec="minutes"),
            "session_end": self.ends_at.isoformat(timespec="minutes"),
            "certificate_code": self.certificate_code,
            "certificate_name": self.certificate_name,
            "level": self.level,
            "subject": self.subject,
            "kind": self.kind,
            "seats": self.seats,
            "sat": self.sat,
            "absent": self.absent,
            "refused_late": self.refused_late,
            "unrecorded": self.unrecorded,
            "absent_rate": _rounded(self.absent_rate, _RATE_DECIMALS),
        }


@dataclass(frozen=True)
class PlanStatistics:
    """Every table of the statistics of one plan."""

    plan_code: str
    plan_name: str
    overall: PassCounts
    by_level: tuple[GroupRate, ...]
    by_major: tuple[GroupRate, ...]
    by_class: tuple[GroupRate, ...]  # enrolment year + major
    by_class_name: tuple[GroupRate, ...]  # the school's class name, where filled in
    subjects: tuple[SubjectStatistics, ...]
    sessions: tuple[SessionAbsence, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_code,
            "plan_name": self.plan_name,
            "overall": self.overall.as_dict(),
            "by_level": [g.as_dict() for g in self.by_level],
            "by_major": [g.as_dict() for g in self.by_major],
            "by_class": [g.as_dict() for g in self.by_class],
            "by_class_name": [g.as_dict() for g in self.by_class_name],
            "subjects": [s.as_dict() for s in self.subjects],
            "sessions": [s.as_dict() for s in self.sessions],
        }


@dataclass(frozen=True)
class AttendanceRow:
    """One seat of an exam session and its recorded attendance (None: not recorded)."""

    session_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    certificate_code: str
    certificate_name: str
    level: str
    subject: str
    kind: str
    status: str | None


def statistics_in(session: Session, plan: ExamPlan) -> PlanStatistics:
    """The statistics of ``plan`` from its results and its recorded attendance."""
    return statistics_from(
        plan.code, plan.name, results_in(session, plan), _attendance_rows(session, plan)
    )


def plan_statistics(db: Database, plan_code: str) -> PlanStatistics:
    """``statistics_in`` for a plan code (``catalog.plan_not_found`` when unknown)."""
    with db.read() as session:
        return statistics_in(session, find_plan(session, plan_code))


def statistics_from(
    plan_code: str,
    plan_name: str,
    results: Iterable[CertificateResultRow],
    attendance: Iterable[AttendanceRow],
) -> PlanStatistics:
    """The statistics of results and attendance rows already read (no database)."""
    rows = tuple(results)
    return PlanStatistics(
        plan_code=plan_code,
        plan_name=plan_name,
        overall=_counts(rows),
        by_level=_grouped(rows, _level_key, _level_group),
        by_major=_grouped(rows, _major_key, _major_group),
        by_class=_grouped(rows, _class_key, _class_group),
        by_class_name=_grouped(
            [r for r in rows if r.class_name.strip()], lambda r: r.class_name.strip(), _name_group
        ),
        subjects=_subjects(rows),
        sessions=_sessions(attendance),
    )


def _counts(rows: Iterable[CertificateResultRow]) -> PassCounts:
    registered = passed = failed = absent = pending = 0
    for row in rows:
        registered += 1
        if row.outcome.passed is None:
            pending += 1
        elif row.outcome.passed:
            passed += 1
        else:
            failed += 1
            if any(s.status is SubjectState.ABSENT for s in row.subjects):
                absent += 1
    return PassCounts(registered, passed, failed, absent, pending)


def _grouped(
    rows: Iterable[CertificateResultRow],
    key: Callable[[CertificateResultRow], K],
    group: Callable[[K, PassCounts], GroupRate],
) -> tuple[GroupRate, ...]:
    members: dict[K, list[CertificateResultRow]] = {}
    for row in rows:
        members.setdefault(key(row), []).append(row)
    return tuple(group(k, _counts(members[k])) for k in sorted(members, key=_sort_key))


def _sort_key(key: Hashable) -> tuple[Any, ...]:
    # None (a missing year) after every year; "" (no major) after every major.
    parts = key if isinstance(key, tuple) else (key,)
    return tuple((p is None or p == "", "" if p is None else p) for p in parts)


def _level_key(row: CertificateResultRow) -> tuple[str, str, str]:
    return (row.certificate_code, row.certificate_name, row.level)


def _level_group(key: tuple[str, str, str], counts: PassCounts) -> GroupRate:
    code, name, level = key
    fields = (("certificate_code", code), ("certificate_name", name), ("level", level))
    return GroupRate(certificate_title(name, level), fields, counts)


def _major_key(row: CertificateResultRow) -> str:
    return row.major.strip()


def _major_label(major: str) -> str:
    return major or NO_MAJOR


def _major_group(major: str, counts: PassCounts) -> GroupRate:
    return GroupRate(_major_label(major), (("major", major),), counts)


def _class_key(row: CertificateResultRow) -> tuple[int | None, str]:
    major = row.major.strip()
    return (row.enrollment_year, major) if major else (None, "")


def _class_group(key: tuple[int | None, str], counts: PassCounts) -> GroupRate:
    year, major = key
    if not major:
        label = NO_MAJOR
    else:
        label = f"{year}级 {major}" if year is not None else f"{NO_YEAR} {major}"
    return GroupRate(label, (("enrollment_year", year), ("major", major)), counts)


def _name_group(name: str, counts: PassCounts) -> GroupRate:
    return GroupRate(name, (("class_name", name),), counts)


def _subjects(rows: Iterable[CertificateResultRow]) -> tuple[SubjectStatistics, ...]:
    found: dict[tuple[str, str, str], tuple[CertificateResultRow, list[SubjectResult]]] = {}
    for row in rows:
        for subject in row.subjects:
            key = (row.certificate_code, subject.subject, subject.kind)
            found.setdefault(key, (row, []))[1].append(subject)
    ordered = sorted(found, key=lambda k: (k[0], k[2] != "theory", k[1]))
    return tuple(_subject_statistics(*found[key]) for key in ordered)


def _subject_statistics(
    first: CertificateResultRow, subjects: list[SubjectResult]
) -> SubjectStatistics:
    scores = [s.score for s in subjects if s.status is SubjectState.SCORED and s.score is not None]
    states = [s.status for s in subjects]
    return SubjectStatistics(
        certificate_code=first.certificate_code,
        certificate_name=first.certificate_name,
        level=first.level,
        subject=subjects[0].subject,
        kind=subjects[0].kind,
        registered=len(subjects),
        scored=len(scores),
        absent=states.count(SubjectState.ABSENT),
        void=states.count(SubjectState.VOID),
        pending=len(subjects)
        - len(scores)
        - states.count(SubjectState.ABSENT)
        - states.count(SubjectState.VOID),
        average=math.fsum(scores) / len(scores) if scores else None,  # order-free
        minimum=min(scores) if scores else None,
        maximum=max(scores) if scores else None,
        bands=band_counts(scores),
    )


def _sessions(rows: Iterable[AttendanceRow]) -> tuple[SessionAbsence, ...]:
    by_session: dict[int, list[AttendanceRow]] = {}
    for row in rows:
        by_session.setdefault(row.session_id, []).append(row)
    found = []
    for seats in by_session.values():
        first = seats[0]
        statuses = [s.status for s in seats]
        found.append(
            SessionAbsence(
                starts_at=first.starts_at,
                ends_at=first.ends_at,
                certificate_code=first.certificate_code,
                certificate_name=first.certificate_name,
                level=first.level,
                subject=first.subject,
                kind=first.kind,
                seats=len(seats),
                sat=sum(1 for s in statuses if s in SAT),
                absent=sum(1 for s in statuses if s in NOT_SAT),
                refused_late=statuses.count("refused_late"),
                unrecorded=statuses.count(None),
            )
        )
    found.sort(key=lambda s: (s.starts_at, s.certificate_code, s.kind != "theory"))
    return tuple(found)


def _attendance_rows(session: Session, plan: ExamPlan) -> list[AttendanceRow]:
    rows = session.execute(
        select(
            ExamSession.id, ExamSession.starts_at, ExamSession.ends_at, Certificate.code,
            Certificate.name, Certificate.level, Subject.name, Subject.kind, Attendance.status,
        )
        .join(Subject, Subject.id == ExamSession.subject_id)
        .join(Certificate, Certificate.id == Subject.certificate_id)
        .join(RoomSession, RoomSession.session_id == ExamSession.id)
        .join(Seat, Seat.room_session_id == RoomSession.id)
        .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
        .outerjoin(Attendance, Attendance.seat_id == Seat.id)
        .where(ExamSession.plan_id == plan.id, RegistrationSubject.status != WITHDRAWN)
    ).all()  # fmt: skip
    return [AttendanceRow(*row) for row in rows]


def _rounded(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)
