"""Step 4, registration (报考): candidates registered for a plan's certificate level.

The core, ``register_in``, decides every request with the rules of
``domain.eligibility`` (status, majors, quota, duplicates, clashing sessions) and writes
the accepted ones in bulk: one ``Registration`` and one ``RegistrationSubject`` per subject
of the certificate (theory + practical), an audit entry each. The page, the CLI and the
sheet import (``services.registration_sheets``) all go through it, so a rule holds on
every path. ``ensure_registration_open`` is THE guard of the registration window: every
path that adds, changes or deletes a registration calls it first (the sync bundle's merge
included).

Withdrawals and changes are in ``services.registration_changes``; queries (lists, the
2-records check, fees) in ``services.registration_query``; the sheet in
``services.registration_sheets``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.eligibility import (
    REGISTRABLE_STATUSES,
    Applicant,
    Decision,
    Level,
    QuotaLedger,
    Slot,
    decide,
    overlaps,
    window_problem,
)
from examsite.domain.problems import Problem, error, notice, warning
from examsite.domain.workflow import Step
from examsite.errors import InputError, NotFoundError
from examsite.messages import certificate_title, render
from examsite.services.audit import AuditEntry, record_many
from examsite.services.plans import find_plan
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.bulk import insert_rows
from examsite.storage.db import Database, count_rows
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    ExamSession,
    Quota,
    Registration,
    RegistrationSubject,
    Site,
    Subject,
)
from examsite.storage.types import new_uid

ACTOR = "user"
#: Days before the registration deadline from which the step warns.
DEADLINE_WARNING_DAYS = 7
CHUNK = 500  # ids per IN (...) list

_REGISTRATIONS = cast(Table, Registration.__table__)
_RECORDS = cast(Table, RegistrationSubject.__table__)


# --- the registration window -----------------------------------------------------------


def registration_lock(plan: ExamPlan, now: dt.datetime | None = None) -> Problem | None:
    """Why the registrations of ``plan`` cannot change now (None: they can)."""
    moment = clock.now() if now is None else now
    return window_problem(plan.registration_start, plan.registration_end, moment, plan.name)


def ensure_registration_open(plan: ExamPlan, now: dt.datetime | None = None) -> None:
    """Raise ``InputError`` (registration.closed / registration.not_open) unless ``plan``'s
    registration window is open at ``now`` (default ``clock.now()``). Every path that adds,
    changes or deletes a registration calls this first: page, CLI, sheet import, bundle
    merge."""
    problem = registration_lock(plan, now)
    if problem is not None:
        raise InputError.of(problem)


def find_certificate(session: Session, plan: ExamPlan, code: str) -> Certificate:
    cert = session.scalars(
        select(Certificate).where(Certificate.code == code.strip())
    ).one_or_none()
    if cert is None:
        raise NotFoundError("registration.certificate_not_found", certificate=code)
    if cert.id not in {c.id for c in plan.certificates}:
        raise InputError("registration.certificate_not_in_plan", certificate=code, plan=plan.name)
    return cert


# --- registering -----------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRequest:
    """One candidate to register: by ID number for a certificate level (its code).
    ``kind`` is the kind a sheet asks for (None: the candidate's); ``row`` the sheet's
    Excel row; ``name`` the name the sheet gives (checked against the candidate's)."""

    id_number: str
    certificate_code: str
    kind: str | None = None
    home_school: str = ""
    row: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class Refusal:
    """A request refused (or accepted with warnings), with its reasons."""

    id_number: str
    name: str
    certificate_code: str
    problems: tuple[Problem, ...]
    row: int | None = None
    social_possible: bool = False

    @property
    def reason(self) -> str:
        """The reasons in Chinese, one sentence each."""
        return "；".join(render(p) for p in self.problems)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id_number": self.id_number,
            "name": self.name,
            "certificate_code": self.certificate_code,
            "codes": [p.code for p in self.problems],
            "reason": self.reason,
            "social_possible": self.social_possible,
        }


@dataclass(frozen=True)
class Added:
    id_number: str
    name: str
    certificate_code: str
    level: str
    kind: str
    home_school: str
    subjects: int
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id_number": self.id_number,
            "name": self.name,
            "certificate_code": self.certificate_code,
            "level": self.level,
            "kind": self.kind,
            "home_school": self.home_school,
            "subjects": self.subjects,
        }


@dataclass(frozen=True)
class RegisterResult:
    plan_code: str
    added: tuple[Added, ...]
    refused: tuple[Refusal, ...]
    warnings: tuple[Refusal, ...] = ()
    written: bool = True

    @property
    def social_possible(self) -> tuple[Refusal, ...]:
        return tuple(r for r in self.refused if r.social_possible)


@dataclass
class _PlanFacts:
    """What deciding a batch needs, read once."""

    plan: ExamPlan
    levels: dict[str, Level]
    subjects: dict[int, list[int]]  # certificate id → subject ids
    slots: dict[int, list[Slot]]  # certificate id → its sessions in the plan
    held: dict[int, set[int]]  # candidate id → certificate ids registered in the plan
    quota: QuotaLedger
    site_id: int | None
    site_school_id: int | None
    fees: dict[int, int] = field(default_factory=dict)


def register_in(
    session: Session,
    plan: ExamPlan,
    requests: Sequence[RegisterRequest],
    *,
    as_social: bool = False,
    source: str = "page",
    actor: str = ACTOR,
    now: dt.datetime | None = None,
    write: bool = True,
) -> RegisterResult:
    """Decide every request and (with ``write``) store the accepted ones, in the caller's
    unit of work. Raises ``InputError`` when the registration window is closed."""
    ensure_registration_open(plan, now)
    facts = _plan_facts(session, plan)
    applicants = _applicants(session, {r.id_number for r in requests})
    added: list[Added] = []
    refused: list[Refusal] = []
    warned: list[Refusal] = []
    rows: list[dict[str, Any]] = []
    for request in requests:
        applicant = applicants.get(request.id_number)
        level = facts.levels.get(request.certificate_code)
        early = _early_problem(request, applicant, level, plan)
        if early is not None:
            name = applicant.name if applicant else (request.name or "")
            refused.append(
                Refusal(request.id_number, name, request.certificate_code, (early,), request.row)
            )
            continue
        assert applicant is not None and level is not None
        decision = _decide(facts, applicant, level, request, as_social)
        if not decision.accepted:
            refused.append(_refusal(applicant, level, request, decision))
            continue
        if decision.problems:
            warned.append(_refusal(applicant, level, request, decision))
        facts.held.setdefault(applicant.id, set()).add(level.id)
        kind = cast(str, decision.kind)
        home = request.home_school.strip()
        rows.append(
            {
                "uid": new_uid(),
                "candidate_id": applicant.id,
                "plan_id": plan.id,
                "certificate_id": level.id,
                "site_id": facts.site_id,
                "fee": facts.fees.get(level.id, 0),
                "kind": kind,
                "home_school": home,
                "source": source,
            }
        )
        added.append(
            Added(
                applicant.id_number,
                applicant.name,
                level.code,
                level.level,
                kind,
                home,
                len(facts.subjects.get(level.id, [])),
                request.row,
            )
        )
    if write and rows:
        _write(session, plan, facts, rows, added, actor)
    return RegisterResult(plan.code, tuple(added), tuple(refused), tuple(warned), write)


def _early_problem(
    request: RegisterRequest, applicant: Applicant | None, level: Level | None, plan: ExamPlan
) -> Problem | None:
    if applicant is None:
        return error("registration.candidate_not_found", id_number=request.id_number)
    if level is None:
        return error(
            "registration.certificate_not_in_plan",
            certificate=request.certificate_code,
            plan=plan.name,
        )
    given = (request.name or "").strip()
    if given and given != applicant.name:
        return error("registration.name_mismatch", given=given, name=applicant.name)
    return None


def _decide(
    facts: _PlanFacts,
    applicant: Applicant,
    level: Level,
    request: RegisterRequest,
    as_social: bool,
) -> Decision:
    held = facts.held.get(applicant.id, set())
    clash = None
    mine = facts.slots.get(level.id, [])
    for other in held:
        if other != level.id and overlaps(mine, facts.slots.get(other, [])):
            clash = _level_title(facts, other)
            break
    if applicant.school_id is None and facts.site_school_id is not None:
        applicant = Applicant(**{**applicant.__dict__, "school_id": facts.site_school_id})
    return decide(
        applicant,
        level,
        quota=facts.quota,
        as_social=as_social,
        requested_kind=request.kind,
        registered=held,
        clash=clash,
    )


def _level_title(facts: _PlanFacts, certificate_id: int) -> str:
    for level in facts.levels.values():
        if level.id == certificate_id:
            return certificate_title(level.name, level.level)
    return str(certificate_id)


def _refusal(
    applicant: Applicant, level: Level, request: RegisterRequest, decision: Decision
) -> Refusal:
    return Refusal(
        applicant.id_number,
        applicant.name,
        level.code,
        decision.problems,
        request.row,
        decision.social_possible,
    )


def _plan_facts(session: Session, plan: ExamPlan) -> _PlanFacts:
    certs = list(plan.certificates)
    levels = {
        c.code: Level(
            c.id,
            c.code,
            c.name,
            c.level,
            tuple((str(m.get("code", "")), str(m.get("name", ""))) for m in c.majors or []),
        )
        for c in certs
    }
    ids = [c.id for c in certs]
    subjects: dict[int, list[int]] = defaultdict(list)
    for subject_id, cert_id in session.execute(
        select(Subject.id, Subject.certificate_id).where(Subject.certificate_id.in_(ids))
    ):
        subjects[cert_id].append(subject_id)
    slots: dict[int, list[Slot]] = defaultdict(list)
    for cert_id, start, end in session.execute(
        select(Subject.certificate_id, ExamSession.starts_at, ExamSession.ends_at)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .where(ExamSession.plan_id == plan.id)
    ):
        slots[cert_id].append((start, end))
    held: dict[int, set[int]] = defaultdict(set)
    for candidate_id, cert_id in session.execute(
        select(Registration.candidate_id, Registration.certificate_id).where(
            Registration.plan_id == plan.id
        )
    ):
        held[candidate_id].add(cert_id)
    site = session.scalars(select(Site).order_by(Site.id)).first()
    quota = quota_ledger(session, plan.year, site.school_id if site else None)
    from examsite.services.registration_query import fees_by_certificate

    fees = fees_by_certificate(session, certs, site.province if site else "")
    return _PlanFacts(
        plan,
        levels,
        subjects,
        slots,
        held,
        quota,
        site.id if site else None,
        site.school_id if site else None,
        fees,
    )


def quota_ledger(session: Session, year: int, default_school: int | None) -> QuotaLedger:
    """The approved quotas of ``year`` and the school-kind registrations counted against
    them (in every plan of that year; a candidate without a school is the site's)."""
    approved = {
        (school, cert): count
        for school, cert, count in session.execute(
            select(Quota.school_id, Quota.certificate_id, Quota.approved).where(Quota.year == year)
        )
    }
    used: dict[tuple[int, int], int] = defaultdict(int)
    statement = (
        select(Candidate.school_id, Registration.certificate_id, func.count())
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .join(ExamPlan, ExamPlan.id == Registration.plan_id)
        .where(ExamPlan.year == year, Registration.kind == "school")
        .group_by(Candidate.school_id, Registration.certificate_id)
    )
    for school, cert, count in session.execute(statement):
        key = (school if school is not None else default_school, cert)
        if key[0] is not None:
            used[cast(tuple[int, int], key)] += count
    return QuotaLedger(approved, used)


def _applicants(session: Session, id_numbers: Iterable[str]) -> dict[str, Applicant]:
    wanted = sorted(set(id_numbers))
    found: dict[str, Applicant] = {}
    columns = (
        Candidate.id,
        Candidate.id_number,
        Candidate.name,
        Candidate.kind,
        Candidate.status,
        Candidate.major_code,
        Candidate.major,
        Candidate.school_id,
    )
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for row in session.execute(select(*columns).where(Candidate.id_number.in_(chunk))):
            found[row.id_number] = Applicant(*row)
    return found


def _write(
    session: Session,
    plan: ExamPlan,
    facts: _PlanFacts,
    rows: list[dict[str, Any]],
    added: Sequence[Added],
    actor: str,
) -> None:
    insert_rows(session, _REGISTRATIONS, rows, once=("created_at", "updated_at"))
    ids = dict(
        session.execute(
            select(Registration.uid, Registration.id).where(Registration.plan_id == plan.id)
        ).all()
    )
    records = [
        {"registration_id": ids[row["uid"]], "subject_id": subject, "status": "unarranged"}
        for row in rows
        for subject in facts.subjects.get(row["certificate_id"], [])
    ]
    insert_rows(session, _RECORDS, records)
    record_many(
        session,
        (
            AuditEntry(
                "create",
                "registration",
                f"{a.id_number}/{plan.code}/{a.certificate_code}",
                None,
                {"kind": a.kind, "home_school": a.home_school, "source": row["source"]},
                actor,
            )
            for a, row in zip(added, rows, strict=True)
        ),
    )


def registrable_id_numbers(session: Session, plan: ExamPlan, certificate: Certificate) -> list[str]:
    """The candidates whose status is registrable and who are not yet registered for
    ``certificate`` in ``plan`` (what ``--all-ready`` registers)."""
    taken = select(Registration.candidate_id).where(
        Registration.plan_id == plan.id, Registration.certificate_id == certificate.id
    )
    return list(
        session.scalars(
            select(Candidate.id_number)
            .where(Candidate.status.in_(REGISTRABLE_STATUSES), Candidate.id.not_in(taken))
            .order_by(Candidate.id)
        )
    )


def register_candidates(
    db: Database,
    plan_code: str,
    certificate_code: str,
    id_numbers: Sequence[str] | None = None,
    *,
    all_ready: bool = False,
    as_social: bool = False,
    home_school: str = "",
    source: str = "page",
) -> RegisterResult:
    """Register the candidates of ``id_numbers`` (or, with ``all_ready``, every registrable
    one not yet registered) for a certificate level of a plan."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        ensure_registration_open(plan)
        cert = find_certificate(session, plan, certificate_code)
        if not all_ready and not id_numbers:
            raise InputError("registration.nothing_to_register")
        wanted = registrable_id_numbers(session, plan, cert) if all_ready else id_numbers or []
        requests = [
            RegisterRequest(n.strip().upper(), cert.code, home_school=home_school) for n in wanted
        ]
        return register_in(session, plan, requests, as_social=as_social, source=source)


# --- the step's status -----------------------------------------------------------------


def registration_status(session: Session, facts: RoundFacts) -> StepStatus:
    """Step 4's status: registrations and their subject records, candidates short of
    records, quotas overrun, and the deadline."""
    registrations = count_rows(session, Registration)
    records = count_rows(session, RegistrationSubject)
    problems: list[Problem] = []
    open_plans = [p for p in facts.plans if p.days_left > 0]
    if open_plans and open_plans[0].days_left <= DEADLINE_WARNING_DAYS:
        nearest = open_plans[0]
        problems.append(warning("status.deadline_near", plan=nearest.name, days=nearest.days_left))
    short = 0
    if registrations:
        from examsite.services.registration_query import short_registrations_in

        short = len(short_registrations_in(session, None))
        if short:
            problems.append(error("registration.status_short_records", count=short))
        for school, cert, used, approved in quota_overruns(session):
            problems.append(
                warning(
                    "registration.status_quota_over",
                    school=school,
                    certificate=cert,
                    used=used,
                    approved=approved,
                )
            )
    for plan in facts.plans:
        if plan.for_site and plan.days_left <= 0 and registrations:
            problems.append(notice("registration.status_closed", plan=plan.name))
            break
    figure = (
        notice("status.figure_registrations", count=registrations)
        if registrations
        else notice("status.figure_no_registrations")
    )
    summary = {"registrations": registrations, "subject_records": records, "short": short}
    return step_status(Step.REGISTRATION, registrations, summary, problems, figure)


def quota_overruns(session: Session) -> list[tuple[str, str, int, int]]:
    """(school, certificate title, school-kind registrations, approved) for every quota
    exceeded (a quota lowered after the registrations, say)."""
    from examsite.storage.models import School

    found: list[tuple[str, str, int, int]] = []
    for quota, school, cert in session.execute(
        select(Quota, School.name, Certificate)
        .join(School, School.id == Quota.school_id)
        .join(Certificate, Certificate.id == Quota.certificate_id)
    ):
        used = session.scalar(
            select(func.count())
            .select_from(Registration)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .join(ExamPlan, ExamPlan.id == Registration.plan_id)
            .where(
                Registration.kind == "school",
                Registration.certificate_id == cert.id,
                ExamPlan.year == quota.year,
                Candidate.school_id == quota.school_id,
            )
        )
        if used and used > quota.approved:
            title = certificate_title(cert.name, cert.level)
            found.append((school, title, int(used), quota.approved))
    return found
