"""The small dialogs of accounts: the first director's account, the recovery code shown
once, recovery with that code, a new password (one's own or reset by the director).

Each one that changes the database runs its service through ``PageJobs`` on the worker
(Argon2 takes ~90 ms a hash) and shows a refusal under its fields, in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examsite.errors import InputError
from examsite.messages import text as message_text
from examsite.progress import Progress
from examsite.ui.tasks import PageJobs
from examsite.ui.widgets import button, label

MIN_PASSWORD = 8  # services.accounts.MIN_PASSWORD, checked again there
#: A primary button that is off looks off (style.qss does so for pages only).
DISABLED_PRIMARY = (
    "QPushButton#primaryButton:disabled "
    "{ background: #9ec0f5; border: 1px solid #9ec0f5; color: #ffffff; }"
)
DIALOG_WIDTH = 460


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class FormDialog(QDialog):
    """A dialog whose 确定 runs ``work()`` on the worker: its result is kept in
    ``outcome`` and the dialog closes; a refusal stays in the dialog, under the fields."""

    def __init__(self, jobs: PageJobs, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(DIALOG_WIDTH)
        self.jobs = jobs
        self.outcome: Any = None
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.message_label = label("", "formError", wrap=True)
        self.message_label.setObjectName("dialogMessage")
        self.message_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(10)

    def finish_layout(self, caption: str = "") -> None:
        if caption:
            self.layout_.addWidget(label(caption, "dialogText", wrap=True))
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.message_label)
        self.layout_.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def check(self) -> str:
        """What is wrong with the fields before the worker is asked ("" when nothing)."""
        return ""

    def work(self) -> Callable[[], Any]:
        """The service call to run on the worker (the fields read on the GUI thread)."""
        raise NotImplementedError

    def submit(self) -> None:
        problem = self.check()
        if problem:
            self.show_message(problem)
            return
        call = self.work()
        self.show_message("")
        self.ok_button.setEnabled(False)

        def job(_progress: Progress) -> Any:
            return call()

        self.jobs.change(
            job,
            self._on_job_done,
            on_input_error=self._on_job_refused,
            on_failure=self._on_job_failed,
            exclusive=False,
        )

    def _on_job_done(self, outcome: Any) -> None:
        self.outcome = outcome
        self.ok_button.setEnabled(True)
        self.accept()

    def _on_job_failed(self, _error: BaseException) -> None:
        self.ok_button.setEnabled(True)

    def _on_job_refused(self, error: InputError) -> None:
        self.show_message(error.message)


def new_password_problem(first: str, second: str) -> str:
    """The same checks the service makes, said before the worker is asked."""
    if len(first) < MIN_PASSWORD or not first.strip():
        return message_text("users.password_short", minimum=MIN_PASSWORD)
    if first != second:
        return message_text("users.passwords_differ")
    return ""


class FirstAccountDialog(FormDialog):
    """A real site's first run: the director's account (the database is protected from
    then on). ``以后再说`` keeps the site open; the window keeps reminding."""

    def __init__(
        self,
        jobs: PageJobs,
        create: Callable[[str, str], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(jobs, "创建考点负责人账户", parent)
        self._create = create
        self.name_field = QLineEdit()
        self.name_field.setObjectName("firstName")
        self.name_field.setPlaceholderText("如 zhouzr（登录时用，不含空格）")
        self.password_field = password_field("firstPassword")
        self.again_field = password_field("firstPasswordAgain")
        self.form.addRow("用户名", self.name_field)
        self.form.addRow("密码", self.password_field)
        self.form.addRow("再输一次", self.again_field)
        self.ok_button.setText("创建账户")
        later = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        later.setText("以后再说")
        self.finish_layout(
            "这个考点还没有账户：任何人打开本机都能看到全部考生的身份证号和照片。"
            f"请为考点负责人创建账户（密码至少 {MIN_PASSWORD} 个字符）。创建后，"
            "打开这个考点需要登录，并会生成一个只显示一次的恢复码。"
        )

    def check(self) -> str:
        if not self.name_field.text().strip():
            return "请填写用户名。"
        return new_password_problem(self.password_field.text(), self.again_field.text())

    def work(self) -> Callable[[], Any]:
        name, password, create = self.name_field.text(), self.password_field.text(), self._create
        return lambda: create(name, password)


class RecoveryDialog(FormDialog):
    """忘记密码？: a director's new password from the recovery code (a new code follows)."""

    def __init__(
        self,
        jobs: PageJobs,
        recover: Callable[[str, str, str], Any],
        name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(jobs, "用恢复码重设密码", parent)
        self._recover = recover
        self.name_field = QLineEdit(name)
        self.name_field.setObjectName("recoverName")
        self.code_field = QLineEdit()
        self.code_field.setObjectName("recoverCode")
        self.code_field.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.password_field = password_field("recoverPassword")
        self.again_field = password_field("recoverPasswordAgain")
        self.form.addRow("考点负责人用户名", self.name_field)
        self.form.addRow("恢复码", self.code_field)
        self.form.addRow("新密码", self.password_field)
        self.form.addRow("再输一次", self.again_field)
        self.finish_layout(
            "只有考点负责人可以用恢复码重设自己的密码；其他账户忘记密码，请找考点负责人在"
            "“用户管理”里重设。恢复码用过一次就作废，之后会显示新的恢复码。"
        )

    def check(self) -> str:
        if not self.name_field.text().strip() or not self.code_field.text().strip():
            return "请填写用户名和恢复码。"
        return new_password_problem(self.password_field.text(), self.again_field.text())

    def work(self) -> Callable[[], Any]:
        name, code = self.name_field.text(), self.code_field.text()
        password, recover = self.password_field.text(), self._recover
        return lambda: recover(name, code, password)


class PasswordDialog(FormDialog):
    """A new password: one's own (``old``: the current one is asked first) or another
    account's, reset by the director."""

    def __init__(
        self,
        jobs: PageJobs,
        title: str,
        save: Callable[..., Any],
        *,
        ask_old: bool,
        caption: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(jobs, title, parent)
        self._save = save
        self._ask_old = ask_old
        self.old_field = password_field("oldPassword")
        self.password_field = password_field("newPassword")
        self.again_field = password_field("newPasswordAgain")
        if ask_old:
            self.form.addRow("当前密码", self.old_field)
        self.form.addRow("新密码", self.password_field)
        self.form.addRow("再输一次", self.again_field)
        self.finish_layout(caption or f"新密码至少 {MIN_PASSWORD} 个字符。")

    def check(self) -> str:
        if self._ask_old and not self.old_field.text():
            return "请输入当前密码。"
        return new_password_problem(self.password_field.text(), self.again_field.text())

    def work(self) -> Callable[[], Any]:
        new, save = self.password_field.text(), self._save
        if self._ask_old:
            old = self.old_field.text()
            return lambda: save(old, new)
        return lambda: save(new)


# -- the recovery code, shown once -----------------------------------------------------


def print_text(parent: QWidget, title: str, body: str) -> bool:
    """Print ``body`` (plain text) after the system's print dialog; False if cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document = QTextDocument()
    document.setPlainText(body)
    document.print_(printer)
    return True


Printer = Callable[[QWidget, str, str], bool]


class RecoveryCodeDialog(QDialog):
    """The recovery code, shown this once: 复制, 打印, and 完成 only after
    "我已抄下并妥善保管" is ticked."""

    def __init__(
        self,
        name: str,
        code: str,
        *,
        site: str = "",
        printer: Printer = print_text,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("恢复码（只显示这一次）")
        self.setStyleSheet(DISABLED_PRIMARY)
        self.setMinimumWidth(520)
        self.code = code
        self._name = name
        self._site = site
        self._printer = printer
        self.code_label = label(code, "")
        self.code_label.setObjectName("recoveryCode")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(18)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setStyleSheet(
            "background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 14px;"
        )
        self.copy_button = button("复制", self._on_copy_button_clicked)
        self.print_button = button("打印…", self._on_print_button_clicked)
        self.kept_box = QCheckBox("我已抄下并妥善保管")
        self.kept_box.setObjectName("recoveryKept")
        self.done_button = button("完成", self.accept, kind="primary")
        self.done_button.setEnabled(False)
        self.kept_box.toggled.connect(self.done_button.setEnabled)
        self.note_label = label("", "dialogHint", wrap=True)
        self.note_label.hide()

        actions = QHBoxLayout()
        actions.addWidget(self.copy_button)
        actions.addWidget(self.print_button)
        actions.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.kept_box)
        bottom.addStretch(1)
        bottom.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(
            label(
                f"已创建考点负责人账户“{name}”。下面是恢复码：所有考点负责人都忘记密码时，"
                "它是重新进入这个考点的唯一办法。它只显示这一次，程序不保存它的原文。",
                "dialogText",
                wrap=True,
            )
        )
        layout.addWidget(self.code_label)
        layout.addLayout(actions)
        layout.addWidget(
            label(
                "请打印或抄在纸上，锁在柜子里；不要存在这台电脑上，也不要拍照发到群里。",
                "dialogHint",
                wrap=True,
            )
        )
        layout.addWidget(self.note_label)
        layout.addLayout(bottom)

    def reject(self) -> None:
        # Esc or the close box: the code would be lost unread; only 完成 ends it.
        if self.kept_box.isChecked():
            super().reject()
        else:
            self._note("请先抄下或打印恢复码，勾选“我已抄下并妥善保管”后再关闭。")

    def _note(self, text: str) -> None:
        self.note_label.setText(text)
        self.note_label.show()

    def printed_text(self) -> str:
        where = f"考点：{self._site}\n" if self._site else ""
        return (
            f"考点助手 恢复码\n\n{where}考点负责人账户：{self._name}\n\n恢复码：{self.code}\n\n"
            "所有考点负责人都忘记密码时，在登录窗口点“忘记密码？”输入此码。用过一次即作废。\n"
            "请锁好保管，不要拍照或存在电脑上。"
        )

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code)
        self._note("已复制到剪贴板：粘贴到纸质记录后，请复制一段别的文字把它覆盖掉。")

    def _on_print_button_clicked(self) -> None:
        if self._printer(self, "考点助手恢复码", self.printed_text()):
            self._note("已送到打印机。")
