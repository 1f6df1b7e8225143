"""The main window on an empty database: sidebar, pages, badges, deadlines, menus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy.engine import make_url

from examsite.domain.workflow import STEPS, Step, StepState
from examsite.errors import ExamsiteError
from examsite.messages import STATE_TITLES, STEP_DESCRIPTIONS, STEP_TITLES
from examsite.services.status import days_until
from examsite.storage.db import Database
from examsite.ui.main_window import MainWindow
from examsite.ui.pages import PAGE_FACTORIES, BasePage, PageContext
from examsite.ui.pages.dashboard import DashboardPage
from examsite.ui.pages.placeholder import COMING_LATER, PlaceholderPage
from examsite.ui.sidebar import ENTRIES
from examsite.ui.tasks import InlinePool, TaskRunner

FIRST_DEADLINE = dt.datetime(2027, 1, 7, 23, 59)  # 2027年数字营销技术应用全国统考
NOW = dt.datetime(2026, 11, 22, 9, 0)  # as in conftest.py


def click_entry(qtbot, window: MainWindow, step: Step | None) -> None:
    sidebar = window.sidebar
    rect = sidebar.list.visualItemRect(sidebar.item(step))
    sidebar.list.scrollToItem(sidebar.item(step))
    rect = sidebar.list.visualItemRect(sidebar.item(step))
    qtbot.mouseClick(sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]


def clipped_labels(window: MainWindow) -> list[str]:
    """Visible labels too small for their text (a cut-off line of Chinese)."""
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # settle the layouts
    clipped = []
    for widget in window.findChildren(QLabel):
        if not widget.isVisible() or not widget.text():
            continue
        if widget.wordWrap():
            too_small = widget.height() < widget.heightForWidth(widget.width())
        else:
            hint = widget.sizeHint()
            too_small = widget.width() < hint.width() or widget.height() < hint.height()
        if too_small:
            clipped.append(
                f"{widget.text()!r} {widget.size().toTuple()} < {widget.sizeHint().toTuple()}"
            )
    return clipped


def test_title_size_and_status_bar(window: MainWindow, db: Database, engine: str):
    if engine == "sqlite":
        assert window.windowTitle() == "x.db"  # Qt shows it as "x.db — 考点助手"
        assert window.path_label.text() == f"数据库：{db.file_path}"
    else:  # the server's user@host:port/database, never a password
        where = make_url(db.url)
        label = f"{where.username}@{where.host}:{where.port}/{where.database}"
        assert window.windowTitle() == label
        shown = window.path_label.text()  # "学校服务器 host:port/db（用户 …，已加密/未加密）"
        assert shown.startswith(f"学校服务器 {where.host}:{where.port}/{where.database}（")
        assert f"用户 {where.username}" in shown and (where.password or "\0") not in shown
    # Fits a 1366×768 screen's work area with the title bar (test_ui_small_screen.py).
    assert window.minimumSize().width() >= 1100 and window.minimumSize().height() >= 640
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["文件(&F)", "前往(&G)", "帮助(&H)"]


def test_the_dashboard_shows_first(window: MainWindow):
    assert window.current_page() is window.page(None)
    assert isinstance(window.page(None), DashboardPage)
    assert window.sidebar.current_step() is None


def test_sidebar_lists_the_dashboard_and_the_eleven_steps_in_order(window: MainWindow):
    assert (None, *STEPS) == ENTRIES
    assert window.sidebar.list.count() == 12
    for number, step in enumerate(STEPS, start=1):
        row = window.sidebar.row(step)
        assert row.number_label.text() == str(number)
        assert row.title_label.text() == STEP_TITLES[step]


def test_clicking_every_step_shows_its_page(qtbot, window: MainWindow):
    for step in (*STEPS, None):
        click_entry(qtbot, window, step)
        page = window.current_page()
        assert page is window.page(step), step
        assert clipped_labels(window) == [], step
        assert window.sidebar.current_step() is step
        assert window.sidebar.row(step).property("selected") is True
        if step is None:
            assert isinstance(page, DashboardPage)
            continue
        shown = texts(page)
        assert any(STEP_TITLES[step] in text for text in shown)
        if isinstance(page, PlaceholderPage):  # steps of later issues
            assert page.step is step
            assert STEP_DESCRIPTIONS[step] in shown
            assert COMING_LATER in shown


def test_an_empty_database_has_every_step_not_started(window: MainWindow):
    for step in STEPS:
        badge = window.sidebar.row(step).badge
        assert badge is not None and badge.isVisible()
        assert badge.state is StepState.NOT_STARTED
        assert badge.text() == STATE_TITLES[StepState.NOT_STARTED] == "未开始"
    assert window.sidebar.row(Step.CANDIDATES).figure_label.text() == "尚未导入考生"
    assert window.sidebar.row(None).badge is None


def test_the_deadline_card_counts_down_to_the_registration_deadline(window: MainWindow):
    card = window.sidebar.deadline_card
    days = days_until(FIRST_DEADLINE, NOW)
    assert days == 47
    assert card.caption_label.text() == "报考截止还剩"
    assert card.figure_label.text() == "47 天"
    assert card.date_label.text() == "2027-01-07 23:59"
    assert card.plan_label.text() == "2027年数字营销技术应用全国统考"
    assert card.property("urgent") is False


def test_the_deadline_card_turns_urgent_in_the_last_week(qtbot, db, runner, shown_errors):
    now = dt.datetime(2027, 1, 3, 10, 0)
    win = MainWindow(runner, db, clock=lambda: now, present_error=shown_errors)
    qtbot.addWidget(win)
    card = win.sidebar.deadline_card
    assert card.figure_label.text() == "5 天"
    assert card.property("urgent") is True


def test_a_job_that_changes_data_refreshes_the_status(qtbot, window: MainWindow):
    watcher = window.context.status
    with qtbot.waitSignal(watcher.refreshed, timeout=1000):
        window.runner.run(lambda _p: None)  # changes=True by default
    with qtbot.assertNotEmitted(watcher.refreshed):
        window.runner.run(lambda _p: None, changes=False)


def test_failures_go_to_the_error_presenter(window: MainWindow, shown_errors):
    error = ExamsiteError("storage.locked")

    def fail(_p):
        raise error

    window.runner.run(fail)
    assert shown_errors.errors == [error]


def test_a_cancelled_job_only_says_so_in_the_status_bar(window: MainWindow, shown_errors):
    from examsite.errors import Cancelled

    def stop(_p):
        raise Cancelled()

    window.runner.run(stop)
    assert shown_errors.errors == []
    assert window.statusBar().currentMessage() == "操作已取消，未做任何更改。"


def test_page_factories_cover_every_step_in_order():
    assert tuple(PAGE_FACTORIES) == STEPS


class FakeCandidatesPage(BasePage):
    step = Step.CANDIDATES

    def __init__(self, context: PageContext) -> None:
        super().__init__(context)
        self.refreshed = 0

    def refresh(self) -> None:
        self.refreshed += 1


def test_a_real_page_replaces_a_placeholder_with_one_line(
    qtbot, monkeypatch, db, runner, shown_errors
):
    monkeypatch.setitem(PAGE_FACTORIES, Step.CANDIDATES, FakeCandidatesPage)
    win = MainWindow(runner, db, clock=lambda: NOW, present_error=shown_errors)
    qtbot.addWidget(win)
    page = win.page(Step.CANDIDATES)
    assert isinstance(page, FakeCandidatesPage)
    assert page.context.db is db and page.context.runner is runner
    win.show_step(Step.CANDIDATES)
    win.show_step(None)
    win.show_step(Step.CANDIDATES)
    assert page.refreshed == 2
    assert win.current_page() is page


class FakeDialogs:
    def __init__(self, path: Path | None) -> None:
        self.path = path

    def open_database(self, parent) -> Path | None:
        return self.path

    def new_database(self, parent) -> Path | None:
        return self.path


def test_open_database_from_the_menu_rebuilds_the_pages(qtbot, db, tmp_path, shown_errors):
    other = tmp_path / "第二考点.db"
    win = MainWindow(
        TaskRunner(InlinePool()),
        db,
        clock=lambda: NOW,
        dialogs=FakeDialogs(other),
        present_error=shown_errors,
    )
    qtbot.addWidget(win)
    win.show_step(Step.PHOTOS)
    old_page = win.page(Step.PHOTOS)
    with qtbot.waitSignal(win.database_opened, timeout=1000) as opened:
        win.open_action.trigger()
    new_db = opened.args[0]
    assert new_db.file_path == other.resolve()
    assert win.db is new_db
    assert win.windowTitle() == "第二考点.db"
    assert win.page(Step.PHOTOS) is not old_page
    assert win.current_page() is win.page(Step.PHOTOS)  # the same step, new database
    assert win.sidebar.deadline_card.figure_label.text() == "47 天"
    assert shown_errors.errors == []
    new_db.close()


def test_new_database_refuses_an_existing_file(qtbot, db, tmp_path, shown_errors):
    existing = tmp_path / "old.db"
    existing.write_bytes(b"")
    win = MainWindow(
        TaskRunner(InlinePool()),
        db,
        dialogs=FakeDialogs(existing),
        present_error=shown_errors,
    )
    qtbot.addWidget(win)
    win.new_action.trigger()
    assert win.db is db
    assert len(shown_errors.errors) == 1
    assert "已经存在" in str(shown_errors.errors[0])


def test_a_database_that_cannot_be_opened_is_reported(qtbot, tmp_path, shown_errors):
    win = MainWindow(TaskRunner(InlinePool()), present_error=shown_errors)
    qtbot.addWidget(win)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    win.open_database(blocker / "x.db")
    assert win.db is None
    assert len(shown_errors.errors) == 1
    assert "未能打开数据库" in win.waiting_label.text()


def test_the_window_works_with_a_real_worker_thread(qtbot, db, shown_errors):
    runner = TaskRunner()
    win = MainWindow(runner, clock=lambda: NOW, present_error=shown_errors)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.database_opened, timeout=10_000):
        win.open_database(db.url)
    qtbot.waitUntil(lambda: win.sidebar.deadline_card.figure_label.text() == "47 天")
    assert win.current_page() is win.page(None)
    win.close()
    assert not runner.busy
    assert shown_errors.errors == []


@pytest.fixture
def demo_module():
    return pytest.importorskip("examsite.services.demo")


def test_the_demo_fills_the_sidebar(qtbot, window: MainWindow, demo_module):
    window.create_demo(candidates=20)
    figure = window.sidebar.row(Step.CANDIDATES).figure_label.text()
    assert figure == "20 名考生"
    assert window.sidebar.row(Step.CANDIDATES).badge.state is not StepState.NOT_STARTED
    assert window.page(None).candidates_card.value_label.text() == "20"
    assert "已创建演示考点：20 名考生" in window.statusBar().currentMessage()
    for step in (*STEPS, None):
        window.show_step(step)
        assert clipped_labels(window) == [], step


def test_opening_the_demo_again_does_not_repeat_it(qtbot, window: MainWindow, demo_module):
    window.create_demo(candidates=5)
    window.create_demo(candidates=5)
    assert window.statusBar().currentMessage() == "已打开演示考点。"
    assert window.sidebar.row(Step.CANDIDATES).figure_label.text() == "5 名考生"


def test_a_walk_through_the_pages_reads_the_status_once_after_the_pages(
    qtbot, db, shown_errors, monkeypatch
):
    """The page's own reading goes first on the worker; the status follows, once."""
    import examsite.ui.main_window as main_window

    monkeypatch.setattr(main_window, "STATUS_AFTER_SHOW_MS", 100)
    runner = TaskRunner()
    win = MainWindow(runner, clock=lambda: NOW, present_error=shown_errors)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.database_opened, timeout=10_000):
        win.open_database(db.url)
    qtbot.waitUntil(lambda: win.context.status.current is not None)
    qtbot.waitUntil(lambda: not runner.busy)
    queued: list[str] = []
    runner.job_started.connect(lambda job: queued.append(job.fn.__qualname__.split(".")[0]))
    refreshed: list[object] = []
    win.context.status.refreshed.connect(refreshed.append)
    for step in (Step.CANDIDATES, Step.PHOTOS, None, Step.CANDIDATES):
        win.show_step(step)
    qtbot.waitUntil(lambda: len(refreshed) == 1, timeout=10_000)
    qtbot.wait(300)
    assert len(refreshed) == 1
    assert queued[-1] == "StatusWatcher"
    assert "StatusWatcher" not in queued[:-1]
    win.close()
    assert shown_errors.errors == []
