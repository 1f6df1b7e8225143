"""The window notices what another program commits (another PC on the school server, a
second window or the CLI on the same file) and shows it: the page in view is read again,
unless it holds unsaved edits (ui/change_watch.py). On PostgreSQL (``--engine
postgresql``) the LISTEN socket's notifier fires by itself; on SQLite the window asks when
it regains focus or on its slow timer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import text

from examsite.domain.workflow import Step
from examsite.services.site import SiteChanges, set_site, tick
from examsite.storage.db import Database
from examsite.ui.main_window import MainWindow
from examsite.ui.pages.site import SitePage
from examsite.ui.tasks import TaskRunner

WAIT_MS = 8000
NOW = dt.datetime(2026, 11, 22, 9, 0)  # as in conftest.py


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """Another program (another PC) on the window's database."""
    second = Database(db.url, upgrade=False)
    yield second
    second.close()


@pytest.fixture
def site_page(window: MainWindow, db: Database, qtbot: Any) -> SitePage:
    set_site(db, SiteChanges(school="第一职业学校"))
    window.show_step(Step.SITE)
    page = window.page(Step.SITE)
    assert isinstance(page, SitePage)
    qtbot.waitUntil(lambda: page.fields["school"].text() == "第一职业学校")
    return page


def notice(window: MainWindow, engine: str) -> None:
    """SQLite: the window asks (as on regaining focus); a server tells by itself."""
    if engine == "sqlite":
        assert window.changes.watcher is not None
        window.changes.watcher.check()


def test_a_change_from_elsewhere_refreshes_the_page_and_says_so(
    window: MainWindow, site_page: SitePage, other: Database, qtbot: Any, engine: str
) -> None:
    set_site(other, SiteChanges(school="第二职业学校"))
    notice(window, engine)
    qtbot.waitUntil(lambda: site_page.fields["school"].text() == "第二职业学校", timeout=WAIT_MS)
    assert window.changes.bar.isVisible()
    assert "修改了数据，已刷新" in window.changes.bar.text_label.text()
    assert not window.changes.bar.refresh_button.isVisible()


def test_the_windows_own_changes_are_not_announced(
    window: MainWindow, site_page: SitePage, qtbot: Any, engine: str
) -> None:
    site_page.fields["director"].setText("张老师")
    qtbot.mouseClick(site_page.save_button, Qt.MouseButton.LeftButton)
    assert site_page.info is not None and site_page.info.director == "张老师"
    notice(window, engine)
    qtbot.wait(300)  # a notification of its own would have arrived by now
    assert window.changes.watcher is not None
    window.changes.watcher.check()
    assert not window.changes.bar.isVisible()


def test_a_page_with_unsaved_edits_keeps_them_until_saved(
    window: MainWindow, site_page: SitePage, other: Database, qtbot: Any, engine: str
) -> None:
    site_page.fields["director"].setText("正在输入的名字")
    tick(other, "computers", done=True)  # not in the form: the save keeps it
    notice(window, engine)
    qtbot.waitUntil(window.changes.bar.isVisible, timeout=WAIT_MS)
    assert "保存后刷新" in window.changes.bar.text_label.text()
    assert site_page.fields["director"].text() == "正在输入的名字"  # not overwritten
    assert not site_page.checks["computers"].isChecked()  # not read yet
    qtbot.mouseClick(site_page.save_button, Qt.MouseButton.LeftButton)
    assert site_page.checks["computers"].isChecked()  # read after the save
    assert site_page.fields["director"].text() == "正在输入的名字"
    assert not window.changes.bar.isVisible()


def test_the_bar_can_drop_the_edits_and_refresh(
    window: MainWindow, site_page: SitePage, other: Database, qtbot: Any, engine: str
) -> None:
    site_page.fields["director"].setText("不要了")
    set_site(other, SiteChanges(director="李老师"))
    notice(window, engine)
    qtbot.waitUntil(window.changes.bar.refresh_button.isVisible, timeout=WAIT_MS)
    qtbot.mouseClick(window.changes.bar.refresh_button, Qt.MouseButton.LeftButton)
    assert site_page.fields["director"].text() == "李老师"
    assert not window.changes.bar.isVisible()


def test_the_window_asks_again_when_it_regains_focus(
    window: MainWindow, site_page: SitePage, other: Database, qtbot: Any
) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication) and window.changes.watcher is not None
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    assert not window.changes.watcher.poll_timer.isActive()  # no polling in the background
    set_site(other, SiteChanges(school="焦点职业学校"))
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    qtbot.waitUntil(lambda: site_page.fields["school"].text() == "焦点职业学校", timeout=WAIT_MS)
    assert window.changes.watcher.poll_timer.isActive()


def test_the_status_bar_says_where_the_data_lives(
    window: MainWindow, db: Database, qtbot: Any, engine: str
) -> None:
    if engine == "sqlite":
        assert window.path_label.text() == f"数据库：{db.file_path}"
        return
    port = db.engine.url.port
    qtbot.waitUntil(lambda: "加密" in window.path_label.text(), timeout=WAIT_MS)
    assert window.path_label.text().startswith(f"学校服务器 127.0.0.1:{port}/")
    assert "（用户 examsite，未加密）" in window.path_label.text()  # the test server has no TLS


def test_a_lost_server_is_said_and_reconnected_quietly(
    window: MainWindow, site_page: SitePage, other: Database, qtbot: Any, engine: str
) -> None:
    if engine != "postgresql":
        pytest.skip("a server connection")
    with other.unit_of_work() as session:
        session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE query = 'LISTEN examsite_changes' AND pid <> pg_backend_pid()"
            )
        )
    qtbot.waitUntil(window.changes.connection_label.isVisible, timeout=WAIT_MS)
    assert "连接不上学校服务器" in window.changes.connection_label.text()
    set_site(other, SiteChanges(school="重连职业学校"))  # while the window was away
    qtbot.waitUntil(lambda: not window.changes.connection_label.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: site_page.fields["school"].text() == "重连职业学校", timeout=WAIT_MS)
    assert window.changes.bar.text_label.text() == "已重新连接学校服务器，已刷新。"


def test_the_slow_timer_asks_while_the_window_is_active(
    window: MainWindow, site_page: SitePage, other: Database, qtbot: Any
) -> None:
    watcher = window.changes.watcher
    assert watcher is not None
    watcher.poll_timer.setInterval(50)
    watcher.set_active(True)
    set_site(other, SiteChanges(school="定时职业学校"))
    qtbot.waitUntil(lambda: site_page.fields["school"].text() == "定时职业学校", timeout=WAIT_MS)


def test_another_database_opened_ends_the_old_watch(
    window: MainWindow, db: Database, other: Database, qtbot: Any, engine: str
) -> None:
    old = window.changes.watcher
    assert old is not None
    second = Database(db.url, upgrade=False)  # the window "opens" another database object
    window._install_database(second)
    assert window.changes.watcher is not old and old.watch is None
    set_site(other, SiteChanges(school="旧库职业学校"))
    notice(window, engine)
    qtbot.waitUntil(window.changes.bar.isVisible, timeout=WAIT_MS)  # the new watch tells
    window.close()


def test_with_real_threads_the_watch_runs_beside_the_worker(
    qtbot: Any, db: Database, other: Database, engine: str
) -> None:
    runner = TaskRunner()  # the window's worker, and the watch's thread of its own
    set_site(db, SiteChanges(school="线程职业学校"))
    win = MainWindow(runner, db, clock=lambda: NOW)
    qtbot.addWidget(win)
    win.show()
    win.show_step(Step.SITE)
    page = win.page(Step.SITE)
    assert isinstance(page, SitePage)
    qtbot.waitUntil(lambda: page.fields["school"].text() == "线程职业学校", timeout=WAIT_MS)
    watcher = win.changes.watcher
    assert watcher is not None
    qtbot.waitUntil(lambda: watcher.watch is not None, timeout=WAIT_MS)
    set_site(other, SiteChanges(school="另一线程职业学校"))
    notice(win, engine)
    qtbot.waitUntil(lambda: page.fields["school"].text() == "另一线程职业学校", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    win.close()


def test_where_the_data_lives_never_shows_the_password() -> None:
    from examsite.ui.change_watch import location_text

    url = "postgresql+psycopg://k%C3%A9:secret@db.lan:5433/%E8%80%83%E7%82%B9?sslmode=prefer"
    assert location_text(url, None, True) == "学校服务器 db.lan:5433/考点（用户 ké，已加密）"
    assert location_text("postgresql://[::1]/x", None) == "学校服务器 [::1]:5432/x"
    assert location_text("sqlite:////tmp/a.db", "/tmp/a.db") == "数据库：/tmp/a.db"


def test_an_unapplied_duty_cap_and_print_settings_count_as_unsaved_edits(
    window: MainWindow, qtbot: Any
) -> None:
    from examsite.ui.pages.materials import MaterialsPage
    from examsite.ui.pages.staff import StaffPage

    window.show_step(Step.STAFF)
    staff = window.page(Step.STAFF)
    assert isinstance(staff, StaffPage)
    qtbot.waitUntil(lambda: staff.roster is not None)
    assert not staff.has_unsaved_edits()
    staff.cap_spin.setValue(staff.cap_spin.value() + 1)
    assert staff.has_unsaved_edits()

    window.show_step(Step.MATERIALS)
    materials = window.page(Step.MATERIALS)
    assert isinstance(materials, MaterialsPage)
    qtbot.waitUntil(lambda: materials.view is not None)
    assert not materials.has_unsaved_edits()
    materials.header_edit.setText("另一个横幅")
    assert materials.has_unsaved_edits()
