"""The log-in panel: it covers the whole window until someone has logged in, and again
when the window locks after an idle time.

The panel never checks a password itself. It hands the name and the password to an
``attempt(name, password)`` callable on the worker thread (Argon2 takes ~90 ms) and
emits ``succeeded(result)`` with whatever the attempt returned; a refusal
(``AccessDenied``, an ``InputError``) is shown under the fields in its Chinese words.
The window gives the attempt (``ui.account_guard.AccountGuard.attempt_for``): today
``services.accounts.log_in`` on the open database; an encrypted database can only be
opened with the password, so its attempt opens the file first — the panel is the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from examsite.errors import InputError
from examsite.progress import Progress
from examsite.ui.tasks import PageJobs, TaskRunner
from examsite.ui.widgets import button, label

log = logging.getLogger(__name__)

#: ``attempt(name, password)``: runs on the worker, returns what ``succeeded`` carries
#: (a ``Principal``), raises ``AccessDenied`` / ``InputError`` to refuse.
Attempt = Callable[[str, str], Any]
#: Refusals that make the next try wait (their ``seconds`` parameter).
WAIT_CODES = ("auth.wait", "auth.wrong_password_wait")

PANEL_STYLE = """
QWidget#loginPanel { background: #f6f8fa; }
QFrame#loginCard { background: #ffffff; border: 1px solid #d0d7de; border-radius: 10px; }
QFrame#loginCard QLabel#loginMessage { color: #cf222e; }
QPushButton#primaryButton:disabled { background: #9ec0f5; border: 1px solid #9ec0f5; color: #fff; }
"""


class LoginPanel(QWidget):
    """Name, password, 登录; 忘记密码？ for a director's recovery code; in lock mode the
    name is the locked account's and 切换用户 lets another log in instead."""

    succeeded = Signal(object)  # the attempt's result
    recovery_requested = Signal(str)  # the name typed so far

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(PANEL_STYLE)
        self.jobs = PageJobs(runner, lambda _text: None, self)
        self._attempt: Attempt | None = None
        self._locked_name = ""
        self._wait_left = 0
        self._wait_timer = QTimer(self, interval=1000)
        self._wait_timer.timeout.connect(self._on_wait_timer_timeout)

        self.title_label = label("", "pageTitle")
        self.hint_label = label("", "pageSubtitle", wrap=True)
        self.name_field = QLineEdit()
        self.name_field.setObjectName("loginName")
        self.name_field.setMaxLength(60)
        self.password_field = QLineEdit()
        self.password_field.setObjectName("loginPassword")
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_field.returnPressed.connect(self.password_field.setFocus)
        self.password_field.returnPressed.connect(self.submit)
        self.message_label = label("", "", wrap=True)
        self.message_label.setObjectName("loginMessage")
        self.message_label.hide()
        self.login_button = button("登录", self.submit, kind="primary")
        self.login_button.setDefault(True)
        self.switch_button = button("切换用户", self._on_switch_button_clicked)
        self.forgot_button = button("忘记密码？", self._on_forgot_button_clicked, kind="link")

        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        form.addRow("用户名", self.name_field)
        form.addRow("密码", self.password_field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forgot_button)
        buttons.addStretch(1)
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.login_button)

        card = QFrame()
        card.setObjectName("loginCard")
        card.setFixedWidth(440)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 28, 32, 24)
        inner.setSpacing(10)
        inner.addWidget(self.title_label)
        inner.addWidget(self.hint_label)
        inner.addSpacing(6)
        inner.addLayout(form)
        inner.addWidget(self.message_label)
        inner.addSpacing(4)
        inner.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)

    # -- what the window asks -----------------------------------------------------------

    @property
    def locked_name(self) -> str:
        """The locked account's name (empty: the panel asks for a log-in)."""
        return self._locked_name

    def ask_login(self, attempt: Attempt, *, name: str = "", site: str = "") -> None:
        """Ask anyone to log in (the database is protected and nobody is logged in)."""
        self._attempt = attempt
        self._locked_name = ""
        self.title_label.setText("登录")
        where = f"“{site}”" if site else "这个考点"
        self.hint_label.setText(f"{where}的数据受账户保护：请用您的账户登录。")
        self.name_field.setReadOnly(False)
        self.name_field.setText(name)
        self.switch_button.hide()
        self._reset()
        (self.password_field if name else self.name_field).setFocus()

    def ask_unlock(self, attempt: Attempt, name: str, role_title: str) -> None:
        """The window locked: ``name`` types their password again, or 切换用户."""
        self._attempt = attempt
        self._locked_name = name
        self.title_label.setText("已锁定")
        self.hint_label.setText(
            f"窗口长时间无人操作，已自动锁定。{role_title}“{name}”请再次输入密码；"
            "换人使用请点“切换用户”。"
        )
        self.name_field.setText(name)
        self.name_field.setReadOnly(True)
        self.switch_button.show()
        self._reset()
        self.password_field.setFocus()

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # -- the attempt --------------------------------------------------------------------

    def submit(self) -> None:
        """Run the attempt with the typed name and password (on the worker)."""
        attempt = self._attempt
        name, password = self.name_field.text().strip(), self.password_field.text()
        if attempt is None or self._wait_left > 0 or self.jobs.busy:
            return
        if not name or not password:
            self.show_message("请输入用户名和密码。")
            (self.password_field if name else self.name_field).setFocus()
            return
        self.show_message("")
        self.login_button.setEnabled(False)
        self.login_button.setText("正在登录…")

        def job(_progress: Progress) -> object:
            return attempt(name, password)

        self.jobs.read(
            job,
            self._on_attempt_succeeded,
            on_input_error=self._on_attempt_refused,
            on_failure=self._on_attempt_failed,
            exclusive=True,
        )

    def _on_attempt_succeeded(self, result: object) -> None:
        self._reset()
        self.succeeded.emit(result)

    def _on_attempt_failed(self, _error: BaseException) -> None:
        self.login_button.setText("登录")
        self.login_button.setEnabled(True)

    def _on_attempt_refused(self, error: InputError) -> None:
        self.password_field.clear()
        self.password_field.setFocus()
        self.show_message(error.message)
        seconds = error.params.get("seconds")
        if error.code in WAIT_CODES and isinstance(seconds, int) and seconds > 0:
            self._wait(seconds)

    def _wait(self, seconds: int) -> None:
        """Refuse to try again for ``seconds`` (the service would refuse it anyway)."""
        self._wait_left = seconds
        self.login_button.setEnabled(False)
        self._show_wait()
        self._wait_timer.start()

    def _on_wait_timer_timeout(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._wait_timer.stop()
            self._wait_left = 0
            self.login_button.setText("登录")
            self.login_button.setEnabled(True)
            return
        self._show_wait()

    def _show_wait(self) -> None:
        self.login_button.setText(f"请等待 {self._wait_left} 秒")

    @property
    def waiting(self) -> int:
        """The seconds left before the next try (0: it may try now)."""
        return self._wait_left

    def _reset(self) -> None:
        self.password_field.clear()
        self.show_message("")
        if self._wait_left <= 0:
            self.login_button.setText("登录")
            self.login_button.setEnabled(True)

    # -- the links ----------------------------------------------------------------------

    def _on_switch_button_clicked(self) -> None:
        self._locked_name = ""
        self.title_label.setText("切换用户")
        self.hint_label.setText("请输入另一个账户的用户名和密码。")
        self.name_field.setReadOnly(False)
        self.name_field.clear()
        self.switch_button.hide()
        self._reset()
        self.name_field.setFocus()

    def _on_forgot_button_clicked(self) -> None:
        self.recovery_requested.emit(self.name_field.text().strip())
