"""What the registration page and commands read: the plans and their windows, the
candidate chooser, the registrations of a plan, the "2 records per candidate" check
(000/001: the platform makes one record per subject; a candidate with fewer is short) and
the fee summary (缴费申请单 data), plus the province fee overrides.

A registration's ``status`` (``registration list``): "arranged" once every subject record
has a seat, "partly_arranged" when some have, else "unarranged".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.eligibility import FeeLine, fee_of, window_problem
from examsite.domain.problems import Problem
from examsite.errors import InputError, NotFoundError
from examsite.services.audit import record
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    FeeOverride,
    Registration,
    RegistrationSubject,
    Seat,
    Site,
    Subject,
)

# --- plans -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelChoice:
    code: str
    name: str
    level: str
    subjects: int


@dataclass(frozen=True)
class PlanChoice:
    """A plan as the page offers it: its levels, its window and, when closed, why."""

    code: str
    name: str
    start: dt.datetime
    end: dt.datetime
    levels: tuple[LevelChoice, ...]
    lock: Problem | None
    for_site: bool


def plan_choices(db: Database, now: dt.datetime | None = None) -> tuple[PlanChoice, ...]:
    """Every plan, those examining a certificate of the site first."""
    moment = clock.now() if now is None else now
    with db.read() as session:
        site_certs = {c.id for site in session.scalars(select(Site)) for c in site.certificates}
        choices = []
        for plan in session.scalars(select(ExamPlan).order_by(ExamPlan.registration_end)):
            levels = tuple(
                LevelChoice(c.code, c.name, c.level, len(c.subjects)) for c in plan.certificates
            )
            lock = window_problem(plan.registration_start, plan.registration_end, moment, plan.name)
            for_site = any(c.id in site_certs for c in plan.certificates)
            choices.append(
                PlanChoice(
                    plan.code,
                    plan.name,
                    plan.registration_start,
                    plan.registration_end,
                    levels,
                    lock,
                    for_site,
                )
            )
    return tuple(sorted(choices, key=lambda c: not c.for_site))


# --- the candidate chooser -------------------------------------------------------------


@dataclass(frozen=True)
class ChooserRow:
    """A candidate as the chooser lists it, with the levels already registered in the plan."""

    id: int
    id_number: str
    name: str
    kind: str
    class_name: str
    major: str
    major_code: str
    status: str
    registered: tuple[str, ...]  # certificate codes in this plan


def chooser_rows(db: Database, plan_code: str) -> tuple[ChooserRow, ...]:
    with db.read() as session:
        plan = find_plan(session, plan_code)
        held: dict[int, list[str]] = defaultdict(list)
        for candidate_id, code in session.execute(
            select(Registration.candidate_id, Certificate.code)
            .join(Certificate, Certificate.id == Registration.certificate_id)
            .where(Registration.plan_id == plan.id)
        ):
            held[candidate_id].append(code)
        rows = session.execute(
            select(
                Candidate.id,
                Candidate.id_number,
                Candidate.name,
                Candidate.kind,
                Candidate.class_name,
                Candidate.major,
                Candidate.major_code,
                Candidate.status,
            ).order_by(Candidate.class_name, Candidate.id)
        )
        return tuple(ChooserRow(*row, tuple(held.get(row.id, ()))) for row in rows)


# --- registrations ---------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationRow:
    id: int
    id_number: str
    name: str
    class_name: str
    certificate_code: str
    certificate_name: str
    level: str
    kind: str
    home_school: str
    source: str
    subjects: tuple[str, ...]
    expected: int  # subjects of the certificate
    seated: int

    @property
    def short(self) -> bool:
        return len(self.subjects) < self.expected

    @property
    def status(self) -> str:
        if self.subjects and self.seated >= len(self.subjects):
            return "arranged"
        return "partly_arranged" if self.seated else "unarranged"

    def as_dict(self) -> dict[str, Any]:
        """The shape of ``registration list --json``."""
        return {
            "id_number": self.id_number,
            "certificate_code": self.certificate_code,
            "level": self.level,
            "subjects": list(self.subjects),
            "status": self.status,
        }


def registrations_in(
    session: Session, plan: ExamPlan | None, certificate_code: str | None = None
) -> list[RegistrationRow]:
    """The registrations of ``plan`` (None: every plan) with their subject records."""
    statement = (
        select(
            Registration.id,
            Candidate.id_number,
            Candidate.name,
            Candidate.class_name,
            Certificate.code,
            Certificate.name,
            Certificate.level,
            Certificate.id,
            Registration.kind,
            Registration.home_school,
            Registration.source,
        )
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .join(Certificate, Certificate.id == Registration.certificate_id)
        .order_by(Certificate.code, Candidate.class_name, Candidate.id)
    )
    if plan is not None:
        statement = statement.where(Registration.plan_id == plan.id)
    if certificate_code:
        statement = statement.where(Certificate.code == certificate_code)
    rows = session.execute(statement).all()
    expected = dict(
        session.execute(
            select(Subject.certificate_id, func.count()).group_by(Subject.certificate_id)
        ).all()
    )
    records: dict[int, list[str]] = defaultdict(list)
    seated: dict[int, int] = defaultdict(int)
    record_query = (
        select(RegistrationSubject.registration_id, Subject.name, Seat.id)
        .join(Subject, Subject.id == RegistrationSubject.subject_id)
        .outerjoin(Seat, Seat.registration_subject_id == RegistrationSubject.id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .order_by(RegistrationSubject.registration_id, Subject.kind.desc())
    )
    if plan is not None:
        record_query = record_query.where(Registration.plan_id == plan.id)
    for registration_id, subject_name, seat_id in session.execute(record_query):
        records[registration_id].append(subject_name)
        if seat_id is not None:
            seated[registration_id] += 1
    return [
        RegistrationRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[8],
            r[9],
            r[10],
            tuple(records.get(r[0], ())),
            expected.get(r[7], 0),
            seated.get(r[0], 0),
        )
        for r in rows
    ]


def list_registrations(
    db: Database, plan_code: str, certificate_code: str | None = None
) -> tuple[RegistrationRow, ...]:
    with db.read() as session:
        return tuple(registrations_in(session, find_plan(session, plan_code), certificate_code))


def short_registrations_in(session: Session, plan: ExamPlan | None) -> list[RegistrationRow]:
    """The registrations with fewer subject records than their certificate has subjects."""
    return [r for r in registrations_in(session, plan) if r.short]


@dataclass(frozen=True)
class RecordsCheck:
    """The "2 records per candidate" check: candidates × subjects = records."""

    plan_code: str
    candidates: int  # registrations
    records: int
    expected: int
    short: tuple[RegistrationRow, ...]

    @property
    def ok(self) -> bool:
        return self.records == self.expected and not self.short

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_code,
            "registrations": self.candidates,
            "records": self.records,
            "expected": self.expected,
            "ok": self.ok,
            "short": [
                {
                    "id_number": r.id_number,
                    "name": r.name,
                    "certificate_code": r.certificate_code,
                    "records": len(r.subjects),
                    "expected": r.expected,
                }
                for r in self.short
            ],
        }


def records_check_of(plan_code: str, rows: Sequence[RegistrationRow]) -> RecordsCheck:
    return RecordsCheck(
        plan_code,
        len(rows),
        sum(len(r.subjects) for r in rows),
        sum(r.expected for r in rows),
        tuple(r for r in rows if r.short),
    )


def records_check(db: Database, plan_code: str) -> RecordsCheck:
    with db.read() as session:
        plan = find_plan(session, plan_code)
        return records_check_of(plan.code, registrations_in(session, plan))


# --- fees ------------------------------------------------------------------------------


def fees_by_certificate(
    session: Session, certificates: Iterable[Certificate], province: str
) -> dict[int, int]:
    """Each certificate's fee per candidate in ``province``."""
    certs = list(certificates)
    overrides = _overrides(session, [c.id for c in certs])
    return {c.id: fee_of(c.fee, overrides.get(c.id, {}), province)[0] for c in certs}


def _overrides(session: Session, ids: Sequence[int]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for cert_id, province, fee in session.execute(
        select(FeeOverride.certificate_id, FeeOverride.province, FeeOverride.fee).where(
            FeeOverride.certificate_id.in_(ids)
        )
    ):
        found[cert_id][province] = fee
    return found


@dataclass(frozen=True)
class FeeSummary:
    """The 缴费申请单 data: per certificate level, candidates × fee, and the total."""

    plan_code: str
    plan_name: str
    province: str
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def candidates(self) -> int:
        return sum(line.candidates for line in self.lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_code,
            "province": self.province,
            "lines": [
                {
                    "certificate_code": line.certificate_code,
                    "certificate_name": line.certificate_name,
                    "level": line.level,
                    "candidates": line.candidates,
                    "fee": line.fee,
                    "overridden": line.overridden,
                    "amount": line.amount,
                }
                for line in self.lines
            ],
            "candidates": self.candidates,
            "total": self.total,
        }


def fee_summary_in(session: Session, plan: ExamPlan) -> FeeSummary:
    site = session.scalars(select(Site).order_by(Site.id)).first()
    province = site.province if site else ""
    counts: Mapping[int, int] = dict(
        session.execute(
            select(Registration.certificate_id, func.count())
            .where(Registration.plan_id == plan.id)
            .group_by(Registration.certificate_id)
        ).all()
    )
    certs = list(plan.certificates)
    overrides = _overrides(session, [c.id for c in certs])
    lines = []
    for cert in certs:
        fee, overridden = fee_of(cert.fee, overrides.get(cert.id, {}), province)
        lines.append(
            FeeLine(cert.code, cert.name, cert.level, counts.get(cert.id, 0), fee, overridden)
        )
    return FeeSummary(plan.code, plan.name, province, tuple(lines))


def fee_summary(db: Database, plan_code: str) -> FeeSummary:
    with db.read() as session:
        return fee_summary_in(session, find_plan(session, plan_code))


def set_fee_override(db: Database, certificate_code: str, province: str, fee: int) -> None:
    """The fee of a certificate level in ``province`` (logged); a fee below 0 is refused."""
    name = province.strip()
    if not name:
        raise InputError("registration.province_empty")
    if fee < 0:
        raise InputError("registration.fee_negative", fee=fee)
    with db.unit_of_work() as session:
        cert = session.scalars(
            select(Certificate).where(Certificate.code == certificate_code.strip())
        ).one_or_none()
        if cert is None:
            raise NotFoundError("registration.certificate_not_found", certificate=certificate_code)
        row = session.scalars(
            select(FeeOverride).where(
                FeeOverride.certificate_id == cert.id, FeeOverride.province == name
            )
        ).one_or_none()
        before = None if row is None else {"fee": row.fee}
        if row is None:
            session.add(FeeOverride(certificate_id=cert.id, province=name, fee=fee))
        else:
            row.fee = fee
        record(
            session,
            "update" if before else "create",
            "fee_override",
            f"{cert.code}/{name}",
            before,
            {"fee": fee},
            "user",
        )
