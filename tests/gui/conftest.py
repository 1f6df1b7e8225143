"""GUI tests: offscreen, any Qt warning fails the test, jobs run synchronously by default.

Set ``QT_QPA_PLATFORM=xcb`` (with a display) to watch the tests on screen.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import datetime as dt
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

from examsite.storage.db import Database
from examsite.ui.app import create_application
from examsite.ui.tasks import InlinePool, TaskRunner

if TYPE_CHECKING:
    from examsite.ui.main_window import MainWindow

# The offscreen platform says this for every top-level window it shows; it is not ours.
IGNORED_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
FAILING_LEVELS = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)

# A fixed "now": 2026-11-22, 47 days before the first plan's registration deadline.
NOW = dt.datetime(2026, 11, 22, 9, 0)


@pytest.fixture(autouse=True)
def fail_on_qt_warnings() -> Iterator[list[str]]:
    """Record every Qt warning (from any thread) and fail the test if there was one."""
    recorded: list[str] = []
    lock = threading.Lock()

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if mode in FAILING_LEVELS and not message.startswith(IGNORED_QT_MESSAGES):
            with lock:
                recorded.append(f"{mode.name}: {message} ({context.file}:{context.line})")
        if previous is not None:
            previous(mode, context, message)

    previous = qInstallMessageHandler(handler)
    yield recorded
    qInstallMessageHandler(previous)
    if recorded:
        pytest.fail("Qt warned:\n" + "\n".join(recorded), pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def styled_app(qapp: QApplication) -> QApplication:
    """The application as ``examsite`` sets it up: name, font, the style sheet."""
    return create_application([])


@pytest.fixture
def now() -> dt.datetime:
    return NOW


@pytest.fixture
def db_file_name() -> str:
    """The ``db`` fixture's file (tests/conftest.py): the window's title shows it."""
    return "x.db"


@pytest.fixture
def runner() -> TaskRunner:
    """A runner whose jobs run at once on the calling thread (Picard's FakeThreadPool)."""
    return TaskRunner(InlinePool())


class ErrorRecorder:
    """Stands in for the error dialogs: remembers what would have been shown."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []

    def __call__(self, parent: QWidget | None, error: BaseException) -> None:
        self.errors.append(error)


@pytest.fixture
def shown_errors() -> ErrorRecorder:
    return ErrorRecorder()


@pytest.fixture
def window(qtbot, db: Database, runner: TaskRunner, shown_errors: ErrorRecorder) -> MainWindow:
    from examsite.ui.main_window import MainWindow

    win = MainWindow(runner, db, clock=lambda: NOW, present_error=shown_errors)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win
