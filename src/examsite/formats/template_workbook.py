"""Writing a blank template from its ``TemplateDef``, and saving workbooks atomically.

The blank template is what the class teacher fills: a title row, an instructions row, the
header row (frozen), drop-downs on the closed columns and the ID / phone / code columns
formatted as text for the first ``data_rows`` rows, so that Excel keeps all 18 digits; a
second sheet lists every column's rule.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from examsite.errors import ExamsiteError
from examsite.formats.templates import TEMPLATES, TemplateDef, candidate_template

TEXT_FORMAT = "@"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_ROW, INSTRUCTIONS_ROW, HEADER_ROW = 1, 2, 3


def resolve_template(template: TemplateDef | str) -> TemplateDef:
    """A ``TemplateDef`` from itself, a registry key or a candidate kind."""
    if isinstance(template, TemplateDef):
        return template
    if template in TEMPLATES:
        return TEMPLATES[template]
    return candidate_template(template)


def write_template(template: TemplateDef | str, path: Path) -> Path:
    """Write the blank template (``"school"``, ``"social"`` or any registry entry) to
    ``path`` atomically; returns the path."""
    definition = resolve_template(template)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = definition.sheet_name
    _fill_data_sheet(sheet, definition)
    _fill_help_sheet(workbook.create_sheet(definition.help_sheet), definition)
    save_atomically(workbook, Path(path))
    return Path(path)


def _fill_data_sheet(sheet: Worksheet, definition: TemplateDef) -> None:
    width = len(definition.columns)
    last = get_column_letter(width)
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    title = sheet.cell(TITLE_ROW, 1, definition.title)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 30

    sheet.merge_cells(f"A{INSTRUCTIONS_ROW}:{last}{INSTRUCTIONS_ROW}")
    note = sheet.cell(INSTRUCTIONS_ROW, 1, definition.instructions)
    note.font = Font(size=10, color="C00000")
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[INSTRUCTIONS_ROW].height = 96

    first, end = HEADER_ROW + 1, HEADER_ROW + definition.data_rows
    for index, column in enumerate(definition.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(HEADER_ROW, index, column.title)
        cell.font = REQUIRED_FONT if column.required else Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            # The column style covers rows typed beyond the prepared ones; the cells
            # themselves carry it too, since Excel applies a column style only to new cells.
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            for row in range(first, end + 1):
                sheet.cell(row, index).number_format = TEXT_FORMAT
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{column.header}填写有误",
                error="请从下拉列表中选择：" + "、".join(column.choices),
                showInputMessage=True,
                promptTitle=column.header,
                prompt="请从下拉列表中选择",
            )
            validation.add(f"{letter}{first}:{letter}{end}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[HEADER_ROW].height = 22
    sheet.freeze_panes = f"A{first}"


def _fill_help_sheet(sheet: Worksheet, definition: TemplateDef) -> None:
    headers = ("列名", "是否必填", "填写要求", "可选值", "示例")
    widths = (16, 10, 70, 36, 22)
    for index, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(1, index, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row, column in enumerate(definition.columns, start=2):
        values = (
            column.title,
            "必填" if column.required else "选填",
            column.rule,
            "、".join(column.choices),
            column.example,
        )
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row, index, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = BORDER
            if index == 5:
                cell.number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"


def save_atomically(workbook: Workbook, path: Path) -> None:
    """Save to a temporary file beside ``path`` and rename it over ``path``: a crash or a
    full disk never leaves half a file under the real name."""
    path = Path(path)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent or Path(".")
        )
        os.close(handle)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        workbook.save(temp_name)
        # mkstemp makes the file private (0600); a saved workbook gets the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)
        os.replace(temp_name, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)


def _cannot_write(path: Path, exc: OSError) -> ExamsiteError:
    reason = exc.strerror or type(exc).__name__
    return ExamsiteError("import.cannot_write", file=str(path), reason=reason)
