"""The fast row writer (formats.sheet_rows) writes the cells openpyxl would."""

from __future__ import annotations

import io
import random

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from examsite.formats import sheet_rows
from examsite.formats.template_workbook import filled_template
from examsite.formats.templates import CANDIDATE_SCHOOL

# Every kind of value the upload sheets hold, and the nasty ones: formula-like text, a
# leading or trailing space, markup characters, control characters, NaN, leading zeros.
VALUES: list[object] = [
    "张三", " lead", "trail ", "=1+1", "+86", "-5", "@x", "\tTab", "a&b<c>", "x\x01y",
    "", None, 13800138000, 2022, 85.5, float("nan"), "0123", "11010119900307001X",
    "#N/A", "a\nb", "x" * 40_000,
]  # fmt: skip


def _cells(data: bytes) -> list[list[tuple[object, str, bool, str]]]:
    """Each cell's value, number format, quote prefix and type (an empty cell has none:
    the fast path writes a styled empty cell, openpyxl an empty inline string)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [
        [
            (c.value, c.number_format, bool(c.quotePrefix), "" if c.value is None else c.data_type)
            for c in row
        ]
        for row in sheet.iter_rows()
    ]


def test_fast_rows_equal_openpyxl_cell_by_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    width = len(CANDIDATE_SCHOOL.columns)
    rows = [[rng.choice(VALUES) for _ in range(width)] for _ in range(200)]
    fast = filled_template(CANDIDATE_SCHOOL, rows)
    monkeypatch.setattr(sheet_rows, "rows_fit", lambda rows: False)
    slow = filled_template(CANDIDATE_SCHOOL, rows)
    assert _cells(fast) == _cells(slow)

    def calamine(data: bytes) -> list[list[object]]:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)

    assert calamine(fast) == calamine(slow)
    fast_sheet = openpyxl.load_workbook(io.BytesIO(fast)).active
    assert fast_sheet is not None
    assert fast_sheet.dimensions == f"A1:J{3 + len(rows)}"
    assert fast_sheet.freeze_panes == "A4"


def test_other_values_take_the_openpyxl_path() -> None:
    import datetime as dt

    assert sheet_rows.rows_fit([["a", 1, 2.5, None]])
    assert not sheet_rows.rows_fit([["a", dt.date(2026, 1, 1)]])
    assert not sheet_rows.rows_fit([[True]])
    width = len(CANDIDATE_SCHOOL.columns)
    data = filled_template(CANDIDATE_SCHOOL, [[dt.date(2026, 1, 1)] + [""] * (width - 1)])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None and sheet.cell(4, 1).value == dt.datetime(2026, 1, 1)
