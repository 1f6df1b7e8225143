"""用户管理 (文件 › 用户管理…, the director's): the accounts with their role, staff record,
state and last log-in; add one, disable or enable it, reset its password; the minutes
without input after which every window of this database locks.

Everything runs through ``services.accounts`` on the worker; the services refuse anyone
but a director, the window only hides the menu entry from the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.roles import ROLE_TITLES, Role
from examsite.progress import Progress
from examsite.ui.dialogs.account_dialogs import (
    FormDialog,
    PasswordDialog,
    new_password_problem,
    password_field,
)
from examsite.ui.tasks import PageJobs
from examsite.ui.widgets import ReadOnlyTable, button, label, resize_within_screen

if TYPE_CHECKING:
    from examsite.services.accounts import AccountRow
    from examsite.storage.db import Database

COLUMNS = ("用户名", "角色", "对应工作人员", "状态", "最近登录")
DIALOG_SIZE = QSize(860, 560)


class AddUserDialog(FormDialog):
    """A new account: name, role (Chinese titles), the staff record of an invigilator,
    the password twice."""

    def __init__(
        self,
        jobs: PageJobs,
        db: Database,
        staff: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(jobs, "添加用户", parent)
        self._db = db
        self.name_field = QLineEdit()
        self.name_field.setObjectName("userName")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("userRole")
        for role in (Role.STAFF, Role.INVIGILATOR, Role.DIRECTOR):
            self.role_combo.addItem(ROLE_TITLES[role], role.value)
        self.staff_combo = QComboBox()
        self.staff_combo.setObjectName("userStaff")
        for name, uid in staff:
            self.staff_combo.addItem(name, uid)
        self.password_field = password_field("userPassword")
        self.again_field = password_field("userPasswordAgain")
        self.form.addRow("用户名", self.name_field)
        self.form.addRow("角色", self.role_combo)
        self.form.addRow("对应工作人员", self.staff_combo)
        self.form.addRow("密码", self.password_field)
        self.form.addRow("再输一次", self.again_field)
        self.role_combo.currentIndexChanged.connect(self._on_role_combo_changed)
        self.finish_layout(
            "考务人员可做全部考务工作（身份证号部分隐藏）；监考员只能在本人监考的考场签到和"
            "记录突发情况，需要对应工作人员名单中的一位；考点负责人可做一切，包括用户管理。"
        )
        self._on_role_combo_changed()

    @property
    def role(self) -> str:
        return str(self.role_combo.currentData())

    def _on_role_combo_changed(self, *_args: object) -> None:
        invigilator = self.role == Role.INVIGILATOR
        self.form.setRowVisible(self.staff_combo, invigilator)

    def check(self) -> str:
        if not self.name_field.text().strip():
            return "请填写用户名。"
        if self.role == Role.INVIGILATOR and self.staff_combo.currentData() is None:
            return "监考员账户需要对应一位工作人员：请先在“监考安排”里添加工作人员。"
        return new_password_problem(self.password_field.text(), self.again_field.text())

    def work(self) -> Callable[[], Any]:
        from examsite.services.accounts import add_user

        db, name, role = self._db, self.name_field.text(), self.role
        password = self.password_field.text()
        staff = str(self.staff_combo.currentData()) if role == Role.INVIGILATOR else None
        return lambda: add_user(db, name, role, password, staff)


class UsersDialog(QDialog):
    """The director's list of accounts and what can be done to them."""

    idle_minutes_saved = Signal(int)

    def __init__(self, jobs: PageJobs, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("用户管理")
        self.jobs = jobs
        self._db = db
        self.rows: list[AccountRow] = []
        # How a sub-dialog is run (``exec``); tests fill it in instead.
        self.exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self._staff: list[tuple[str, str]] = []
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = ReadOnlyTable(
            self.model, name="usersTable", widths={0: 150, 1: 110, 2: 140, 3: 80}, stretch=4
        )
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.add_button = button("添加用户…", self._on_add_button_clicked, kind="primary")
        self.toggle_button = button("停用", self._on_toggle_button_clicked)
        self.reset_button = button("重设密码…", self._on_reset_button_clicked)
        self.idle_spin = QSpinBox()
        self.idle_spin.setObjectName("idleMinutes")
        self.idle_spin.setRange(0, 240)
        self.idle_spin.setSuffix(" 分钟")
        self.idle_spin.setSpecialValueText("从不锁定")
        self.idle_save_button = button("保存", self._on_idle_save_button_clicked)
        self.message_label = label("", "dialogHint", wrap=True)

        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.toggle_button)
        actions.addWidget(self.reset_button)
        actions.addStretch(1)
        idle = QHBoxLayout()
        idle.addWidget(label("无人操作多久后自动锁定窗口：", ""))
        idle.addWidget(self.idle_spin)
        idle.addWidget(self.idle_save_button)
        idle.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(
            label(
                "每个人用自己的账户登录：操作记录会写明是谁做的。不再使用的账户请停用"
                "（操作记录仍保留它的名字），不要共用密码。",
                "dialogText",
                wrap=True,
            )
        )
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addLayout(idle)
        layout.addWidget(self.message_label)
        layout.addWidget(close)
        resize_within_screen(self, DIALOG_SIZE)
        self._update_buttons()
        self.reload()

    # -- reading ------------------------------------------------------------------------

    def reload(self) -> None:
        db = self._db

        def job(_progress: Progress) -> tuple[list[AccountRow], list[tuple[str, str]], int]:
            from examsite.services.accounts import idle_lock_minutes, list_users
            from examsite.services.staff import list_staff

            staff = [(p.name, p.uid) for p in list_staff(db).staff]
            return list_users(db), staff, idle_lock_minutes(db)

        self.jobs.read(job, self._on_loaded)

    def _on_loaded(self, loaded: tuple[list[AccountRow], list[tuple[str, str]], int]) -> None:
        rows, self._staff, minutes = loaded
        self.show_rows(rows)
        self.idle_spin.setValue(minutes)

    def show_rows(self, rows: list[AccountRow]) -> None:
        chosen = self.selected()
        self.rows = rows
        self.model.setRowCount(0)
        for row in rows:
            when = f"{row.last_login_at:%Y-%m-%d %H:%M}" if row.last_login_at else "从未登录"
            cells = [
                row.name,
                row.role_title,
                row.staff_name or "—",
                "已停用" if row.disabled else "可用",
                when,
            ]
            self.model.appendRow([QStandardItem(text) for text in cells])
        if chosen is not None:
            names = [r.name for r in rows]
            if chosen.name in names:
                self.table.selectRow(names.index(chosen.name))
        self._update_buttons()

    def selected(self) -> AccountRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes or indexes[0].row() >= len(self.rows):
            return None
        return self.rows[indexes[0].row()]

    def select_name(self, name: str) -> None:
        for index, row in enumerate(self.rows):
            if row.name == name:
                self.table.selectRow(index)

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected()
        self.toggle_button.setEnabled(row is not None)
        self.reset_button.setEnabled(row is not None)
        self.toggle_button.setText("启用" if row is not None and row.disabled else "停用")

    # -- changes ------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        dialog = AddUserDialog(self.jobs, self._db, self._staff, self)
        if self.exec_dialog(dialog) == QDialog.DialogCode.Accepted and dialog.outcome is not None:
            self.message_label.setText(f"已添加账户“{dialog.outcome.name}”。")
            self.reload()

    def _on_toggle_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        from examsite.services.accounts import set_disabled

        db, name, disable = self._db, row.name, not row.disabled
        self.jobs.change(
            lambda _p: set_disabled(db, name, disable),
            self._on_toggled,
            on_input_error=lambda error: self.message_label.setText(error.message),
            exclusive=False,
        )

    def _on_toggled(self, row: AccountRow) -> None:
        word = "停用" if row.disabled else "重新启用"
        self.message_label.setText(f"已{word}账户“{row.name}”。")
        self.reload()

    def _on_reset_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        from examsite.services.accounts import reset_password

        db, name = self._db, row.name
        dialog = PasswordDialog(
            self.jobs,
            f"重设“{name}”的密码",
            lambda password: reset_password(db, name, password),
            ask_old=False,
            caption=f"为“{name}”设一个新密码（至少 8 个字符），当面告诉本人，并请他登录后"
            "在“修改密码”里改成只有自己知道的密码。",
            parent=self,
        )
        if self.exec_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.message_label.setText(f"已重设“{name}”的密码。")
            self.reload()

    def _on_idle_save_button_clicked(self) -> None:
        from examsite.services.accounts import set_idle_lock_minutes

        db, minutes = self._db, self.idle_spin.value()

        def saved(value: int) -> None:
            text = f"无人操作 {value} 分钟后锁定" if value else "不再自动锁定"
            self.message_label.setText(f"已保存：{text}（其他电脑下次登录起生效）。")
            self.idle_minutes_saved.emit(value)

        self.jobs.change(
            lambda _p: set_idle_lock_minutes(db, minutes),
            saved,
            on_input_error=lambda error: self.message_label.setText(error.message),
            exclusive=False,
        )

    def sizeHint(self) -> QSize:
        return DIALOG_SIZE

    def keyPressEvent(self, event: Any) -> None:
        # Return in the table must not close the dialog (the Close box is the default).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
