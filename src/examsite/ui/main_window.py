"""The main window: the sidebar of steps on the left, the current step's page on the right."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from examsite import __version__
from examsite.clock import now as clock_now
from examsite.domain.workflow import Step
from examsite.errors import Cancelled, ExamsiteError, StorageError
from examsite.paths import data_dir, log_file
from examsite.progress import Progress
from examsite.services.server_settings import display_url, server_label
from examsite.ui.account_guard import AccountGuard, LockedFile
from examsite.ui.change_follow import ChangeFollower
from examsite.ui.change_watch import location_text
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose
from examsite.ui.encrypt_dialog import add_encrypt_action
from examsite.ui.errors import ErrorPresenter, show_error
from examsite.ui.go_menu import build_go_menu
from examsite.ui.pages import PAGE_FACTORIES, BasePage, PageContext, dashboard, preload_services
from examsite.ui.retention_menu import retention_action
from examsite.ui.sidebar import Sidebar
from examsite.ui.single_instance import Answer, InstanceServer, ask_window, normalised
from examsite.ui.status_watcher import Clock, RoundView, StatusWatcher
from examsite.ui.tasks import Job, PageJobs, TaskRunner
from examsite.ui.widgets import FRAME_MARGINS, label

# The window paints before SQLAlchemy and the pages' libraries load: the database opens
# on the worker, and a page's module is imported when the page is first shown.
if TYPE_CHECKING:
    from examsite.services.demo import DemoResult
    from examsite.services.server_settings import Connect, ServerSettings
    from examsite.storage.db import Database
    from examsite.ui.dialogs.server_dialog import ServerDialog
    from examsite.ui.pages.dashboard import DashboardPage

log = logging.getLogger(__name__)

APP_TITLE = "考点助手"
DB_FILTER = "考点数据库 (*.db *.sqlite);;所有文件 (*)"
BACKUP_FILTER = "数据库备份 (*.db);;所有文件 (*)"
DEMO_CANDIDATES = 200
# The size the window opens at where the screen has room, and the least it may shrink to:
# the minimum fits a 1366×768 screen's work area (1366×728 above the taskbar) with the
# title bar, the window's usual size does not and is maximized there.
PREFERRED_SIZE = QSize(1280, 800)
MINIMUM_SIZE = QSize(1100, 640)
# After a page is shown, the round's status is read again a moment later: the page's own
# reading goes first and paints without the status sharing the worker and the GIL, and
# a quick walk through the pages costs one read.
STATUS_AFTER_SHOW_MS = 500
#: Codes of a database that fails its integrity check on start (storage.db).
DAMAGED_CODES = ("storage.damaged", "storage.damaged_no_backup")


class DatabaseDialogs(FileDialogs):
    """The file dialogs the window opens; tests hand in a replacement."""

    def open_database(self, parent: QWidget) -> Path | None:
        return self.ask_open(Purpose.DATABASE, parent, "打开数据库", DB_FILTER)

    def new_database(self, parent: QWidget) -> Path | None:
        # An existing file is refused by the window, not overwritten: no question here.
        return self.ask_save(
            Purpose.DATABASE, parent, "新建数据库", DB_FILTER, "新考点.db", confirm_overwrite=False
        )

    def open_backup(self, parent: QWidget) -> Path | None:
        return self.ask_open(Purpose.DATABASE, parent, "选择要恢复的备份", BACKUP_FILTER)


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask a yes/no question whose yes button says ``action`` (恢复…) and no 取消."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


def inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


class MainWindow(QMainWindow):
    """Opens one database at a time and shows its pages; all its work goes to ``runner``.

    The window's own jobs (opening a database, creating the demo) run through ``jobs``;
    while one runs, 打开 / 新建 and the dashboard's 创建演示考点 are off.
    """

    database_opened = Signal(object)  # Database
    brought_forward = Signal()  # another start asked for this window's database

    def __init__(
        self,
        runner: TaskRunner | None = None,
        db: Database | None = None,
        *,
        clock: Clock = clock_now,
        dialogs: DatabaseDialogs | None = None,
        present_error: ErrorPresenter = show_error,
        instance: InstanceServer | None = None,
    ) -> None:
        super().__init__()
        self.runner = runner if runner is not None else TaskRunner(parent=self)
        self.runner.error_handler = self.show_error
        self.runner.job_ended.connect(self._on_runner_job_ended)
        self.jobs = PageJobs(self.runner, self.notify, self)
        self.jobs.busy_changed.connect(self._on_jobs_busy_changed)
        self._clock = clock
        self._dialogs = dialogs or DatabaseDialogs()
        self._present_error = present_error
        self.server_connect: Connect | None = None  # tests: a fake psycopg.connect
        # A real site opened without accounts is offered the director's (``examsite``).
        self.offer_first_account = False
        self.db: Database | None = None
        self.context: PageContext | None = None
        self.pages: dict[Step | None, BasePage] = {}
        self._status_timer = QTimer(self, singleShot=True, interval=STATUS_AFTER_SHOW_MS)
        self._status_timer.timeout.connect(self._on_status_timer_timeout)
        self._opening = False  # a database is being installed (its status is read at once)
        # Answers other starts on the open database (one window per database); None in tests.
        self.instance = instance
        if instance is not None:
            instance.setParent(self)
            instance.activation_requested.connect(self._on_instance_activation_requested)

        self.setWindowTitle(APP_TITLE)
        self.setMinimumSize(MINIMUM_SIZE)
        self.sidebar = Sidebar()
        self.sidebar.step_selected.connect(self._on_sidebar_step_selected)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pageStack")
        self.waiting_label = label("正在打开数据库…", "emptyText", wrap=True)
        self.waiting_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.waiting_label)

        central = QWidget()
        central.setObjectName("central")
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        self.path_label = label("", "statusPath")
        # Others' changes (another PC, another program): the page in view is read again.
        self.changes = ChangeFollower(
            self.runner,
            current_page=self.stack.currentWidget,
            request_status=lambda: self._request_status(soon=False),
            notify=self.notify,
            path_label=self.path_label,
            parent=self,
        )
        # Log-in, idle lock, the reminder of a site without accounts, what a role sees.
        self.accounts = AccountGuard(self, central)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.accounts.bar)
        right.addWidget(self.changes.bar)
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 1)
        self.setCentralWidget(self.accounts.screens)

        self.statusBar().addPermanentWidget(self.accounts.user_label)
        self.statusBar().addPermanentWidget(self.changes.connection_label)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state_changed)
        self.statusBar().addPermanentWidget(self.path_label)
        self._build_menus()
        self.jobs.guard(
            self.open_action,
            self.new_action,
            self.backup_action,
            self.restore_action,
            self.server_action,
        )
        if db is not None:
            self._install_database(db)

    def fit_to_screen(self, available: QRect) -> bool:
        """Size the window for a screen whose work area is ``available`` (logical pixels).

        Where the usual size fits (with the title bar), the window gets it, centred; else
        it takes the whole work area and the caller shows it maximized (True). The minimum
        never exceeds the work area either.
        """
        inner = available.marginsRemoved(FRAME_MARGINS)
        self.setMinimumSize(MINIMUM_SIZE.boundedTo(inner.size()))
        if PREFERRED_SIZE.boundedTo(inner.size()) == PREFERRED_SIZE:
            centred = QRect(QPoint(0, 0), PREFERRED_SIZE)
            centred.moveCenter(inner.center())
            self.setGeometry(centred)
            return False
        self.setGeometry(inner)
        return True

    # -- menus ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self.open_action = self._action("打开数据库(&O)…", QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.new_action = self._action("新建数据库(&N)…", QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.quit_action = self._action("退出(&X)", QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        self.backup_action = self._action("备份数据库(&B)…")
        self.backup_action.triggered.connect(self._on_backup_action_triggered)
        self.restore_action = self._action("恢复备份(&R)…")
        self.restore_action.triggered.connect(self._on_restore_action_triggered)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        self.encrypt_action = add_encrypt_action(self, file_menu)  # issue 13: encryption
        self.retention_action = retention_action(self)  # 清除到期个人信息… (director)
        file_menu.addAction(self.retention_action)
        file_menu.addSeparator()
        self.server_action = self._action("连接到学校服务器(&S)…")
        self.server_action.triggered.connect(self._on_server_action_triggered)
        file_menu.addAction(self.server_action)
        file_menu.addSeparator()
        for action in self.accounts.account_actions:
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        # 前往: the steps on Ctrl+0 … Ctrl+9, 查找 on Ctrl+F (ui/go_menu.py)
        self.go_actions, self.find_action = build_go_menu(self, self.menuBar().addMenu("前往(&G)"))
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self.help_action = self._action("使用手册(&M)")  # F1: the page in view's section
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.help_action.triggered.connect(self._on_help_action_triggered)
        help_menu.addAction(self.help_action)
        self.about_action = self._action("关于考点助手(&A)")
        self.about_action.triggered.connect(self._on_about_action_triggered)
        help_menu.addAction(self.about_action)

    def _action(self, text: str, shortcut: QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _on_open_action_triggered(self) -> None:
        path = self._dialogs.open_database(self)
        if path is None:
            return
        if self.instance is not None and self._elsewhere(path):
            self.notify(f"{path.name} 已在另一个窗口中打开，已切换到那个窗口。")
            return
        self.open_database(path)

    def _elsewhere(self, path: Path) -> bool:
        """Whether another window has the database at ``path`` open (it comes forward)."""
        if self.instance is None or self.instance.serving == normalised(path):
            return False
        return ask_window(path) in (Answer.FORWARDED, Answer.BUSY)

    def _on_new_action_triggered(self) -> None:
        path = self._dialogs.new_database(self)
        if path is None:
            return
        if path.exists():
            self.show_error(ExamsiteError("app.database_file_exists", file=path.name))
            return
        self.open_database(path)

    def _on_server_action_triggered(self) -> None:
        self.server_dialog().open()

    def server_dialog(self) -> ServerDialog:
        """The school server's connection settings; what it chooses is opened here."""
        from examsite.ui.dialogs.server_dialog import ServerDialog

        dialog = ServerDialog(self.jobs, parent=self, connect=self.server_connect)
        dialog.use_server.connect(self.open_database)
        dialog.use_local.connect(self._on_server_dialog_use_local)
        return dialog

    def _on_server_dialog_use_local(self) -> None:
        from examsite.paths import default_db_path

        self.open_database(default_db_path())

    def _on_help_action_triggered(self) -> None:
        from examsite.ui.help_viewer import open_help

        page = self.current_page()
        open_help(self, page.step if isinstance(page, BasePage) else None)

    def _on_about_action_triggered(self) -> None:
        where = self.db.file_path if self.db is not None else None
        QMessageBox.about(
            self,
            "关于考点助手",
            f"<p><b>考点助手（ExamSite）</b> {__version__}</p>"
            "<p>1+X 职业技能等级证书考核站点的离线工作助手：从站点申请到成绩复查，"
            "一步一步完成一轮考试的考务工作。</p>"
            f"<p>数据库：{where or '未打开'}<br>数据目录：{data_dir()}<br>"
            f"日志文件：{log_file()}</p>",
        )

    # -- backups -------------------------------------------------------------------------

    def _on_backup_action_triggered(self) -> None:
        self.backup_database()

    def backup_database(self) -> Job | None:
        """Back the open database up (on the worker) and say where and what it holds."""
        if self.db is None:
            self.notify("请先打开一个数据库。")
            return None
        from examsite.services.backup import BackupInfo, create_backup, created_text

        db = self.db

        def job(_progress: Progress) -> BackupInfo:
            return create_backup(db)

        def done(info: BackupInfo) -> None:
            self.notify(f"已备份到 {info.path.name}。")
            inform(self, "备份数据库", created_text(info))

        return self.jobs.read(job, done, progress="正在备份数据库…", exclusive=True)

    def _on_restore_action_triggered(self) -> None:
        if self.db is None:
            self.notify("请先打开要恢复的数据库。")
            return
        if self.db.file_path is None:  # the school server: its IT staff restore it
            from examsite.services.backup import not_a_file

            self._present_error(self, not_a_file(self.db.url))
            return
        backup = self._dialogs.open_backup(self)
        if backup is not None:
            self.ask_restore(self.db.file_path, backup)

    def ask_restore(self, path: Path, backup: Path, *, reason: str = "") -> Job | None:
        """Check the backup, ask, then put it in place of the database at ``path``."""
        from examsite.services.backup import confirm_text, verify_backup

        try:
            info = verify_backup(backup)
        except ExamsiteError as exc:
            self.show_error(exc)
            return None
        question = (reason + "\n\n" if reason else "") + confirm_text(path, info)
        if not confirm(self, "恢复备份", question, "恢复"):
            return None
        return self.restore_database(path, info.path)

    def restore_database(self, path: Path, backup: Path) -> Job | None:
        """Close the database at ``path`` (when open), restore ``backup`` over it and open
        it again, on the worker; then say what the restored copy holds."""
        from examsite.services.backup import RestoreInfo, restore_backup, restored_text

        old_db = self.db

        def job(progress: Progress) -> tuple[RestoreInfo, Database]:
            from examsite.services.catalog import ensure_catalog
            from examsite.storage.db import Database

            progress.step(0, 0, str(backup))
            if old_db is not None and old_db.file_path == path:
                old_db.close()  # no connection may hold the file while it is replaced
            result = restore_backup(path, backup)
            db = Database.open(path)
            try:
                if not db.access.protected:  # else loaded already, and read after log-in
                    ensure_catalog(db)
            except BaseException:
                db.close()
                raise
            return result, db

        def done(answer: tuple[RestoreInfo, Database]) -> None:
            result, db = answer
            self._install_database(db)
            self.notify("已恢复备份。")
            inform(self, "恢复备份", restored_text(result))

        return self.jobs.change(
            job, done, progress="正在恢复备份…", on_failure=self._on_open_job_failed
        )

    def _offer_restore(self, path: Path, error: StorageError) -> None:
        """The database at ``path`` failed its check on start: say so, offer its last good
        backup."""
        self._on_open_job_failed(error)
        backup = error.params.get("backup")
        if not backup:
            self.show_error(error)
            return
        self.ask_restore(path, Path(backup), reason=error.message)

    # -- the database --------------------------------------------------------------------

    def open_database(self, path: Path | str | ServerSettings, *, demo: bool = False) -> Job | None:
        """Open (create, upgrade) the database at ``path`` on the worker, then show it.

        ``ServerSettings``: the school server, its password read from the credential store
        on the worker.

        With ``demo`` the demo site is created in it if it is not there yet. None when the
        window is busy with another database or the demo.
        """

        def job(progress: Progress) -> Database | StorageError | LockedFile:
            from examsite.services.catalog import ensure_catalog
            from examsite.services.encryption import is_encrypted
            from examsite.services.server_settings import ServerSettings, url_with_stored_password
            from examsite.storage.db import Database

            target = url_with_stored_password(path) if isinstance(path, ServerSettings) else path
            progress.step(0, 0, getattr(path, "label", str(path)))
            if isinstance(target, str | Path) and is_encrypted(target):
                return LockedFile(Path(target))  # opened by the log-in itself
            try:
                db = Database.open(target)
            except StorageError as exc:
                if exc.code in DAMAGED_CODES:
                    return exc  # answered with the offer of the last good backup
                raise
            try:
                if not db.access.protected:  # else loaded already, and read after log-in
                    ensure_catalog(db)
            except BaseException:
                db.close()
                raise
            return db

        def opened(db: Database | StorageError | LockedFile) -> None:
            if isinstance(db, StorageError):
                self._offer_restore(Path(str(path)), db)
                return
            if isinstance(db, LockedFile):
                self.accounts.hold_locked(db.path)  # installed once someone has logged in
                return
            self._install_database(db)
            if self.db is not db:
                return  # protected: it is installed once someone has logged in
            self._daily_backup(db)
            if demo:
                self.create_demo()
            elif self.offer_first_account:
                self.accounts.offer_first_account(db)

        # Not a "change": the new database's status is read as it is installed, once.
        return self.jobs.read(
            job,
            opened,
            progress="正在打开数据库…",
            on_failure=self._on_open_job_failed,
            exclusive=True,
        )

    def _daily_backup(self, db: Database) -> None:
        """The day's automatic backup, on the worker after the first status read; its
        failure is logged and does not keep the site closed."""
        from examsite.services.backup import daily_backup_if_due

        def job(_progress: Progress) -> None:
            daily_backup_if_due(db)

        self.jobs.read(job, silent=True)

    def _on_open_job_failed(self, _error: BaseException) -> None:
        if self.db is None:
            self.waiting_label.setText("未能打开数据库。\n请从“文件”菜单打开或新建一个数据库。")

    def create_demo(self, candidates: int | None = None) -> Job | None:
        """Fill the open database with the demo site (nothing when it is already there).

        The one place the demo is made: ``--demo`` and the dashboard's button both end
        here. None when no database is open or the window is busy.
        """
        if self.db is None:
            return None
        from examsite.services.demo import create_demo

        db, count = self.db, DEMO_CANDIDATES if candidates is None else candidates

        def job(progress: Progress) -> DemoResult:
            return create_demo(db, candidates=count, progress=progress)

        return self.jobs.change(job, self._on_demo_job_finished, progress="正在创建演示考点…")

    def _on_demo_job_finished(self, result: DemoResult) -> None:
        self.notify(demo_message(result))

    def _on_dashboard_demo_requested(self) -> None:
        self.create_demo()

    def _on_jobs_busy_changed(self, busy: bool) -> None:
        page = self.pages.get(None)
        if page is not None:
            cast("DashboardPage", page).set_demo_enabled(not busy)

    def install_logged_in(self, db: Database) -> None:
        """Show ``db`` once someone has logged in (or the logged-in account changed)."""
        self._install_database(db)
        self._daily_backup(db)

    def _install_database(self, db: Database) -> None:
        if self.accounts.hold(db):  # protected: nothing is read before a log-in
            return
        old_db, old_pages = self.db, self.pages
        if self.context is not None:
            self.context.status.retire()
        self.db = db
        watcher = StatusWatcher(db, self.runner, self._clock, parent=self)
        watcher.refreshed.connect(self._on_watcher_refreshed)
        self.context = PageContext(
            db=db,
            runner=self.runner,
            status=watcher,
            navigate=self.show_step,
            notify=self.notify,
            clock=self._clock,
        )
        self.pages = {}  # built when first shown (``page``)
        for page in old_pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        if old_db is not None and old_db is not db:
            # Queued behind any job that still uses it: the worker runs jobs in order.
            self.jobs.read(lambda _p: old_db.close())
        if self.instance is not None and db.file_path is not None:
            self.instance.serve(db.file_path)
        self.sidebar.show_loading()
        active = QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
        self.changes.follow(db, active=active)  # and says where it lives
        self._set_title(None)
        log.info("database opened: %s", db.file_path or display_url(db.url))
        self.database_opened.emit(db)
        self.accounts.installed(db)  # the role's steps, the reminder, the idle lock
        self._opening = True  # the new database's status is read at once
        current = self.sidebar.current_step() if self.sidebar.list.currentRow() >= 0 else None
        start = self.accounts.allowed(current)
        if self.sidebar.list.currentRow() < 0 or start is not current:
            self.sidebar.select(start)  # shows the page through step_selected
        else:
            self._show(start)  # the same step, of the new database
        self._opening = False
        if old_db is None:  # behind the first status read on the worker
            self.runner.run(preload_services, changes=False)

    @staticmethod
    def _db_label(db: Database) -> str:
        return location_text(db.url, db.file_path)

    def _on_application_state_changed(self, state: Qt.ApplicationState) -> None:
        # Back from another program (another window, the CLI's terminal): ask at once.
        self.changes.set_active(state == Qt.ApplicationState.ApplicationActive)

    def _set_title(self, view: RoundView | None) -> None:
        site = view.status.site_name if view else None
        if site:
            name = site
        elif self.db is not None and self.db.file_path is not None:
            name = self.db.file_path.name
        else:
            name = server_label(self.db.url) if self.db is not None else ""
        # Qt adds " — 考点助手" (the application display name) after the title itself.
        self.setWindowTitle(name or APP_TITLE)

    # -- navigation and status -----------------------------------------------------------

    def show_step(self, step: Step | None) -> None:
        """Show the page of ``step`` (None: the dashboard) and select it in the sidebar;
        a step the logged-in role does not see shows the role's own instead."""
        step = self.accounts.allowed(step)
        if self.sidebar.current_step() is step and self.sidebar.list.currentRow() >= 0:
            self._show(step)
        else:
            self.sidebar.select(step)

    def page(self, step: Step | None) -> BasePage:
        """The page of ``step`` (None: the dashboard), built the first time it is asked for."""
        page = self.pages.get(step)
        if page is None:
            if self.context is None:
                raise LookupError("no database is open")
            factory = dashboard if step is None else PAGE_FACTORIES[step]
            page = self.pages[step] = factory(self.context)
            if step is None:
                overview = cast("DashboardPage", page)
                overview.demo_requested.connect(self._on_dashboard_demo_requested)
                overview.set_demo_enabled(not self.jobs.busy)
            self.stack.addWidget(page)
        return page

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _on_sidebar_step_selected(self, step: Step | None) -> None:
        self._show(step)

    def _show(self, step: Step | None) -> None:
        if self.context is None:
            return
        page = self.page(step)
        self.changes.page_shown(page)
        self.stack.setCurrentWidget(page)
        page.refresh()
        self._request_status(soon=not self._opening)

    def _request_status(self, *, soon: bool) -> None:
        """Read the round's status again: at once, or ``soon`` (after showing a page)."""
        if soon and not self.runner.is_synchronous:  # tests have no worker to keep free
            self._status_timer.start()
            return
        self._status_timer.stop()
        if self.context is not None:
            self.context.status.request()

    def _on_status_timer_timeout(self) -> None:
        self._request_status(soon=False)

    def _on_runner_job_ended(self, job: Job) -> None:
        if job.changes and self.context is not None:
            self.context.status.request()
            self.changes.change_saved()  # a page waiting for its edits is read now

    def _on_watcher_refreshed(self, view: RoundView) -> None:
        self.sidebar.show_view(view)
        self._set_title(view)

    def _on_instance_activation_requested(self) -> None:
        self.bring_forward()

    def bring_forward(self) -> None:
        """Show the window in front (restored if it was minimized)."""
        state = self.windowState() & ~Qt.WindowState.WindowMinimized
        self.setWindowState(state | Qt.WindowState.WindowActive)
        self.show()
        if QGuiApplication.platformName() != "offscreen":  # no stacking there, and it warns
            self.raise_()
        self.activateWindow()
        self.brought_forward.emit()

    def notify(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_error(self, error: BaseException) -> None:
        """Show a job's failure: a warning for ``ExamsiteError``, the crash dialog else."""
        if isinstance(error, Cancelled):
            self.notify(error.message)
            return
        self._present_error(self, error)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.instance is not None:
            self.instance.close()
        self.changes.stop()
        self.runner.shutdown()
        if self.db is not None:
            self.db.close()
        self.accounts.close()
        event.accept()


def demo_message(result: DemoResult) -> str:
    """What the status bar says after ``create_demo``."""
    if not result.created:
        return "已打开演示考点。"
    return (
        f"已创建演示考点：{result.candidates} 名考生，{result.photos} 张照片，"
        f"{result.rooms} 个考场，{result.staff} 名考务人员。"
    )
