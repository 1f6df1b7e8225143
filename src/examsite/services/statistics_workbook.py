"""The statistics of a plan as an Excel workbook (统计表): one sheet per table, the Chinese
column titles in the first row, written through ``formats.workbook_writer`` (never a
formula; codes as text). Rates are numbers (fractions) shown as percentages, so a
spreadsheet can sort and sum them; an empty cell is a rate of nothing (no one decided)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from examsite.domain.statistics import BAND_LABELS
from examsite.errors import InputError
from examsite.formats.workbook_writer import (
    check_output_path,
    new_workbook,
    put,
    safe_sheet_title,
    save_atomically,
    with_xlsx_suffix,
)
from examsite.messages.titles import LEVEL_TITLES, SUBJECT_KIND_TITLES
from examsite.services.statistics import (
    GroupRate,
    PassCounts,
    PlanStatistics,
    SessionAbsence,
    SubjectStatistics,
    plan_statistics,
)
from examsite.storage.db import Database

CellKind = Literal["text", "count", "rate", "score"]
_FORMATS: Final[dict[CellKind, str | None]] = {
    "text": "@",
    "count": "0",
    "rate": "0.00%",
    "score": "0.0#",
}
_TIME = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    kind: CellKind = "count"


@dataclass(frozen=True)
class Table:
    """One sheet: its title, its columns and its rows of values."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class WrittenStatistics:
    path: Path
    sheets: tuple[str, ...]


_COUNT_COLUMNS: Final = (
    Column("报考人数", 10),
    Column("通过人数", 10),
    Column("未通过人数", 11),
    Column("其中缺考", 10),
    Column("待定人数（成绩未齐）", 18),
    Column("通过率", 10, "rate"),
)


def _count_values(counts: PassCounts) -> tuple[Any, ...]:
    return (
        counts.registered,
        counts.passed,
        counts.failed,
        counts.absent,
        counts.pending,
        counts.rate,
    )


def statistics_tables(stats: PlanStatistics) -> tuple[Table, ...]:
    """The tables of the workbook, in sheet order."""

    def grouped(
        title: str, key_columns: tuple[Column, ...], keys: Callable[[GroupRate], tuple[Any, ...]],
        groups: Sequence[GroupRate],
    ) -> Table:  # fmt: skip
        return Table(
            title,
            key_columns + _COUNT_COLUMNS,
            tuple(keys(g) + _count_values(g.counts) for g in groups),
        )

    def field(group: GroupRate, name: str) -> Any:
        return dict(group.key)[name]

    return (
        Table(
            "概况",
            (Column("考试计划", 18, "text"), Column("计划名称", 40, "text"), *_COUNT_COLUMNS),
            ((stats.plan_code, stats.plan_name, *_count_values(stats.overall)),),
        ),
        grouped(
            "按证书等级",
            (
                Column("证书代码", 20, "text"),
                Column("证书名称", 36, "text"),
                Column("等级", 8, "text"),
            ),
            lambda g: (
                field(g, "certificate_code"),
                field(g, "certificate_name"),
                LEVEL_TITLES.get(field(g, "level"), field(g, "level")),
            ),
            stats.by_level,
        ),
        grouped("按专业", (Column("专业", 22, "text"),), lambda g: (g.label,), stats.by_major),
        grouped(
            "按班级（入学年份+专业）",
            (Column("入学年份", 10, "count"), Column("专业", 22, "text")),
            lambda g: (field(g, "enrollment_year"), field(g, "major") or g.label),
            stats.by_class,
        ),
        grouped(
            "按学校班级", (Column("班级", 20, "text"),), lambda g: (g.label,), stats.by_class_name
        ),
        _subject_table(stats.subjects),
        _session_table(stats.sessions),
    )


def _subject_table(subjects: Sequence[SubjectStatistics]) -> Table:
    columns = (
        Column("证书代码", 20, "text"),
        Column("证书名称", 30, "text"),
        Column("等级", 8, "text"),
        Column("科目", 22, "text"),
        Column("类型", 8, "text"),
        Column("报考人数", 10),
        Column("有成绩人数", 11),
        Column("缺考人数", 10),
        Column("缺考率", 10, "rate"),
        Column("成绩作废人数", 13),
        Column("待定人数（无成绩）", 17),
        Column("平均分", 9, "score"),
        Column("最低分", 9, "score"),
        Column("最高分", 9, "score"),
        *(Column(f"{band}分", 9) for band in BAND_LABELS),
    )
    rows = tuple(
        (
            s.certificate_code,
            s.certificate_name,
            LEVEL_TITLES.get(s.level, s.level),
            s.subject,
            SUBJECT_KIND_TITLES.get(s.kind, s.kind),
            s.registered,
            s.scored,
            s.absent,
            s.absent_rate,
            s.void,
            s.pending,
            None if s.average is None else round(s.average, 2),
            s.minimum,
            s.maximum,
            *s.bands,
        )
        for s in subjects
    )
    return Table("各科成绩", columns, rows)


def _session_table(sessions: Sequence[SessionAbsence]) -> Table:
    columns = (
        Column("开始时间", 17, "text"),
        Column("结束时间", 17, "text"),
        Column("证书代码", 20, "text"),
        Column("证书名称", 30, "text"),
        Column("等级", 8, "text"),
        Column("科目", 22, "text"),
        Column("类型", 8, "text"),
        Column("应考人数", 10),
        Column("实考人数", 10),
        Column("缺考人数", 10),
        Column("其中迟到禁入", 13),
        Column("未记录签到", 11),
        Column("缺考率", 10, "rate"),
    )
    rows = tuple(
        (
            f"{s.starts_at:{_TIME}}",
            f"{s.ends_at:{_TIME}}",
            s.certificate_code,
            s.certificate_name,
            LEVEL_TITLES.get(s.level, s.level),
            s.subject,
            SUBJECT_KIND_TITLES.get(s.kind, s.kind),
            s.seats,
            s.sat,
            s.absent,
            s.refused_late,
            s.unrecorded,
            s.absent_rate,
        )
        for s in sessions
    )
    return Table("场次缺考", columns, rows)


_PATH_CODES: Final = {
    "import.report_folder_missing": "statistics.out_folder_missing",
    "import.report_is_folder": "statistics.out_is_folder",
    "import.report_wrong_type": "statistics.out_wrong_type",
    "import.report_not_writable": "statistics.out_not_writable",
}


def check_statistics_path(path: Path) -> Path:
    """``path`` (".xlsx" added to a bare name) when a workbook can be saved there, else
    ``InputError`` (``statistics.out_*``) saying why; checked before any work is done."""
    try:
        return check_output_path(with_xlsx_suffix(path))
    except InputError as error:
        code = _PATH_CODES.get(error.code)
        if code is None:
            raise
        raise InputError(code, **error.params) from error


def write_statistics(stats: PlanStatistics, path: Path) -> WrittenStatistics:
    """Write ``stats`` to ``path`` (.xlsx, checked before any work is done)."""
    path = check_statistics_path(path)
    tables = statistics_tables(stats)
    workbook, first = new_workbook(tables[0].title)
    for index, table in enumerate(tables):
        sheet = first if index == 0 else workbook.create_sheet(safe_sheet_title(table.title))
        _write_table(workbook, sheet.title, table)
    save_atomically(workbook, path)
    return WrittenStatistics(path, tuple(workbook.sheetnames))


def write_statistics_workbook(db: Database, plan_code: str, path: Path) -> WrittenStatistics:
    """The statistics of ``plan_code`` written to ``path``."""
    path = check_statistics_path(path)
    return write_statistics(plan_statistics(db, plan_code), path)


def _write_table(workbook: Workbook, title: str, table: Table) -> None:
    sheet = workbook[title]
    bold = Font(bold=True)
    for column, spec in enumerate(table.columns, start=1):
        put(sheet, 1, column, spec.title).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = spec.width
    for row, values in enumerate(table.rows, start=2):
        for column, (spec, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            if value is None:
                continue
            cell = put(sheet, row, column, value, text=spec.kind == "text")
            number_format = _FORMATS[spec.kind]
            if number_format is not None:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
