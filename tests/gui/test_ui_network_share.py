"""The window refuses a database on a network share on start and from 文件 → 打开."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from examsite.errors import StorageError
from examsite.ui import errors as ui_errors
from examsite.ui.main_window import MainWindow
from examsite.ui.tasks import InlinePool, TaskRunner
from network_share_helpers import mount_as_nfs


class OpenDialogs:
    def __init__(self, path: Path) -> None:
        self.path = path

    def open_database(self, parent) -> Path | None:
        return self.path


def test_a_database_on_a_share_is_refused_on_start(qtbot, tmp_path, monkeypatch, shown_errors):
    share = tmp_path / "share"
    share.mkdir()
    mount_as_nfs(monkeypatch, share)
    win = MainWindow(TaskRunner(InlinePool()), present_error=shown_errors)
    qtbot.addWidget(win)
    win.open_database(share / "site.db")
    assert win.db is None
    assert "未能打开数据库" in win.waiting_label.text()
    [error] = shown_errors.errors
    assert isinstance(error, StorageError) and error.code == "storage.network_share"
    assert "连接到学校服务器" in str(error)
    assert list(share.iterdir()) == []


def test_opening_a_share_from_the_menu_keeps_the_open_database(
    qtbot, db, tmp_path, monkeypatch, shown_errors
):
    share = tmp_path / "share"
    share.mkdir()
    mount_as_nfs(monkeypatch, share)
    win = MainWindow(
        TaskRunner(InlinePool()),
        db,
        dialogs=OpenDialogs(share / "site.db"),
        present_error=shown_errors,
    )
    qtbot.addWidget(win)
    win.open_action.trigger()
    assert win.db is db
    assert [e.code for e in shown_errors.errors] == ["storage.network_share"]


def test_the_refusal_is_a_warning_dialog_with_the_whole_text(qtbot, tmp_path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    mount_as_nfs(monkeypatch, share)
    seen: list[tuple[str, str]] = []

    def capture() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.text(), box.icon().name))
            box.done(0)
        else:
            QTimer.singleShot(20, capture)

    win = MainWindow(TaskRunner(InlinePool()), present_error=ui_errors.show_error)
    qtbot.addWidget(win)
    QTimer.singleShot(0, capture)
    win.open_database(share / "site.db")
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    text, icon = seen[0]
    assert icon == "Warning"
    assert "网络共享" in text and "两台电脑同时写入" in text and "--db postgresql://" in text
