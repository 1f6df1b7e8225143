"""文件 → 加密数据库…: refused with its reason where it cannot be done; done, the window
holds the encrypted site and the dialog shows the new recovery code."""

from __future__ import annotations

from pathlib import Path

import pytest

from encryption_helpers import cheap_argon2  # noqa: F401 (an autouse fixture)
from examsite.services import accounts
from examsite.storage import cipher
from examsite.storage.db import Database
from examsite.ui.encrypt_dialog import EncryptDialog
from examsite.ui.main_window import MainWindow
from examsite.ui.tasks import InlinePool, TaskRunner

pytestmark = pytest.mark.sqlite_only  # the SQLite file itself is encrypted


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _window(qtbot, db: Database, shown_errors) -> MainWindow:
    win = MainWindow(TaskRunner(InlinePool()), db, present_error=shown_errors)
    qtbot.addWidget(win)
    return win


def test_the_menu_offers_it_and_a_site_without_accounts_is_told_why(qtbot, db, shown_errors):
    win = _window(qtbot, db, shown_errors)
    texts = [a.text() for a in win.menuBar().actions()[0].menu().actions()]
    assert "加密数据库(&E)…" in texts
    dialog = EncryptDialog(win, parent=win)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.state_label.text() != "正在检查…")
    assert "账户" in dialog.state_label.text()
    assert not dialog.encrypt_button.isEnabled()


def test_the_director_encrypts_the_open_site(qtbot, db, demo_site, shown_errors):
    demo_site(db, 10)
    accounts.create_first_director(db, "boss", "boss-password")
    path = db.file_path
    assert path is not None
    win = _window(qtbot, db, shown_errors)
    dialog = EncryptDialog(win, parent=win)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.encrypt_button.isEnabled)

    dialog.password_edit.setText("wrong-password")
    dialog.encrypt_button.click()
    qtbot.waitUntil(dialog.encrypt_button.isEnabled)
    assert "密码不对" in dialog.state_label.text()
    assert not cipher.is_encrypted(path)

    dialog.password_edit.setText("boss-password")
    with qtbot.waitSignal(dialog.encrypted, timeout=20_000) as done:
        dialog.encrypt_button.click()
    code = done.args[0].recovery_code
    assert code in dialog.code_label.text() and dialog.code_label.isVisibleTo(dialog)
    assert cipher.is_encrypted(path)
    assert win.db is done.args[0].database and win.db is not db
    assert shown_errors.errors == []
    win.db.close()
