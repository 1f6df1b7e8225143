"""A Qt-free progress reporter for long work.

Services take a ``Progress`` and call ``step(done, total, label)``; they call
``check_cancelled()`` between items so a cancel from the window (or Ctrl-C in the CLI)
stops the job before anything is committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from examsite.errors import Cancelled

ProgressCallback = Callable[[int, int, str], None]


class Progress:
    """Progress of one job: a callback for updates and a flag for cancellation."""

    def __init__(self, callback: ProgressCallback | None = None) -> None:
        self._callback = callback
        self._cancel = threading.Event()

    def step(self, done: int, total: int, label: str = "") -> None:
        if self._callback is not None:
            self._callback(done, total, label)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise ``Cancelled`` when the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()
