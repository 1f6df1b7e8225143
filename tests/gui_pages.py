"""A page of the real main window, shown at 1366×768 (a lab PC's screen), for the page
tests that start from one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from examsite.domain.workflow import Step
from examsite.storage.db import Database
from examsite.ui.main_window import MainWindow
from examsite.ui.tasks import TaskRunner

PageT = TypeVar("PageT")


def page_in_window(
    qtbot: Any,
    db: Database,
    runner: TaskRunner,
    shown_errors: Any,
    clock: Callable[[], dt.datetime],
    step: Step,
    page_type: type[PageT],
) -> PageT:
    """The window on ``db`` with ``clock``, shown on ``step``; its page, of ``page_type``."""
    window = MainWindow(runner, db, clock=clock, present_error=shown_errors)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_step(step)
    built = window.page(step)
    assert isinstance(built, page_type)
    return built
