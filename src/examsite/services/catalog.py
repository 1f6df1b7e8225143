"""The reference catalog: certifying organisations, certificates, subjects and exam plans.

The built-in catalog (``resources/catalog.json``) is loaded into an empty database; the
coordinator can import a corrected file with ``catalog import FILE``. Import is an upsert by
code, so running it twice changes nothing. The whole file is checked first
(``domain.catalog_check``): one bad entry and nothing is written. Each plan in the file gets
its exam sessions from its timetable (``services.sessions.sync_plan_sessions``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from examsite.domain.catalog_check import WINDOWS, CheckedCatalog, check_catalog
from examsite.domain.certificate_rules import InvigilatorRule, ScoringRule
from examsite.domain.problems import Problem, error
from examsite.errors import InputError
from examsite.resources import CATALOG, resource
from examsite.services.sessions import sync_plan_sessions
from examsite.storage.db import Database
from examsite.storage.models import Certificate, ExamPlan, Org, Subject


@dataclass(frozen=True)
class SubjectInfo:
    code: str
    name: str
    kind: str
    mode: str
    duration_minutes: int
    weight: float
    pass_mark: float


@dataclass(frozen=True)
class CertificateInfo:
    id: int
    code: str
    name: str
    level: str
    fee: int
    org_name: str
    majors: tuple[tuple[str, str], ...]
    subjects: tuple[SubjectInfo, ...]
    is_example: bool
    invigilator_rule: InvigilatorRule
    scoring_rule: ScoringRule


@dataclass(frozen=True)
class PlanInfo:
    id: int
    code: str
    name: str
    year: int
    org_name: str
    certificate_codes: tuple[str, ...]
    windows: tuple[tuple[str, dt.datetime, dt.datetime], ...]  # (window, start, end)

    def window(self, name: str) -> tuple[dt.datetime, dt.datetime]:
        for key, start, end in self.windows:
            if key == name:
                return start, end
        raise KeyError(name)


@dataclass(frozen=True)
class Catalog:
    certificates: tuple[CertificateInfo, ...]
    plans: tuple[PlanInfo, ...]


def builtin_catalog() -> dict[str, Any]:
    text = resource(CATALOG).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def ensure_catalog(db: Database) -> bool:
    """Load the built-in catalog when the database has none; True when it was loaded."""
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(Certificate)):
            return False
    import_catalog(db, builtin_catalog())
    return True


def import_catalog_file(db: Database, path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError("catalog.unreadable", file=path.name, reason=exc) from exc
    return import_catalog(db, data)


def import_catalog(db: Database, data: dict[str, Any]) -> dict[str, int]:
    """Upsert organisations, certificates (with subjects) and plans by code, and the plans'
    exam sessions; refuse the whole file when anything in it is wrong."""
    if not isinstance(data, dict) or data.get("format") != "examsite-catalog":
        raise InputError("catalog.not_a_catalog")
    checked = check_catalog(data)
    _refuse(list(checked.problems) + _too_long(data))
    try:
        with db.unit_of_work() as session:
            return _import(session, data, checked)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError("catalog.malformed", detail=repr(exc)) from exc
    except IntegrityError as exc:  # e.g. a new code for a certificate name and level held
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else ""
        raise InputError("catalog.conflict", detail=detail) from exc


#: Per section of the file, the model its entries become and the text fields that are
#: its columns (the subjects of a certificate under "subjects").
_COLUMNS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "orgs": (Org, ("code", "name", "short_name")),
    "certificates": (Certificate, ("code", "name", "level")),
    "subjects": (Subject, ("code", "name", "mode", "kind")),
    "plans": (ExamPlan, ("code", "name")),
}
_SECTION_TITLES = {"orgs": "机构", "certificates": "证书", "subjects": "科目", "plans": "考试计划"}


def _too_long(data: dict[str, Any]) -> list[Problem]:
    """A problem for each text longer than its column holds (PostgreSQL would refuse it
    half-way through the import, SQLite keep it whole)."""
    problems: list[Problem] = []

    def check(section: str, entry: Any, where: str = "") -> None:
        if not isinstance(entry, dict):
            return
        model, names = _COLUMNS[section]
        for name in names:
            value = entry.get(name)
            limit = model.__table__.c[name].type.length
            if isinstance(value, str) and len(value) > limit:
                problems.append(
                    error(
                        "catalog.field_too_long",
                        column=name,
                        where=where or f"{_SECTION_TITLES[section]} {entry.get('code', '')}",
                        field=name,
                        length=len(value),
                        limit=limit,
                    )
                )

    for section in ("orgs", "certificates", "plans"):
        entries = data.get(section)
        for entry in entries if isinstance(entries, list) else []:
            check(section, entry)
            subjects = entry.get("subjects") if isinstance(entry, dict) else None
            for subject in subjects if isinstance(subjects, list) else []:
                check("subjects", subject, f"证书 {entry.get('code', '')} 的科目")
    return problems


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise InputError("catalog.invalid", problems=problems, count=len(problems))


def _import(session: Session, data: dict[str, Any], checked: CheckedCatalog) -> dict[str, int]:
    orgs = {o["code"]: _upsert_org(session, o) for o in data.get("orgs", [])}
    _refuse(_unknown_references(session, data, orgs))  # raising rolls everything back
    certs = {
        c["code"]: _upsert_certificate(session, c, orgs, checked)
        for c in data.get("certificates", [])
    }
    plans = [_upsert_plan(session, p, orgs, certs) for p in data.get("plans", [])]
    session.flush()
    problems: list[Problem] = []
    created = 0
    for plan in plans:
        found, counts = sync_plan_sessions(session, plan, checked.timetables.get(plan.code, {}))
        problems.extend(found)
        created += counts.created
    _refuse(problems)
    return {
        "orgs": len(orgs),
        "certificates": len(certs),
        "plans": len(plans),
        "sessions_created": created,
    }


def _unknown_references(
    session: Session, data: dict[str, Any], orgs: dict[str, Org]
) -> list[Problem]:
    """Organisations and certificates the file names but neither it nor the database has."""
    problems: list[Problem] = []
    in_file = {c["code"] for c in data.get("certificates", [])}
    for cert in data.get("certificates", []):
        if cert["org"] not in orgs and _by_code(session, Org, cert["org"]) is None:
            problems.append(
                error(
                    "catalog.certificate_unknown_org",
                    column="org",
                    certificate=cert["code"],
                    org=cert["org"],
                )
            )
    for plan in data.get("plans", []):
        if plan["org"] not in orgs and _by_code(session, Org, plan["org"]) is None:
            problems.append(
                error("catalog.plan_unknown_org", column="org", plan=plan["code"], org=plan["org"])
            )
        for code in plan["certificates"]:
            if code not in in_file and _by_code(session, Certificate, code) is None:
                problems.append(
                    error(
                        "catalog.plan_unknown_certificate",
                        column="certificates",
                        plan=plan["code"],
                        certificate=code,
                    )
                )
    return problems


def _by_code(session: Session, model: Any, code: str) -> Any:
    return session.scalar(select(model).where(model.code == code))


def _upsert_org(session: Session, data: dict[str, Any]) -> Org:
    org = _by_code(session, Org, data["code"]) or Org(code=data["code"])
    org.name = data["name"]
    org.short_name = data.get("short_name", "")
    org.is_example = bool(data.get("is_example", False))
    session.add(org)
    return org


def _upsert_certificate(
    session: Session, data: dict[str, Any], orgs: dict[str, Org], checked: CheckedCatalog
) -> Certificate:
    cert = _by_code(session, Certificate, data["code"]) or Certificate(code=data["code"])
    cert.org = orgs.get(data["org"]) or _by_code(session, Org, data["org"])
    cert.name = data["name"]
    cert.level = data["level"]
    cert.fee = int(data["fee"])
    cert.majors = list(data.get("majors", []))
    cert.invigilator_rule, cert.scoring_rule = checked.rules[cert.code]
    cert.example_fields = list(data.get("example_fields", []))
    cert.is_example = bool(cert.example_fields)
    existing = {s.kind: s for s in cert.subjects}
    for s in data.get("subjects", []):
        subject = existing.get(s["kind"]) or Subject(kind=s["kind"])
        subject.code = s["code"]
        subject.name = s["name"]
        subject.mode = s["mode"]
        subject.duration_minutes = int(s["duration_minutes"])
        subject.weight = float(s.get("weight", 0))
        subject.pass_mark = float(s.get("pass_mark", 60))
        if subject not in cert.subjects:
            cert.subjects.append(subject)
    session.add(cert)
    session.flush()
    return cert


def _upsert_plan(
    session: Session, data: dict[str, Any], orgs: dict[str, Org], certs: dict[str, Certificate]
) -> ExamPlan:
    plan = _by_code(session, ExamPlan, data["code"]) or ExamPlan(code=data["code"])
    plan.org = orgs.get(data["org"]) or _by_code(session, Org, data["org"])
    plan.name = data["name"]
    plan.year = int(data["year"])
    for window in WINDOWS:
        start, end = (dt.datetime.fromisoformat(v) for v in data[window])
        setattr(plan, f"{window}_start", start)
        setattr(plan, f"{window}_end", end)
    plan.is_example = bool(data.get("example_fields"))
    plan.certificates = [
        certs.get(c) or _by_code(session, Certificate, c) for c in data["certificates"]
    ]
    session.add(plan)
    return plan


def load_catalog(db: Database) -> Catalog:
    """The catalog as plain values, certificates by code and plans by registration end."""
    with db.read() as session:
        certs = session.scalars(
            select(Certificate).order_by(Certificate.org_id, Certificate.code)
        ).all()
        plans = session.scalars(select(ExamPlan).order_by(ExamPlan.registration_end)).all()
        return Catalog(
            certificates=tuple(_cert_info(c) for c in certs),
            plans=tuple(plan_info(p) for p in plans),
        )


def _cert_info(cert: Certificate) -> CertificateInfo:
    return CertificateInfo(
        id=cert.id,
        code=cert.code,
        name=cert.name,
        level=cert.level,
        fee=cert.fee,
        org_name=cert.org.name,
        majors=tuple((m["code"], m["name"]) for m in cert.majors),
        subjects=tuple(
            SubjectInfo(s.code, s.name, s.kind, s.mode, s.duration_minutes, s.weight, s.pass_mark)
            for s in cert.subjects
        ),
        is_example=cert.is_example,
        invigilator_rule=cert.invigilator_rule,
        scoring_rule=cert.scoring_rule,
    )


def plan_info(plan: ExamPlan) -> PlanInfo:
    return PlanInfo(
        id=plan.id,
        code=plan.code,
        name=plan.name,
        year=plan.year,
        org_name=plan.org.name,
        certificate_codes=tuple(c.code for c in plan.certificates),
        windows=tuple((w, getattr(plan, f"{w}_start"), getattr(plan, f"{w}_end")) for w in WINDOWS),
    )
