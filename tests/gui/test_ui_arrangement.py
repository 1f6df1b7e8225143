"""The 排考 page: the plan's room sessions as seating plans, the run, the refusal when seats
run out, the late changes through its dialogs, and the official import."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from arrangement_data import PLAN, add_registrations, add_rooms
from examsite.domain.workflow import Step
from examsite.services.arrangement import arrangement_rows
from examsite.ui.main_window import MainWindow
from examsite.ui.pages.arrangement import ArrangementPage
from examsite.ui.pages.seating_plan import PALETTE


class FakeDialogs:
    def __init__(self) -> None:
        self.choice: int | None = 0
        self.move: tuple[str, int | None] | None = None
        self.sheet: Path | None = None
        self.refusals: list[str] = []
        self.asked: list[str] = []

    def open_sheet(self, parent):
        return self.sheet

    def ask_move(self, parent, name, rooms, current):
        self.asked.append(f"move {name} {rooms} {current}")
        return self.move

    def ask_choice(self, parent, title, prompt, choices):
        self.asked.append(title)
        return self.choice if choices else None

    def confirm(self, parent, title, text):
        self.asked.append(title)
        return True

    def show_refusal(self, parent, text):
        self.refusals.append(text)


@pytest.fixture
def page(db, window: MainWindow) -> ArrangementPage:
    add_rooms(db, [12, 12])
    add_registrations(db, [("A", 8), ("B", 8)])
    window.show_step(Step.ARRANGEMENT)
    arrangement = window.page(Step.ARRANGEMENT)
    assert isinstance(arrangement, ArrangementPage)
    arrangement.dialogs = FakeDialogs()  # type: ignore[assignment]
    return arrangement


def places(db):
    return {(r.id_number, r.subject): (r.room, r.seat) for r in arrangement_rows(db, PLAN)}


def test_the_page_shows_the_rooms_before_and_after_the_run(page: ArrangementPage, db) -> None:
    assert page.plan_code == PLAN
    assert page.session_list.count() == 4  # 2 rooms × theory and practical
    assert "没有考位（32）" in page.unseated_title.text()
    page.run_button.click()
    assert page.unseated_list.count() == 0
    assert "已排 32 个考位" in page.header.subtitle_label.text()
    grid = page.grid
    assert grid.plan is not None and grid.columnCount() == 6 and grid.rowCount() == 2
    first = grid.item(0, 0)
    assert first is not None and first.text().startswith("1  ")
    colours = {
        grid.item(r, c).background().color().name()  # type: ignore[union-attr]
        for r in range(grid.rowCount())
        for c in range(grid.columnCount())
        if grid.seat_at(r, c) is not None
    }
    assert colours <= set(PALETTE) and len(colours) == 2  # two classes, two colours
    assert "⚠" not in "".join(
        grid.item(r, c).text()  # type: ignore[union-attr]
        for r in range(grid.rowCount())
        for c in range(grid.columnCount())
    )
    page.session_list.setCurrentRow(1)
    assert page.grid.plan is not None and page.grid.plan.room == "第2考场"


def test_seats_running_out_are_shown_not_half_written(page: ArrangementPage, db) -> None:
    add_registrations(db, [("C", 10)], first=400)
    page.refresh()
    page.run_button.click()
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    assert dialogs.refusals and "考位不够" in dialogs.refusals[0]
    assert "2 名考生没有考位" in dialogs.refusals[0]
    assert places(db) == {}


def test_late_changes_from_the_page(page: ArrangementPage, db) -> None:
    page.run_button.click()
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    before = places(db)
    seat = page.grid.seat_at(0, 0)
    assert seat is not None
    dialogs.move = ("第2考场", 12)
    page.ask_move(seat)
    after = places(db)
    moved = [k for k in before if before[k] != after[k]]
    assert len(moved) == 1 and after[moved[0]] == ("第2考场", 12)

    dialogs.move = ("第1考场", None)  # double-click: back to the best free seat of room 1
    page.grid.cellDoubleClicked.emit(0, 3)
    assert "move" in dialogs.asked[-1]
    after = places(db)

    other = page.grid.seat_at(0, 1)
    assert other is not None
    dialogs.choice = 0
    page.ask_swap(other)
    assert sum(1 for k in after if after[k] != places(db)[k]) == 2

    victim = page.grid.seat_at(0, 2)
    assert victim is not None
    page.ask_withdraw(victim)
    assert page.unseated_list.count() == 2 and "已退出" in page.unseated_title.text()
    page.late_button.click()  # the first (only) person without a seat
    assert page.unseated_list.count() == 0


def test_official_import_from_the_page(page: ArrangementPage, db, tmp_path) -> None:
    page.run_button.click()
    seat = page.grid.seat_at(0, 0)
    assert seat is not None
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "身份证号", "准考证号", "考场", "座位号"])
    sheet.append([seat.name, seat.id_number, "PLATFORM-1", "第2考场", 3])
    book.save(tmp_path / "official.xlsx")
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    dialogs.sheet = tmp_path / "official.xlsx"
    page.import_button.click()
    rows = [r for r in arrangement_rows(db, PLAN) if r.id_number == seat.id_number]
    assert {(r.room, r.seat, r.ticket) for r in rows} == {("第2考场", 3, "PLATFORM-1")}


def test_a_plan_whose_exams_are_over_is_read_only(db, window: MainWindow) -> None:
    import datetime as dt

    from examsite import clock

    add_rooms(db, [4])
    add_registrations(db, [("A", 2)])
    with clock.fixed(dt.datetime(2027, 2, 1, 9, 0)):
        window.show_step(Step.ARRANGEMENT)
        page = window.page(Step.ARRANGEMENT)
        assert isinstance(page, ArrangementPage)
        page.refresh()
        assert not page.run_button.isEnabled() and not page.import_button.isEnabled()
        assert page.lock_label.isVisibleTo(page) and "不能再更改" in page.lock_label.text()
