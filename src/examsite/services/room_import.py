"""The platform's room sheet (003, 批量导入考场表): the blank template, the import of a filled
one, and the export of a plan's rooms in the same layout.

The import reads any sheet close to the template (``formats.sheet_reader``), checks every
row and reports each problem with its row in Chinese. It is all or nothing: one row with an
error and nothing is written. A row names its room by plan + certificate + room name; a
room already there is updated (seats, address), a new one is added. 考场类型 is derived
from the certificate's subjects, whatever the sheet says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice
from examsite.errors import InputError
from examsite.formats.sheet_reader import read_table
from examsite.formats.template_workbook import write_template
from examsite.formats.templates import TemplateDef, column_title, get_template
from examsite.formats.workbook_writer import new_workbook, put, put_row, save_atomically
from examsite.messages import LEVEL_TITLES
from examsite.services.audit import record
from examsite.services.backup import auto_backup
from examsite.services.plans import find_plan
from examsite.services.rooms import (
    ACTOR,
    RoomForm,
    add_room_in,
    certificate_room_type,
    check_capacity_in,
    clean_form,
    form_problems,
    locked,
    plain_room,
    site_for,
)
from examsite.services.sessions import ensure_room_sessions
from examsite.storage.db import Database
from examsite.storage.models import Certificate, ExamPlan, Room, Site

TEMPLATE_KEY = "rooms.platform"
LEVEL_KEYS = {title: key for key, title in LEVEL_TITLES.items()}


def room_sheet() -> TemplateDef:
    return get_template(TEMPLATE_KEY)


@dataclass(frozen=True)
class RoomImportReport:
    file: str
    rows: int
    created: int
    updated: int
    problems: tuple[Problem, ...]  # notices only: an error refuses the whole file

    def plain(self) -> dict[str, Any]:
        from examsite.messages import render

        return {
            "file": self.file,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "problems": [{**p.to_plain(), "message": render(p)} for p in self.problems],
        }


@dataclass
class _Row:
    excel_row: int
    values: dict[str, str]


def write_room_template(path: Path) -> Path:
    """The blank room sheet."""
    return write_template(room_sheet(), path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).replace("\u3000", " ").split())


def import_rooms(db: Database, path: Path, *, dry_run: bool = False) -> RoomImportReport:
    """Read the room sheet at ``path`` and add or update its rooms; refuse the whole file
    (``InputError`` with a problem per row) when any row is wrong."""
    template = room_sheet()
    table = read_table(Path(path), template)
    header = table.header
    missing = [f for f in ("plan_code", "name", "seats") if header.column_of(f) is None]
    if missing:
        titles = "、".join(template.by_field[f].header for f in missing)
        raise InputError("rooms.import_missing_columns", file=Path(path).name, columns=titles)
    rows = []
    for index in range(header.row + 1, len(table.rows)):
        cells = table.rows[index]
        values = {
            name: _text(cells[at]) if at < len(cells) else "" for at, name in header.fields.items()
        }
        if any(values.values()):
            rows.append(_Row(table.excel_row(index), values))
    if not rows:
        raise InputError("rooms.import_empty", file=Path(path).name)
    if not dry_run:
        auto_backup(db, "import")  # what the import changes can be taken back
    with db.unit_of_work() as session:
        problems, created, updated = _apply(session, template, header.headers, rows)
        errors = [p for p in problems if p.is_error]
        if errors:
            raise InputError(
                "rooms.import_refused",
                problems=problems,
                file=Path(path).name,
                count=len(errors),
                rows=len({p.row for p in errors}),
            )
        report = RoomImportReport(Path(path).name, len(rows), created, updated, tuple(problems))
        if dry_run:
            session.rollback()
        return report


def _apply(
    session: Session, template: TemplateDef, headers: Any, rows: list[_Row]
) -> tuple[list[Problem], int, int]:
    def column(field: str) -> str:
        return column_title(headers.get(field) or template.by_field[field].header)

    problems: list[Problem] = []
    seen: dict[tuple[int, int, str], int] = {}
    created = updated = 0
    plans: dict[str, ExamPlan | None] = {}
    touched: set[int] = set()
    for row in rows:
        v = row.values
        found: list[Problem] = []
        for field in ("plan_code", "name", "seats", "province", "city", "district", "address"):
            if not v.get(field):
                found.append(
                    error("rooms.import_cell_empty", row=row.excel_row, column=column(field))
                )
        code = v.get("plan_code", "")
        if code and code not in plans:
            plans[code] = session.scalar(select(ExamPlan).where(ExamPlan.code == code))
        plan = plans.get(code)
        if code and plan is None:
            found.append(
                error(
                    "rooms.import_unknown_plan",
                    row=row.excel_row,
                    column=column("plan_code"),
                    plan=code,
                )
            )
        if plan is not None and locked(plan):
            found.append(
                error(
                    "rooms.import_plan_locked",
                    row=row.excel_row,
                    column=column("plan_code"),
                    plan=plan.name,
                )
            )
        cert = _certificate(plan, v) if plan is not None else None
        if plan is not None and cert is None:
            found.append(
                error(
                    "rooms.import_unknown_certificate",
                    row=row.excel_row,
                    column=column("certificate_code"),
                    certificate=v.get("certificate_code") or v.get("certificate_name", ""),
                    plan=plan.name,
                )
            )
        seats = _int(v.get("seats", ""))
        if v.get("seats") and seats is None:
            found.append(
                error(
                    "rooms.import_bad_number",
                    row=row.excel_row,
                    column=column("seats"),
                    value=v["seats"],
                )
            )
        form = clean_form(
            RoomForm(
                name=v.get("name", ""),
                seats=seats or 0,
                province=v.get("province", ""),
                city=v.get("city", ""),
                district=v.get("district", ""),
                address=v.get("address", ""),
            )
        )
        if form.name and seats is not None:
            for p in form_problems(form):
                found.append(
                    error(p.code, row=row.excel_row, column=column(p.column or "name"), **p.params)
                )
        if found or plan is None or cert is None:
            problems.extend(found)
            continue
        key = (plan.id, cert.id, form.name)
        if key in seen:
            problems.append(
                error(
                    "rooms.import_duplicate",
                    row=row.excel_row,
                    column=column("name"),
                    name=form.name,
                    first=seen[key],
                )
            )
            continue
        seen[key] = row.excel_row
        if any(p.is_error for p in problems):  # an earlier row failed: write nothing
            continue
        given_type = v.get("room_type", "")
        derived = certificate_room_type(cert)
        if given_type and given_type.replace("，", ",") != derived:
            problems.append(
                notice(
                    "rooms.import_type_derived",
                    row=row.excel_row,
                    column=column("room_type"),
                    given=given_type,
                    derived=derived,
                )
            )
        existing = _existing(session, plan, cert, form.name)
        if existing is None:
            add_room_in(session, plan, cert, form, make_sessions=False)
            created += 1
        else:
            before = plain_room(existing)
            for name in ("seats", "province", "city", "district", "address"):
                setattr(existing, name, getattr(form, name))
            existing.room_type = derived
            if plain_room(existing) != before:
                record(session, "update", "room", existing.uid, before, plain_room(existing), ACTOR)
                updated += 1
        touched.add(plan.id)
    for plan_id in touched:
        ensure_room_sessions(session, plan_id)
    return problems, created, updated


def _existing(session: Session, plan: ExamPlan, cert: Certificate, name: str) -> Room | None:
    site = site_for(session, cert)
    return session.scalar(
        select(Room).where(
            Room.plan_id == plan.id,
            Room.site_id == site.id,
            Room.certificate_id == cert.id,
            Room.name == name,
        )
    )


def _certificate(plan: ExamPlan, values: dict[str, str]) -> Certificate | None:
    code = values.get("certificate_code", "")
    for cert in plan.certificates:
        if code and cert.code == code:
            return cert
    if code:
        return None
    name, level = values.get("certificate_name", ""), values.get("level", "")
    level = LEVEL_KEYS.get(level, level)
    matches = [
        c
        for c in plan.certificates
        if name and (c.name == name or name.startswith(c.name)) and (not level or c.level == level)
    ]
    return matches[0] if len(matches) == 1 else None


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


# --- export ----------------------------------------------------------------------------


def export_rooms(db: Database, plan_code: str, path: Path, *, planned: bool = False) -> int:
    """Write the plan's rooms as the platform's room sheet; returns the rooms written.

    考位数 is each room's physical seats; with ``planned`` it is the candidates the room is
    planned to hold (the suggested split, the largest over the certificate's sessions), as
    000 and 001 ask when several rooms share a certificate's candidates (90 in 2 rooms:
    45 and 45). A room with nobody planned keeps its seats."""
    template = room_sheet()
    with db.read() as session:
        plan = find_plan(session, plan_code)
        share: dict[tuple[str, str], int] = {}
        if planned:
            for check in check_capacity_in(session, plan):
                for name, count in zip(check.rooms, check.split, strict=True):
                    key = (check.certificate_code, name)
                    share[key] = max(share.get(key, 0), count)
        rows = []
        for room, cert, site in session.execute(
            select(Room, Certificate, Site)
            .join(Certificate, Certificate.id == Room.certificate_id)
            .join(Site, Site.id == Room.site_id)
            .where(Room.plan_id == plan.id)
            .order_by(Certificate.code, Room.name)
        ):
            rows.append(
                (
                    plan.code,
                    plan.name,
                    site.code,
                    site.name,
                    room.name,
                    share.get((cert.code, room.name)) or room.seats,
                    room.province,
                    room.city,
                    room.district,
                    room.address,
                    cert.code,
                    cert.name,
                    LEVEL_TITLES.get(cert.level, cert.level),
                    ",".join(s.name for s in cert.subjects),
                    room.room_type,
                )
            )
    workbook, sheet = new_workbook(template.sheet_name)
    width = len(template.columns)
    sheet.merge_cells(f"A1:{get_column_letter(width)}1")
    put(sheet, 1, 1, template.title).font = Font(bold=True, size=14)
    sheet.merge_cells(f"A2:{get_column_letter(width)}2")
    note = put(sheet, 2, 1, template.instructions)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 60
    text_columns = {i for i, c in enumerate(template.columns, start=1) if c.text}
    for index, col in enumerate(template.columns, start=1):
        cell = put(sheet, 3, index, col.title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(index)].width = col.width
    for at, values in enumerate(rows, start=4):
        put_row(sheet, at, values, text_columns=text_columns)
    sheet.freeze_panes = "A4"
    save_atomically(workbook, Path(path))
    return len(rows)
