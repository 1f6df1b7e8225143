"""The valid rows the property suites start from, made as the program's own tests and
exports make them (read from the SQLite templates of tests/conftest.py, whichever
engine the run uses: only the rows' values are needed, and they are the same)."""

from __future__ import annotations

import copy as copy_module
import datetime as dt
import functools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import openpyxl
from sqlalchemy import select

from examsite.domain.id_number import synthetic_id
from examsite.formats.template_workbook import write_template
from examsite.storage.db import Database
from examsite.storage.models import Candidate

Rows = list[list[Any]]
F = TypeVar("F", bound=Callable[..., Any])


def fresh_copies(function: F) -> F:
    """``functools.cache`` that hands out a deep copy each time: a caller may edit the
    rows it gets without spoiling them for the next one."""
    cached = functools.cache(function)

    @functools.wraps(function)
    def copy(*args: Any) -> Any:
        return copy_module.deepcopy(cached(*args))

    return copy  # type: ignore[return-value]


def new_id(seq: int, gender: str = "女") -> str:
    """A valid synthetic ID number no demo candidate has (born in 1999)."""
    return synthetic_id("110105", dt.date(1999, 1, 1) + dt.timedelta(days=seq), seq % 500, gender)  # type: ignore[arg-type]


@functools.cache
def template_head(kind: str) -> tuple[tuple[Any, ...], ...]:
    """The first three rows (title, instructions, header) of the blank candidate template."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_template(kind, Path(folder) / "blank.xlsx")
        ws = openpyxl.load_workbook(path).active
        assert ws is not None
        return tuple(ws.iter_rows(min_row=1, max_row=3, values_only=True))


def sqlite_ids(path: Path, limit: int = 3) -> list[str]:
    """The ID numbers of the first candidates of a template file."""
    database = Database.open(path)
    try:
        with database.read() as session:
            return list(
                session.scalars(select(Candidate.id_number).order_by(Candidate.id).limit(limit))
            )
    finally:
        database.close()


def candidate_rows(kind: str, existing: list[str]) -> Rows:
    """The blank template's head and five valid rows (the last one a demo candidate's
    ID number, so that the update and the duplicate paths are walked too)."""
    rows: Rows = [list(r) for r in template_head(kind)]
    for seq in range(5):
        id_number = existing[0] if seq == 4 and existing else new_id(seq)
        common = [f"王玉{'霞梅兰芳'[seq % 4]}", "", "女", "身份证", id_number, f"138{seq:08d}"]
        if kind == "school":
            rows.append([*common, "2020", "专科", "市场营销", "530605"])
        else:
            rows.append([*common, "某公司", "大专", "会计"])
    return rows


def _read_rows(path: Path) -> tuple[Rows, int]:
    """The first sheet's rows and the index of its header (the first row of three or
    more filled cells)."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if sum(v is not None for v in r) >= 3)
    return rows, header_at


def _on_copy(template: Path, make: Any) -> Any:
    """``make(db, folder)`` on a throwaway copy of the SQLite template ``template``."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        copy.write_bytes(Path(template).read_bytes())
        database = Database.open(copy)
        try:
            return make(database, Path(folder))
        finally:
            database.close()


@fresh_copies
def room_rows(arranged: Path) -> tuple[Rows, int]:
    """The rooms of the arranged demo, as ``export_rooms`` writes them."""
    from examsite.services.demo import DEMO_PLAN_CODE
    from examsite.services.room_import import export_rooms

    def make(db: Database, folder: Path) -> tuple[Rows, int]:
        export_rooms(db, DEMO_PLAN_CODE, folder / "rooms.xlsx")
        return _read_rows(folder / "rooms.xlsx")

    return _on_copy(arranged, make)  # type: ignore[no-any-return]


@fresh_copies
def registration_rows(arranged: Path, variant: str) -> tuple[Rows, int]:
    """The registrations of the arranged demo, as ``export_registrations`` writes them."""
    from examsite.services.demo import DEMO_PLAN_CODE
    from examsite.services.registration_sheets import export_registrations

    def make(db: Database, folder: Path) -> tuple[Rows, int]:
        export_registrations(db, DEMO_PLAN_CODE, folder / "reg.xlsx", variant)
        rows, header_at = _read_rows(folder / "reg.xlsx")
        return rows[: header_at + 9], header_at  # eight rows are enough to spoil

    return _on_copy(arranged, make)  # type: ignore[no-any-return]


@fresh_copies
def score_rows(arranged: Path) -> tuple[Rows, int]:
    """The demo plan's 科目成绩 export (``write_demo_score_sheet``), its first rows."""
    from examsite.services.demo import DEMO_PLAN_CODE
    from examsite.services.demo_scores import write_demo_score_sheet

    def make(db: Database, folder: Path) -> tuple[Rows, int]:
        write_demo_score_sheet(db, DEMO_PLAN_CODE, folder / "scores.xlsx")
        rows, header_at = _read_rows(folder / "scores.xlsx")
        return rows[: header_at + 9], header_at

    return _on_copy(arranged, make)  # type: ignore[no-any-return]


@functools.cache
def placed(arranged: Path) -> tuple[tuple[Any, ...], ...]:
    """(ticket, ID number, name, certificate, level, room, seat, subject, starts) of the
    first seats of the arranged demo."""
    from sqlalchemy import select as sel

    from examsite.storage.models import (
        Certificate,
        ExamSession,
        Registration,
        RegistrationSubject,
        Room,
        RoomSession,
        Seat,
        Subject,
    )

    def make(db: Database, _folder: Path) -> tuple[tuple[Any, ...], ...]:
        with db.read() as session:
            rows = session.execute(
                sel(
                    Registration.ticket_number, Candidate.id_number, Candidate.name,
                    Certificate.name, Certificate.level, Room.name, Seat.seat_number,
                    Subject.name, ExamSession.starts_at,
                )
                .join(Candidate, Candidate.id == Registration.candidate_id)
                .join(Certificate, Certificate.id == Registration.certificate_id)
                .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
                .join(Subject, Subject.id == RegistrationSubject.subject_id)
                .join(Seat, Seat.registration_subject_id == RegistrationSubject.id)
                .join(RoomSession, RoomSession.id == Seat.room_session_id)
                .join(Room, Room.id == RoomSession.room_id)
                .join(ExamSession, ExamSession.id == RoomSession.session_id)
                .order_by(Registration.id, Subject.kind)
                .limit(8)
            ).all()  # fmt: skip
        return tuple(tuple(r) for r in rows)

    return _on_copy(arranged, make)  # type: ignore[no-any-return]


def arrangement_rows(arranged: Path, plan: str) -> tuple[Rows, int]:
    """The platform's 排考明细 for the first seats, official tickets of its own."""
    header = ["序号", "准考证号", "学生姓名", "证件号码", "所属院校", "考场名称", "考位号",
              "考试科目", "考试时间", "考试计划"]  # fmt: skip
    rows: Rows = [["排考明细"], [], header]
    official: dict[str, str] = {}
    for i, (ticket, idn, name, _c, _l, room, seat, subject, starts) in enumerate(placed(arranged)):
        number = official.setdefault(ticket, f"OFFICIAL{len(official):04d}")
        rows.append([i + 1, number, name, idn, "", room, seat, subject,
                     starts.strftime("%Y-%m-%d %H:%M"), plan])  # fmt: skip
    return rows, 2


def result_rows(arranged: Path, plan: str) -> tuple[Rows, int]:
    """The platform's 考证结果 for the first registrations."""
    header = ["序号", "考试计划", "学生姓名", "证件号码", "准考证号", "考试证书", "证书等级",
              "总成绩", "考证结果", "证书编号"]  # fmt: skip
    rows: Rows = [header]
    level = {"junior": "初级", "intermediate": "中级", "senior": "高级"}
    seen: set[str] = set()
    for ticket, idn, name, cert, lvl, *_ in placed(arranged):
        if ticket in seen:
            continue
        seen.add(ticket)
        passed = len(seen) % 2 == 0
        rows.append([len(seen), plan, name, idn, ticket, cert, level.get(lvl, lvl),
                     76.5 if passed else 40, "通过" if passed else "未通过",
                     f"ZS{len(seen):04d}" if passed else ""])  # fmt: skip
    return rows, 0


def status_rows(arranged: Path) -> tuple[Rows, int]:
    """The platform's 考生信息 with statuses for the first candidates."""
    words = ("信息待认证", "需人工确认", "信息准确")
    rows: Rows = [["序号", "学生姓名", "证件号码", "手机号码", "所属院校", "信息状态"]]
    seen: set[str] = set()
    for _t, idn, name, *_ in placed(arranged):
        if idn not in seen:
            seen.add(idn)
            rows.append([len(seen), name, idn, "", "", words[len(seen) % 3]])
    return rows, 0
