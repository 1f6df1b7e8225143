"""Which cells of a sheet are formulas: asked only when a column's values look wrong.

A reader sees a formula cell's saved result. Excel and WPS save it; openpyxl (and programs
built on it) save none, and some converters save 0 for a formula that yields text. Such a
cell reads as empty or 0, and the import would say "ID number missing" or "1 digit" on
every row. When a required column has empty or 0 cells, the import asks here whether
those cells are formulas, to say once what happened and how to fix it.

- .xlsx / .xlsm: the worksheet parts are searched for a formula element first (a byte
  search, milliseconds); only a sheet that has formulas is parsed, with openpyxl in
  read-only mode (defusedxml-guarded).
- .xls: the BIFF8 records of the sheet are walked (FORMULA records give row and column),
  read from the compound file by the small reader below; nothing else of the file is
  interpreted. Anything unexpected yields "no formulas known", never an exception.
"""

from __future__ import annotations

import logging
import re
import struct
import zipfile
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

Cell = tuple[int, int]  # 0-based row and column, as in ``Table.rows``

_FORMULA_TAG: Final[re.Pattern[bytes]] = re.compile(rb"<(?:\w+:)?f[\s>/]")


def formula_cells(path: Path, fmt: str, sheet_name: str, columns: Collection[int]) -> set[Cell]:
    """The formula cells of ``sheet_name`` in ``columns`` (0-based); empty when the format
    has no formulas (CSV) or the file cannot be looked into."""
    try:
        if fmt == "xlsx":
            return _xlsx_formulas(path, sheet_name, columns)
        if fmt == "xls":
            return _xls_formulas(path, sheet_name, columns)
    except Exception as exc:  # a best effort on a file already read once
        log.info("could not look for formulas in %s: %s", path, exc)
    return set()


# --- .xlsx --------------------------------------------------------------------------------


def _xlsx_formulas(path: Path, sheet_name: str, columns: Collection[int]) -> set[Cell]:
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        if not any(_FORMULA_TAG.search(archive.read(name)) for name in parts):
            return set()
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # never parse a user's XML without the guard
        return set()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = workbook[sheet_name]
        wanted = frozenset(columns)
        found: set[Cell] = set()
        for row in sheet.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    where = (cell.row - 1, cell.column - 1)  # type: ignore[union-attr]
                    if where[1] in wanted:
                        found.add(where)
        return found
    finally:
        workbook.close()


# --- .xls ---------------------------------------------------------------------------------

_CFB_MAGIC: Final[bytes] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN: Final[int] = 0xFFFFFFFE
_MAX_SECTORS: Final[int] = 1 << 22  # a guard against looping chains

_BOF, _EOF, _BOUNDSHEET, _FORMULA = 0x0809, 0x000A, 0x0085, 0x0006


def _xls_formulas(path: Path, sheet_name: str, columns: Collection[int]) -> set[Cell]:
    data = path.read_bytes()
    stream = _cfb_stream(data, "Workbook")
    if stream is None:
        return set()
    offsets = dict(_sheet_offsets(stream))
    if sheet_name not in offsets:
        return set()
    wanted = frozenset(columns)
    found: set[Cell] = set()
    for kind, body in _records(stream, offsets[sheet_name]):
        if kind == _EOF:
            break
        if kind == _FORMULA and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            if column in wanted:
                found.add((row, column))
    return found


def _records(stream: bytes, start: int) -> Iterator[tuple[int, bytes]]:
    position = start
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def _sheet_offsets(stream: bytes) -> Iterator[tuple[str, int]]:
    """(name, offset of its BOF) of each sheet, from the BOUNDSHEET records (BIFF8)."""
    for kind, body in _records(stream, 0):
        if kind == _EOF:
            return
        if kind != _BOUNDSHEET or len(body) < 8:
            continue
        offset = struct.unpack_from("<I", body)[0]
        count, flags = body[6], body[7]
        if flags & 1:
            name = body[8 : 8 + 2 * count].decode("utf-16-le", "replace")
        else:
            name = body[8 : 8 + count].decode("latin-1")
        yield name, offset


def _cfb_stream(data: bytes, wanted: str) -> bytes | None:
    """The stream named ``wanted`` of a compound file (the container of .xls), or None."""
    if len(data) < 512 or not data.startswith(_CFB_MAGIC):
        return None
    sector_size = 1 << struct.unpack_from("<H", data, 30)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 32)[0]
    (fat_count, first_dir, _sig, cutoff, first_minifat, _minifat_count, first_difat,
     difat_count) = struct.unpack_from("<IIIIIIII", data, 44)  # fmt: skip
    if sector_size not in (512, 4096) or mini_size != 64:
        return None

    def sector(number: int) -> bytes:
        start = (number + 1) * sector_size
        return data[start : start + sector_size]

    per_sector = sector_size // 4
    fat_sectors = list(struct.unpack_from("<109I", data, 76))
    difat, seen = first_difat, 0
    while difat < _END_OF_CHAIN and seen < difat_count and seen < _MAX_SECTORS:
        entries = struct.unpack(f"<{per_sector}I", sector(difat))
        fat_sectors.extend(entries[:-1])
        difat, seen = entries[-1], seen + 1
    fat: list[int] = []
    for number in fat_sectors[:fat_count]:
        block = sector(number)
        if len(block) == sector_size:
            fat.extend(struct.unpack(f"<{per_sector}I", block))

    def chain(first: int, table: list[int]) -> Iterator[int]:
        current, steps = first, 0
        while current < len(table) and steps < _MAX_SECTORS:
            yield current
            current, steps = table[current], steps + 1

    directory = b"".join(sector(n) for n in chain(first_dir, fat))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root = entries[0]
    for entry in entries:
        name_length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(name_length - 2, 0)].decode("utf-16-le", "replace")
        if entry[66] != 2 or name != wanted:  # a stream of that name
            continue
        start, size = struct.unpack_from("<IQ", entry, 116)
        size &= 0xFFFFFFFF if sector_size == 512 else (1 << 64) - 1
        if size >= cutoff:
            return b"".join(sector(n) for n in chain(start, fat))[:size]
        # A small stream lives in the mini stream (held by the root entry).
        mini_stream = b"".join(
            sector(n) for n in chain(struct.unpack_from("<I", root, 116)[0], fat)
        )
        minifat_bytes = b"".join(sector(n) for n in chain(first_minifat, fat))
        minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
        blocks = (mini_stream[n * mini_size : (n + 1) * mini_size] for n in chain(start, minifat))
        return b"".join(blocks)[:size]
    return None
