"""What every page gets (``PageContext``) and what it offers the window (``BasePage``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit, QWidget

from examsite.clock import now as clock_now
from examsite.domain.workflow import Step
from examsite.ui.status_watcher import StatusWatcher
from examsite.ui.tasks import PageJobs, TaskRunner

if TYPE_CHECKING:  # SQLAlchemy stays out of the window's start (see tests/gui/test_startup.py)
    from examsite.storage.db import Database


@dataclass(frozen=True)
class PageContext:
    """The database, the worker and the window's services, handed to each page.

    A page never runs a service on the GUI thread: it runs a function that takes the
    database from here through ``page.jobs`` (``read`` or ``change``, on ``runner``).
    ``navigate(step)`` shows another page
    (None: the dashboard); ``status.current`` is the latest ``RoundView``.
    """

    db: Database
    runner: TaskRunner
    status: StatusWatcher
    navigate: Callable[[Step | None], None]
    notify: Callable[[str], None]  # a short message in the window's status bar
    clock: Callable[[], dt.datetime] = field(default=clock_now)


class BasePage(QWidget):
    """A page of the main window; ``refresh()`` is called each time it is shown.

    ``jobs`` runs the page's background work and keeps its busy state (``PageJobs``).
    """

    step: Step | None = None  # None for the dashboard

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.jobs = PageJobs(context.runner, context.notify, self)
        self.setObjectName("page")

    def refresh(self) -> None:
        """Re-read what the page shows (through ``self.jobs``); default: nothing."""

    def search_field(self) -> QLineEdit | None:
        """The page's search box, which 查找 (Ctrl+F) focuses; default: none."""
        return None

    def has_unsaved_edits(self) -> bool:
        """Whether the page holds typed-in values not yet saved, which a ``refresh`` would
        overwrite (the window then waits before showing others' changes); default: no."""
        return False
