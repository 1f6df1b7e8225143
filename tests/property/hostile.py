"""Hostile input for the importer property tests: the one assertion every suite makes
(``import_survives``) and the Hypothesis strategies that spoil a valid file.

The assertion: an importer given anything returns a report whose problems all have a
registered message, or refuses with an ``ExamsiteError`` whose code has a registered
message (never 程序内部错误) and leaves every table as it was. The one table a refusal may
add to is the bundle history (``bundle_log``), which keeps refused imports by design
(services/bundle_log.py): it may only gain ``refused`` rows there.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import openpyxl
from hypothesis import event
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError
from sqlalchemy import select

from examsite.domain.problems import Problem
from examsite.errors import ExamsiteError
from examsite.messages import has_message, parameters
from examsite.services.db_checksum import table_checksum
from examsite.storage.models import Base, BundleLog

T = TypeVar("T")

#: Tables a refusal may add rows to (see the module's docstring).
HISTORY_TABLE = "bundle_log"


# --- the assertion ---------------------------------------------------------------------


def checksums(db: Any) -> dict[str, tuple[int, str]]:
    """Every table's row count and checksum (db_checksum), audit log included."""
    with db.engine.connect() as connection:
        return {
            table.name: (hasher.count, hasher.checksum)
            for table in Base.metadata.sorted_tables
            for hasher in [table_checksum(connection, table)]
        }


def history_outcomes(db: Any) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(BundleLog.outcome).order_by(BundleLog.id)))


def registered(code: str, params: Any, where: str) -> None:
    """``code`` has a Chinese message whose placeholders ``params`` fill."""
    assert code != "app.internal_error", f"{where}: 程序内部错误 for bad input"
    assert has_message(code), f"{where}: code {code!r} has no registered message"
    missing = parameters(code) - set(params)
    assert not missing, f"{where}: {code} lacks params {sorted(missing)}"


def problems_in(value: Any, depth: int = 0) -> Iterable[Problem]:
    """Every ``Problem`` a result holds, in its fields, lists and dicts."""
    if depth > 6:
        return
    if isinstance(value, Problem):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from problems_in(getattr(value, f.name), depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from problems_in(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from problems_in(item, depth + 1)


def import_survives(databases: Any, call: Callable[[Any], T], *, writes: bool = True) -> T | None:
    """Run ``call(db)`` on the example's database and assert the one property (module
    docstring). Returns the report, or None for a refusal. ``writes=False``: the call is a
    dry run, so even its report must leave the tables as they were."""
    db = databases.db
    if databases.snapshot is None:
        databases.snapshot = checksums(db)
    before = databases.snapshot
    history_before = history_outcomes(db)
    keep = False
    try:
        try:
            result = call(db)
        except ExamsiteError as exc:
            event(f"refused: {exc.code}")
            registered(exc.code, exc.params, "refusal")
            for problem in exc.problems:
                registered(problem.code, problem.params, f"refusal's problem (row {problem.row})")
            assert_unchanged(db, before, history_before, "a refusal")
            keep = True
            return None
        event("report")
        for problem in problems_in(result):
            registered(problem.code, problem.params, f"report's problem (row {problem.row})")
        if not writes:
            assert_unchanged(db, before, history_before, "a dry run")
            keep = True
        return result
    finally:
        if not keep:
            databases.discard()  # changed (or broken): the next example starts afresh
        else:
            databases.snapshot = None if HISTORY_TABLE in _changed(db, before) else before


def _changed(db: Any, before: dict[str, tuple[int, str]]) -> set[str]:
    after = checksums(db)
    return {name for name in after if after[name] != before.get(name)}


def assert_unchanged(
    db: Any, before: dict[str, tuple[int, str]], history_before: list[str], what: str
) -> None:
    changed = _changed(db, before)
    assert not (changed - {HISTORY_TABLE}), f"{what} changed the tables {sorted(changed)}"
    history = history_outcomes(db)
    assert history[: len(history_before)] == history_before, f"{what} rewrote the bundle history"
    added = history[len(history_before) :]
    assert set(added) <= {"refused", "dry_run"}, f"{what} added {added} to the bundle history"


# --- cell values -----------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

_texts = st.one_of(
    st.text(max_size=24),
    st.text(st.characters(codec="gbk"), max_size=12),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), min_size=1, max_size=6),
    st.sampled_from(["😀", "👨‍👩‍👧", "\u200b", "\ufeff", "\u3000", "＝", " ", "", "N/A", "null"]),
    st.sampled_from(["=1/0", "=SUM(A1:A9)", "=A1", '=HYPERLINK("http://x")', "@cmd", "+1", "-1"]),
    st.integers(0, 40).map(lambda n: "长" * (1000 * n + 1)),
    st.integers(21, 400).map(lambda n: "9" * n),  # past any column, and past 64 bits
    st.integers(0, 10**18).map(lambda n: str(n).translate(FULL_WIDTH)),
)
_numbers = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 0.5, 1e308, -0.0, 2**63, 10**17 + 1]),
    st.booleans(),
)
_dates = st.one_of(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(9999, 12, 31)),
    st.times(),
)
hostile_values = st.one_of(st.none(), _texts, _numbers, _dates)


def near_miss(value: Any) -> st.SearchStrategy[Any]:
    """Values close to a good one: padded, full-width, cut, doubled, as a number."""
    text = "" if value is None else str(value)
    options: list[Any] = [
        f"  {text}\u3000",
        text.translate(FULL_WIDTH),
        text[: len(text) // 2],
        text + text,
        text.upper(),
        text + "\n" + text,
    ]
    if text.isdigit() and len(text) < 16:
        options.append(int(text))
    if text[:-1].isdigit():
        options.append(text[:-1] + "x")
    return st.sampled_from(options)


# --- tables ----------------------------------------------------------------------------

Rows = list[list[Any]]


@st.composite
def spoiled_rows(draw: st.DrawFn, rows: Rows, header_at: int, *, max_edits: int = 4) -> Rows:
    """``rows`` (header at index ``header_at``, data below it) with a few edits: cells
    replaced by hostile or near-miss values, rows duplicated, deleted or shuffled, headers
    renamed, blanked or duplicated, columns dropped, rows cut short or made longer."""
    out = [list(r) for r in rows]
    for _ in range(draw(st.integers(1, max_edits))):
        width = max((len(r) for r in out), default=0)
        data = range(header_at + 1, len(out))
        edit = draw(
            st.sampled_from(
                [
                    "cell",
                    "near",
                    "cell",
                    "near",
                    "dup",
                    "delete",
                    "shuffle",
                    "header",
                    "header_dup",
                    "column",
                    "short",
                    "long",
                    "blank_rows",
                ]
            )
        )
        if edit in ("cell", "near") and data and width:
            r = draw(st.sampled_from(list(data)))
            c = draw(st.integers(0, width - 1))
            while len(out[r]) <= c:
                out[r].append(None)
            out[r][c] = draw(hostile_values if edit == "cell" else near_miss(out[r][c]))
        elif edit == "dup" and data:
            r = draw(st.sampled_from(list(data)))
            out.insert(draw(st.integers(header_at + 1, len(out))), list(out[r]))
        elif edit == "delete" and data:
            del out[draw(st.sampled_from(list(data)))]
        elif edit == "shuffle" and len(data) > 1:
            body = draw(st.permutations(out[header_at + 1 :]))
            out[header_at + 1 :] = body
        elif edit == "header" and header_at < len(out) and out[header_at]:
            c = draw(st.integers(0, len(out[header_at]) - 1))
            out[header_at][c] = draw(st.one_of(st.none(), _texts, near_miss(out[header_at][c])))
        elif edit == "header_dup" and header_at < len(out) and len(out[header_at]) > 1:
            a, b = draw(st.lists(st.integers(0, len(out[header_at]) - 1), min_size=2, max_size=2))
            out[header_at][a] = out[header_at][b]
        elif edit == "column" and width > 1:
            c = draw(st.integers(0, width - 1))
            for line in out:
                if len(line) > c:
                    del line[c]
        elif edit == "short" and data:
            r = draw(st.sampled_from(list(data)))
            out[r] = out[r][: draw(st.integers(0, len(out[r])))]
        elif edit == "long" and out:
            r = draw(st.integers(0, len(out) - 1))
            out[r] = out[r] + draw(st.lists(hostile_values, min_size=1, max_size=5))
        elif edit == "blank_rows":
            out.insert(draw(st.integers(0, len(out))), [None] * draw(st.integers(0, 3)))
    return out


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, dt.time):
        return value
    return value


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Rows]]) -> Path:
    """A workbook of ``sheets`` (title, rows); a text openpyxl will not store (control
    characters) is stored with them replaced, as Excel would refuse to keep them too."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets:
        ws = book.create_sheet(title[:31] or "Sheet")
        for r, line in enumerate(rows, start=1):
            for c, value in enumerate(line, start=1):
                try:
                    ws.cell(r, c, _xlsx_value(value))
                except (IllegalCharacterError, ValueError, TypeError, OverflowError):
                    ws.cell(r, c, repr(value))
    book.save(path)
    path.write_bytes(_steady(path.read_bytes()))
    return path


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _steady(xlsx: bytes) -> bytes:
    """The workbook with the times openpyxl stamps (the saving time in docProps/core.xml
    and the zip headers) fixed: the same rows give the same bytes, which Hypothesis needs
    to replay an example."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(rb"\g<1>2027-01-01T00:00:00Z\g<2>", body)
            steady = zipfile.ZipInfo(info.filename, date_time=(2027, 1, 1, 0, 0, 0))
            steady.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(steady, body)
    return out.getvalue()


def write_csv(path: Path, rows: Rows, encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in r] for r in rows])
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path


# --- bytes and zip containers ----------------------------------------------------------


@st.composite
def spoiled_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with bytes flipped, cut, inserted or appended, or emptied."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(["flip", "flip", "cut", "insert", "append", "empty", "head"]))
        if edit == "flip" and out:
            i = draw(st.integers(0, len(out) - 1))
            out[i] ^= draw(st.integers(1, 255))
        elif edit == "cut" and out:
            del out[draw(st.integers(0, len(out) - 1)) :]
        elif edit == "insert":
            i = draw(st.integers(0, len(out)))
            out[i:i] = draw(st.binary(min_size=1, max_size=64))
        elif edit == "append":
            out += draw(st.binary(min_size=1, max_size=256))
        elif edit == "empty":
            out = bytearray()
        elif edit == "head" and out:  # the signature or the first header spoilt
            i = draw(st.integers(0, min(len(out), 64) - 1))
            out[i] ^= 0xFF
    return bytes(out)


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zip_of(entries: Sequence[tuple[str, bytes]], *, gbk_names: bool = False) -> bytes:
    """A zip of ``entries``; with ``gbk_names`` a non-ASCII name is stored in GBK without
    the UTF-8 flag, as Windows' own zip tool writes it on a Chinese PC."""
    buffer = io.BytesIO()
    swaps: list[tuple[bytes, bytes]] = []
    with (
        warnings.catch_warnings(),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        warnings.simplefilter("ignore", UserWarning)  # a name twice, on purpose
        for i, (name, data) in enumerate(entries):
            stored = name
            if gbk_names and not name.isascii():
                try:
                    raw = name.encode("gbk")
                except UnicodeEncodeError:
                    raw = b""
                if raw:
                    stored = f"~{i:0{max(len(raw) - 1, 1)}d}"[: len(raw)]
                    if len(stored) == len(raw):
                        swaps.append((stored.encode("ascii"), raw))
                    else:
                        stored = name
            archive.writestr(stored, data)
    out = buffer.getvalue()
    for placeholder, raw in swaps:
        out = out.replace(placeholder, raw)
    return out


def with_huge_declared_size(data: bytes, which: int = 0) -> bytes:
    """The zip ``data`` with entry ``which``'s uncompressed size in the central directory
    (and its local header) claiming almost 4 GiB."""
    out = bytearray(data)
    found = 0
    at = out.find(b"PK\x01\x02")
    while at != -1:
        if found == which:
            out[at + 24 : at + 28] = (0xFFFFFFF0).to_bytes(4, "little")
            local = int.from_bytes(out[at + 42 : at + 46], "little")
            if out[local : local + 4] == b"PK\x03\x04":
                out[local + 22 : local + 26] = (0xFFFFFFF0).to_bytes(4, "little")
            break
        found += 1
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


@st.composite
def spoiled_zip(
    draw: st.DrawFn, data: bytes, *, keep: Callable[[str], bool] | None = None
) -> bytes:
    """The zip ``data`` with its entries dropped, emptied, spoilt, renamed (to ``../``
    paths, GBK names, duplicates), nested in a zip, or a size declared huge."""
    entries = list(zip_entries(data).items())
    gbk = False
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(
            st.sampled_from(
                ["drop", "empty", "spoil", "rename", "traverse", "dup", "nest", "gbk", "junk"]
            )
        )
        if not entries:
            break
        i = draw(st.integers(0, len(entries) - 1))
        name, body = entries[i]
        if edit == "drop" and (keep is None or not keep(name)):
            del entries[i]
        elif edit == "empty":
            entries[i] = (name, b"")
        elif edit == "spoil":
            entries[i] = (name, draw(spoiled_bytes(body)))
        elif edit == "rename":
            entries[i] = (draw(st.text(min_size=1, max_size=20)), body)
        elif edit == "traverse":
            entries[i] = (draw(st.sampled_from(["../", "../../", "/", "C:/", "..\\"])) + name, body)
        elif edit == "dup":
            entries.append((name, draw(st.sampled_from([body, b"", b"x" * 10]))))
        elif edit == "nest":
            entries[i] = (name + ".zip", zip_of([(name, body)]))
        elif edit == "gbk":
            entries[i] = (
                draw(st.sampled_from(["照片/", "考生/张三_", "新建文件夹/"])) + name,
                body,
            )
            gbk = True
        elif edit == "junk":
            entries.append((draw(st.text(min_size=1, max_size=12)), draw(st.binary(max_size=64))))
    out = zip_of(entries, gbk_names=gbk)
    if draw(st.integers(0, 9)) == 0 and entries:
        out = with_huge_declared_size(out, draw(st.integers(0, len(entries) - 1)))
    return out


# --- whole files -----------------------------------------------------------------------


@dataclass(frozen=True)
class HostileFile:
    """A drawn file: its bytes and the name it is given (the suffix matters)."""

    data: bytes
    suffix: str
    how: str  # what was done to it, for the failure report

    def write(self, folder: Path, stem: str = "导入") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}{self.suffix}"
        path.write_bytes(self.data)
        return path


def _sheet_bytes(rows: Rows, fmt: str, extra_sheet: Rows | None) -> bytes:
    buffer = Path(tempfile.mkdtemp()) / "sheet"
    try:
        if fmt == "xlsx":
            sheets = [("Sheet1", rows)]
            if extra_sheet is not None:
                sheets.insert(0, ("说明", extra_sheet))
            write_xlsx(buffer, sheets)
        else:
            write_csv(buffer, rows, "utf-8-sig" if fmt == "csv-utf8" else "gbk")
        return buffer.read_bytes()
    finally:
        shutil.rmtree(buffer.parent, ignore_errors=True)


@st.composite
def hostile_sheet(draw: st.DrawFn, rows: Rows, header_at: int) -> HostileFile:
    """A spreadsheet made from the valid ``rows`` (header at ``header_at``): its rows
    spoilt, written as .xlsx or a UTF-8 / GBK .csv, and sometimes the container spoilt
    too (bytes, zip entries) or the file given a wrong suffix."""
    spoilt = draw(spoiled_rows(rows, header_at)) if draw(st.integers(0, 5)) else rows
    fmt = draw(st.sampled_from(["xlsx", "xlsx", "xlsx", "csv-utf8", "csv-gbk"]))
    extra = draw(st.none() | st.lists(st.lists(hostile_values, max_size=4), max_size=4))
    data = _sheet_bytes(spoilt, fmt, extra)
    suffix = ".xlsx" if fmt == "xlsx" else ".csv"
    how = f"rows edited, {fmt}"
    damage = draw(st.integers(0, 9))
    if damage == 0:
        data = draw(spoiled_bytes(data))
        how += ", bytes spoilt"
    elif damage == 1 and fmt == "xlsx":
        data = draw(spoiled_zip(data))
        how += ", zip entries spoilt"
    elif damage == 2:
        suffix = draw(st.sampled_from([".xls", ".xlsm", ".csv", ".xlsx", ".txt", ""]))
        how += f", named {suffix or 'without suffix'}"
    return HostileFile(data, suffix, how)
