"""The window's 前往 menu (issue 14): 概览 on Ctrl+0, the steps 1 to 9 on Ctrl+1 … Ctrl+9
(steps 10 and 11 without a shortcut) and 查找 (Ctrl+F) into the page's search box
(``BasePage.search_field``); each shortcut is shown beside its entry."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from examsite.domain.workflow import Step
from examsite.messages.titles import STEP_TITLES
from examsite.ui.pages.base import BasePage

NO_SEARCH = "这一页没有搜索框。考生页可以按姓名、拼音或证件号码查找。"


def build_go_menu(window: Any, menu: QMenu) -> tuple[dict[Step | None, QAction], QAction]:
    """Fill ``menu`` for ``window`` (the main window: ``context``, ``show_step``,
    ``current_page``, ``notify``); the step entries by step, and 查找."""
    actions: dict[Step | None, QAction] = {}
    for number, step in enumerate((None, *Step)):
        title = "概览" if step is None else f"{number} {STEP_TITLES[step]}"
        action = QAction(title, window)
        if number <= 9:
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
        action.triggered.connect(lambda _checked=False, s=step: _go_to(window, s))
        menu.addAction(action)
        actions[step] = action
    menu.addSeparator()
    find = QAction("查找(&F)", window)
    find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
    find.triggered.connect(lambda: _find(window))
    menu.addAction(find)
    return actions, find


def _go_to(window: Any, step: Step | None) -> None:
    if window.context is not None:  # nothing to go to before a database is shown
        window.show_step(step)


def _find(window: Any) -> None:
    page = window.current_page() if window.context is not None else None
    field = page.search_field() if isinstance(page, BasePage) else None
    if field is None or not field.isVisible():
        window.notify(NO_SEARCH)
        return
    field.setFocus()
    field.selectAll()
