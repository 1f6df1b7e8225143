"""The window's side of accounts: log-in before a protected database is read (refused with
the Chinese reason, the wait after five wrong passwords, accepted), recovery with the
code, the first run's director account and its recovery code shown once, the reminder on
a site without accounts, the idle lock (same account back, another one), what each role
sees, and a director-only service refused to staff in the normal error display.

Argon2 costs ~90 ms a hash: each test makes one or two accounts."""

from __future__ import annotations

import re

import pytest
from dialog_script import DialogScript
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from examsite.domain.workflow import Step
from examsite.errors import AccessDenied
from examsite.messages import text as message_text
from examsite.services.accounts import (
    FirstAccount,
    add_user,
    create_first_director,
    list_users,
    log_in,
    log_out,
    set_idle_lock_minutes,
)
from examsite.storage.db import Database
from examsite.ui.account_guard import AccountGuard
from examsite.ui.dialogs.account_dialogs import (
    FirstAccountDialog,
    RecoveryCodeDialog,
    RecoveryDialog,
)
from examsite.ui.main_window import MainWindow
from examsite.ui.tasks import TaskRunner

PASSWORD = "geheim-123"
CODE_PATTERN = re.compile(r"^[A-Z2-9]{5}(-[A-Z2-9]{5}){4}$")


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with the least cost: the tests are about the window, not the hash (the
    services' own tests use the real parameters); a shared test machine makes the real
    ones take up to a second each."""
    from argon2 import PasswordHasher

    from examsite.services import accounts

    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def new_window(qtbot, db: Database, runner: TaskRunner, shown_errors) -> MainWindow:
    window = MainWindow(runner, db, present_error=shown_errors)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def protected(db: Database) -> FirstAccount:
    """``db`` with a director "zhou" and nobody logged in."""
    first = create_first_director(db, "zhou", PASSWORD)
    log_out(db)
    return first


def log_in_on_panel(guard: AccountGuard, name: str, password: str) -> None:
    panel = guard.panel
    if not panel.name_field.isReadOnly():
        panel.name_field.setText(name)
    panel.password_field.setText(password)
    panel.submit()


def keep_code(dialog: QDialog) -> int:
    assert isinstance(dialog, RecoveryCodeDialog)
    assert not dialog.done_button.isEnabled()  # not before the code is kept
    dialog.reject()  # Esc: refused while unticked
    assert dialog.note_label.text()
    dialog.kept_box.setChecked(True)
    assert dialog.done_button.isEnabled()
    dialog.done_button.click()
    return dialog.result()


# --- logging in ---------------------------------------------------------------------


def test_protected_database_asks_first_and_refuses_a_wrong_password(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    protected(db)
    window = new_window(qtbot, db, runner, shown_errors)
    guard = window.accounts
    assert guard.locked and guard.panel.isVisible()
    assert window.context is None and not window.pages  # nothing read yet
    assert not guard.bar.isVisible()

    log_in_on_panel(guard, "zhou", "wrong-password")
    assert guard.locked
    shown = guard.panel.message_label.text()
    assert shown == message_text("auth.wrong_password", name="zhou")
    assert guard.panel.password_field.text() == ""

    log_in_on_panel(guard, "zhou", PASSWORD)
    assert not guard.locked
    assert window.context is not None and window.current_page() is window.page(None)
    assert guard.user_label.text() == "考点负责人：zhou"
    assert guard.users_action.isVisible() and guard.logout_action.isVisible()
    assert shown_errors.errors == []


def test_five_wrong_passwords_make_the_next_try_wait(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    protected(db)
    window = new_window(qtbot, db, runner, shown_errors)
    panel = window.accounts.panel
    for _ in range(5):
        log_in_on_panel(window.accounts, "zhou", "wrong-password")
    assert panel.waiting == 30
    assert not panel.login_button.isEnabled()
    assert panel.login_button.text() == "请等待 30 秒"
    assert "30 秒后再试" in panel.message_label.text()
    log_in_on_panel(window.accounts, "zhou", PASSWORD)  # refused by the panel: no try
    assert window.accounts.locked


def test_disabled_account_is_refused(qtbot, db: Database, runner: TaskRunner, shown_errors) -> None:
    from examsite.services.accounts import set_disabled

    create_first_director(db, "zhou", PASSWORD)
    add_user(db, "li", "staff", PASSWORD)
    set_disabled(db, "li", True)
    log_out(db)
    window = new_window(qtbot, db, runner, shown_errors)
    log_in_on_panel(window.accounts, "li", PASSWORD)
    assert window.accounts.panel.message_label.text() == message_text("auth.disabled", name="li")


def test_forgotten_password_recovered_with_the_code(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    first = protected(db)
    window = new_window(qtbot, db, runner, shown_errors)
    codes: list[str] = []

    def recover(dialog: QDialog) -> int:
        assert isinstance(dialog, RecoveryDialog)
        assert dialog.name_field.text() == "zhou"
        dialog.code_field.setText("wrong")
        dialog.password_field.setText("new-password-1")
        dialog.again_field.setText("new-password-1")
        dialog.submit()
        assert dialog.message_label.text() == message_text("auth.wrong_recovery_code")
        dialog.code_field.setText(first.recovery_code.lower().replace("-", " "))
        dialog.submit()
        return dialog.result()

    def new_code(dialog: QDialog) -> int:
        assert isinstance(dialog, RecoveryCodeDialog)
        codes.append(dialog.code)
        return keep_code(dialog)

    window.accounts.exec_dialog = DialogScript(recover, new_code)
    window.accounts.panel.name_field.setText("zhou")
    window.accounts.panel.forgot_button.click()
    assert not window.accounts.locked
    assert CODE_PATTERN.match(codes[0]) and codes[0] != first.recovery_code
    log_out(db)
    assert log_in(db, "zhou", "new-password-1").name == "zhou"


# --- a site without accounts --------------------------------------------------------


def test_open_site_shows_the_reminder_and_stays_open_after_later(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    window = new_window(qtbot, db, runner, shown_errors)
    guard = window.accounts
    assert not guard.locked and window.current_page() is window.page(None)
    assert guard.bar.isVisible()
    assert guard.bar.text_label.text() == message_text("users.unprotected")
    assert not guard.users_action.isVisible() and not guard.user_label.isVisible()

    script = DialogScript(lambda dialog: QDialog.DialogCode.Rejected)  # 以后再说
    guard.exec_dialog = script
    guard.bar.create_button.click()
    assert isinstance(script.shown[0], FirstAccountDialog)
    assert not db.access.protected and guard.bar.isVisible()


def test_first_run_creates_the_director_and_shows_the_code_once(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    window = new_window(qtbot, db, runner, shown_errors)
    guard = window.accounts
    codes: list[str] = []

    def create(dialog: QDialog) -> int:
        assert isinstance(dialog, FirstAccountDialog)
        dialog.name_field.setText("zhou")
        dialog.password_field.setText("short")
        dialog.again_field.setText("short")
        dialog.submit()
        assert "至少 8 个字符" in dialog.message_label.text()
        dialog.password_field.setText(PASSWORD)
        dialog.again_field.setText(PASSWORD + "x")
        dialog.submit()
        assert dialog.message_label.text() == message_text("users.passwords_differ")
        dialog.again_field.setText(PASSWORD)
        dialog.submit()
        return dialog.result()

    def shown_once(dialog: QDialog) -> int:
        assert isinstance(dialog, RecoveryCodeDialog)
        codes.append(dialog.code)
        assert dialog.code_label.text() == dialog.code
        assert dialog.code in dialog.printed_text()
        return keep_code(dialog)

    def not_encrypted(dialog: QDialog) -> int:
        assert isinstance(dialog, QMessageBox) and "加密" in dialog.text()
        later = next(b for b in dialog.buttons() if b.text() == "暂不加密")
        later.click()
        return dialog.result()

    offered = [not_encrypted] if db.file_path is not None else []  # a file, not a server
    guard.exec_dialog = DialogScript(create, *offered, shown_once)
    guard.offer_first_account(db)
    assert CODE_PATTERN.match(codes[0])
    assert db.access.protected and db.access.principal is not None
    assert not guard.bar.isVisible()
    assert guard.user_label.text() == "考点负责人：zhou"
    assert [row.name for row in list_users(db)] == ["zhou"]


def test_demo_site_is_not_offered_an_account(
    qtbot, db: Database, runner: TaskRunner, shown_errors, demo_site
) -> None:
    demo_site(db, 20)
    window = new_window(qtbot, db, runner, shown_errors)
    script = DialogScript()
    window.accounts.exec_dialog = script
    window.accounts.offer_first_account(db)
    assert script.shown == []
    assert window.accounts.bar.isVisible()  # the demo is reminded all the same


# --- the idle lock ------------------------------------------------------------------


def test_idle_lock_locks_and_the_same_password_unlocks(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    create_first_director(db, "zhou", PASSWORD)  # logged in
    window = new_window(qtbot, db, runner, shown_errors)
    guard = window.accounts
    assert guard.idle.minutes == 10 and guard.idle.active  # the default
    page = window.current_page()
    guard.idle.minute_ms = 40
    guard.idle.start(2)  # 80 ms
    qtbot.waitUntil(lambda: guard.locked, timeout=3000)
    panel = guard.panel
    assert panel.name_field.text() == "zhou" and panel.name_field.isReadOnly()
    assert panel.switch_button.isVisible()
    assert not guard.users_action.isEnabled()

    log_in_on_panel(guard, "zhou", "wrong-password")
    assert guard.locked and panel.message_label.text()
    log_in_on_panel(guard, "zhou", PASSWORD)
    assert not guard.locked
    assert window.current_page() is page  # the same pages, not read anew
    assert guard.idle.active and guard.users_action.isEnabled()


def test_input_keeps_the_window_open(qtbot, db: Database, runner: TaskRunner, shown_errors):
    create_first_director(db, "zhou", PASSWORD)
    window = new_window(qtbot, db, runner, shown_errors)
    guard = window.accounts
    guard.idle.start(1)  # a real minute: the test is not about wall-clock gaps
    timer = guard.idle._timer
    qtbot.wait(300)
    before = timer.remainingTime()
    qtbot.keyClick(window.accounts.user_label, "a")  # any key press starts the minute again
    assert timer.remainingTime() > before
    qtbot.wait(300)
    before = timer.remainingTime()
    qtbot.keyClick(window.accounts.user_label, Qt.Key.Key_Shift)  # a label: nothing else runs
    assert timer.remainingTime() > before
    assert not guard.locked


def test_switch_user_on_the_lock_reloads_pages_for_the_role(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    create_first_director(db, "zhou", PASSWORD)
    add_user(db, "li", "staff", PASSWORD)
    set_idle_lock_minutes(db, 0)
    window = new_window(qtbot, db, runner, shown_errors)
    guard = window.accounts
    assert not guard.idle.active  # 0: never
    page = window.current_page()
    guard.lock()
    guard.panel.switch_button.click()
    assert not guard.panel.name_field.isReadOnly()
    log_in_on_panel(guard, "li", PASSWORD)
    assert not guard.locked
    assert window.current_page() is not page  # built again for the staff account
    assert guard.user_label.text() == "考务人员：li"
    assert not guard.users_action.isVisible()  # staff does not manage users
    assert guard.password_action.isVisible()


def test_log_out_asks_for_a_log_in(qtbot, db: Database, runner: TaskRunner, shown_errors):
    create_first_director(db, "zhou", PASSWORD)
    window = new_window(qtbot, db, runner, shown_errors)
    window.accounts.logout_action.trigger()
    assert window.accounts.locked and db.access.principal is None
    assert not window.accounts.panel.name_field.isReadOnly()
    window._request_status(soon=False)  # another PC's change: nothing is read now
    assert shown_errors.errors == []
    log_in_on_panel(window.accounts, "zhou", PASSWORD)
    assert not window.accounts.locked and window.current_page() is window.page(None)
    assert shown_errors.errors == []


# --- roles --------------------------------------------------------------------------


def test_invigilator_sees_check_in_only(
    qtbot, db: Database, runner: TaskRunner, shown_errors, demo_site
) -> None:
    from examsite.services.staff import list_staff

    demo_site(db, 20)
    person = list_staff(db).staff[0]
    create_first_director(db, "zhou", PASSWORD)
    add_user(db, "wang", "invigilator", PASSWORD, staff=person.uid)
    log_out(db)
    window = new_window(qtbot, db, runner, shown_errors)
    log_in_on_panel(window.accounts, "wang", PASSWORD)
    sidebar = window.sidebar
    shown = [step for step in (None, *Step) if not sidebar.item(step).isHidden()]
    assert shown == [Step.EXAM_DAY]
    assert sidebar.current_step() is Step.EXAM_DAY
    assert window.current_page() is window.page(Step.EXAM_DAY)
    window.show_step(Step.CANDIDATES)  # a step out of its sight: its own instead
    assert window.current_page() is window.page(Step.EXAM_DAY)
    guard = window.accounts
    assert not guard.users_action.isVisible()
    assert not window.backup_action.isVisible() and not window.restore_action.isVisible()
    assert not window.retention_action.isVisible() and not window.encrypt_action.isVisible()
    assert [s for s, a in window.go_actions.items() if a.isVisible()] == [Step.EXAM_DAY]
    assert guard.user_label.text() == "监考员：wang"
    assert shown_errors.errors == []


def test_refusal_of_a_page_job_is_shown_in_chinese(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    create_first_director(db, "zhou", PASSWORD)
    add_user(db, "li", "staff", PASSWORD)
    log_in(db, "li", PASSWORD)
    window = new_window(qtbot, db, runner, shown_errors)
    window.page(None).jobs.read(lambda _p: list_users(db))
    [error] = shown_errors.errors
    assert isinstance(error, AccessDenied) and error.code == "auth.forbidden"
    assert "考务人员" in error.message and "管理用户账户" in error.message


@pytest.mark.parametrize("role", ["staff", "director"])
def test_user_management_adds_and_disables(
    qtbot, db: Database, runner: TaskRunner, shown_errors, role: str
) -> None:
    from examsite.ui.dialogs.users_dialog import AddUserDialog, UsersDialog

    create_first_director(db, "zhou", PASSWORD)
    window = new_window(qtbot, db, runner, shown_errors)
    guard = window.accounts
    seen: dict[str, object] = {}

    def add(dialog: QDialog) -> int:
        assert isinstance(dialog, AddUserDialog)
        dialog.name_field.setText("li")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(role))
        dialog.password_field.setText(PASSWORD)
        dialog.again_field.setText(PASSWORD)
        dialog.submit()
        return dialog.result()

    def manage(dialog: QDialog) -> int:
        assert isinstance(dialog, UsersDialog)
        assert [r.name for r in dialog.rows] == ["zhou"]
        assert dialog.model.item(0, 1).text() == "考点负责人"
        dialog.add_button.click()
        assert [r.name for r in dialog.rows] == ["zhou", "li"]
        dialog.select_name("li")
        assert dialog.toggle_button.text() == "停用"
        dialog.toggle_button.click()
        assert dialog.model.item(1, 3).text() == "已停用"
        dialog.select_name("zhou")
        dialog.toggle_button.click()  # the last director stays
        assert message_text("users.last_director", name="zhou") == dialog.message_label.text()
        dialog.idle_spin.setValue(3)
        dialog.idle_save_button.click()
        seen["size"] = dialog.size()
        return QDialog.DialogCode.Accepted

    guard.exec_dialog = DialogScript(manage, add)
    guard.users_action.trigger()
    rows = {r.name: r for r in list_users(db)}
    assert rows["li"].disabled and rows["li"].role == role
    assert guard.idle.minutes == 3
    size = seen["size"]
    assert size.width() <= 1366 and size.height() <= 728  # type: ignore[attr-defined]


def test_opening_a_protected_file_reads_nothing_before_the_log_in(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    protected(db)
    where = db.url if db.file_path is None else db.file_path
    db.close()
    window = MainWindow(runner, present_error=shown_errors)
    qtbot.addWidget(window)
    window.offer_first_account = True
    window.accounts.prefill_name = "zhou"
    window.open_database(where)
    guard = window.accounts
    assert guard.locked and window.db is None and shown_errors.errors == []
    assert guard.panel.name_field.text() == "zhou"
    log_in_on_panel(guard, "zhou", PASSWORD)
    assert window.db is not None and window.db.access.principal is not None
    assert not guard.locked and window.current_page() is window.page(None)
    assert shown_errors.errors == []


def test_lock_closes_the_dialogs_over_the_window(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    from examsite.ui.dialogs.users_dialog import UsersDialog

    create_first_director(db, "zhou", PASSWORD)
    window = new_window(qtbot, db, runner, shown_errors)
    dialog = UsersDialog(window.accounts.jobs, db, window)
    dialog.show()
    assert [row.name for row in dialog.rows] == ["zhou"]
    window.accounts.lock()
    assert window.accounts.locked and not dialog.isVisible()


def test_own_password_changed_in_a_chinese_dialog(
    qtbot, db: Database, runner: TaskRunner, shown_errors
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from examsite.ui.app import build_parser
    from examsite.ui.dialogs.account_dialogs import PasswordDialog

    create_first_director(db, "zhou", PASSWORD)
    window = new_window(qtbot, db, runner, shown_errors)

    def change(dialog: QDialog) -> int:
        assert isinstance(dialog, PasswordDialog)
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert "取消" in cancel.text() and "确定" in dialog.ok_button.text()  # Qt's, in Chinese
        dialog.old_field.setText("wrong-password")
        dialog.password_field.setText("another-pass")
        dialog.again_field.setText("another-pass")
        dialog.submit()
        assert dialog.message_label.text() == message_text("auth.wrong_password", name="zhou")
        dialog.old_field.setText(PASSWORD)
        dialog.submit()
        return dialog.result()

    window.accounts.exec_dialog = DialogScript(change)
    window.accounts.password_action.trigger()
    log_out(db)
    assert log_in(db, "zhou", "another-pass").name == "zhou"
    assert build_parser().parse_args(["--user", "zhou"]).user == "zhou"
