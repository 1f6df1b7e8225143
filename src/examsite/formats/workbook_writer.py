"""The one way the program writes spreadsheets: blank templates, error reports, exports.

Every cell goes through ``put`` (or ``write_value``), which never turns data into a
formula. openpyxl makes any string that starts with "=" a formula and "#N/A" an error
value; a spreadsheet program evaluates "+", "-" and "@" too when the cell is edited, and a
file saved as CSV from it carries the formula on (CSV injection, which also rides on a
leading tab or carriage return). Such a string is written as a text cell (``t="s"``) with
the "quote prefix" style, the flag Excel and LibreOffice set when a user types a leading
apostrophe: the cell shows exactly the text, is not evaluated, and stays text when edited.
The apostrophe is not part of the value, so nothing "'=..." appears to the user.

Columns that hold digits as text (ID numbers, phones, codes) are written with ``text=True``:
a number becomes its digits as a string and the cell is formatted "@", so that Excel never
shows 1.10105E+17 and never drops a leading 0.

Also here: a valid sheet title from any name, the check of an output path before any work
is done, and the atomic save (temporary file beside the target, then rename).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import tempfile
from collections.abc import Collection, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from examsite.errors import InputError
from examsite.formats.atomic import atomic_path
from examsite.formats.file_errors import cannot_write, os_reason

TEXT_FORMAT: Final[str] = "@"
MAX_CELL_CHARS: Final[int] = 32_767  # Excel's limit for the text of one cell
MAX_SHEET_TITLE: Final[int] = 31
# What a spreadsheet program may take for the start of a formula (or of a CSV injection).
FORMULA_STARTS: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")
# Strings openpyxl would store as an error value rather than as text.
_ERROR_VALUES: Final[frozenset[str]] = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
)
# Control characters an .xlsx cannot hold (openpyxl raises on them); tab, LF and CR stay.
_ILLEGAL: Final[re.Pattern[str]] = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_TITLE: Final[re.Pattern[str]] = re.compile(r"[\[\]:*?/\\]")
_TRUNCATED: Final[str] = "…"


def as_text(value: object) -> str | None:
    """A cell value as the text a text column shows: 110101200001011234 (an int, or a
    whole float) → "110101200001011234", a date → "2020-09-01"; None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def safe_text(text: str) -> str:
    """``text`` as an .xlsx cell can hold it: control characters removed, at most
    ``MAX_CELL_CHARS`` characters (a longer text ends with "…")."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(_TRUNCATED)] + _TRUNCATED
    return text


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS)


def write_value(cell: Cell, value: Any, *, text: bool = False) -> Cell:
    """Set ``cell`` to ``value`` as data, never as a formula (see the module's text).

    ``text`` writes a number as its digits and formats the cell as text.
    """
    if text:
        value = as_text(value)
        cell.number_format = TEXT_FORMAT
    if isinstance(value, str):
        value = safe_text(value)
        cell.value = value
        if cell.data_type != "s":  # "=..." became a formula, "#N/A" an error value
            cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
        return cell
    if isinstance(value, float) and not math.isfinite(value):
        value = None  # NaN and infinity have no cell value in a workbook
    elif value is not None and not isinstance(value, int | float | date):
        value = safe_text(str(value))
        cell.value = value
        cell.data_type = "s"
        return cell
    cell.value = value
    return cell


def put(sheet: Worksheet, row: int, column: int, value: Any, *, text: bool = False) -> Cell:
    """Write ``value`` into ``sheet`` at ``row``, ``column`` (1-based) as data."""
    return write_value(sheet.cell(row, column), value, text=text)


def put_row(
    sheet: Worksheet,
    row: int,
    values: Iterable[Any],
    *,
    text_columns: Collection[int] = (),
) -> None:
    """Write ``values`` from column 1 of ``row``; the 1-based ``text_columns`` as text."""
    for column, value in enumerate(values, start=1):
        if value is None and column not in text_columns:
            continue
        put(sheet, row, column, value, text=column in text_columns)


def safe_sheet_title(name: str | None, fallback: str = "Sheet1") -> str:
    """A sheet title Excel accepts, from any name (a CSV file's, say): ``[ ] : * ? / \\``
    become "_", no apostrophe at either end, at most 31 characters, never empty and never
    "History" (a name Excel keeps for itself)."""
    title = _BAD_TITLE.sub("_", safe_text(name or "")).strip().strip("'").strip()
    title = title[:MAX_SHEET_TITLE].rstrip().rstrip("'")
    if not title:
        return fallback
    if title.lower() == "history":
        title = f"{title}_"
    return title


def new_workbook(title: str | None = None) -> tuple[Workbook, Worksheet]:
    """A new workbook and its one sheet, titled with ``safe_sheet_title(title)``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = safe_sheet_title(title)
    return workbook, sheet


def with_xlsx_suffix(path: Path) -> Path:
    """``path``, with ".xlsx" added when its name has no extension at all (a save dialog
    may hand one back so)."""
    path = Path(path)
    return path if path.suffix or not path.name else path.with_name(path.name + ".xlsx")


def check_output_path(
    path: Path, *, source: Path | None = None, suffixes: tuple[str, ...] = (".xlsx",)
) -> Path:
    """Check, before any work is done, that a workbook can be saved at ``path``: an
    existing folder, a name ending in one of ``suffixes``, not a folder, not the ``source``
    file being read, writable. Raises ``InputError``; returns ``path``."""
    path = Path(path)
    if path.is_dir():
        raise InputError("import.report_is_folder", file=str(path))
    if path.suffix.lower() not in suffixes:
        raise InputError("import.report_wrong_type", file=path.name)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("import.report_folder_missing", folder=str(folder))
    if source is not None and _same_file(path, Path(source)):
        raise InputError("import.report_overwrites_source", file=Path(source).name)
    try:
        if path.exists():
            # Opening for update changes nothing, and fails where Excel holds the file.
            with path.open("r+b"):
                pass
        handle, probe = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(
            "import.report_not_writable", file=str(path), reason=os_reason(exc)
        ) from exc
    return path


def _same_file(one: Path, other: Path) -> bool:
    with contextlib.suppress(OSError):
        if one.exists() and other.exists():
            return os.path.samefile(one, other)
    with contextlib.suppress(OSError):
        a, b = one.resolve(), other.resolve()
        return os.path.normcase(a) == os.path.normcase(b)
    return False


def save_atomically(workbook: Workbook, path: Path) -> Path:
    """Save to a temporary file beside ``path`` and rename it over ``path``
    (``formats.atomic``): a crash or a full disk never leaves half a file under the real
    name. Raises ``ExamsiteError`` (``import.cannot_write``) with a Chinese reason."""
    path = Path(path)
    try:
        with atomic_path(path) as temporary:
            # Into memory first, then one plain write: a full disk then fails in our own
            # write, not inside openpyxl's zip file (which would print an ignored exception).
            buffer = io.BytesIO()
            workbook.save(buffer)
            temporary.write_bytes(buffer.getbuffer())
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return path
