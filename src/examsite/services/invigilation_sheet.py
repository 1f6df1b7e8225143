"""Writing the invigilator sheet (``formats.staff_templates``) for a plan: one row per
invigilator per room session, in room-session order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl.styles import Alignment, Font
from sqlalchemy import select

from examsite.errors import InputError
from examsite.formats.templates import get_template
from examsite.formats.workbook_writer import (
    check_output_path,
    new_workbook,
    put_row,
    save_atomically,
    with_xlsx_suffix,
)
from examsite.services.invigilation import overview_in
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import Site

_TIME = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class WrittenSheet:
    path: Path
    rows: int


def write_invigilator_sheet(db: Database, plan_code: str, path: Path) -> WrittenSheet:
    """Write the plan's invigilator sheet to ``path`` (.xlsx); refuses a plan without
    any assignment."""
    path = check_output_path(with_xlsx_suffix(path))
    template = get_template("staff.invigilators")
    with db.read() as session:
        plan = find_plan(session, plan_code)
        overview = overview_in(session, plan)
        site = session.scalar(select(Site.name).order_by(Site.id)) or ""
    rows = [
        [
            overview.plan_code,
            site,
            row.room,
            f"{row.starts_at:{_TIME}}",
            f"{row.ends_at:{_TIME}}",
            person.name,
            person.phone,
            person.department,
        ]
        for row in overview.rows
        for person in row.invigilators
    ]
    if not rows:
        raise InputError("staff.sheet_empty", plan=plan_code)
    workbook, sheet = new_workbook(template.sheet_name)
    columns = len(template.columns)
    put_row(sheet, 1, [template.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    put_row(sheet, 2, [template.instructions])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    sheet.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 36
    put_row(sheet, 3, [c.title for c in template.columns])
    text_columns = [i for i, c in enumerate(template.columns, start=1) if c.text]
    for index, values in enumerate(rows, start=4):
        put_row(sheet, index, values, text_columns=text_columns)
    for i, column in enumerate(template.columns, start=1):
        sheet.column_dimensions[sheet.cell(3, i).column_letter].width = column.width
        sheet.cell(3, i).font = Font(bold=True)
    sheet.freeze_panes = "A4"
    return WrittenSheet(save_atomically(workbook, path), len(rows))
