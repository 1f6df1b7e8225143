"""The pre-flight check of the platform's upload package, run on the files as they will be
written (bytes in memory) before anything reaches the disk.

It reads every sheet back with a second reader (python-calamine, not openpyxl that wrote
it) and checks what the platform's import is strict about: the header row exactly as the
template's, ID numbers as text (18 characters, an upper-case X) and no duplicates, no
formula anywhere and no text a spreadsheet would run unprotected (a cell starting with
= + - @ must carry the quote prefix), every photo named by an ID of the candidate sheets
and every candidate with a photo of 295 × 413 pixels, each registration's candidate in
the candidate sheets and each registration with all its subject records.

The result is a list of ``Problem`` (``bundle.check_*``); empty means the package is right.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from examsite.domain.photo_spec import HEIGHT, WIDTH
from examsite.domain.problems import Problem, error
from examsite.formats.templates import TemplateDef
from examsite.formats.workbook_writer import FORMULA_STARTS

HEADER_ROW: Final = 2  # 0-based: title, instructions, headers
RESIDENT_ID: Final = "身份证"
_RESIDENT_PATTERN: Final = re.compile(r"\d{17}[\dX]")
_FORMULA_TAG: Final = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass(frozen=True)
class OutgoingSheet:
    """A sheet of the package: its path in the bundle, its template and its bytes."""

    path: str
    template: TemplateDef
    data: bytes
    candidates: bool = False  # a candidate sheet (its IDs must match the photos)
    registrations: bool = False  # the by-certificate registration sheet


@dataclass(frozen=True)
class OutgoingPackage:
    """Everything the check needs: the sheets, the photos (file name → JPEG bytes) and
    for each registration ("<ID>|<certificate code>") its subject records and the
    certificate's subjects."""

    sheets: tuple[OutgoingSheet, ...]
    photos: Mapping[str, bytes]
    records: Mapping[str, tuple[int, int]] = field(default_factory=dict)


def check_package(package: OutgoingPackage) -> list[Problem]:
    """Every problem of ``package``; empty when it may be written."""
    problems: list[Problem] = []
    candidate_ids: list[str] = []
    registration_keys: list[tuple[str, str, int]] = []
    for sheet in package.sheets:
        rows = _read_rows(sheet, problems)
        if rows is None:
            continue
        ids = _check_rows(sheet, rows, problems)
        if sheet.candidates:
            candidate_ids += [i for i, _row in ids]
        if sheet.registrations:
            code_at = _column(sheet.template, "certificate_code")
            for number, (id_number, row) in enumerate(ids):
                code = _text(rows[HEADER_ROW + 1 + number], code_at)
                registration_keys.append((id_number, code, row))
    _check_duplicates(candidate_ids, problems)
    _check_photos(package.photos, candidate_ids, problems)
    _check_registrations(registration_keys, set(candidate_ids), package.records, problems)
    return problems


# --- the sheets -------------------------------------------------------------------------


def _read_rows(sheet: OutgoingSheet, problems: list[Problem]) -> list[list[object]] | None:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(sheet.data))
        rows: list[list[object]] = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # any failure to read it back is the finding
        problems.append(error("bundle.check_unreadable", file=sheet.path))
        return None
    if _has_formula(sheet.data):
        problems.append(error("bundle.check_formula", file=sheet.path))
    expected = [column.title for column in sheet.template.columns]
    found = [str(v) for v in rows[HEADER_ROW]] if len(rows) > HEADER_ROW else []
    while found and found[-1] == "":
        found.pop()
    if found != expected:
        problems.append(
            error(
                "bundle.check_header",
                file=sheet.path,
                expected="、".join(expected),
                found="、".join(found),
            )
        )
        return None
    return rows


def _check_rows(
    sheet: OutgoingSheet, rows: list[list[object]], problems: list[Problem]
) -> list[tuple[str, int]]:
    """The ID numbers of the sheet's rows (with their Excel row numbers), after checking
    the ID cells and looking for unprotected formula-like text."""
    id_at = _column(sheet.template, "id_number")
    type_at = _column(sheet.template, "id_type")
    ids: list[tuple[str, int]] = []
    risky: list[tuple[int, int]] = []
    for index, cells in enumerate(rows[HEADER_ROW + 1 :], start=HEADER_ROW + 2):
        for at, value in enumerate(cells):
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                risky.append((index, at + 1))
        if id_at is None:
            continue
        value = cells[id_at] if id_at < len(cells) else None
        if not isinstance(value, str) or not value:
            problems.append(
                error("bundle.check_id_not_text", row=index, file=sheet.path, line=index)
            )
            continue
        resident = type_at is None or _text(cells, type_at) in ("", RESIDENT_ID)
        if resident and not _RESIDENT_PATTERN.fullmatch(value):
            problems.append(
                error("bundle.check_id_form", row=index, file=sheet.path, line=index, id=value)
            )
        ids.append((value, index))
    if risky:
        _check_quoted(sheet, risky, problems)
    return ids


def _check_quoted(
    sheet: OutgoingSheet, cells: list[tuple[int, int]], problems: list[Problem]
) -> None:
    """Formula-like text is fine only as a text cell with the quote prefix (rare: read the
    sheet's styles only then)."""
    book = load_workbook(io.BytesIO(sheet.data))
    ws = book.worksheets[0]
    for row, column in cells:
        cell = ws.cell(row, column)
        if cell.data_type != "s" or not cell.quotePrefix:
            problems.append(
                error("bundle.check_unquoted", row=row, file=sheet.path, cell=cell.coordinate)
            )


def _has_formula(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            _FORMULA_TAG.search(archive.read(name))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def _column(template: TemplateDef, name: str) -> int | None:
    for index, column in enumerate(template.columns):
        if column.field == name:
            return index
    return None


def _text(cells: Sequence[object], at: int | None) -> str:
    if at is None or at >= len(cells) or cells[at] is None:
        return ""
    return str(cells[at])


# --- across the files -------------------------------------------------------------------


def _check_duplicates(ids: list[str], problems: list[Problem]) -> None:
    for id_number, count in Counter(ids).items():
        if count > 1:
            problems.append(error("bundle.check_duplicate_candidate", id=id_number, count=count))


def _check_photos(photos: Mapping[str, bytes], ids: list[str], problems: list[Problem]) -> None:
    named = {name.removesuffix(".jpg"): data for name, data in photos.items()}
    known = set(ids)
    for name in sorted(photos):
        if not name.endswith(".jpg") or name.removesuffix(".jpg") not in known:
            problems.append(error("bundle.check_photo_unknown", file=name))
    for id_number in ids:
        data = named.get(id_number)
        if data is None:
            problems.append(error("bundle.check_photo_missing", id=id_number))
            continue
        size = jpeg_size(data)
        if size != (WIDTH, HEIGHT):
            found = "×".join(map(str, size)) if size else "不是 JPEG"
            problems.append(error("bundle.check_photo_size", id=id_number, found=found))


def _check_registrations(
    keys: list[tuple[str, str, int]],
    candidates: set[str],
    records: Mapping[str, tuple[int, int]],
    problems: list[Problem],
) -> None:
    seen: set[tuple[str, str]] = set()
    for id_number, code, row in keys:
        if (id_number, code) in seen:
            problems.append(
                error(
                    "bundle.check_duplicate_registration", row=row, id=id_number, certificate=code
                )
            )
        seen.add((id_number, code))
        if id_number not in candidates:
            problems.append(error("bundle.check_registration_unknown", id=id_number, row=row))
        have, expected = records.get(f"{id_number}|{code}", (0, 1))
        if have < expected or expected == 0:
            problems.append(
                error(
                    "bundle.check_records",
                    id=id_number,
                    certificate=code,
                    have=have,
                    expected=expected,
                )
            )


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """A JPEG's width and height from its frame header (no decoding); None when ``data``
    is not a JPEG."""
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            width = int.from_bytes(data[at + 7 : at + 9], "big")
            return width, height
        at += 2 + length
    return None
