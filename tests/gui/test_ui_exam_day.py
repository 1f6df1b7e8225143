"""The 考试 page on the arranged demo: the door on now chosen, the clock's phase, a scan
typed as a USB scanner types it (characters, then Enter) shown large with its verdict,
the list updated in place, refusals in red, marks from the list, the rest marked absent,
the scan field keeping the focus, the incidents tab, and everything inside 1366×768."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from examsite import clock
from examsite.domain.workflow import Step
from examsite.services.checkin import door_choices, door_list
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.ui.incidents_panel import IncidentsPanel
from examsite.ui.pages.exam_day import ExamDayPage
from gui_pages import page_in_window


class Moment:
    """The page's clock and the services' at once, movable within a test."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


class FakeDialogs:
    def __init__(self) -> None:
        self.note: str | None = "违纪说明"
        self.asked: list[str] = []

    def ask_note(self, parent: object, title: str, prompt: str) -> str | None:
        self.asked.append(prompt)
        return self.note

    def confirm(self, parent: object, title: str, body: str) -> bool:
        self.asked.append(body)
        return True


@pytest.fixture
def moment(arranged_db_file, monkeypatch) -> tuple[Moment, Path]:
    """10 minutes before the first session; the services' clock follows the page's."""
    path = arranged_db_file(60)
    db = Database.open(path)
    first = door_choices(db, DEMO_PLAN_CODE).doors[0]
    db.close()
    now = Moment(first.starts - dt.timedelta(minutes=10))
    monkeypatch.setattr(clock, "_source", now)
    return now, path


@pytest.fixture
def page(qtbot, moment, runner, shown_errors, tmp_path, monkeypatch) -> ExamDayPage:
    now, path = moment
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = Database.open(path)
    built = page_in_window(qtbot, db, runner, shown_errors, now, Step.EXAM_DAY, ExamDayPage)
    built.dialogs = FakeDialogs()  # type: ignore[assignment]
    return built


def scan(qtbot, page: ExamDayPage, code: str) -> None:
    """Type as a USB scanner does: the characters, then Enter."""
    qtbot.keyClicks(page.scan_field, code)
    qtbot.keyClick(page.scan_field, Qt.Key.Key_Return)


def test_the_door_on_now_its_clock_and_its_list(page: ExamDayPage) -> None:
    door = page.door
    assert door is not None
    assert page.door_combo.currentData() == door.room_session_uid
    assert page.door_combo.count() == len(page.doors)
    assert page.phase_label.text() == "入场中"
    assert page.next_label.text() == "距开考 10:00"
    assert page.clock_label.text() == f"{page.context.clock():%H:%M:%S}"
    assert page.model.rowCount() == len(page.seats) > 0
    assert "应到" in page.counts_label.text() and "已到 0" in page.counts_label.text()
    assert page.table.isColumnHidden(3)  # one subject behind the door


def test_a_scan_shows_the_candidate_large_and_updates_the_list(qtbot, page: ExamDayPage) -> None:
    seat = page.seats[2]
    scan(qtbot, page, seat.ticket)
    result = page.last_result
    assert result is not None and result.accepted
    assert page.scan_field.text() == ""
    assert page.card.name_label.text() == seat.name
    assert page.card.id_label.text().endswith(seat.masked_id)
    assert seat.id_number not in page.card.id_label.text()
    assert seat.ticket in page.card.ticket_label.text()
    assert f"{seat.room}　{seat.seat} 号座位" == page.card.seat_label.text()
    assert page.card.verdict_label.property("tone") == "ok"
    assert "签到成功" in page.card.verdict_label.text()
    assert page.model.item(2, 4).text() == "已签到"
    assert page.table.selectionModel().selectedRows()[0].row() == 2
    assert "已到 1" in page.counts_label.text()
    assert page.status_timer.isActive()  # the sidebar follows once the door is quiet
    pixmap = page.card.photo.pixmap()
    assert pixmap is None or not pixmap.isNull() or page.card.photo.text() == "无照片"


def test_refusals_are_red_or_amber_and_leave_the_list(qtbot, page: ExamDayPage) -> None:
    door = page.door
    assert door is not None
    scan(qtbot, page, "999999999")
    assert page.card.verdict_label.property("tone") == "bad"
    assert "查无此人" in page.card.verdict_label.text()
    scan(qtbot, page, page.seats[0].id_number)
    scan(qtbot, page, page.seats[0].id_number.lower())
    assert page.card.verdict_label.property("tone") == "warn"
    assert "请勿重复签到" in page.card.verdict_label.text()
    other_door = next(
        d for d in page.doors.values() if d.starts == door.starts and d.room != door.room
    )
    stranger = door_list(page.context.db, DEMO_PLAN_CODE, other_door.room_session_uid).seats[0]
    scan(qtbot, page, stranger.ticket)
    assert page.card.verdict_label.property("tone") == "bad"
    assert f"应到 {other_door.room}" in page.card.seat_label.text()
    assert stranger.name == page.card.name_label.text()
    assert all(s.seat_id != stranger.seat_id for s in page.seats)
    assert sum(1 for s in page.seats if s.status) == 1


def test_a_late_scan_is_amber_and_the_clock_follows(qtbot, page: ExamDayPage) -> None:
    door = page.door
    assert door is not None
    page.context.clock.at = door.starts + dt.timedelta(minutes=12)  # type: ignore[attr-defined]
    page._tick()
    assert page.phase_label.text().startswith("已开考")
    assert page.next_label.text() == "距停止入场 18:00"
    scan(qtbot, page, page.seats[0].ticket)
    assert page.card.verdict_label.property("tone") == "warn"
    assert page.model.item(0, 4).text() == "迟到"
    page.context.clock.at = door.starts + dt.timedelta(minutes=31)  # type: ignore[attr-defined]
    page._tick()
    assert page.phase_label.text() == "已禁止入场"
    scan(qtbot, page, page.seats[1].ticket)
    assert page.card.verdict_label.property("tone") == "bad"
    assert page.model.item(1, 4).text() == "迟到禁入"


def test_marks_from_the_list_and_the_rest_absent(qtbot, page: ExamDayPage) -> None:
    door = page.door
    assert door is not None
    page.table.selectRow(3)
    page.mark_buttons[4].click()  # 违纪…
    assert page.model.item(3, 4).text() == "违纪"
    assert page.model.item(3, 6).text() == "违纪说明"
    page.table.selectRow(4)
    page.mark_buttons[1].click()  # 缺考
    assert page.model.item(4, 4).text() == "缺考"
    page.mark_buttons[5].click()  # 撤销记录
    assert page.model.item(4, 4).text() == "未签到"
    assert not page.rest_absent_button.isEnabled()
    page.context.clock.at = door.starts + dt.timedelta(minutes=31)  # type: ignore[attr-defined]
    page._tick()
    assert page.rest_absent_button.isEnabled()
    page.rest_absent_button.click()
    assert page.model.item(0, 4).text() == "缺考"
    assert "未签到 0" in page.counts_label.text()


def test_the_scan_field_keeps_the_focus(qtbot, page: ExamDayPage) -> None:
    page.window().activateWindow()
    qtbot.waitUntil(lambda: page.scan_field.hasFocus(), timeout=2000)
    assert page.table.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in page.mark_buttons)
    page.table.selectRow(1)
    page.mark_buttons[1].click()
    assert page.scan_field.hasFocus()
    # Nothing else on the tab takes the keyboard: a scan never lands elsewhere.
    for widget in (page.door_combo, page.plan_combo, page.tabs.tabBar(), page.rest_absent_button):
        assert widget.focusPolicy() == Qt.FocusPolicy.NoFocus
    page.door_combo.activated.emit(0)
    assert page.scan_field.hasFocus()


def test_the_incidents_tab_is_told_the_plan(page: ExamDayPage) -> None:
    assert isinstance(page.incidents, IncidentsPanel)
    assert page.tabs.tabText(1) == "突发情况"
    assert page.incidents.plan_code == DEMO_PLAN_CODE


def test_it_fits_1366_by_768(qtbot, page: ExamDayPage) -> None:
    scan(qtbot, page, page.seats[0].ticket)
    window = page.window()
    window.resize(1366, 728 - 40)
    qtbot.wait(50)
    for widget in page.findChildren(QLabel):
        if not widget.isVisible() or widget.wordWrap() or not widget.text():
            continue
        hint = widget.sizeHint().width()
        assert widget.width() >= hint - 2, (widget.text(), widget.width(), hint)
    for button in page.mark_buttons:
        assert button.width() >= button.sizeHint().width() - 2, button.text()
    assert page.table.height() > 150 and page.card.height() > 250
