"""连接到学校服务器: the school server's connection settings in the window.

Host, port, database, user, password (never shown, kept in the credential store) and TLS;
测试连接 tries them on the worker and says in Chinese what went wrong; 保存并使用 tests,
saves and asks the window to open the server (``use_server``); 改回本机数据库 turns the
server off and asks for the local file (``use_local``). Nothing here blocks the GUI
thread: the credential store and the network are used by jobs on the worker.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examsite.errors import ExamsiteError, InputError
from examsite.progress import Progress
from examsite.services import server_settings as ss
from examsite.ui.tasks import PageJobs
from examsite.ui.widgets import button, label, repolish

DIALOG_STYLE = """
QDialog { background: #ffffff; }
QLineEdit, QSpinBox, QComboBox { border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 8px; }
QLineEdit:focus, QSpinBox:focus { border: 1px solid #1f6feb; }
QLabel#serverResult[state="ok"] { color: #1a7f37; }
QLabel#serverResult[state="error"] { color: #cf222e; }
"""
INTRO = (
    "几位考务人员在不同办公室同时工作时，可以把考点数据放在学校的 PostgreSQL 服务器上。"
    "主机、数据库、用户名和密码请向学校信息中心索取。密码保存在系统的凭据管理器中，"
    "不会写进任何文件。"
)
STORED_PASSWORD_HINT = "留空则使用已保存的密码"


class ServerDialog(QDialog):
    """The connection settings; ``use_server`` / ``use_local`` ask the window to switch."""

    use_server = Signal(object)  # ServerSettings, saved with use_server on
    use_local = Signal()
    checked = Signal(object)  # ConnectionCheck: a test ended (for tests and the status)

    def __init__(
        self,
        jobs: PageJobs,
        *,
        parent: QWidget | None = None,
        connect: ss.Connect | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("serverDialog")
        self.setWindowTitle("连接到学校服务器")
        self.setStyleSheet(DIALOG_STYLE)
        self.setMinimumWidth(560)
        self.jobs = jobs
        self._connect = connect
        self.host_edit = QLineEdit(placeholderText="如 192.168.1.10 或 db.school.lan")
        self.port_spin = QSpinBox(minimum=1, maximum=65535, value=ss.DEFAULT_PORT)
        self.database_edit = QLineEdit(placeholderText="如 examsite")
        self.user_edit = QLineEdit(placeholderText="如 kaowu")
        self.password_edit = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.tls_combo = QComboBox()
        for mode in ss.TLS_MODES:
            self.tls_combo.addItem(ss.TLS_TITLES[mode], mode)
        form = QFormLayout()
        form.addRow("主机：", self.host_edit)
        form.addRow("端口：", self.port_spin)
        form.addRow("数据库：", self.database_edit)
        form.addRow("用户名：", self.user_edit)
        form.addRow("密码：", self.password_edit)
        form.addRow("加密：", self.tls_combo)
        self.result_label = label("", "", wrap=True)
        self.result_label.setObjectName("serverResult")
        self.state_label = label("", "dialogHint", wrap=True)

        self.test_button = button("测试连接", self._on_test_button_clicked)
        self.save_button = button("保存并使用", self._on_save_button_clicked, kind="primary")
        self.local_button = button("改回本机数据库", self._on_local_button_clicked)
        self.close_button = button("关闭", self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.local_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(label(INTRO, "dialogHint", wrap=True))
        layout.addLayout(form)
        layout.addWidget(self.state_label)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        self._fill()

    # -- the form ------------------------------------------------------------------------

    def _fill(self) -> None:
        """The saved settings (the JSON file only; the password stays in the store)."""
        try:
            saved = ss.load()
        except ExamsiteError as exc:
            self._show(exc.message, ok=False)
            saved = None
        if saved is None:
            self.state_label.setText("现在使用本机数据库；还没有设置学校服务器。")
            self.local_button.setEnabled(False)
            return
        self.host_edit.setText(saved.host)
        self.port_spin.setValue(saved.port)
        self.database_edit.setText(saved.database)
        self.user_edit.setText(saved.user)
        self.tls_combo.setCurrentIndex(ss.TLS_MODES.index(saved.tls))
        self.password_edit.setPlaceholderText(STORED_PASSWORD_HINT)
        where = "正在使用学校服务器" if saved.use_server else "现在使用本机数据库；已保存的服务器"
        self.state_label.setText(f"{where}：{saved.label}")
        self.local_button.setEnabled(saved.use_server)

    def settings(self) -> ss.ServerSettings:
        """What the form says, checked (``InputError`` names the field)."""
        return ss.checked(
            host=self.host_edit.text(),
            port=self.port_spin.value(),
            database=self.database_edit.text(),
            user=self.user_edit.text(),
            tls=str(self.tls_combo.currentData()),
        )

    def _show(self, text: str, *, ok: bool | None) -> None:
        self.result_label.setText(text)
        self.result_label.setProperty("state", "" if ok is None else "ok" if ok else "error")
        repolish(self.result_label)

    def _set_working(self, working: bool) -> None:
        for widget in (self.test_button, self.save_button, self.close_button):
            widget.setEnabled(not working)

    # -- the jobs ------------------------------------------------------------------------

    def _on_test_button_clicked(self) -> None:
        self.test()

    def test(self) -> None:
        """Try the settings on the worker; the answer goes under the form."""
        self._start(save=False)

    def _on_save_button_clicked(self) -> None:
        self.save_and_use()

    def save_and_use(self) -> None:
        """Test; when the server answers, save (password to the store) and switch to it."""
        self._start(save=True)

    def _start(self, *, save: bool) -> None:
        try:
            settings = self.settings()
        except InputError as exc:
            self._show(exc.message, ok=False)
            return
        typed = self.password_edit.text() or None
        connect = self._connect
        chosen = replace(settings, use_server=True)

        def job(_progress: Progress) -> ss.ConnectionCheck:
            password = typed if typed is not None else ss.stored_password(settings)
            if password is None:
                raise InputError("server.no_password", server=settings.label)
            check = ss.test_connection(settings, password, connect=connect)
            if save and check.ok:
                ss.save(chosen, password)
            return check

        def done(check: ss.ConnectionCheck) -> None:
            self._set_working(False)
            self._show(check.message, ok=check.ok)
            self.checked.emit(check)
            if save and check.ok:
                self.use_server.emit(chosen)
                self.accept()

        self._set_working(True)
        self._show("正在连接服务器，请稍候…", ok=None)
        self.jobs.read(
            job,
            done,
            on_input_error=self._on_job_input_error,
            on_failure=self._on_job_failure,
        )

    def _on_job_input_error(self, error: InputError) -> None:
        self._show(error.message, ok=False)

    def _on_job_failure(self, error: BaseException) -> None:
        self._set_working(False)
        if not isinstance(error, InputError):
            self._show("", ok=None)

    def _on_local_button_clicked(self) -> None:
        self.use_local_database()

    def use_local_database(self) -> None:
        """Turn the server off (settings and password kept) and open the local file."""

        def job(_progress: Progress) -> None:
            if ss.load() is not None:
                ss.set_use(False)

        def done(_none: None) -> None:
            self._set_working(False)
            self.use_local.emit()
            self.accept()

        self._set_working(True)
        self.jobs.read(job, done, on_failure=self._on_job_failure)
