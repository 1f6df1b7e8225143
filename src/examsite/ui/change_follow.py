"""The window's answer to what others commit (another PC on the school server, another
window or ``examsite-cli`` on the same file), told by ``ChangeWatcher``:

- the round's status (sidebar) is read again;
- the page in view is read again and the bar says "其他电脑修改了数据，已刷新。", unless
  the page holds unsaved edits (``BasePage.has_unsaved_edits``): then they are kept, the
  bar says "…，保存后刷新。" and the page is read after the next change it saves (or at
  once with the bar's button, or when it is shown again);
- a server that cannot be reached is said in the status bar until it is back;
- the status bar says where the data lives, with the link's encryption once known.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget

from examsite.ui.change_watch import ChangeBar, ChangeWatcher, location_text
from examsite.ui.pages.base import BasePage
from examsite.ui.tasks import TaskRunner
from examsite.ui.widgets import label

if TYPE_CHECKING:
    from examsite.storage.change_feed import Changes
    from examsite.storage.db import Database

UNREACHABLE = "连接不上学校服务器，正在重试…（已保存的数据不会丢失）"


class ChangeFollower(QObject):
    """Follows the open database's changes for the window (see the module's text).

    ``bar`` goes above the pages, ``connection_label`` into the status bar; ``path_label``
    is the window's own label of where the data lives.
    """

    def __init__(
        self,
        runner: TaskRunner,
        *,
        current_page: Callable[[], QWidget | None],
        request_status: Callable[[], None],
        notify: Callable[[str], None],
        path_label: QLabel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._current_page = current_page
        self._request_status = request_status
        self._notify = notify
        self._path_label = path_label
        self.watcher: ChangeWatcher | None = None
        self._db: Database | None = None
        self._stale: BasePage | None = None  # waits for its unsaved edits
        self.bar = ChangeBar()
        self.bar.refresh_button.clicked.connect(self._on_bar_refresh_clicked)
        self.connection_label = label("", "problemWarning")
        self.connection_label.setObjectName("connectionState")
        self.connection_label.hide()

    def follow(self, db: Database, *, active: bool) -> None:
        """Watch ``db`` from now on (the watch of the database before is closed)."""
        self.stop(now=False)
        self._db = db
        self._path_label.setText(location_text(db.url, db.file_path))
        watcher = self.watcher = ChangeWatcher(db, self._runner, parent=self)
        watcher.changed.connect(self._on_watcher_changed)
        watcher.reachability_changed.connect(self._on_watcher_reachability_changed)
        watcher.encryption_known.connect(self._on_watcher_encryption_known)
        watcher.start()
        watcher.set_active(active)

    def stop(self, *, now: bool = True) -> None:
        """Stop watching (``now``: the window closes; else behind the worker's jobs)."""
        if self.watcher is not None:
            self.watcher.retire(now=now)
            self.watcher.deleteLater()
            self.watcher = None
        self._stale = None
        self.bar.hide()
        self.connection_label.hide()

    def set_active(self, active: bool) -> None:
        """The window became active (ask now and on the slow timer) or went back."""
        if self.watcher is not None:
            self.watcher.set_active(active)

    def page_shown(self, page: QWidget) -> None:
        """Another page is shown (and read anew): a waiting one waits no more."""
        if self._stale is not None and self._stale is not page:
            self._stale = None
            self.bar.hide()

    def change_saved(self) -> None:
        """A job of the window changed the database: a waiting page may be read now."""
        self._refresh_stale(force=False)

    def _on_watcher_changed(self, changes: Changes) -> None:
        self._request_status()
        page = self._current_page()
        if not isinstance(page, BasePage):
            return
        if changes.missed and not changes.commits:
            what = "已重新连接学校服务器"
        elif self._db is not None and self._db.file_path is None:
            what = "其他电脑修改了数据"
        else:
            what = "另一个程序修改了数据"
        if page.has_unsaved_edits():
            self._stale = page
            self.bar.say(f"{what}，保存后刷新。", waiting=True)
            return
        self._stale = None
        page.refresh()
        self.bar.say(f"{what}，已刷新。", waiting=False)

    def _refresh_stale(self, *, force: bool) -> None:
        page = self._stale
        if page is None or page is not self._current_page():
            return
        if force or not page.has_unsaved_edits():
            self._stale = None
            self.bar.hide()
            page.refresh()

    def _on_bar_refresh_clicked(self) -> None:
        self._refresh_stale(force=True)

    def _on_watcher_reachability_changed(self, reachable: bool) -> None:
        self.connection_label.setText("" if reachable else UNREACHABLE)
        self.connection_label.setVisible(not reachable)
        if reachable:
            self._notify("已重新连接学校服务器。")

    def _on_watcher_encryption_known(self, tls: bool | None) -> None:
        if self._db is not None:
            self._path_label.setText(location_text(self._db.url, self._db.file_path, tls))
