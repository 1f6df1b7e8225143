"""Many data rows into a sheet openpyxl laid out, written as XML directly.

openpyxl spends about 40 µs a cell building and serialising element trees: 10,000
candidates (170,000 cells) take seconds, most of an upload package's time. The layout of a
filled template (title, instructions, headers, column widths, drop-downs, frozen panes,
styles) stays openpyxl's; only the data rows are written here, the same cells
``workbook_writer.write_value`` would make:

- a string is an inline string (``t="inlineStr"``, as openpyxl writes one), control
  characters removed and cut at Excel's limit (``safe_text``); one a spreadsheet would
  take for a formula (= + - @, a leading tab or CR) gets the quote-prefix style, so it is
  never evaluated;
- a text column (ID numbers, phones, codes) writes a number as its digits and carries the
  text format "@", empty cells too;
- an int or a finite float is a number; NaN and infinity are left empty.

``rows_fit`` says whether every value is one of these (str, int, float, None); the caller
falls back to openpyxl for anything else (dates, say), so both paths write the same file.

How the styles are found: openpyxl writes two probe rows at the first data row, one cell
of each column with a formula-like text and one with a plain text, each with its column's
text flag; their style ids are read from the XML and the probe rows are replaced by the
data.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from examsite.formats.workbook_writer import as_text, is_formula_like, put, safe_text

SHEET_XML: Final = "xl/worksheets/sheet1.xml"
PROBE_QUOTED: Final = "=probe"
PROBE_PLAIN: Final = "probe"
_ROW: Final = re.compile(r'<row r="(\d+)"[^>]*>(.*?)</row>', re.S)
_CELL: Final = re.compile(r'<c r="([A-Z]+)\d+"([^>]*)>')
_STYLE: Final = re.compile(r'\ss="(\d+)"')
_DIMENSION: Final = re.compile(r'<dimension ref="[^"]*"\s*/>')
_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def rows_fit(rows: Sequence[Sequence[object]]) -> bool:
    """Whether every value is one this module writes (str, int, float or None)."""
    return all(value is None or type(value) in (str, int, float) for row in rows for value in row)


def put_probes(sheet: Worksheet, first_row: int, text_columns: Sequence[bool]) -> None:
    """The two probe rows at ``first_row`` (see the module's text)."""
    for index, text in enumerate(text_columns, start=1):
        put(sheet, first_row, index, PROBE_QUOTED, text=text)
        put(sheet, first_row + 1, index, PROBE_PLAIN, text=text)


@dataclass(frozen=True)
class _Styles:
    """The style attribute (' s="N"' or "") of each column, plain and quote-prefixed."""

    plain: tuple[str, ...]
    quoted: tuple[str, ...]


def with_rows(
    workbook_bytes: bytes,
    first_row: int,
    text_columns: Sequence[bool],
    rows: Sequence[Sequence[object]],
) -> bytes:
    """``workbook_bytes`` (saved with ``put_probes`` at ``first_row``) with the probe rows
    replaced by ``rows``, as .xlsx bytes."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    xml = source.read(SHEET_XML).decode("utf-8")
    styles, start, end = _probe_styles(xml, first_row, len(text_columns))
    body = _rows_xml(rows, first_row, text_columns, styles)
    last_row = first_row + len(rows) - 1 if rows else first_row - 1
    xml = xml[:start] + body + xml[end:]
    xml = _DIMENSION.sub(
        f'<dimension ref="A1:{get_column_letter(len(text_columns))}{last_row}" />', xml, count=1
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml.encode("utf-8") if info.filename == SHEET_XML else source.read(info)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _probe_styles(xml: str, first_row: int, width: int) -> tuple[_Styles, int, int]:
    """The probe rows' styles, and where the two rows start and end in ``xml``."""
    found: dict[int, tuple[int, int, dict[str, str]]] = {}
    for match in _ROW.finditer(xml):
        number = int(match.group(1))
        if number in (first_row, first_row + 1):
            cells = {}
            for cell in _CELL.finditer(match.group(2)):
                style = _STYLE.search(cell.group(2))
                cells[cell.group(1)] = f' s="{style.group(1)}"' if style else ""
            found[number] = (match.start(), match.end(), cells)
    if set(found) != {first_row, first_row + 1}:
        raise ValueError("the probe rows are not in the sheet")
    letters = [get_column_letter(i) for i in range(1, width + 1)]
    quoted = tuple(found[first_row][2][letter] for letter in letters)
    plain = tuple(found[first_row + 1][2][letter] for letter in letters)
    return _Styles(plain, quoted), found[first_row][0], found[first_row + 1][1]


def _rows_xml(
    rows: Sequence[Sequence[object]],
    first_row: int,
    text_columns: Sequence[bool],
    styles: _Styles,
) -> str:
    letters = [get_column_letter(i) for i in range(1, len(text_columns) + 1)]
    columns = list(zip(letters, text_columns, styles.plain, styles.quoted, strict=True))
    parts: list[str] = []
    for number, values in enumerate(rows, start=first_row):
        parts.append(f'<row r="{number}">')
        for (letter, text, plain, quoted), value in zip(columns, values, strict=True):
            if text:
                value = as_text(value)
            if value is None or value == "":
                if text:
                    parts.append(f'<c r="{letter}{number}"{plain} />')
                continue
            if isinstance(value, str):
                value = safe_text(value)
                style = quoted if is_formula_like(value) else plain
                space = ' xml:space="preserve"' if value.strip() != value else ""
                parts.append(
                    f'<c r="{letter}{number}"{style} t="inlineStr"><is><t{space}>'
                    f"{value.translate(_ESCAPES)}</t></is></c>"
                )
            elif isinstance(value, float) and not math.isfinite(value):
                continue
            else:
                parts.append(f'<c r="{letter}{number}"{plain} t="n"><v>{value!r}</v></c>')
        parts.append("</row>")
    return "".join(parts)
