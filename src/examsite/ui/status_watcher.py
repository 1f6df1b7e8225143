"""The round's status as the window shows it, recomputed on the worker on request."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from examsite.clock import now as clock_now
from examsite.progress import Progress
from examsite.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the services load SQLAlchemy: on the worker, after the window is up
    from examsite.services.catalog import PlanInfo
    from examsite.services.status import RoundStatus
    from examsite.storage.db import Database

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class RoundView:
    """What the sidebar and the dashboard show: the status, every plan's windows, and the
    moment both were computed for."""

    status: RoundStatus
    plans: tuple[PlanInfo, ...]
    now: dt.datetime


def read_round(db: Database, now: dt.datetime) -> RoundView:
    """Runs on the worker: the round's status and the plans' windows."""
    from examsite.services.catalog import load_catalog
    from examsite.services.status import round_status

    return RoundView(round_status(db, now=now), load_catalog(db).plans, now)


class StatusWatcher(QObject):
    """Holds the latest ``RoundView`` and emits ``refreshed`` when a new one arrives.

    Requests made while a refresh is under way are folded into one more refresh, so a
    burst of jobs costs at most two reads.
    """

    refreshed = Signal(object)  # RoundView

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        clock: Clock = clock_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._clock = clock
        self._running = False
        self._again = False
        self._retired = False
        self.current: RoundView | None = None

    def retire(self) -> None:
        """Another database was opened: never report this one's status again."""
        self._retired = True

    def request(self) -> None:
        """Recompute the status on the worker (coalesced with one already under way)."""
        if self._retired:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        now = self._clock()
        db = self._db

        def compute(_progress: Progress) -> RoundView:
            return read_round(db, now)

        self._runner.run(
            compute,
            on_finished=self._on_job_finished,
            on_failed=self._on_job_failed,
            changes=False,
        )

    def _on_job_finished(self, view: RoundView) -> None:
        if self._retired:
            return
        self.current = view
        self.refreshed.emit(self.current)
        self._done()

    def _on_job_failed(self, error: BaseException) -> None:
        self._done()
        self._runner.error_handler(error)

    def _done(self) -> None:
        self._running = False
        if self._again:
            self._again = False
            self.request()
