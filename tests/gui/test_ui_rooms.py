"""The rooms page: rooms, the capacity check, labs and the exam times on the demo site."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QApplication

from examsite.domain.workflow import Step
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.rooms import RoomForm, list_rooms
from examsite.ui.dialogs.room_dialogs import RoomFormDialog, SessionTimeDialog
from examsite.ui.main_window import MINIMUM_SIZE, MainWindow
from examsite.ui.models.rooms import TextTableModel
from examsite.ui.pages.rooms import CHECK_TAB, LABS_TAB, ROOMS_TAB, TIMES_TAB, RoomsPage

sys.path.insert(0, str(Path(__file__).parent.parent / "integration"))
from rooms_helpers import JUNIOR, register
from test_ui_main_window import clipped_labels

PLAN = DEMO_PLAN_CODE


class FakeDialogs:
    def __init__(self) -> None:
        self.open_path: Path | None = None
        self.save_path: Path | None = None
        self.answer = True
        self.asked: list[str] = []

    def open_import_file(self, parent):
        return self.open_path

    def save_template(self, parent):
        return self.save_path

    def save_export(self, parent, plan_code):
        return self.save_path

    def confirm(self, parent, title, text):
        self.asked.append(text)
        return self.answer


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def page(window: MainWindow, db, dialogs, demo_site) -> RoomsPage:
    demo_site(db, 60)
    register(db, JUNIOR, 45)
    built = window.page(Step.ROOMS)
    assert isinstance(built, RoomsPage)
    built.dialogs = dialogs  # type: ignore[assignment]
    window.show_step(Step.ROOMS)
    return built


def texts(model: TextTableModel) -> list[tuple[str, ...]]:
    return [model.row_texts(r) for r in range(model.rowCount())]


def select_row(table, row: int) -> None:
    table.selectRow(row)


def test_the_page_shows_the_demo_plan_short_of_rooms(page: RoomsPage) -> None:
    assert page.plan_combo.currentData() == PLAN
    assert page.rooms_model.rowCount() == 0
    checks = texts(page.check_model)
    assert [row[3] for row in checks] == ["45", "45"]  # theory and practical
    assert [row[5] for row in checks] == ["45", "45"]  # short by 45
    assert "考位不足" in page.header.subtitle_label.text()
    color = page.check_model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert color is not None and color.name() == "#cf222e"
    assert page.labs_model.rowCount() == 9
    assert page.sessions_model.rowCount() == 6
    assert "检查通过" in page.times_check.text()


def test_propose_fills_the_rooms_and_the_check(page: RoomsPage) -> None:
    page.propose_button.click()
    rooms = texts(page.rooms_model)
    assert [r[1] for r in rooms] == ["信息楼 301 机房", "实训楼 201 实训室"]  # 40 + 5 → 30
    assert all(r[4] == "机考+实操" for r in rooms)
    assert all(row[5] == "" for row in texts(page.check_model))
    assert texts(page.check_model)[0][6] == "23 + 22"
    assert page.tabs.currentIndex() == CHECK_TAB
    assert "各场次考位够用" in page.header.subtitle_label.text()


def test_add_a_room_and_a_refused_name_keeps_the_form(page: RoomsPage, db) -> None:
    page.add_room_button.click()
    dialog = page.form
    assert isinstance(dialog, RoomFormDialog)
    dialog.set_values(RoomForm("信息楼 501 机房", 50, 45, "湖北省", "武汉市", "洪山区", "五层"))
    dialog._on_save_clicked()
    assert [r.name for r in list_rooms(db, PLAN)] == ["信息楼 501 机房"]
    assert page.rooms_model.row_texts(0)[3] == "45"
    page.add_room_button.click()
    again = page.form
    assert isinstance(again, RoomFormDialog)
    again.set_values(RoomForm("信息楼 501 机房", 40))
    again._on_save_clicked()
    assert again.isVisible() and "不能重复" in again.error_label.text()
    assert len(list_rooms(db, PLAN)) == 1
    again.reject()


def test_edit_and_remove_a_room(page: RoomsPage, db, dialogs: FakeDialogs) -> None:
    page.propose_button.click()
    select_row(page.rooms_table, 0)
    page.edit_room_button.click()
    dialog = page.form
    assert isinstance(dialog, RoomFormDialog)
    assert dialog.name_edit.text() == "信息楼 301 机房"
    dialog.seats_spin.setValue(50)
    dialog._on_save_clicked()
    assert next(r for r in list_rooms(db, PLAN) if r.name == "信息楼 301 机房").seats == 50
    select_row(page.rooms_table, 0)
    dialogs.answer = False
    page.remove_room_button.click()
    assert len(list_rooms(db, PLAN)) == 2 and "信息楼 301 机房" in dialogs.asked[-1]
    dialogs.answer = True
    select_row(page.rooms_table, 0)
    page.remove_room_button.click()
    assert len(list_rooms(db, PLAN)) == 1


def test_labs_can_be_added_and_removed(page: RoomsPage, dialogs: FakeDialogs) -> None:
    page.tabs.setCurrentIndex(LABS_TAB)
    page.add_lab_button.click()
    dialog = page.form
    assert isinstance(dialog, RoomFormDialog) and dialog.certificate_combo.count() == 0
    dialog.set_values(RoomForm("图书馆机房", 60))
    dialog._on_save_clicked()
    assert page.labs_model.rowCount() == 10
    row = next(r for r in range(10) if page.labs_model.row_texts(r)[0] == "图书馆机房")
    select_row(page.labs_table, row)
    page.remove_lab_button.click()
    assert page.labs_model.rowCount() == 9


def test_moving_a_session_onto_its_sibling_shows_the_clash(page: RoomsPage) -> None:
    page.tabs.setCurrentIndex(TIMES_TAB)
    rows = texts(page.sessions_model)
    practical = next(i for i, r in enumerate(rows) if "初级" in r[2] and r[3] == "实操")
    select_row(page.sessions_table, practical)
    page.edit_time_button.click()
    dialog = page.form
    assert isinstance(dialog, SessionTimeDialog)
    start, end = dialog.times()
    assert end - start == dt.timedelta(minutes=120)
    theory = next(r for r in rows if "初级" in r[2] and r[3] == "理论")
    hour = int(theory[1][:2])
    dialog.start_edit.setDateTime(
        dialog.start_edit.dateTime().addSecs(
            (hour - start.hour) * 3600 - start.minute * 60 + 30 * 60
        )
    )
    dialog._on_save_clicked()
    assert "重叠" in page.times_check.text()
    assert "冲突" in page.tabs.tabText(TIMES_TAB)
    assert "已手动调整" in [r[6] for r in texts(page.sessions_model)]


def test_import_template_and_export(page: RoomsPage, dialogs: FakeDialogs, tmp_path: Path) -> None:
    dialogs.save_path = tmp_path / "t.xlsx"
    page.template_button.click()
    book = openpyxl.load_workbook(dialogs.save_path)
    ws = book.worksheets[0]
    for r, name in enumerate(("A 机房", "B 机房"), start=4):
        values = [PLAN, "计划", "S", "站点", name, 45, "湖北省", "武汉市", "洪山区", "一号楼",
                  JUNIOR, "数字营销技术应用职业技能等级证书", "初级", "理论,实操", "机考+实操"]  # fmt: skip
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    book.save(dialogs.save_path)
    dialogs.open_path = dialogs.save_path
    page.import_button.click()
    assert [r[1] for r in texts(page.rooms_model)] == ["A 机房", "B 机房"]
    dialogs.save_path = tmp_path / "out.xlsx"
    page.export_seats_action.trigger()
    out = openpyxl.load_workbook(dialogs.save_path).worksheets[0]
    assert [out.cell(r, 5).value for r in (4, 5)] == ["A 机房", "B 机房"]


def test_a_refused_sheet_is_shown_and_nothing_added(
    page: RoomsPage, dialogs, tmp_path, shown_errors
) -> None:
    path = tmp_path / "bad.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["*考试计划编号", "*考场名称", "*考位数"])
    ws.append([PLAN, "A", "很多"])
    book.save(path)
    dialogs.open_path = path
    page.import_button.click()
    assert page.rooms_model.rowCount() == 0
    assert shown_errors.errors and shown_errors.errors[0].code == "rooms.import_refused"


def test_the_table_model_passes_the_model_tester(qtmodeltester) -> None:
    model = TextTableModel(("a", "b"), numeric=(1,))
    model.set_rows([("x", "1"), ("y", "2")], keys=["k1", "k2"], tones=["error", ""])
    qtmodeltester.check(model)
    assert model.key(1) == "k2"


def test_no_tab_cuts_a_label_off_at_the_minimum_size(window: MainWindow, page: RoomsPage) -> None:
    page.propose_button.click()
    window.resize(QSize(MINIMUM_SIZE.width(), MINIMUM_SIZE.height()))
    for tab in (ROOMS_TAB, CHECK_TAB, LABS_TAB, TIMES_TAB):
        page.tabs.setCurrentIndex(tab)
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()
        assert clipped_labels(window) == [], tab


def test_a_plan_whose_exam_has_begun_is_read_only(window: MainWindow, db, demo_site) -> None:
    from examsite import clock
    from examsite.services.rooms_view import rooms_view

    demo_site(db, 20)
    exam_start = rooms_view(db).sessions[0].starts_at
    with clock.fixed(exam_start + dt.timedelta(hours=1)):
        page = window.page(Step.ROOMS)
        assert isinstance(page, RoomsPage)
        window.show_step(Step.ROOMS)
        assert "开考" in page.header.subtitle_label.text()
        assert not page.propose_button.isEnabled() and not page.add_room_button.isEnabled()
        assert page.export_button.isEnabled() and page.add_lab_button.isEnabled()
