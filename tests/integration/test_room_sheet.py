"""The platform's room sheet (003, 批量导入考场表): template, import, export, and the
export read back by readers other than ours (openpyxl, calamine)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from rooms_helpers import INTERMEDIATE, JUNIOR
from sqlalchemy import func, select

from examsite.errors import InputError
from examsite.formats.templates import get_template
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.room_import import export_rooms, import_rooms, write_room_template
from examsite.services.rooms import RoomForm, add_room, list_rooms
from examsite.storage.db import Database
from examsite.storage.models import Room, RoomSession

PLAN = DEMO_PLAN_CODE
HEADERS = [h.title for h in get_template("rooms.platform").columns]


@pytest.fixture
def demo(db: Database, demo_site) -> Database:
    demo_site(db, 20)
    return db


def row(name: str, seats: object = 45, cert: str = JUNIOR, plan: str = PLAN) -> list[object]:
    return [plan, "演示计划", "EX-SITE-001", "站点", name, seats, "湖北省", "武汉市", "洪山区",
            "示例大道 1 号", cert, "数字营销技术应用职业技能等级证书", "初级", "理论,实操",
            "机考+实操"]  # fmt: skip


def sheet(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["批量导入考场表"])
    ws.append(["说明：每行一个考场"])
    ws.append(headers)
    for values in rows:
        ws.append(values)
    book.save(path)
    return path


def count_rooms(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Room)) or 0


def test_the_template_has_the_platforms_columns(tmp_path: Path) -> None:
    path = write_room_template(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[3]]
    assert header[:2] == ["*考试计划编号", "*所属考试计划"] and header[-1] == "*考场类型"
    assert len(header) == 15 and "*考位数" in header


def test_a_good_sheet_adds_rooms_and_their_sessions(demo: Database, tmp_path: Path) -> None:
    path = sheet(
        tmp_path / "r.xlsx", [row("A 机房"), row("B 机房", 40.0), row("A 机房", cert=INTERMEDIATE)]
    )
    report = import_rooms(demo, path)
    assert (report.rows, report.created, report.updated) == (3, 3, 0)
    rooms = list_rooms(demo, PLAN)
    assert sorted((r.name, r.seats, r.certificate_code) for r in rooms) == [
        ("A 机房", 45, JUNIOR), ("A 机房", 45, INTERMEDIATE), ("B 机房", 40, JUNIOR)
    ]  # fmt: skip
    assert all(r.room_type == "机考+实操" and r.province == "湖北省" for r in rooms)
    with demo.read() as session:
        assert session.scalar(select(func.count()).select_from(RoomSession)) == 6
    again = import_rooms(demo, path)  # the same sheet again changes nothing
    assert (again.created, again.updated) == (0, 0) and count_rooms(demo) == 3


def test_a_messy_sheet_close_to_the_template_is_read(demo: Database, tmp_path: Path) -> None:
    headers = ["考场名称", "座位数", "计划编号", "证书编号", "省份", "市", "区县", "地址", "备注"]
    rows = [["  信息楼\u3000301 ", "45", PLAN, JUNIOR, "湖北省", "武汉市", "洪山区", "一号楼", "x"],
            [None] * 9]  # fmt: skip
    report = import_rooms(demo, sheet(tmp_path / "messy.xlsx", rows, headers))
    assert report.created == 1
    assert [r.name for r in list_rooms(demo, PLAN)] == ["信息楼 301"]


def test_an_existing_room_is_updated_and_a_wrong_type_noted(demo: Database, tmp_path: Path) -> None:
    add_room(demo, PLAN, JUNIOR, RoomForm("A 机房", 30))
    values = row("A 机房", 50)
    values[-1] = "实操"
    report = import_rooms(demo, sheet(tmp_path / "r.xlsx", [values]))
    assert (report.created, report.updated) == (0, 1)
    assert [p.code for p in report.problems] == ["rooms.import_type_derived"]
    assert list_rooms(demo, PLAN)[0].seats == 50


def test_bad_rows_refuse_the_whole_sheet_row_by_row(demo: Database, tmp_path: Path) -> None:
    rows = [
        row("好的机房"),
        row("A 机房", "四十五"),
        row("B 机房", cert="999"),
        row("C 机房", plan="0000"),
        row("D 机房", 0),
        row("E 机房"),
        row("E 机房"),  # the same name twice
        row(""),
    ]
    with pytest.raises(InputError) as caught:
        import_rooms(demo, sheet(tmp_path / "bad.xlsx", rows))
    error = caught.value
    assert error.code == "rooms.import_refused" and "整个表格都没有导入" in error.message
    by_row = {p.row: p.code for p in error.problems}
    assert by_row == {
        5: "rooms.import_bad_number",
        6: "rooms.import_unknown_certificate",
        7: "rooms.import_unknown_plan",
        8: "rooms.bad_seats",
        10: "rooms.import_duplicate",
        11: "rooms.import_cell_empty",
    }
    assert count_rooms(demo) == 0  # nothing half-written


def test_a_dry_run_writes_nothing(demo: Database, tmp_path: Path) -> None:
    report = import_rooms(demo, sheet(tmp_path / "r.xlsx", [row("A 机房")]), dry_run=True)
    assert report.created == 1 and count_rooms(demo) == 0


def test_a_sheet_without_the_key_columns_is_refused(demo: Database, tmp_path: Path) -> None:
    path = sheet(tmp_path / "r.xlsx", [["x", "y"]], ["考场名称", "所在省"])
    with pytest.raises(InputError) as caught:
        import_rooms(demo, path)
    assert caught.value.code in ("rooms.import_missing_columns", "import.no_header")


def test_the_export_reads_back_with_other_readers(demo: Database, tmp_path: Path) -> None:
    add_room(
        demo, PLAN, JUNIOR, RoomForm("=1+1 机房", 45, 40, "湖北省", "武汉市", "洪山区", "一号楼")
    )
    add_room(
        demo,
        PLAN,
        INTERMEDIATE,
        RoomForm("信息楼 302 机房", 45, None, "湖北省", "武汉市", "洪山区", "二号楼"),
    )
    out = tmp_path / "out.xlsx"
    assert export_rooms(demo, PLAN, out) == 2
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert [c.value for c in ws[3]] == HEADERS
    first = [c.value for c in ws[4]]
    assert first[0] == PLAN and first[4] == "=1+1 机房" and first[5] == 45
    assert first[10] == JUNIOR and first[12] == "初级" and first[14] == "机考+实操"
    assert ws.cell(4, 5).data_type == "s"  # text, never a formula
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert [r[4] for r in rows[3:]] == ["=1+1 机房", "信息楼 302 机房"]
    # And our own import takes the export back without a change.
    report = import_rooms(demo, out)
    assert (report.created, report.updated) == (0, 0)


def test_the_export_can_write_the_planned_seats(demo: Database, tmp_path: Path) -> None:
    from rooms_helpers import register

    for name in ("A 机房", "B 机房"):
        add_room(demo, PLAN, JUNIOR, RoomForm(name, 50, None, "湖北省", "武汉市", "洪山区", "x"))
    register(demo, JUNIOR, 18)
    out = tmp_path / "planned.xlsx"
    export_rooms(demo, PLAN, out, planned=True)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert [(ws.cell(r, 5).value, ws.cell(r, 6).value) for r in (4, 5)] == [
        ("A 机房", 9),
        ("B 机房", 9),
    ]  # 000: several rooms share the candidates; the physical seats otherwise
    export_rooms(demo, PLAN, out)
    assert openpyxl.load_workbook(out).worksheets[0].cell(4, 6).value == 50
