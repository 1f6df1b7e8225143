"""Reading the user's spreadsheet safely and fast: .xlsx/.xlsm/.xls with python-calamine
(a Rust reader, ten times faster than openpyxl), .csv in UTF-8 or GBK.

The file is judged by its content, not its name: a .docx or a zip renamed .xlsx, a
password-protected workbook, an HTML page saved as .xls, random bytes and an empty file are
refused as a whole with a Chinese message (``InputError``), before any row is looked at.
Limits (file size, inflated size, row count) keep a hostile or mistaken file from eating the
machine. The sheet whose header row best matches the template is the one read.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from examsite.errors import InputError
from examsite.formats.file_errors import cannot_read
from examsite.formats.templates import HEADER_SEARCH_ROWS, HeaderMatch, TemplateDef, find_header

log = logging.getLogger(__name__)

MAX_ROWS: Final[int] = 50_000
MAX_FILE_BYTES: Final[int] = 100 * 1024 * 1024
MAX_INFLATED_BYTES: Final[int] = 400 * 1024 * 1024  # all members of an .xlsx, unpacked
EXCEL_EXTENSIONS: Final[frozenset[str]] = frozenset({".xlsx", ".xlsm", ".xls"})
ACCEPTED_EXTENSIONS: Final[frozenset[str]] = EXCEL_EXTENSIONS | {".csv"}

# A CSV cell may be as long as the file (one over Python's 128 KiB default is refused by the
# import for its row alone, not taken for a damaged file).
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))

_ZIP_MAGIC: Final[bytes] = b"PK\x03\x04"
_CFB_MAGIC: Final[bytes] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an encrypted .xlsx
_ENCRYPTED_STREAM: Final[bytes] = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Table:
    """The rows of the chosen sheet, from its first row: ``rows[i]`` is Excel row ``i + 1``
    (blank cells are None), and where its header row is."""

    format: str  # xlsx / xls / csv
    sheet_name: str
    rows: list[list[Any]]
    header: HeaderMatch
    encoding: str | None = None

    def excel_row(self, index: int) -> int:
        return index + 1


def field_rows(
    cells: Sequence[Sequence[Any]], fields: Mapping[int, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(offset in ``cells``, field name → cell) of each row with a value in one of the
    columns of ``fields`` (column → field name); rows blank there are skipped, a short
    row's missing cells are None."""
    columns = list(fields.items())
    for offset, line in enumerate(cells):
        width = len(line)
        values = {name: (line[col] if col < width else None) for col, name in columns}
        if any(_filled(v) for v in values.values()):
            yield offset, values


def _filled(value: object) -> bool:
    if value is None:
        return False
    if type(value) is str:  # the usual cell: no str() call
        return bool(value.strip())
    return bool(str(value).strip())


def refuse(code: str, **params: Any) -> InputError:
    """An ``InputError`` whose message is the Chinese text of ``code``."""
    return InputError(code, **params)


def read_table(path: Path, template: TemplateDef, *, max_rows: int = MAX_ROWS) -> Table:
    """Read the sheet of ``path`` that matches ``template`` best; refuse a file that is not
    a readable spreadsheet, has no header row, or has more than ``max_rows`` rows."""
    try:
        return _read_table(path, template, max_rows)
    except FileNotFoundError:
        raise refuse("import.file_not_found", file=str(path)) from None
    except PermissionError:
        raise refuse("import.file_locked", file=path.name) from None
    except OSError as exc:  # a failing USB stick, a network drive gone …
        raise cannot_read(path, exc) from exc


def _read_table(path: Path, template: TemplateDef, max_rows: int) -> Table:
    head = _open_head(path)
    if head.startswith(_ZIP_MAGIC):
        _check_ooxml(path)
        return _read_excel(path, template, "xlsx", max_rows)
    if head.startswith(_CFB_MAGIC):
        if _is_encrypted_ooxml(path):
            raise refuse("import.password_protected", file=path.name)
        return _read_excel(path, template, "xls", max_rows)
    if path.suffix.lower() == ".csv":
        return _read_csv(path, template, max_rows)
    if head.lstrip().lower().startswith((b"<!doctype", b"<html", b"<table", b"<?xml")):
        raise refuse("import.html_as_excel", file=path.name)
    raise refuse("import.not_excel", file=path.name)


def _open_head(path: Path) -> bytes:
    suffix = path.suffix.lower()
    if suffix not in ACCEPTED_EXTENSIONS:
        raise refuse("import.unsupported_type", file=path.name, suffix=suffix or "（无）")
    try:
        size = path.stat().st_size
        if size == 0:
            raise refuse("import.file_empty", file=path.name)
        if size > MAX_FILE_BYTES:
            raise refuse("import.file_too_large", file=path.name, mb=MAX_FILE_BYTES >> 20)
        with path.open("rb") as handle:
            return handle.read(512)
    except IsADirectoryError:
        raise refuse("import.not_excel", file=path.name) from None


def _check_ooxml(path: Path) -> None:
    """A zip must be a workbook, and not one that inflates to gigabytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise refuse("import.damaged", file=path.name) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise refuse("import.word_document", file=path.name)
        if "ppt/presentation.xml" in names or "content.xml" in names:
            raise refuse("import.other_document", file=path.name)
        raise refuse("import.zip_not_workbook", file=path.name)
    if sum(info.file_size for info in infos) > MAX_INFLATED_BYTES:
        raise refuse("import.file_too_large", file=path.name, mb=MAX_INFLATED_BYTES >> 20)


def _is_encrypted_ooxml(path: Path) -> bool:
    # An encrypted .xlsx is an OLE container with an "EncryptedPackage" stream; its name
    # sits in the directory sectors, near the start for files of any size we accept.
    with path.open("rb") as handle:
        return _ENCRYPTED_STREAM in handle.read(1 << 20)


def _read_excel(path: Path, template: TemplateDef, fmt: str, max_rows: int) -> Table:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        best: tuple[HeaderMatch, Any] | None = None
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            top = sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
            match = find_header(template, top)
            if match is not None and (best is None or match.score > best[0].score):
                best = (match, sheet)
        if best is None:
            raise refuse("import.no_header", file=path.name, headers=_expected(template))
        match, sheet = best
        end = sheet.end
        last = end[0] if end is not None else 0
        if last - match.row > max_rows:
            raise refuse("import.too_many_rows", file=path.name, max=max_rows)
        rows = sheet.to_python(skip_empty_area=False)
    except PasswordError:
        raise refuse("import.password_protected", file=path.name) from None
    except CalamineError as exc:
        log.info("calamine refused %s: %s", path, exc)
        raise refuse("import.damaged", file=path.name) from None
    cleaned = [[None if cell == "" else cell for cell in row] for row in rows]
    return Table(fmt, sheet.name, cleaned, match)


def _expected(template: TemplateDef) -> str:
    return "、".join(c.header for c in template.columns if c.required)


def _read_csv(path: Path, template: TemplateDef, max_rows: int) -> Table:
    data = path.read_bytes()
    text, encoding = _decode(data, path)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    limit = max_rows + HEADER_SEARCH_ROWS + 1
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append([cell if cell.strip() else None for cell in row])
            if len(rows) > limit:
                break
    except csv.Error:
        raise refuse("import.damaged", file=path.name) from None
    while rows and not any(c is not None for c in rows[-1]):
        rows.pop()
    match = find_header(template, rows)
    if match is None:
        raise refuse("import.no_header", file=path.name, headers=_expected(template))
    if len(rows) - 1 - match.row > max_rows:
        raise refuse("import.too_many_rows", file=path.name, max=max_rows)
    return Table("csv", path.stem, rows, match, encoding)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else GB18030
    (a superset of GBK, what Chinese Windows Excel writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # binary content that happened to decode
            break
        return text, encoding
    raise refuse("import.csv_encoding", file=path.name)
