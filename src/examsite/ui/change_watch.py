"""Noticing what other programs change (the Qt side of storage/change_feed.py).

``ChangeWatcher`` holds the open database's ``Watch``: on a school server it watches the
listening connection's socket with a ``QSocketNotifier`` and reads the notifications the
moment they arrive (libpq reads without waiting); on a SQLite file it asks
``data_version`` on a thread of its own when told to (``check``: the window regained focus, or the
slow timer while it is active). Either way ``changed(Changes)`` says others committed.

A lost server connection is reported once (``reachability_changed(False)``) and retried
quietly with growing pauses; when it is back, ``reachability_changed(True)`` and a
``changed`` (what happened meanwhile is not known).

``ChangeBar`` is the thin note above the page: "其他电脑修改了数据，已刷新。"
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from examsite.progress import Progress
from examsite.ui.tasks import TaskRunner
from examsite.ui.widgets import button, label

if TYPE_CHECKING:  # SQLAlchemy loads on the worker, after the window is up
    from examsite.storage.change_feed import Changes, Watch
    from examsite.storage.db import Database

log = logging.getLogger(__name__)

#: How often the window asks while it is the active window (SQLite has no push).
POLL_MS: Final = 5000
#: The pauses between attempts to reach a lost server again (the last one repeats).
RECONNECT_MS: Final = (2000, 5000, 15000, 30000)
#: How long "已刷新" stays up.
BAR_MS: Final = 8000

BAR_STYLE = """
QFrame#changeBar { background: #fff8c5; border-bottom: 1px solid #d4a72c; }
QFrame#changeBar QLabel { color: #4d2d00; }
"""


class ChangeWatcher(QObject):
    """The open database's watch (see the module's text); ``retire()`` ends it."""

    changed = Signal(object)  # Changes
    reachability_changed = Signal(bool)  # False: the server is unreachable; True: back
    encryption_known = Signal(object)  # bool | None: whether the server link is TLS

    def __init__(self, db: Database, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        # A thread of its own: a server that does not answer holds a connection attempt
        # for up to its connect timeout, and the window's work must not wait behind it
        # (tests hand in a synchronous runner, which is used as it is).
        self._own_runner = None if runner.is_synchronous else TaskRunner(parent=self)
        self._runner = self._own_runner or runner
        self.watch: Watch | None = None
        self.notifier: QSocketNotifier | None = None
        self._retired = False
        self._checking = False  # a SQLite check is on the worker
        self.lost = False
        self._attempt = 0
        self.poll_timer = QTimer(self, interval=POLL_MS)
        self.poll_timer.timeout.connect(self.check)
        self.reconnect_timer = QTimer(self, singleShot=True)
        self.reconnect_timer.timeout.connect(self._on_reconnect_timer_timeout)

    @property
    def is_server(self) -> bool:
        return not self._db.is_sqlite

    def start(self) -> None:
        """Open the watch on the worker (a server connection may take a moment)."""
        db = self._db

        def job(_progress: Progress) -> Watch:
            return db.changes.watch()

        self._runner.run(job, on_finished=self._on_ready, on_failed=self._on_lost, changes=False)

    def check(self) -> None:
        """Ask whether others committed since the last time (nothing while reconnecting)."""
        watch = self.watch
        if self._retired or watch is None or self.lost:
            return
        if watch.fileno() is not None:
            self._drain_here(watch)
            return
        if self._checking:
            return
        self._checking = True

        def job(_progress: Progress) -> Changes | None:
            return watch.drain()

        self._runner.run(
            job, on_finished=self._on_checked, on_failed=self._on_check_failed, changes=False
        )

    def set_active(self, active: bool) -> None:
        """The window became active (check now, then every ``POLL_MS``) or went back."""
        if active and not self._retired:
            self.check()
            self.poll_timer.start()
        else:
            self.poll_timer.stop()

    def retire(self, *, now: bool = False) -> None:
        """Another database was opened (the watch is closed on the worker, behind what
        still uses it) or the window closes (``now``): stop and close the watch."""
        self._retired = True
        self.poll_timer.stop()
        self.reconnect_timer.stop()
        self._drop_notifier()
        watch, self.watch = self.watch, None
        if now:
            if watch is not None:
                watch.close()
            if self._own_runner is not None:
                self._own_runner.shutdown(timeout_ms=1000)
            return
        if watch is None:
            return
        closing = watch

        def job(_progress: Progress) -> None:
            closing.close()

        self._runner.run(job, changes=False)

    # -- internals -----------------------------------------------------------------------

    def _on_ready(self, watch: Watch) -> None:
        if self._retired:
            watch.close()
            return
        self.watch = watch
        self._connected(watch)

    def _connected(self, watch: Watch) -> None:
        was_lost, self.lost, self._attempt = self.lost, False, 0
        handle = watch.fileno()
        if handle is not None:
            self.notifier = QSocketNotifier(handle, QSocketNotifier.Type.Read, self)
            self.notifier.activated.connect(self._on_notifier_activated)
        self.encryption_known.emit(getattr(watch, "ssl_in_use", None))
        if was_lost:
            log.info("the school server is reachable again")
            self.reachability_changed.emit(True)
            self.check()  # tells what was missed

    def _on_notifier_activated(self) -> None:
        if self.watch is not None:
            self._drain_here(self.watch)

    def _drain_here(self, watch: Watch) -> None:
        from examsite.storage.change_feed import WatchLost

        try:
            changes = watch.drain()
        except WatchLost as exc:
            self._on_lost(exc)
            return
        self._report(changes)

    def _on_checked(self, changes: Changes | None) -> None:
        self._checking = False
        self._report(changes)

    def _on_check_failed(self, error: BaseException) -> None:
        self._checking = False
        log.warning("checking for others' changes failed: %s", error)

    def _report(self, changes: Changes | None) -> None:
        if changes is not None and not self._retired:
            log.info("changed elsewhere: %s", changes)
            self.changed.emit(changes)

    def _on_lost(self, error: BaseException) -> None:
        if self._retired:
            return
        self._drop_notifier()
        if not self.is_server:
            log.warning("watching the database file failed: %s", error)
            return
        if not self.lost:
            log.warning("lost the school server: %s", error)
            self.lost = True
            self.reachability_changed.emit(False)
        pause = RECONNECT_MS[min(self._attempt, len(RECONNECT_MS) - 1)]
        self._attempt += 1
        self.reconnect_timer.start(pause)

    def _on_reconnect_timer_timeout(self) -> None:
        if self._retired:
            return
        watch, db = self.watch, self._db

        def job(_progress: Progress) -> Watch:
            if watch is None:
                return db.changes.watch()
            watch.reconnect()
            return watch

        self._runner.run(
            job, on_finished=self._on_reconnected, on_failed=self._on_lost, changes=False
        )

    def _on_reconnected(self, watch: Watch) -> None:
        if self._retired:
            watch.close()
            return
        self.watch = watch
        self._connected(watch)

    def _drop_notifier(self) -> None:
        if self.notifier is not None:
            self.notifier.setEnabled(False)
            self.notifier.deleteLater()
            self.notifier = None


def location_text(url: str, file: object | None, tls: bool | None = None) -> str:
    """Where the data lives, for the status bar: the SQLite file, or
    ``学校服务器 host:port/db（用户 …，已加密）`` (never the password)."""
    if file is not None:
        return f"数据库：{file}"
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    where = f"{host}:{parts.port or 5432}/{unquote(parts.path.lstrip('/'))}"
    notes = []
    if parts.username:
        notes.append(f"用户 {unquote(parts.username)}")
    if tls is not None:
        notes.append("已加密" if tls else "未加密")
    return f"学校服务器 {where}" + (f"（{'，'.join(notes)}）" if notes else "")


class ChangeBar(QFrame):
    """A thin note above the page; "立即刷新" when a page waits for its edits to be saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeBar")
        self.setStyleSheet(BAR_STYLE)
        self.text_label = label("", "")
        self.text_label.setObjectName("changeBarText")
        self.refresh_button = button("放弃未保存的修改并刷新", kind="link")
        self.refresh_button.setObjectName("changeBarRefresh")
        self.close_button = button("知道了", self.hide, kind="link")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.refresh_button)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self, singleShot=True, interval=BAR_MS)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def say(self, text: str, *, waiting: bool) -> None:
        """Show ``text``; ``waiting``: the page keeps its edits (the refresh button shows,
        the bar stays), else the bar goes away by itself."""
        self.text_label.setText(text)
        self.refresh_button.setVisible(waiting)
        self.show()
        if waiting:
            self._timer.stop()
        else:
            self._timer.start()
