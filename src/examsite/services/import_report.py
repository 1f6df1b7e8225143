"""The per-row error report of an import, as a workbook the class teacher can fix.

For an .xlsx/.xlsm source it is a copy of the user's own workbook (openpyxl, every sheet,
row and format kept) with a 错误说明 column added to the imported sheet: each row's
messages, the bad cells filled light red (errors) or yellow (warnings). For a .csv or .xls
source (or an .xlsx openpyxl cannot open) a fresh .xlsx holds the same rows, the ID, phone
and code columns as text. Fixing the cells and importing the report again works: its 错误说明
column is ignored as an extra column.

Every cell written goes through ``formats.workbook_writer``: a cell the teacher typed as
"=1+1" or "+86 138…" stays that text in the report and is never evaluated.
"""

from __future__ import annotations

import logging
from pathlib import Path

import defusedxml  # noqa: F401  (openpyxl parses with defusedxml when it is importable)
import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from examsite.domain.problems import Level
from examsite.errors import ExamsiteError
from examsite.formats.sheet_reader import MAX_ROWS, read_table
from examsite.formats.templates import REPORT_HEADER, candidate_template
from examsite.formats.workbook_writer import (
    check_output_path,
    new_workbook,
    put,
    put_row,
    save_atomically,
    with_xlsx_suffix,
)
from examsite.messages import PROBLEM_LEVEL_TITLES
from examsite.services.candidate_import import ImportProblem, ImportReport

log = logging.getLogger(__name__)

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
_FILLS = {Level.ERROR: ERROR_FILL, Level.WARNING: WARNING_FILL}
_RANK = {Level.ERROR: 0, Level.WARNING: 1, Level.NOTICE: 2}


def write_error_report(source_path: Path, report: ImportReport, out_path: Path) -> Path:
    """Write the report of ``report`` (the import of ``source_path``) to ``out_path``.

    Raises ``InputError`` for an output path that cannot be used (see
    ``workbook_writer.check_output_path``: never the source itself), ``ExamsiteError``
    when saving fails.
    """
    source_path, out_path = Path(source_path), with_xlsx_suffix(Path(out_path))
    check_output_path(out_path, source=source_path)
    copied = _load_copy(source_path) if report.format == "xlsx" else None
    if copied is not None and report.sheet_name in copied.sheetnames:
        workbook, sheet = copied, copied[report.sheet_name]
    else:
        workbook, sheet = _fresh_copy(source_path, report)
    _annotate(sheet, report)
    save_atomically(workbook, out_path)
    return out_path


def _load_copy(path: Path) -> openpyxl.Workbook | None:
    """The user's workbook as openpyxl reads it, or None when openpyxl cannot (a file
    calamine could read: the report then holds a fresh copy of the rows)."""
    if not openpyxl.DEFUSEDXML:  # never parse a user's XML without the guard
        raise ExamsiteError(
            "app.missing_component", component="defusedxml", purpose="无法安全读取 Excel 文件"
        )
    try:
        return openpyxl.load_workbook(path, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds for a file it cannot read
        log.info("openpyxl could not open %s, writing a fresh copy: %s", path, exc)
        return None


def _fresh_copy(path: Path, report: ImportReport) -> tuple[openpyxl.Workbook, Worksheet]:
    template = candidate_template(report.kind)
    table = read_table(path, template, max_rows=max(MAX_ROWS, report.rows))
    text_columns = {
        index + 1
        for index, name in table.header.fields.items()
        if name in template.by_field and template.by_field[name].text
    }
    workbook, sheet = new_workbook(table.sheet_name)
    header_row = table.header.row + 1
    for number, row in enumerate(table.rows, start=1):
        put_row(sheet, number, row, text_columns=text_columns if number > header_row else ())
    for index in range(1, sheet.max_column + 1):
        sheet.cell(header_row, index).font = Font(bold=True)
    return workbook, sheet


def _annotate(sheet: Worksheet, report: ImportReport) -> None:
    header_row = report.header_row
    column = _report_column(sheet, header_row)
    head = put(sheet, header_row, column, REPORT_HEADER)
    head.font = Font(bold=True, color="C00000")
    head.alignment = Alignment(horizontal="center", vertical="center")
    sheet.column_dimensions[head.column_letter].width = 60
    for row in range(header_row + 1, sheet.max_row + 1):  # a report of a report: clear it
        sheet.cell(row, column).value = None
    for row, problems in report.problems_by_row().items():
        if row <= header_row:
            continue
        problems.sort(key=lambda p: _RANK[p.level])
        for problem in problems:
            fill = _FILLS.get(problem.level)
            index = report.columns.get(problem.column or "")
            if fill is None or index is None:
                continue
            cell = sheet.cell(row, index)
            if cell.fill != ERROR_FILL:  # an error's red wins over a warning's yellow
                cell.fill = fill
        note = put(sheet, row, column, "\n".join(_line(p) for p in problems))
        note.alignment = Alignment(wrap_text=True, vertical="top")
        worst = _FILLS.get(problems[0].level)
        if worst is not None:
            note.fill = worst


def _report_column(sheet: Worksheet, header_row: int) -> int:
    """The existing 错误说明 column (the source is itself a report), else a new last one."""
    last = int(sheet.max_column)
    for index in range(1, last + 1):
        if sheet.cell(header_row, index).value == REPORT_HEADER:
            return index
    return last + 1


def _line(problem: ImportProblem) -> str:
    where = f"{problem.column.lstrip('*＊')}：" if problem.column else ""
    return f"【{PROBLEM_LEVEL_TITLES[problem.level]}】{where}{problem.message}"
