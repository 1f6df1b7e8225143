"""The window on an encrypted site (issue 13): the file is opened by the log-in itself
(its key unwrapped with the same password), nothing is read before; a wrong password is
said in Chinese; a forgotten password is recovered with the code, which opens it too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from dialog_script import DialogScript
from PySide6.QtWidgets import QDialog

from encryption_helpers import cheap_argon2  # noqa: F401 (an autouse fixture)
from examsite.messages import text as message_text
from examsite.services import accounts, encryption
from examsite.storage import cipher
from examsite.storage.db import Database
from examsite.ui.dialogs.account_dialogs import RecoveryCodeDialog, RecoveryDialog
from examsite.ui.main_window import MainWindow
from examsite.ui.tasks import TaskRunner

pytestmark = pytest.mark.sqlite_only  # SQLCipher files; a server encrypts on its own

PASSWORD = "boss-password"


def encrypted_file(demo_db_file: Callable[[int], Path]) -> tuple[Path, str]:
    """A demo site with a director "boss", encrypted and closed; its recovery code."""
    path = demo_db_file(5)
    db = Database.open(path)
    accounts.create_first_director(db, "boss", PASSWORD)
    result = encryption.encrypt_site(db, PASSWORD)
    result.database.close()
    cipher.forget_all()  # as a new program would start: no key in memory
    return path, result.recovery_code


def opening_window(qtbot, runner: TaskRunner, shown_errors, path: Path) -> MainWindow:
    window = MainWindow(runner, present_error=shown_errors)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_database(path)
    return window


def test_the_log_in_opens_an_encrypted_file(
    qtbot, runner: TaskRunner, shown_errors, demo_db_file: Callable[[int], Path]
) -> None:
    path, _code = encrypted_file(demo_db_file)
    window = opening_window(qtbot, runner, shown_errors, path)
    guard = window.accounts
    assert guard.locked and window.db is None and shown_errors.errors == []
    panel = guard.panel
    panel.name_field.setText("boss")
    panel.password_field.setText("wrong-password")
    panel.submit()
    assert guard.locked and window.db is None
    assert panel.message_label.text() == message_text("auth.wrong_password", name="boss")
    panel.password_field.setText(PASSWORD)
    panel.submit()
    assert not guard.locked and shown_errors.errors == []
    assert window.db is not None and window.db.access.principal is not None
    assert window.current_page() is window.page(None)
    assert encryption.is_encrypted(path)


def test_the_recovery_code_opens_an_encrypted_file(
    qtbot, runner: TaskRunner, shown_errors, demo_db_file: Callable[[int], Path]
) -> None:
    path, code = encrypted_file(demo_db_file)
    window = opening_window(qtbot, runner, shown_errors, path)
    new_codes: list[str] = []

    def recover(dialog: QDialog) -> int:
        assert isinstance(dialog, RecoveryDialog)
        dialog.code_field.setText(code)
        dialog.password_field.setText("new-password-1")
        dialog.again_field.setText("new-password-1")
        dialog.submit()
        return dialog.result()

    def keep(dialog: QDialog) -> int:
        assert isinstance(dialog, RecoveryCodeDialog)
        new_codes.append(dialog.code)
        dialog.kept_box.setChecked(True)
        dialog.done_button.click()
        return dialog.result()

    window.accounts.exec_dialog = DialogScript(recover, keep)
    window.accounts.panel.name_field.setText("boss")
    window.accounts.panel.forgot_button.click()
    assert not window.accounts.locked and shown_errors.errors == []
    assert window.db is not None and window.db.access.principal is not None
    assert new_codes and new_codes[0] != code
    window.close()
    cipher.forget_all()
    encryption.open_site(path, "boss", "new-password-1").close()  # the new password opens it


def test_set_up_offers_encryption_after_the_directors_account(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from examsite.ui.dialogs.account_dialogs import FirstAccountDialog
    from examsite.ui.encrypt_dialog import EncryptDialog

    window = MainWindow(runner, db, present_error=shown_errors)
    qtbot.addWidget(window)
    path = db.file_path
    assert path is not None
    seen: list[str] = []

    def create(dialog: QDialog) -> int:
        assert isinstance(dialog, FirstAccountDialog)
        dialog.name_field.setText("boss")
        dialog.password_field.setText(PASSWORD)
        dialog.again_field.setText(PASSWORD)
        dialog.submit()
        return dialog.result()

    def yes_encrypt(dialog: QDialog) -> int:
        assert isinstance(dialog, QMessageBox)
        next(b for b in dialog.buttons() if b.text() == "加密").click()
        return dialog.result()

    def encrypt(dialog: QDialog) -> int:
        assert isinstance(dialog, EncryptDialog)
        dialog.password_edit.setText(PASSWORD)
        dialog.encrypt_button.click()
        seen.append(dialog.code_label.text())
        return QDialog.DialogCode.Accepted

    window.accounts.exec_dialog = DialogScript(create, yes_encrypt, encrypt)
    window.accounts.offer_first_account(window.db)
    assert shown_errors.errors == []
    assert encryption.is_encrypted(path)
    assert seen and seen[0].startswith("新的恢复码")  # the one code that counts, shown once
    assert window.db is not None and window.db.access.principal is not None
