"""加密数据库: turning encryption at rest on for the open site, from the 文件 menu.

Says what encryption does and costs, checks on the worker whether this site can be
encrypted (a file with accounts, a director logged in; a school server is refused with
its reason), asks the director's password again and runs ``encrypt_site`` on the worker.
The window then gets the site opened again, encrypted; the dialog shows the new recovery
code (selectable, shown once) and what to keep in mind (the ``.keys`` file, old backups).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from examsite.errors import ExamsiteError
from examsite.progress import Progress
from examsite.ui.widgets import button, label, repolish

if TYPE_CHECKING:
    from examsite.services.encryption import EncryptResult
    from examsite.storage.db import Database

DIALOG_STYLE = """
QDialog { background: #ffffff; }
QLineEdit { border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 8px; }
QLineEdit:focus { border: 1px solid #1f6feb; }
QLabel#encryptState[state="error"] { color: #cf222e; }
QLabel#encryptState[state="ok"] { color: #1a7f37; }
QLabel#recoveryCode { font-size: 20px; font-weight: bold; letter-spacing: 2px;
    padding: 8px; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; }
"""
INTRO = (
    "加密后，这台电脑上的数据库文件没有账户密码或恢复码就打不开：拷走文件的人只能看到一堆乱码。"
    "每个账户用自己的密码打开；以后添加、停用账户或改密码，都不会重新加密整个文件。"
    "加密前做的备份仍是未加密的；加密后做的备份和导出的换机传输包也会加密（传输包需另设口令）。"
)
WHAT_HAPPENS = (
    "将生成新的恢复码（旧恢复码作废），只显示一次，请打印或抄下来锁好。"
    "数据库旁会多一个 .keys 密钥文件，复制数据库时必须一起复制。"
)


class EncryptDialog(QDialog):
    """Encrypt the window's site; ``encrypted`` carries the ``EncryptResult``."""

    encrypted = Signal(object)

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encryptDialog")
        self.setWindowTitle("加密数据库")
        self.setStyleSheet(DIALOG_STYLE)
        self.setMinimumWidth(600)
        self.window_ = window
        self.db: Database | None = window.db
        principal = self.db.access.principal if self.db is not None else None
        self.file_label = QLabel(str(self.db.file_path or "") if self.db is not None else "")
        self.file_label.setWordWrap(True)
        self.user_label = QLabel(principal.name if principal is not None else "（未登录）")
        self.password_edit = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("再输入一次您的登录密码")
        form = QFormLayout()
        form.addRow("数据库文件：", self.file_label)
        form.addRow("考点负责人：", self.user_label)
        form.addRow("密码：", self.password_edit)
        self.state_label = label("正在检查…", wrap=True)
        self.state_label.setObjectName("encryptState")
        self.code_label = QLabel()
        self.code_label.setObjectName("recoveryCode")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.hide()
        self.encrypt_button = button("加密", self._on_encrypt_clicked, kind="primary")
        self.encrypt_button.setEnabled(False)
        self.close_button = button("取消", self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.encrypt_button)
        self.ask_panel = QWidget()  # hidden once done: the result takes its place
        asking = QVBoxLayout(self.ask_panel)
        asking.setContentsMargins(0, 0, 0, 0)
        asking.setSpacing(12)
        asking.addWidget(label(INTRO, wrap=True))
        asking.addWidget(label(WHAT_HAPPENS, wrap=True))
        asking.addLayout(form)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.ask_panel)
        layout.addWidget(self.state_label)
        layout.addWidget(self.code_label)
        layout.addLayout(buttons)
        self._check()

    # -- whether it can be done ---------------------------------------------------------

    def _check(self) -> None:
        db = self.db
        if db is None:
            self._say("请先打开一个考点数据库。", "error")
            return

        def job(_progress: Progress) -> str | None:
            from examsite.services.encryption import encryptable_file

            try:
                encryptable_file(db)
            except ExamsiteError as exc:
                return exc.message
            principal = db.access.principal
            if principal is None or principal.role != "director":
                from examsite.messages import text

                return text("crypt.director_only")
            return None

        self.window_.jobs.read(job, self._on_checked)

    def _on_checked(self, refusal: str | None) -> None:
        if refusal is not None:
            self._say(refusal, "error")
            return
        self._say("可以加密。加密期间请不要关闭程序；数据多时需要几秒到一分钟。", "")
        self.encrypt_button.setEnabled(True)
        self.password_edit.setFocus()

    def _say(self, text: str, state: str) -> None:
        self.state_label.setText(text)
        self.state_label.setProperty("state", state)
        repolish(self.state_label)

    # -- doing it -----------------------------------------------------------------------

    def _on_encrypt_clicked(self) -> None:
        db, password = self.db, self.password_edit.text()
        if db is None or not password:
            self._say("请输入您的登录密码。", "error")
            return
        self.encrypt_button.setEnabled(False)
        self._say("正在加密…", "")
        self._quiet_window()

        def job(_progress: Progress) -> EncryptResult:
            from examsite.services.encryption import encrypt_site

            return encrypt_site(db, password)

        self.window_.jobs.change(
            job,
            self._on_encrypted,
            progress="正在加密数据库…",
            on_input_error=self._on_failed,
            on_failure=self._on_failed,
        )

    def _quiet_window(self) -> None:
        """The window stops reading the plain file, which is about to be replaced (its
        status is read again from the encrypted one, or from this one on a failure)."""
        context = getattr(self.window_, "context", None)
        if context is not None:
            context.status.retire()

    def _on_failed(self, error: BaseException) -> None:
        if self.window_.db is not None:  # nothing changed: the window reads it again
            self.window_._install_database(self.window_.db)
        self.encrypt_button.setEnabled(True)
        self._say(error.message if isinstance(error, ExamsiteError) else str(error), "error")

    def _on_encrypted(self, result: EncryptResult) -> None:
        from examsite.services.encryption import result_lines

        self.window_._install_database(result.database)
        self.db = result.database
        lines = result_lines(result)
        self._say("\n".join(line for line in lines if result.recovery_code not in line), "ok")
        self.code_label.setText(f"新的恢复码：{result.recovery_code}")
        self.code_label.show()
        self.password_edit.clear()
        self.ask_panel.hide()
        self.encrypt_button.hide()
        self.close_button.setText("我已抄下恢复码，关闭")
        self.adjustSize()
        self.encrypted.emit(result)


def add_encrypt_action(window: Any, menu: QMenu) -> QAction:
    """The 文件 menu's 加密数据库… entry, off while the window runs a job of its own."""
    action = QAction("加密数据库(&E)…", window)
    action.triggered.connect(lambda: EncryptDialog(window, parent=window).open())
    menu.addAction(action)
    window.jobs.guard(action)
    return action
