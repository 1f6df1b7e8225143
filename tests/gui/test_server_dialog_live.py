"""连接到学校服务器 end to end against a real server that offers TLS and asks a password
(tests/pg_tls.py): fill the dialog, test, save and use; the window opens the server,
the password went only to the credential store (an in-memory keyring), the link is
encrypted and the status bar says so. Skipped without PostgreSQL or openssl."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from examsite.services import server_settings as ss
from examsite.storage.db import Database
from examsite.ui.dialogs.server_dialog import ServerDialog
from examsite.ui.main_window import MainWindow
from pg_server import find_binaries
from pg_tls import DATABASE, PASSWORD, ROLE, TlsServer, running_tls_server
from server_fakes import MemoryKeyring, memory_keyring

__all__ = ["memory_keyring"]

if find_binaries() is None:
    pytest.skip("PostgreSQL is not installed", allow_module_level=True)

WAIT_MS = 30_000


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    try:
        with running_tls_server() as server:
            yield server
    except RuntimeError as exc:  # no openssl
        pytest.skip(str(exc))


def fill(dialog: ServerDialog, server: TlsServer, password: str = PASSWORD) -> None:
    dialog.host_edit.setText("127.0.0.1")
    dialog.port_spin.setValue(server.port)
    dialog.database_edit.setText(DATABASE)
    dialog.user_edit.setText(ROLE)
    dialog.password_edit.setText(password)
    dialog.tls_combo.setCurrentIndex(ss.TLS_MODES.index("prefer"))


def test_a_wrong_password_is_said_and_nothing_saved(
    qtbot: Any, window: MainWindow, tls_server: TlsServer, memory_keyring: MemoryKeyring
) -> None:
    before = window.db
    dialog = window.server_dialog()
    qtbot.addWidget(dialog)
    fill(dialog, tls_server, password="wrong")
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS):
        dialog.save_and_use()
    assert dialog.result_label.property("state") == "error"
    assert "密码" in dialog.result_label.text()
    assert ss.load() is None and memory_keyring.secrets == {}
    assert window.db is before  # the window stays where it was


def test_the_dialog_connects_encrypted_and_the_window_opens_the_server(
    qtbot: Any, window: MainWindow, tls_server: TlsServer, memory_keyring: MemoryKeyring
) -> None:
    dialog = window.server_dialog()
    qtbot.addWidget(dialog)
    fill(dialog, tls_server)
    with qtbot.waitSignal(dialog.checked, timeout=WAIT_MS) as tested:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    check = tested.args[0]
    assert check.ok and check.tls_in_use, check.message
    assert "已连接" in dialog.result_label.text() and "已加密" in dialog.result_label.text()
    assert memory_keyring.secrets == {} and ss.load() is None  # a test saves nothing

    with qtbot.waitSignal(dialog.use_server, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.db is not None and not window.db.is_sqlite, timeout=WAIT_MS)
    assert window.db is not None
    assert "sslmode=prefer" in window.db.url  # TLS whenever the server offers it
    where = f"学校服务器 127.0.0.1:{tls_server.port}/{DATABASE}（用户 {ROLE}，已加密）"
    qtbot.waitUntil(lambda: window.path_label.text() == where, timeout=WAIT_MS)
    assert PASSWORD not in window.path_label.text() + window.windowTitle()
    with window.db.read() as session:
        assert session.connection().exec_driver_sql("SHOW ssl").scalar() == "on"

    # The password is in the store only; the next start opens the server by itself.
    assert memory_keyring.secrets == {(ss.KEYRING_SERVICE, f"{ROLE}@127.0.0.1"): PASSWORD}
    assert PASSWORD.encode() not in ss.settings_file().read_bytes()
    chosen = ss.chosen_database(None)
    assert isinstance(chosen, str) and "sslmode=prefer" in chosen
    again = Database.open(chosen)
    try:
        with again.read() as session:
            in_use = session.connection().exec_driver_sql(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            )
            assert in_use.scalar() is True
    finally:
        again.close()
