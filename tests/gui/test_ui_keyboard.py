"""Keyboard (issue 14): 前往 › 概览 and the steps on Ctrl+0 … Ctrl+9, shown in the menu;
查找 (Ctrl+F) puts the cursor in the page's search box."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from examsite.domain.workflow import Step
from examsite.ui.main_window import MainWindow


def test_the_steps_are_on_ctrl_and_a_digit(window: MainWindow) -> None:
    shortcuts = {
        step: action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        for step, action in window.go_actions.items()
    }
    assert shortcuts[None] == "Ctrl+0"
    assert shortcuts[Step.SITE] == "Ctrl+1" and shortcuts[Step.SYNC] == "Ctrl+9"
    assert shortcuts[Step.EXAM_DAY] == "" and shortcuts[Step.RESULTS] == ""
    assert len(set(shortcuts.values()) - {""}) == 10  # no two entries share one
    window.go_actions[Step.PHOTOS].trigger()
    assert window.current_page() is window.page(Step.PHOTOS)
    assert window.sidebar.current_step() is Step.PHOTOS
    window.go_actions[None].trigger()
    assert window.current_page() is window.page(None)


def test_find_focuses_the_search_box_or_says_there_is_none(
    qtbot, db, runner, shown_errors, demo_site
) -> None:
    demo_site(db, 10)  # the search box shows once there are candidates
    window = MainWindow(runner, db, present_error=shown_errors)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # focus goes only to an active window
    told: list[str] = []
    window.notify = told.append  # type: ignore[method-assign]
    window.find_action.trigger()
    assert told and "没有搜索框" in told[0]
    window.go_actions[Step.CANDIDATES].trigger()
    page = window.page(Step.CANDIDATES)
    field = page.search_field()
    assert field is not None
    field.setText("张")
    window.find_action.trigger()
    assert field.hasFocus() and field.selectedText() == "张"
