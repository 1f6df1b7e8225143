"""Importing candidates from the platform's template, or any sheet close to it.

One call reads the file (``sheet_reader``), finds the header row and maps the columns by
name (``templates``), checks every row with the same rules as the edit form
(``domain.candidate_check``), refuses duplicates within the file and against the database,
and writes the good rows in ONE transaction with an audit entry each. Bad rows stay out
and every problem is reported with its Excel row, the header as the user wrote it, the ID
number and a Chinese message that says how to fix it. A dry run does all of this but
writes nothing; a cancel rolls everything back.

Decisions:

- A row is refused when its name or ID number is missing or invalid, or its 性别
  contradicts the ID number. A row with a valid identity but other fields missing or
  invalid is imported (the platform too holds candidates with only a name and an ID, 004)
  with a warning naming what is missing. A new candidate's status is decided before it is
  written (``candidate_state.candidate_facts``: no photo and no platform state yet); an
  updated one's is refreshed by ``candidate_state.refresh_statuses`` like any other change.
- The audit log records every change (who, when, what): a created candidate by a "create"
  entry without a copy of its values (the row itself is the record, written in the same
  transaction), an update with the before and after values of the fields that changed.
- An ID number already in the database is refused unless ``update`` is set. An update
  fills in what the sheet has and keeps what a blank cell would erase; for a candidate the
  platform has verified (信息准确) the name and ID type are never changed (004), which the
  report says.
- Two rows with the same ID number and different values are both refused: the program
  cannot know which one is right. Rows that are the same person with the same (clean)
  values are one candidate: the first is imported, the others get a notice naming it.
- An optional 班级 column (aliases 班级名称, 行政班) fills ``Candidate.class_name``; it is
  read but not part of the platform's blank template, whose columns stay the platform's.
- A cell of more than ``MAX_CELL_CHARS`` characters in a column the import reads (a text
  pasted into the wrong place) refuses its row only, saying which cell; the rest imports.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import sqlalchemy
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from examsite.domain.candidate_check import CandidateValues, check_candidate
from examsite.domain.candidate_status import (
    CANDIDATE_COLUMNS,
    LOCKED_WHEN_VERIFIED,
    CandidateKind,
    CandidateStatus,
)
from examsite.domain.candidate_status import missing_fields as required_missing
from examsite.domain.normalize import clean_text
from examsite.domain.problems import Level, Problem, error, notice, warning
from examsite.formats.sheet_formulas import formula_cells
from examsite.formats.sheet_reader import MAX_ROWS, Table, read_table, refuse
from examsite.formats.templates import (
    TemplateDef,
    candidate_template,
    column_title,
    normalize_header,
)
from examsite.messages import render
from examsite.progress import Progress
from examsite.services.audit import AuditEntry, diff, record_many
from examsite.services.backup import auto_backup
from examsite.services.candidate_state import candidate_facts, refresh_statuses
from examsite.storage.bulk import insert_rows
from examsite.storage.db import Database
from examsite.storage.models import Candidate

log = logging.getLogger(__name__)

ACTOR = "import"
STEP_ROWS = 200  # progress and cancel checks every so many rows
WRITE_CHUNK = 1000
# No candidate field holds more than 200 characters; a longer cell is a mistake.
MAX_CELL_CHARS = 1000
# The columns an import writes (``id_number`` is the key and never changes).
FIELDS: tuple[str, ...] = (*CANDIDATE_COLUMNS, "class_name")
# The optional class column (班级): read when present, never in the blank template.
CLASS_HEADERS: tuple[str, ...] = ("班级", "班级名称", "行政班")
MAX_CLASS_CHARS = 60
# Once verified (004); the ID number is the key of the row and never changes here.
LOCKED_FIELDS = tuple(f for f in LOCKED_WHEN_VERIFIED if f != "id_number")


@dataclass(frozen=True)
class ImportProblem:
    """One problem of the import: ``row`` as Excel shows it (None for the whole file),
    ``column`` the header as written in the file, ``id_number`` of the row when known."""

    row: int | None
    column: str | None
    id_number: str | None
    level: Level
    code: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, problem: Problem, id_number: str | None = None) -> ImportProblem:
        """``problem`` (with its row and column) about the row of ``id_number``."""
        return cls(
            problem.row, problem.column, id_number, problem.level, problem.code, problem.params
        )

    def to_problem(self) -> Problem:
        return Problem(self.code, self.level, self.row, self.column, self.params)

    @property
    def message(self) -> str:
        """The Chinese sentence for the user."""
        return render(self.to_problem())

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "id_number": self.id_number,
            "level": self.level.value,
            "code": self.code,
            "params": dict(self.params),
            "message": self.message,
        }


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    source: str
    kind: str
    format: str
    sheet_name: str
    header_row: int  # as Excel shows it
    columns: Mapping[str, int]  # header as written → 1-based column number
    rows: int  # non-empty data rows read
    imported: int
    updated: int
    unchanged: int
    rejected: int
    incomplete: int
    dry_run: bool
    problems: tuple[ImportProblem, ...]

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        rows = {p.row for p in self.problems if p.level is Level.ERROR and p.row is not None}
        return tuple(sorted(rows))

    def problems_by_row(self) -> dict[int, list[ImportProblem]]:
        by_row: dict[int, list[ImportProblem]] = {}
        for problem in self.problems:
            if problem.row is not None:
                by_row.setdefault(problem.row, []).append(problem)
        return by_row


@dataclass
class _Row:
    excel_row: int
    id_number: str | None
    values: CandidateValues | None
    problems: list[ImportProblem]
    repeats: int | None = None  # the Excel row this one repeats exactly (not imported)
    class_name: str = ""

    @property
    def rejected(self) -> bool:
        return self.values is None or any(p.level is Level.ERROR for p in self.problems)


@dataclass(frozen=True)
class _Existing:
    id: int
    values: dict[str, Any]
    platform_status: str | None


@dataclass
class CandidateSheet:
    """A candidate sheet read and every row checked, nothing stored yet (see
    ``read_candidate_sheet``); ``import_candidate_sheet_in`` stores it, once."""

    source: str
    kind: CandidateKind
    template: TemplateDef
    table: Table
    rows: list[_Row]
    file_problems: list[ImportProblem]


def import_candidates(
    db: Database,
    path: Path,
    kind: str,
    *,
    dry_run: bool = False,
    update: bool = False,
    progress: Progress | None = None,
    max_rows: int = MAX_ROWS,
    today: date | None = None,
) -> ImportReport:
    """Import the candidates of ``path`` as ``kind`` ("school" or "social").

    Raises ``InputError`` when the file is refused as a whole (nothing is written),
    ``Cancelled`` when ``progress`` is cancelled (everything rolled back).
    """
    progress = progress or Progress()
    with _no_gc_pauses():
        return _import(db, path, kind, dry_run, update, progress, max_rows, today)


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """The cyclic garbage collector off while an import makes its tens of thousands of
    small, acyclic objects (it would scan them again and again: a fifth of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(
    db: Database,
    path: Path,
    kind: str,
    dry_run: bool,
    update: bool,
    progress: Progress,
    max_rows: int,
    today: date | None,
) -> ImportReport:
    sheet = read_candidate_sheet(path, kind, progress=progress, max_rows=max_rows, today=today)
    if dry_run:
        with db.read() as session:
            return import_candidate_sheet_in(
                session, sheet, update=update, write=False, progress=progress
            )
    auto_backup(db, "import")  # what the import changes can be taken back
    with db.unit_of_work() as session:
        return import_candidate_sheet_in(session, sheet, update=update, progress=progress)


def read_candidate_sheet(
    path: Path,
    kind: str,
    *,
    progress: Progress | None = None,
    max_rows: int = MAX_ROWS,
    today: date | None = None,
) -> CandidateSheet:
    """Read ``path`` and check every row (no database): the first half of an import.

    Raises ``InputError`` when the file is refused as a whole.
    """
    try:
        candidate_kind = CandidateKind(kind)
    except ValueError:
        raise refuse("import.unknown_kind", kind=kind) from None
    progress = progress or Progress()
    today = today or date.today()  # once, not twice a row
    template = candidate_template(candidate_kind.value)
    table = read_table(Path(path), template, max_rows=max_rows)
    header = table.header
    if header.missing:
        names = "、".join(template.by_field[f].header for f in header.missing)
        raise refuse("import.missing_columns", file=Path(path).name, columns=names)
    refuse_unsaved_formulas(Path(path), template, table)
    table, class_column = _take_class_column(table)
    file_problems = _header_problems(template, table)
    rows = _check_rows(table, template, candidate_kind, progress, today, class_column)
    _mark_duplicates(rows, _column(template, table, "id_number"))
    if not rows:
        file_problems.append(ImportProblem.of(warning("import.no_rows")))
    return CandidateSheet(Path(path).name, candidate_kind, template, table, rows, file_problems)


def import_candidate_sheet_in(
    session: Session,
    sheet: CandidateSheet,
    *,
    update: bool = False,
    write: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """The import's core, inside the caller's unit of work: decide row by row against the
    database (insert, update, refuse) and, with ``write``, store the good rows."""
    progress = progress or Progress()
    rows, table = sheet.rows, sheet.table
    header = table.header
    writer = _Writer(sheet.template, table, sheet.kind, update, progress, len(rows))
    writer.plan(session, rows)
    if write:
        writer.write(session)
    problems = sheet.file_problems + [p for row in rows for p in row.problems]
    progress.step(2 * len(rows), 2 * len(rows), "完成")
    return ImportReport(
        source=sheet.source,
        kind=sheet.kind.value,
        format=table.format,
        sheet_name=table.sheet_name,
        header_row=header.row + 1,
        columns=MappingProxyType({header.headers[f]: col + 1 for col, f in header.fields.items()}),
        rows=len(rows),
        imported=len(writer.inserts),
        updated=len(writer.updates),
        unchanged=writer.unchanged,
        rejected=sum(1 for r in rows if r.rejected),
        incomplete=writer.incomplete,
        dry_run=not write,
        problems=tuple(problems),
    )


def _column(template: TemplateDef, table: Table, field_name: str) -> str:
    """The header of a field as the user wrote it, or the template's when absent."""
    written = table.header.headers.get(field_name)
    if written is not None:
        return written
    column = template.by_field.get(field_name)
    return column.header if column is not None else field_name


def refuse_unsaved_formulas(path: Path, template: TemplateDef, table: Table) -> None:
    """Refuse the file, once, naming each required column whose empty or 0 cells are
    formulas without a saved result (see ``formats.sheet_formulas``). Looked into only when
    a required column has such cells in rows that hold something else."""
    if table.format == "csv":
        return
    header = table.header
    required = {
        col: name
        for col, name in header.fields.items()
        if name in template.by_field and template.by_field[name].required
    }
    first = header.row + 1
    suspects: dict[int, list[int]] = {}
    for index, cells in enumerate(table.rows[first:], start=first):
        width = len(cells)
        for col in required:
            value = cells[col] if col < width else None
            if (value is None or value == 0) and any(c is not None for c in cells):
                suspects.setdefault(col, []).append(index)
    if not suspects:
        return
    formulas = formula_cells(path, table.format, table.sheet_name, suspects)
    described: list[str] = []
    for col, indexes in sorted(suspects.items()):
        rows = [i + 1 for i in indexes if (i, col) in formulas]
        if rows:
            shown = "、".join(str(r) for r in rows[:5]) + ("等" if len(rows) > 5 else "")
            header_text = column_title(_column(template, table, required[col]))
            described.append(f"“{header_text}”（第 {shown} 行，共 {len(rows)} 格）")
    if described:
        raise refuse("import.formula_not_saved", file=path.name, columns="；".join(described))


def _take_class_column(table: Table) -> tuple[Table, int | None]:
    """The optional 班级 column, taken out of the ignored ones (the first of several)."""
    wanted = {normalize_header(h) for h in CLASS_HEADERS}
    header = table.header
    for col, text in header.ignored:
        if normalize_header(text) in wanted:
            ignored = tuple(item for item in header.ignored if item[0] != col)
            return dataclasses.replace(
                table, header=dataclasses.replace(header, ignored=ignored)
            ), col
    return table, None


def _header_problems(template: TemplateDef, table: Table) -> list[ImportProblem]:
    header = table.header
    row = header.row + 1
    found: list[ImportProblem] = []
    if header.ignored:
        names = "、".join(f"“{text}”" for _, text in header.ignored)
        found.append(ImportProblem.of(notice("import.ignored_columns", row=row, columns=names)))
    for _, text in header.duplicates:
        found.append(
            ImportProblem.of(
                warning("import.duplicate_column", row=row, column=text, header=column_title(text))
            )
        )
    if header.derived:
        names = "、".join(template.by_field[f].header for f in header.derived)
        found.append(ImportProblem.of(notice("import.derived_columns", row=row, columns=names)))
    return found


def _check_rows(
    table: Table,
    template: TemplateDef,
    kind: CandidateKind,
    progress: Progress,
    today: date | None,
    class_column: int | None = None,
) -> list[_Row]:
    fields = sorted(table.header.fields.items())
    present = frozenset(table.header.headers)
    data = table.rows[table.header.row + 1 :]
    total = len(data)
    rows: list[_Row] = []
    for index, cells in enumerate(data):
        if index % STEP_ROWS == 0:
            progress.check_cancelled()
            progress.step(index, 2 * total, "检查考生信息")
        raw = {name: cells[col] for col, name in fields if col < len(cells)}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            continue  # an empty row (or one with only ignored columns filled)
        excel_row = table.header.row + 2 + index
        too_long = [
            (name, len(v))
            for name, v in raw.items()
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS
        ]
        if too_long:
            rows.append(_too_long_row(template, table, excel_row, too_long))
            continue
        checked = check_candidate(kind, raw, today=today, present=present)
        values = checked.values
        id_number = values.id_number if values else clean_text(raw.get("id_number")).value
        problems = [
            ImportProblem(
                excel_row,
                _column(template, table, p.column or ""),
                id_number,
                p.level,
                p.code,
                p.params,
            )
            for p in checked.problems
        ]
        class_name = ""
        if class_column is not None and class_column < len(cells):
            class_name = (clean_text(cells[class_column]).value or "")[:MAX_CLASS_CHARS]
        rows.append(_Row(excel_row, id_number, values, problems, class_name=class_name))
    return rows


def _too_long_row(
    template: TemplateDef, table: Table, excel_row: int, cells: list[tuple[str, int]]
) -> _Row:
    """A row refused for its over-long cells alone (checking the rest would only add
    confusing messages about a value that is not really there)."""
    problems = [
        ImportProblem.of(
            error(
                "import.cell_too_long",
                row=excel_row,
                column=_column(template, table, name),
                length=length,
                max=MAX_CELL_CHARS,
            )
        )
        for name, length in cells
    ]
    return _Row(excel_row, None, None, problems)


def _mark_duplicates(rows: Sequence[_Row], column: str) -> None:
    """Rows sharing an ID number: one candidate when their values are all the same (the
    later rows are notices and not imported), else every one of them is refused."""
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        if row.values is not None:
            groups.setdefault(row.values.id_number, []).append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        first = group[0]
        if all(row.values == first.values for row in group[1:]):
            for row in group[1:]:
                row.repeats = first.excel_row
                row.problems.append(
                    ImportProblem.of(
                        notice(
                            "import.same_row_twice",
                            row=row.excel_row,
                            column=column,
                            other_row=first.excel_row,
                        ),
                        row.id_number,
                    )
                )
            continue
        for row in group:
            other = group[1] if row is first else first
            row.problems.append(
                ImportProblem.of(
                    error(
                        "import.duplicate_in_file",
                        row=row.excel_row,
                        column=column,
                        other_row=other.excel_row,
                    ),
                    row.id_number,
                )
            )


_CANDIDATES = cast(sqlalchemy.Table, Candidate.__table__)
_STAMPS = ("created_at", "updated_at")  # one moment for a whole import


class _Writer:
    """Decides, row by row, insert / update / refuse against the database, then writes."""

    def __init__(
        self,
        template: TemplateDef,
        table: Table,
        kind: CandidateKind,
        allow_update: bool,
        progress: Progress,
        total: int,
    ) -> None:
        self.template = template
        self.table = table
        self.kind = kind
        self.allow_update = allow_update
        self.progress = progress
        self.total = total
        self.inserts: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.audits: list[AuditEntry] = []
        self.unchanged = 0
        self.incomplete = 0

    def plan(self, session: Session, rows: Sequence[_Row]) -> None:
        existing = _load_existing(session)
        for row in rows:
            if row.rejected or row.values is None or row.repeats is not None:
                continue
            old = existing.get(row.values.id_number)
            if old is None:
                self._insert(row, row.values)
            elif not self.allow_update:
                row.problems.append(
                    self._problem(row, "id_number", error("import.exists", name=old.values["name"]))
                )
            else:
                self._update(row, row.values, old)

    def _problem(self, row: _Row, field_name: str | None, problem: Problem) -> ImportProblem:
        """``problem`` placed at ``row`` and the column of ``field_name``."""
        column = _column(self.template, self.table, field_name) if field_name else None
        return ImportProblem(
            row.excel_row, column, row.id_number, problem.level, problem.code, problem.params
        )

    def _note_missing(self, row: _Row, missing: list[str]) -> None:
        if not missing:
            return
        self.incomplete += 1
        # A field whose value was dropped already has its own warning.
        reported = {p.column for p in row.problems if p.level is not Level.NOTICE}
        blank = [f for f in missing if _column(self.template, self.table, f) not in reported]
        if blank:
            names = "、".join(column_title(_column(self.template, self.table, f)) for f in blank)
            row.problems.append(
                self._problem(row, None, warning("import.incomplete", fields=names))
            )

    def _insert(self, row: _Row, values: CandidateValues) -> None:
        data = values.as_dict()
        data["class_name"] = row.class_name
        self._note_missing(row, required_missing(self.kind, data))
        data["status"] = candidate_facts({**data, "platform_status": None, "verdict": None}).status
        self.inserts.append(data)
        # The new row is the record of what was created: no second copy in the log.
        self.audits.append(AuditEntry("create", "candidate", values.id_number, None, None, ACTOR))

    def _update(self, row: _Row, values: CandidateValues, old: _Existing) -> None:
        merged = dict(old.values)
        incoming = values.as_dict()
        incoming["class_name"] = row.class_name
        for name in FIELDS:
            value = incoming.get(name)
            if name == "extra":
                merged["extra"] = {**old.values["extra"], **values.extra}
            elif value not in (None, ""):
                merged[name] = value
        if old.platform_status == CandidateStatus.VERIFIED:
            for name in LOCKED_FIELDS:
                if merged[name] != old.values[name]:
                    row.problems.append(
                        self._problem(
                            row,
                            name,
                            warning(
                                "import.locked_field",
                                field=self.template.by_field[name].header,
                                kept=old.values[name],
                                given=merged[name],
                            ),
                        )
                    )
                    merged[name] = old.values[name]
        if old.values["kind"] != self.kind.value:
            row.problems.append(self._problem(row, None, notice("import.kind_changed")))
        self._note_missing(row, required_missing(self.kind, merged))
        before, after = diff(old.values, merged)
        if not after:
            self.unchanged += 1
            return
        self.updates.append({"id": old.id, **merged})
        self.audits.append(
            AuditEntry("update", "candidate", values.id_number, before, after, ACTOR)
        )

    def write(self, session: Session) -> None:
        """Bulk statements in chunks, checking for a cancel between them; a cancel raises
        inside the unit of work, which rolls everything back."""
        done = self.total
        for batch, write in (
            (self.inserts, lambda chunk: insert_rows(session, _CANDIDATES, chunk, once=_STAMPS)),
            (self.updates, lambda chunk: session.execute(update(Candidate), chunk)),
        ):
            for start in range(0, len(batch), WRITE_CHUNK):
                self.progress.check_cancelled()
                chunk = batch[start : start + WRITE_CHUNK]
                write(chunk)
                done += len(chunk)
                self.progress.step(min(done, 2 * self.total), 2 * self.total, "写入数据库")
        self.progress.check_cancelled()
        if self.updates:
            refresh_statuses(session, ids=[row["id"] for row in self.updates])
        record_many(session, self.audits)


def _load_existing(session: Session) -> dict[str, _Existing]:
    """Every candidate's importable values in one query (plain tuples, no ORM objects)."""
    columns = [getattr(Candidate, name) for name in FIELDS]
    statement = select(Candidate.id, Candidate.platform_status, *columns)
    existing: dict[str, _Existing] = {}
    for row in session.execute(statement).mappings():
        values = {name: row[name] for name in FIELDS}
        values["extra"] = dict(values["extra"] or {})
        existing[values["id_number"]] = _Existing(row["id"], values, row["platform_status"])
    return existing
