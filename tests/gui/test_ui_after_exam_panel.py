"""The after-exam tab on its own, in a small page: the checklist of 003's papers with two
boxes each, a tick stored and shown again after a re-read, the video names with their
copy buttons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from examsite.services.after_exam import paper_checklist, video_names
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.ui.after_exam_panel import AfterExamPanel
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.status_watcher import StatusWatcher
from examsite.ui.tasks import TaskRunner

NOW = dt.datetime(2027, 2, 1, 9, 0)


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(60))
    yield database
    database.close()


class SmallPage(BasePage):
    """A page that holds nothing but the panel, as the results page will."""


@pytest.fixture
def notes() -> list[str]:
    return []


@pytest.fixture
def panel(qtbot, arranged: Database, runner: TaskRunner, notes: list[str]) -> AfterExamPanel:
    context = PageContext(
        db=arranged,
        runner=runner,
        status=StatusWatcher(arranged, runner, lambda: NOW),
        navigate=lambda _step: None,
        notify=notes.append,
        clock=lambda: NOW,
    )
    page = SmallPage(context)
    qtbot.addWidget(page)
    widget = AfterExamPanel(page)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.set_plan(DEMO_PLAN_CODE)
    return widget


def test_the_checklist_has_two_boxes_per_paper(panel: AfterExamPanel):
    assert len(panel.boxes) == 12
    assert not any(box.isChecked() for box in panel.boxes.values())
    assert panel.progress_label.text() == "已完成 0/12"


def test_a_tick_is_stored_and_shown_again(panel: AfterExamPanel, arranged: Database):
    panel.boxes["sign_in.sent"].setChecked(True)
    stored = {i.key: i for i in paper_checklist(arranged, DEMO_PLAN_CODE).items}
    assert stored["sign_in"].sent and not stored["sign_in"].kept
    assert panel.progress_label.text() == "已完成 1/12"
    panel.boxes["sign_in.sent"].setChecked(False)
    assert paper_checklist(arranged, DEMO_PLAN_CODE).done == 0
    panel.boxes["room_record.kept"].setChecked(True)
    again = AfterExamPanel(panel.page)
    again.set_plan(DEMO_PLAN_CODE)
    assert again.boxes["room_record.kept"].isChecked()
    assert not again.boxes["room_record.sent"].isChecked()


def test_the_video_names_are_listed_with_a_copy_button(
    panel: AfterExamPanel, arranged: Database, notes: list[str]
):
    copied: list[str] = []
    panel.copy_text = copied.append
    expected = [v.name for v in video_names(arranged, DEMO_PLAN_CODE)]
    assert [name for name, _button in panel.copy_buttons] == expected
    name, copy = panel.copy_buttons[0]
    copy.click()  # type: ignore[attr-defined]
    assert copied[-1] == name
    panel.copy_all_button.click()
    assert copied[-1].splitlines() == expected
    assert notes[-1] == f"已复制：{len(expected)} 个文件名"


def test_no_plan_shows_nothing(panel: AfterExamPanel):
    panel.set_plan("")
    assert panel.boxes == {} and panel.copy_buttons == []
