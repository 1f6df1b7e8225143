"""The window's side of accounts (issue 13): log-in before a protected database is read,
the idle lock, the reminder on a site without accounts, the first run's director
account, the menu entries, and what each role sees.

The rule itself lives below the window (``storage.access``): a service refuses what the
role may not do. Here the window only keeps out of sight what would be refused, and makes
sure nothing of a protected database is read before someone has logged in.

The seam for an encrypted database is ``AccountGuard.attempt_for``: the one callable that
turns a name and a password into a logged-in principal, run on the worker by the
``LoginPanel``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QProgressDialog,
    QStackedWidget,
    QWidget,
)

from examsite.domain.roles import Role
from examsite.domain.workflow import Step
from examsite.messages import text as message_text
from examsite.progress import Progress
from examsite.ui.login_panel import Attempt, LoginPanel
from examsite.ui.sidebar import ENTRIES
from examsite.ui.tasks import PageJobs
from examsite.ui.widgets import button, label

if TYPE_CHECKING:
    from examsite.services.accounts import FirstAccount
    from examsite.storage.access import Principal
    from examsite.storage.db import Database
    from examsite.ui.main_window import MainWindow

log = logging.getLogger(__name__)

MINUTE_MS = 60_000
#: The steps an invigilator's window shows (check-in; incidents are its second tab).
INVIGILATOR_STEPS: frozenset[Step | None] = frozenset({Step.EXAM_DAY})
INVIGILATOR_START = Step.EXAM_DAY
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


@dataclass(frozen=True)
class LockedFile:
    """An encrypted site's file: it opens only with an account's password, so the log-in
    opens it (``services.encryption.open_site``)."""

    path: Path


@dataclass(frozen=True)
class OpenedSite:
    """What the log-in of a ``LockedFile`` gives: the site opened, someone logged in."""

    db: Database


ENCRYPTION_OFFER = (
    "是否现在加密这个数据库文件？加密后，没有账户密码（或恢复码）就打不开、也读不出其中的"
    "身份证号和照片，即使文件被拷走。备份也会一并加密。\n\n"
    "加密会生成新的恢复码，请以加密后显示的恢复码为准。以后也可以在“文件 › 加密数据库…”里加密。"
)

BAR_STYLE = """
QFrame#unprotectedBar { background: #fff1e5; border-bottom: 1px solid #ffb77c; }
QFrame#unprotectedBar QLabel { color: #6c3100; }
"""


class IdleWatch(QObject):
    """Emits ``idle`` after ``minutes`` without a key press or a mouse move anywhere in
    the application (0: never). ``minute_ms`` lets a test make a minute short."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None, *, minute_ms: int = MINUTE_MS) -> None:
        super().__init__(parent)
        self.minute_ms = minute_ms
        self.minutes = 0
        self._timer = QTimer(self, singleShot=True)
        # Qt rounds a coarse timer of 20 s or more to whole seconds, restarts included.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.idle)
        self._watching = False

    def start(self, minutes: int) -> None:
        self.minutes = minutes
        app = QApplication.instance()
        if minutes <= 0 or app is None:
            self.stop()
            return
        self._timer.setInterval(minutes * self.minute_ms)
        if not self._watching:
            app.installEventFilter(self)
            self._watching = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if self._watching and app is not None:
            app.removeEventFilter(self)
        self._watching = False

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._timer.start()
        return False


class UnprotectedBar(QFrame):
    """The reminder above the page while the site has no account (demo included)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unprotectedBar")
        self.setStyleSheet(BAR_STYLE)
        self.text_label = label(message_text("users.unprotected"), "", wrap=True)
        self.create_button = button("创建账户", kind="primary")
        self.create_button.setObjectName("createAccount")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()


class AccountGuard(QObject):
    """Owned by the main window; the window calls ``hold`` before installing a database
    and ``installed`` after, and offers the first account with ``offer_first_account``."""

    def __init__(self, window: MainWindow, content: QWidget, *, minute_ms: int = MINUTE_MS) -> None:
        super().__init__(window)
        self._window = window
        self.jobs = PageJobs(window.runner, window.notify, window)
        self.panel = LoginPanel(window.runner)
        self.panel.succeeded.connect(self._on_panel_succeeded)
        self.panel.recovery_requested.connect(self._on_panel_recovery_requested)
        self.screens = QStackedWidget()
        self.screens.setObjectName("screens")
        self.screens.addWidget(content)
        self.screens.addWidget(self.panel)
        self.bar = UnprotectedBar()
        self.bar.create_button.clicked.connect(self.create_first_account)
        self.user_label = label("", "statusPath")
        self.user_label.setObjectName("userLabel")
        self.user_label.hide()
        self.idle = IdleWatch(self, minute_ms=minute_ms)
        self.idle.idle.connect(self.lock)
        self.prefill_name = ""  # ``examsite --user NAME``
        # How a dialog is run (``exec``); tests fill it in and press its buttons instead.
        self.exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self._db: Database | None = None  # the database the panel asks for
        self._locked_file: Path | None = None  # or the encrypted file it opens
        self._locked = False
        self.users_action = QAction("用户管理(&U)…", window)
        self.users_action.triggered.connect(self.open_users)
        self.password_action = QAction("修改密码(&P)…", window)
        self.password_action.triggered.connect(self.change_password)
        self.logout_action = QAction("注销 / 切换用户(&L)", window)
        self.logout_action.triggered.connect(self.log_out)
        self.lock_action = QAction("锁定窗口", window)
        self.lock_action.triggered.connect(self.lock)
        self.account_actions = (
            self.users_action,
            self.password_action,
            self.logout_action,
            self.lock_action,
        )
        self._apply_menu(None)

    # -- the seam ----------------------------------------------------------------------

    def attempt_for(self, db: Database) -> Attempt:
        """``attempt(name, password)`` for ``db``, run on the worker by the panel.

        The one place a password becomes a log-in: an encrypted database (opened only
        with an account's password) plugs its own opening in here.
        """
        from examsite.services.accounts import log_in

        return lambda name, password: log_in(db, name, password)

    # -- before and after the window installs a database --------------------------------

    @property
    def principal(self) -> Principal | None:
        db = self._window.db
        return db.access.principal if db is not None else None

    @property
    def locked(self) -> bool:
        """Whether the panel covers the window (a log-in or the idle lock)."""
        return self.screens.currentWidget() is self.panel

    def hold(self, db: Database) -> bool:
        """Whether ``db`` must wait for a log-in (then the panel asks, and the window
        installs it once someone has logged in)."""
        if not db.access.protected or db.access.principal is not None:
            return False
        self._forget_held(keep=db)
        self._db = db
        self._locked = False
        self.idle.stop()
        site = db.file_path.name if db.file_path is not None else ""
        self.panel.ask_login(self.attempt_for(db), name=self.prefill_name, site=site)
        self._cover(True)
        return True

    def hold_locked(self, path: Path) -> None:
        """An encrypted file: the panel asks for a name and password and opens it with
        them; the window installs it once that worked."""
        self._forget_held()
        self._db = None
        self._locked_file = path
        self._locked = False
        self.idle.stop()
        self.panel.ask_login(self._opening_attempt(path), name=self.prefill_name, site=path.name)
        self._cover(True)

    @staticmethod
    def _opening_attempt(path: Path) -> Attempt:
        def attempt(name: str, password: str) -> OpenedSite:
            from examsite.services.encryption import open_site

            return OpenedSite(open_site(path, name, password))

        return attempt

    def _forget_held(self, keep: Database | None = None) -> None:
        """Close a database that waited for a log-in and will not be shown."""
        held = self._db
        if held is not None and held is not keep and held is not self._window.db:
            self._db = None
            self.jobs.read(lambda _p: held.close(), silent=True)  # behind its jobs

    def close(self) -> None:
        """The window closes: stop watching input, close a database still held."""
        self.idle.stop()
        held = self._db
        if held is not None and held is not self._window.db:
            held.close()
        self._db = None

    def installed(self, db: Database) -> None:
        """The window shows ``db``: the reminder, who is logged in, the menus, the lock."""
        self._db = db
        self._cover(False)
        protected = db.access.protected
        self.bar.setVisible(not protected)
        principal = db.access.principal
        self._apply_menu(principal)
        if principal is None:
            self.user_label.hide()
            self.idle.stop()
            return
        self.user_label.setText(f"{principal.role_title}：{principal.name}")
        self.user_label.show()
        self.jobs.read(self._idle_minutes_job(db), self.idle.start, silent=True)

    @staticmethod
    def _idle_minutes_job(db: Database) -> Any:
        def job(_progress: Progress) -> int:
            from examsite.services.accounts import idle_lock_minutes

            return idle_lock_minutes(db)

        return job

    def visible_steps(self) -> frozenset[Step | None] | None:
        """The steps the logged-in role sees (None: every one)."""
        principal = self.principal
        if principal is not None and principal.role == Role.INVIGILATOR:
            return INVIGILATOR_STEPS
        return None

    def allowed(self, step: Step | None) -> Step | None:
        """``step`` if the role sees it, else the first step it does see."""
        visible = self.visible_steps()
        if visible is None or step in visible:
            return step
        return INVIGILATOR_START

    def _apply_menu(self, principal: Principal | None) -> None:
        window = self._window
        role = principal.role if principal is not None else None
        director = role == Role.DIRECTOR
        self.users_action.setVisible(director)
        for action in (self.password_action, self.logout_action, self.lock_action):
            action.setVisible(principal is not None)
        # A backup holds everyone's data; putting one back replaces the whole database.
        if hasattr(window, "backup_action"):
            window.backup_action.setVisible(role in (None, Role.DIRECTOR, Role.STAFF))
            window.restore_action.setVisible(role in (None, Role.DIRECTOR))
        # The director's alone (the services refuse the others anyway): purging a round,
        # encrypting the file (it needs a director's password).
        for name in ("retention_action", "encrypt_action"):
            if hasattr(window, name):
                getattr(window, name).setVisible(role in (None, Role.DIRECTOR))
        sidebar = window.sidebar
        visible = self.visible_steps()
        for step in ENTRIES:
            sidebar.item(step).setHidden(visible is not None and step not in visible)
        for step, action in getattr(window, "go_actions", {}).items():  # 前往 menu
            action.setVisible(visible is None or step in visible)

    def _cover(self, covered: bool) -> None:
        self.screens.setCurrentWidget(self.panel if covered else self.screens.widget(0))
        window = self._window
        window.menuBar().setEnabled(True)
        for action in self.account_actions:
            action.setEnabled(not covered)
        for name in ("backup_action", "restore_action"):
            if hasattr(window, name):
                getattr(window, name).setEnabled(not covered and not window.jobs.busy)

    # -- the idle lock and switching users ----------------------------------------------

    def lock(self) -> None:
        """Cover the window; the logged-in account's password opens it again."""
        db = self._window.db
        principal = self.principal
        if db is None or principal is None or self.locked:
            return
        self._db = db
        self._locked = True
        self.idle.stop()
        self._close_dialogs()
        self.panel.ask_unlock(self.attempt_for(db), principal.name, principal.role_title)
        self._cover(True)
        log.info("the window locked after %d idle minutes", self.idle.minutes)

    def _close_dialogs(self) -> None:
        """Close what a dialog shows over the window (a list of accounts, a form): the
        lock must hide it too. Progress dialogs stay (closing one cancels its job)."""
        for dialog in self._window.findChildren(QDialog):
            if dialog.isVisible() and not isinstance(dialog, QProgressDialog):
                dialog.reject()

    def log_out(self) -> None:
        """注销 / 切换用户: forget the principal and ask for a log-in."""
        window = self._window
        db = window.db
        if db is None:
            return
        from examsite.services.accounts import log_out

        log_out(db)
        # Nothing reads the database until the next log-in (it would be refused).
        if window.context is not None:
            window.context.status.retire()
        window.changes.stop(now=False)
        self.hold(db)

    def _on_panel_succeeded(self, result: Principal | OpenedSite) -> None:
        if isinstance(result, OpenedSite):  # an encrypted file, opened by the log-in
            self._locked_file = None
            self._db = result.db
        db = self._db
        if db is None or db.access.principal is None:
            return
        principal = db.access.principal
        if self._locked and self.panel.locked_name == principal.name:
            self._locked = False  # the same account: the pages stay as they were
            self._cover(False)
            self.idle.start(self.idle.minutes)
            return
        self._locked = False
        self._window.notify(f"已登录：{principal.role_title} {principal.name}")
        self._window.install_logged_in(db)

    def _on_panel_recovery_requested(self, name: str) -> None:
        held, locked_file = self._db, self._locked_file
        if held is None and locked_file is None:
            return
        from examsite.ui.dialogs.account_dialogs import RecoveryDialog

        opened: list[Database] = []

        def attempt(who: str, code: str, password: str) -> FirstAccount:
            if held is not None:
                from examsite.services.accounts import recover

                return recover(held, who, code, password)
            from examsite.services.encryption import recover_site

            assert locked_file is not None
            db, first = recover_site(locked_file, who, code, password)  # opens it too
            opened.append(db)
            return first

        dialog = RecoveryDialog(self.panel.jobs, attempt, name, self._window)
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted or dialog.outcome is None:
            return
        first: FirstAccount = dialog.outcome
        db = held if held is not None else opened[-1]
        self._db, self._locked_file = db, None
        self._locked = False
        self._window.install_logged_in(db)
        self.show_recovery_code(first)

    # -- the first account ---------------------------------------------------------------

    def offer_first_account(self, db: Database) -> None:
        """A real site (not the demo) without accounts: offer the director's account."""

        def job(_progress: Progress) -> bool:
            from examsite.services.accounts import has_accounts, is_demo_site

            return not has_accounts(db) and not is_demo_site(db)

        def decided(offer: bool) -> None:
            if offer and self._window.db is db:
                self.create_first_account()

        self.jobs.read(job, decided, silent=True)

    def create_first_account(self) -> None:
        """The director's account (from the reminder bar or a first run)."""
        db = self._window.db
        if db is None or db.access.protected:
            return
        from examsite.services.accounts import create_first_director
        from examsite.ui.dialogs.account_dialogs import FirstAccountDialog

        def create(name: str, password: str) -> FirstAccount:
            first = create_first_director(db, name, password)
            _ = db.access.protected  # read again here, on the worker, not by the window
            return first

        dialog = FirstAccountDialog(self.jobs, create, self._window)
        if self.exec_dialog(dialog) != QDialog.DialogCode.Accepted or dialog.outcome is None:
            return
        self._window.install_logged_in(db)  # the reminder goes, the director is shown
        if db.file_path is not None and self.offer_encryption():
            return  # encrypting made a new recovery code, which its dialog showed
        self.show_recovery_code(dialog.outcome)

    def offer_encryption(self) -> bool:
        """At set-up, right after the director's account: offer to encrypt the file
        (issue 13). True when it was encrypted (its dialog showed the new recovery code,
        the one that counts from then on)."""
        from PySide6.QtWidgets import QMessageBox

        from examsite.ui.encrypt_dialog import EncryptDialog

        ask = QMessageBox(
            QMessageBox.Icon.Question,
            "加密数据库文件",
            ENCRYPTION_OFFER,
            parent=self._window,
        )
        yes = ask.addButton("加密", QMessageBox.ButtonRole.AcceptRole)
        ask.addButton("暂不加密", QMessageBox.ButtonRole.RejectRole)
        ask.setDefaultButton(yes)
        self.exec_dialog(ask)
        if ask.clickedButton() is not yes:
            return False
        done: list[object] = []
        dialog = EncryptDialog(self._window, parent=self._window)
        dialog.encrypted.connect(done.append)
        self.exec_dialog(dialog)
        return bool(done)

    def show_recovery_code(self, first: FirstAccount) -> None:
        from examsite.ui.dialogs.account_dialogs import RecoveryCodeDialog

        dialog = RecoveryCodeDialog(
            first.principal.name,
            first.recovery_code,
            site=self._window.windowTitle(),
            parent=self._window,
        )
        self.exec_dialog(dialog)

    # -- the menus -----------------------------------------------------------------------

    def open_users(self) -> None:
        db = self._window.db
        if db is None:
            return
        from examsite.ui.dialogs.users_dialog import UsersDialog

        dialog = UsersDialog(self.jobs, db, self._window)
        dialog.idle_minutes_saved.connect(self.idle.start)
        dialog.exec_dialog = self.exec_dialog
        self.exec_dialog(dialog)

    def change_password(self) -> None:
        db = self._window.db
        if db is None:
            return
        from examsite.services.accounts import change_own_password
        from examsite.ui.dialogs.account_dialogs import PasswordDialog

        dialog = PasswordDialog(
            self.jobs,
            "修改密码",
            lambda old, new: change_own_password(db, old, new),
            ask_old=True,
            parent=self._window,
        )
        if self.exec_dialog(dialog) == QDialog.DialogCode.Accepted:
            self._window.notify("密码已修改。")
