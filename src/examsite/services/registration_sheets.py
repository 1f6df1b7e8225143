"""The by-certificate registration sheet: import (both variants, 003 and 001), export and
the blank template.

An import reads the file with ``formats.sheet_reader`` (merged titles, header aliases,
full-width characters, .xlsx/.xls/.csv, unsaved formulas refused as the candidate import
does), turns each row into a ``RegisterRequest`` or a refusal naming its row, and hands the
requests to ``services.registration.register_in``: the same rules as the page and the CLI,
the registration window first (a row for a plan whose window is closed refuses the whole
file: nothing is written). Good rows are registered, bad rows reported row by row.

Decisions: a row whose 所属院校 is not the site's school is a 借考 candidate registered with
that school named (``home_school``); a 考核站点编号 or 考核站点 that is not this site's is a
warning (the coordinator may hold another site's sheet by mistake), not a refusal. 001's
example row (学校全称, 申请考核站点名称, 所报考计划名称 …) is skipped with a notice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.problems import Problem, error, notice, warning
from examsite.errors import InputError
from examsite.formats.registration_templates import (
    EXAMPLE_VALUES,
    REGISTRATION_001,
    REGISTRATION_003,
    REGISTRATION_READ,
)
from examsite.formats.sheet_reader import Table, read_table, refuse
from examsite.formats.template_workbook import write_template
from examsite.formats.templates import TemplateDef
from examsite.formats.workbook_writer import (
    as_text,
    check_output_path,
    new_workbook,
    put,
    save_atomically,
)
from examsite.messages import KIND_TITLES, LEVEL_TITLES
from examsite.services.backup import auto_backup
from examsite.services.candidate_import import refuse_unsaved_formulas
from examsite.services.disclosure import count_ids, record_full_ids
from examsite.services.plans import find_plan
from examsite.services.registration import (
    Refusal,
    RegisterRequest,
    RegisterResult,
    ensure_registration_open,
    register_in,
)
from examsite.services.registration_query import RegistrationRow, registrations_in
from examsite.services.retention import refuse_purged_in
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Certificate, ExamPlan, School, Site

VARIANTS = {"003": REGISTRATION_003, "001": REGISTRATION_001}
_LEVELS = {title: key for key, title in LEVEL_TITLES.items()}
_KINDS = {title: key for key, title in KIND_TITLES.items()}
_CERT_SUFFIX = "职业技能等级证书"


@dataclass(frozen=True)
class SheetImportResult:
    """What an import of a registration sheet did (or, dry, would do)."""

    source: str
    variant: str  # "003" / "001"
    rows: int  # rows read (the example row and empty rows left out)
    added: tuple[Any, ...]
    refused: tuple[Refusal, ...]
    warnings: tuple[Refusal, ...]
    notices: tuple[Problem, ...]
    dry_run: bool

    def as_dict(self) -> dict[str, Any]:
        from examsite.messages import render

        return {
            "source": self.source,
            "variant": self.variant,
            "rows": self.rows,
            "dry_run": self.dry_run,
            "added": [a.as_dict() for a in self.added],
            "refused": [r.as_dict() for r in self.refused],
            "warnings": [w.as_dict() for w in self.warnings],
            "notices": [{**p.to_plain(), "message": render(p)} for p in self.notices],
        }


def _text(value: object) -> str:
    text = as_text(value)
    return unicodedata.normalize("NFKC", text).strip() if text else ""


def variant_of(table: Table) -> str:
    headers = table.header.headers
    if "certificate_code" in headers or "site_code" in headers:
        return "003"
    return "001" if {"school", "site_name", "plan_name"} & set(headers) else "003"


def import_registration_sheet(
    db: Database,
    path: Path,
    *,
    plan_code: str | None = None,
    dry_run: bool = False,
    as_social: bool = False,
) -> SheetImportResult:
    """Import the registrations of ``path``. Raises ``InputError`` for a file refused as a
    whole, or when the registration window of a plan it names is closed."""
    path = Path(path)
    table = read_table(path, REGISTRATION_READ)
    if table.header.missing:
        names = "、".join(REGISTRATION_READ.by_field[f].header for f in table.header.missing)
        raise refuse("import.missing_columns", file=path.name, columns=names)
    refuse_unsaved_formulas(path, REGISTRATION_READ, table)
    if not dry_run:
        auto_backup(db, "import")  # what the import changes can be taken back
    opener = db.read if dry_run else db.unit_of_work
    with opener() as session:
        return _import_in(session, path, table, plan_code, dry_run, as_social)


@dataclass
class _Lookup:
    plan: ExamPlan | None
    plans_by_name: dict[str, ExamPlan]
    open_plans: list[ExamPlan]
    by_code: dict[str, Certificate]
    by_name: dict[tuple[str, str], Certificate]
    site: Site | None
    school_name: str


def _lookup(session: Session, plan_code: str | None) -> _Lookup:
    plan = find_plan(session, plan_code) if plan_code else None
    plans = list(session.scalars(select(ExamPlan)))
    now = clock.now()
    certs = list(session.scalars(select(Certificate)))
    site = session.scalars(select(Site).order_by(Site.id)).first()
    school = session.get(School, site.school_id) if site else None
    return _Lookup(
        plan,
        {_text(p.name): p for p in plans},
        [p for p in plans if p.registration_start <= now <= p.registration_end],
        {c.code: c for c in certs},
        {(_text(c.name), c.level): c for c in certs},
        site,
        school.name if school else "",
    )


def _import_in(
    session: Session,
    path: Path,
    table: Table,
    plan_code: str | None,
    dry_run: bool,
    as_social: bool,
) -> SheetImportResult:
    lookup = _lookup(session, plan_code)
    header = table.header
    fields = sorted(header.fields.items())
    notices: list[Problem] = []
    refused: list[Refusal] = []
    by_plan: dict[int, tuple[ExamPlan, list[RegisterRequest]]] = {}
    read = 0
    for index, cells in enumerate(table.rows[header.row + 1 :]):
        row = header.row + 2 + index
        values = {name: _text(cells[col]) for col, name in fields if col < len(cells)}
        if not any(values.values()):
            continue
        if sum(1 for v in values.values() if v in EXAMPLE_VALUES) >= 2:
            notices.append(notice("registration.sheet_example_row", row=row))
            continue
        read += 1
        outcome = _request(values, row, lookup)
        if isinstance(outcome, Refusal):
            refused.append(outcome)
            continue
        plan, request, warned = outcome
        notices.extend(warned)
        by_plan.setdefault(plan.id, (plan, []))[1].append(request)
    if not read:
        notices.append(warning("registration.sheet_no_rows"))
    for plan, _requests in by_plan.values():
        ensure_registration_open(plan)
    added: list[Any] = []
    warnings: list[Refusal] = []
    for plan, requests in by_plan.values():
        result: RegisterResult = register_in(
            session, plan, requests, as_social=as_social, source="sheet", write=not dry_run
        )
        added += result.added
        refused += result.refused
        warnings += result.warnings
    refused.sort(key=lambda r: r.row or 0)
    return SheetImportResult(
        path.name,
        variant_of(table),
        read,
        tuple(added),
        tuple(refused),
        tuple(warnings),
        tuple(notices),
        dry_run,
    )


def _request(
    values: dict[str, str], row: int, lookup: _Lookup
) -> Refusal | tuple[ExamPlan, RegisterRequest, list[Problem]]:
    id_number = values.get("id_number", "").replace(" ", "").upper()
    name = values.get("name", "")

    def refused(problem: Problem) -> Refusal:
        return Refusal(id_number, name, values.get("certificate_code", ""), (problem,), row)

    if not id_number:
        return refused(error("registration.sheet_no_identity", row=row))
    cert = _certificate(values, lookup)
    if isinstance(cert, Problem):
        return refused(cert)
    kind_text = values.get("kind", "")
    kind = _KINDS.get(kind_text) if kind_text else None
    if kind_text and kind is None:
        return refused(error("registration.sheet_bad_kind", given=kind_text))
    plan = _plan(values, cert, lookup)
    if isinstance(plan, Problem):
        return refused(plan)
    warned: list[Problem] = []
    site = lookup.site
    given_code, given_site = values.get("site_code", ""), values.get("site_name", "")
    if site is not None and (
        (given_code and site.code and given_code != site.code)
        or (given_site and given_site != _text(site.name))
    ):
        warned.append(
            warning(
                "registration.sheet_other_site",
                row=row,
                given=given_code or given_site,
                site=site.name,
            )
        )
    school = values.get("school", "")
    home = school if school and school != _text(lookup.school_name) else ""
    request = RegisterRequest(id_number, cert.code, kind, home, row, name or None)
    return plan, request, warned


def _certificate(values: dict[str, str], lookup: _Lookup) -> Certificate | Problem:
    code = values.get("certificate_code", "")
    level_text = values.get("level", "")
    level = _LEVELS.get(level_text, level_text)
    if code:
        cert = lookup.by_code.get(code)
        if cert is None:
            return error(
                "registration.sheet_unknown_certificate", certificate=code, grade=level_text
            )
        if level_text and level != cert.level:
            return error(
                "registration.sheet_level_mismatch",
                given=level_text,
                certificate=code,
                grade=LEVEL_TITLES.get(cert.level, cert.level),
            )
        return cert
    name = values.get("certificate_name", "")
    if not name or not level_text:
        return error("registration.sheet_no_certificate")
    for candidate in (name, name + _CERT_SUFFIX):
        cert = lookup.by_name.get((candidate, level))
        if cert is not None:
            return cert
    return error("registration.sheet_unknown_certificate", certificate=name, grade=level_text)


def _plan(values: dict[str, str], cert: Certificate, lookup: _Lookup) -> ExamPlan | Problem:
    if lookup.plan is not None:
        return lookup.plan
    name = values.get("plan_name", "")
    if name:
        plan = lookup.plans_by_name.get(name)
        return plan if plan is not None else error("registration.sheet_unknown_plan", plan=name)
    fitting = [p for p in lookup.open_plans if cert.id in {c.id for c in p.certificates}]
    if len(fitting) == 1:
        return fitting[0]
    return error("registration.sheet_no_plan")


# --- writing ---------------------------------------------------------------------------


def write_registration_template(path: Path, variant: str = "003") -> Path:
    """The blank sheet of ``variant`` ("003" or "001"; 001's with its example row)."""
    definition = _variant(variant)
    path = check_output_path(Path(path))
    write_template(definition, path)
    if variant == "001":
        workbook = load_workbook(path)
        sheet = workbook[definition.sheet_name]
        for at, column in enumerate(definition.columns, start=1):
            if column.example:
                put(sheet, 4, at, column.example, text=column.text)
        save_atomically(workbook, path)
    return path


def _variant(variant: str) -> TemplateDef:
    try:
        return VARIANTS[variant]
    except KeyError:
        raise InputError("registration.unknown_variant", variant=variant) from None


def registration_values_in(
    session: Session, plan: ExamPlan
) -> list[tuple[RegistrationRow, dict[str, str]]]:
    """Each registration of ``plan`` with its values by template field (both variants'
    fields): what a row of the by-certificate sheet says."""
    rows = registrations_in(session, plan)
    site = session.scalars(select(Site).order_by(Site.id)).first()
    school = session.get(School, site.school_id) if site else None
    site_code, site_name = (site.code, site.name) if site else ("", "")
    school_name = school.name if school else ""
    schools = dict(
        session.execute(
            select(Candidate.id_number, School.name).join(School, School.id == Candidate.school_id)
        ).all()
    )
    return [
        (
            row,
            {
                "name": row.name,
                "id_number": row.id_number,
                "kind": KIND_TITLES.get(row.kind, row.kind),
                "certificate_code": row.certificate_code,
                "certificate_name": row.certificate_name,
                "level": LEVEL_TITLES.get(row.level, row.level),
                "site_code": site_code,
                "school": row.home_school or schools.get(row.id_number) or school_name,
                "site_name": site_name,
                "plan_name": plan.name,
            },
        )
        for row in rows
    ]


def export_registrations(db: Database, plan_code: str, path: Path, variant: str = "003") -> int:
    """Write the registrations of a plan as the platform's sheet; returns how many rows."""
    definition = _variant(variant)
    path = check_output_path(Path(path))
    with db.read() as session:
        refuse_purged_in(session, find_plan(session, plan_code).code)  # a purged round
        rows = registration_values_in(session, find_plan(session, plan_code))
    workbook, sheet = new_workbook(definition.sheet_name)
    put(sheet, 1, 1, definition.title)
    put(sheet, 2, 1, definition.instructions)
    for at, column in enumerate(definition.columns, start=1):
        put(sheet, 3, at, column.title)
    for number, (_row, values) in enumerate(rows, start=4):
        for at, column in enumerate(definition.columns, start=1):
            put(sheet, number, at, values.get(column.field, ""), text=column.text)
    save_atomically(workbook, path)
    ids = (str(values.get("id_number", "")) for _row, values in rows)
    record_full_ids(db, "export", "registration_sheet", path, count_ids(ids))
    return len(rows)
