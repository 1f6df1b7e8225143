"""The incidents tab on its own, in a small page: the list, the filter by room session,
recording an extension through the form (and the organisation warning after it), a
refusal shown in the form with nothing lost, an edit, a removal, the filled form printed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from examsite import clock
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.incidents import IncidentForm, add_incident, list_incidents
from examsite.storage.db import Database
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose
from examsite.ui.incidents_panel import IncidentsPanel
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.status_watcher import StatusWatcher
from examsite.ui.tasks import TaskRunner
from incident_helpers import Sitting, sittings


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(60))
    yield database
    database.close()


@pytest.fixture
def first(arranged: Database) -> Sitting:
    return sittings(arranged)[0]


@pytest.fixture
def moment(first: Sitting) -> Iterator[dt.datetime]:
    at = first.starts_at + dt.timedelta(minutes=40)
    with clock.fixed(at):
        yield at


class SmallPage(BasePage):
    """A page that holds nothing but the panel, as the exam-day page will."""


def make_page(qtbot, db: Database, runner: TaskRunner, now: dt.datetime) -> SmallPage:
    notes: list[str] = []
    context = PageContext(
        db=db,
        runner=runner,
        status=StatusWatcher(db, runner, lambda: now),
        navigate=lambda _step: None,
        notify=notes.append,
        clock=lambda: now,
    )
    page = SmallPage(context)
    page.notes = notes  # type: ignore[attr-defined]
    qtbot.addWidget(page)
    return page


@pytest.fixture
def panel(qtbot, arranged: Database, runner: TaskRunner, moment: dt.datetime) -> IncidentsPanel:
    page = make_page(qtbot, arranged, runner, moment)
    widget = IncidentsPanel(page)
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    widget.set_plan(DEMO_PLAN_CODE)
    return widget


def test_an_empty_plan_says_so_and_offers_to_record(panel: IncidentsPanel, first: Sitting):
    assert panel.model.rowCount() == 0
    assert panel.empty_label.isVisible() and "还没有突发情况记录" in panel.empty_label.text()
    assert panel.add_button.isEnabled() and not panel.edit_button.isEnabled()
    # all, site, and every room session
    assert panel.filter_combo.count() == 2 + len(sittings(panel.page.context.db))
    assert first.room in panel.filter_combo.itemText(2)


def test_record_an_extension_through_the_form(panel: IncidentsPanel, first: Sitting):
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData(first.room_session_uid))
    panel.add_button.click()
    form = panel.form
    assert form is not None
    assert form.room_session() == (first.room, first.session_uid)
    form.code_combo.setCurrentIndex(form.code_combo.findData("extension"))
    assert form.minutes_spin.isEnabled() and "15 分钟" in form.hint_label.text()
    form.minutes_spin.setValue(20)
    form.action_edit.setText("停电后延时")
    form.by_edit.setText("王老师")
    form.save_button.click()
    assert panel.form is None
    assert panel.model.rowCount() == 1
    cells = panel.model.row_texts(0)
    assert cells[1] == "延时 20 分钟" and cells[2] == first.room and cells[7] == "王老师"
    assert panel.notice_label.isVisible()
    assert "评价组织决定" in panel.notice_label.text()
    assert panel.notice_label.property("role") == "problemWarning"


def test_a_refusal_is_shown_in_the_form_and_nothing_typed_is_lost(
    panel: IncidentsPanel, first: Sitting
):
    panel.add_button.click()
    form = panel.form
    assert form is not None
    form.code_combo.setCurrentIndex(form.code_combo.findData("misconduct"))
    assert not form.minutes_spin.isEnabled()
    form.select_room_session(first.room, first.session_uid)
    form.candidates_edit.setText("110101199003077777")
    form.description_edit.setPlainText("携带手机")
    form.save_button.click()
    assert panel.form is form and form.isVisible()
    assert form.error_label.isVisible()
    assert "没有报考这个考试计划" in form.error_label.text()
    assert "处理措施" in form.error_label.text()
    assert form.description_edit.toPlainText() == "携带手机"
    # pick the candidate of seat 1 from the room's list instead of typing the ID number
    assert form.pick_combo.isEnabled() and form.pick_combo.count() == 1 + len(first.seats)
    assert form.pick_combo.itemText(1) == f"{first.seats[0][0]} 号　{first.seats[0][2]}"
    form.candidates_edit.clear()
    form.pick_combo.activated.emit(1)
    form.pick_combo.activated.emit(1)  # twice: still once
    assert form.candidates_edit.text() == first.seats[0][1]
    form.action_edit.setText("警告")
    form.save_button.click()
    assert panel.form is None
    assert panel.model.row_texts(0)[4].startswith(first.seats[0][2])
    assert "考生签字" in panel.notice_label.text()


def add(db: Database, sitting: Sitting, code: str = "power_cut", **kw: object) -> None:
    add_incident(
        db,
        DEMO_PLAN_CODE,
        IncidentForm(code, sitting.starts_at + dt.timedelta(minutes=10), "处理", **kw),  # type: ignore[arg-type]
    )


def test_filter_edit_and_remove(panel: IncidentsPanel, first: Sitting, arranged: Database):
    add(arranged, first)  # site-wide
    add(arranged, first, "extension", room=first.room, session_uid=first.session_uid, minutes=5)
    panel.refresh()
    assert panel.model.rowCount() == 2
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData("site"))
    assert panel.model.rowCount() == 1 and panel.model.row_texts(0)[2] == "全考点"
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData(first.room_session_uid))
    assert panel.model.rowCount() == 1
    panel.table.selectRow(0)
    assert panel.edit_button.isEnabled()
    panel.edit_button.click()
    form = panel.form
    assert form is not None and form.minutes_spin.value() == 5
    form.minutes_spin.setValue(8)
    form.save_button.click()
    assert [r.minutes for r in list_incidents(arranged, DEMO_PLAN_CODE) if r.minutes] == [8]
    panel.table.selectRow(0)
    asked: list[str] = []
    panel.confirm = lambda _title, text: asked.append(text) or True
    panel.remove_button.click()
    assert asked and "延时" in asked[0]
    assert len(list_incidents(arranged, DEMO_PLAN_CODE)) == 1


class ChosenFile(FileDialogs):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def ask_save(
        self, purpose: Purpose, parent: QWidget, title: str, filters: str, name: str = ""
    ) -> Path | None:
        return self.path


def test_print_the_filled_form_of_the_room_session(
    panel: IncidentsPanel, first: Sitting, tmp_path: Path
):
    out = tmp_path / "form.pdf"
    panel.file_dialogs = ChosenFile(out)
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData(first.room_session_uid))
    panel.print_button.click()
    assert out.read_bytes().startswith(b"%PDF")
    assert any("form.pdf" in note for note in panel.page.notes)  # type: ignore[attr-defined]
