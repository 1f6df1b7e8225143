"""连接到学校服务器: the dialog tests on the worker, saves the password only to the
credential store and asks the window to switch (a fake ``psycopg.connect``, no server)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from examsite.services import server_settings as ss
from examsite.ui.dialogs.server_dialog import ServerDialog
from examsite.ui.main_window import MainWindow
from examsite.ui.tasks import PageJobs, TaskRunner
from server_fakes import FakeConnect, FakeConnection, MemoryKeyring, memory_keyring

__all__ = ["memory_keyring"]

SECRET = "p@ss:/中文%"


def fill(dialog: ServerDialog, *, password: str = SECRET) -> None:
    dialog.host_edit.setText("192.168.1.10")
    dialog.port_spin.setValue(5433)
    dialog.database_edit.setText("examsite")
    dialog.user_edit.setText("kaowu")
    dialog.password_edit.setText(password)
    dialog.tls_combo.setCurrentIndex(ss.TLS_MODES.index("require"))


@pytest.fixture
def dialog_jobs(qtbot: Any, runner: TaskRunner) -> PageJobs:
    owner = QWidget()
    qtbot.addWidget(owner)
    return PageJobs(runner, lambda _text: None, owner)


def test_the_password_field_hides_what_is_typed(
    qtbot: Any, dialog_jobs: PageJobs, memory_keyring: MemoryKeyring
) -> None:
    dialog = ServerDialog(dialog_jobs, connect=FakeConnect())
    qtbot.addWidget(dialog)
    assert dialog.password_edit.echoMode() is dialog.password_edit.EchoMode.Password
    assert dialog.windowTitle() == "连接到学校服务器"
    assert not dialog.local_button.isEnabled()  # nothing saved: already local


def test_test_runs_on_the_worker_and_says_connected(
    qtbot: Any, memory_keyring: MemoryKeyring
) -> None:
    runner = TaskRunner()  # a real thread pool
    owner = QWidget()
    qtbot.addWidget(owner)
    threads: list[threading.Thread] = []
    fake = FakeConnect(FakeConnection(version=150004, tls=True))

    def connect(**kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return fake(**kwargs)

    dialog = ServerDialog(PageJobs(runner, lambda _t: None, owner), connect=connect)
    qtbot.addWidget(dialog)
    fill(dialog)
    with qtbot.waitSignal(dialog.checked, timeout=5000) as ended:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    runner.shutdown()
    assert threads and threads[0] is not threading.main_thread()
    check = ended.args[0]
    assert check.ok
    assert "已连接" in dialog.result_label.text() and "已加密" in dialog.result_label.text()
    assert dialog.result_label.property("state") == "ok"
    (call,) = fake.calls
    assert (call["host"], call["port"], call["sslmode"]) == ("192.168.1.10", 5433, "require")
    assert call["password"] == SECRET
    assert memory_keyring.secrets == {} and ss.load() is None  # a test saves nothing


def test_a_failure_is_shown_in_red(
    qtbot: Any, dialog_jobs: PageJobs, memory_keyring: MemoryKeyring
) -> None:
    error = psycopg.OperationalError(
        'connection failed: FATAL:  database "examsite" does not exist'
    )
    dialog = ServerDialog(dialog_jobs, connect=FakeConnect(error))
    qtbot.addWidget(dialog)
    fill(dialog)
    dialog.save_and_use()
    assert "没有名为“examsite”的数据库" in dialog.result_label.text()
    assert dialog.result_label.property("state") == "error"
    assert ss.load() is None and memory_keyring.secrets == {}  # refused: nothing saved
    assert dialog.save_button.isEnabled()


def test_missing_fields_are_named_without_connecting(
    qtbot: Any, dialog_jobs: PageJobs, memory_keyring: MemoryKeyring
) -> None:
    fake = FakeConnect()
    dialog = ServerDialog(dialog_jobs, connect=fake)
    qtbot.addWidget(dialog)
    dialog.test()
    assert "主机、数据库、用户名" in dialog.result_label.text()
    assert fake.calls == []


def test_no_password_anywhere_is_said(
    qtbot: Any, dialog_jobs: PageJobs, memory_keyring: MemoryKeyring
) -> None:
    fake = FakeConnect()
    dialog = ServerDialog(dialog_jobs, connect=fake)
    qtbot.addWidget(dialog)
    fill(dialog, password="")
    dialog.test()
    assert "没有 kaowu@192.168.1.10:5433/examsite 的密码" in dialog.result_label.text()
    assert fake.calls == []


def test_save_and_use_opens_the_server_in_the_window(
    qtbot: Any, window: MainWindow, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Any] = []
    monkeypatch.setattr(window, "open_database", lambda target, **_kw: opened.append(target))
    window.server_connect = FakeConnect()
    dialog = window.server_dialog()
    qtbot.addWidget(dialog)
    fill(dialog)
    with qtbot.waitSignal(dialog.use_server, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = ss.load()
    assert saved is not None and saved.use_server and saved.port == 5433
    assert opened == [saved]
    assert memory_keyring.secrets == {(ss.KEYRING_SERVICE, "kaowu@192.168.1.10"): SECRET}
    assert SECRET.encode() not in ss.settings_file().read_bytes()

    # Opened again: the saved settings, the password field left empty (kept in the store).
    again = window.server_dialog()
    qtbot.addWidget(again)
    assert again.host_edit.text() == "192.168.1.10" and again.password_edit.text() == ""
    assert "正在使用学校服务器" in again.state_label.text()
    again.test()  # with the stored password
    assert window.server_connect.calls[-1]["password"] == SECRET

    # 改回本机数据库: the server off (settings and password kept), the local file opened.
    with qtbot.waitSignal(again.use_local, timeout=5000):
        qtbot.mouseClick(again.local_button, Qt.MouseButton.LeftButton)
    assert ss.load() == saved.__class__(**{**saved.__dict__, "use_server": False})
    assert isinstance(opened[-1], Path)
    assert memory_keyring.secrets  # kept


def test_the_file_menu_has_the_item(window: MainWindow) -> None:
    texts = [action.text() for action in window.menuBar().actions()[0].menu().actions()]
    assert "连接到学校服务器(&S)…" in texts


def test_the_window_label_hides_the_password() -> None:
    url = ss.server_url(ss.checked(host="db.lan", database="examsite", user="kaowu"), SECRET)

    class FakeDb:
        file_path = None

    fake = FakeDb()
    fake.url = url  # type: ignore[attr-defined]
    label = MainWindow._db_label(fake)
    assert SECRET not in label and label == "学校服务器 db.lan:5432/examsite（用户 kaowu）"
