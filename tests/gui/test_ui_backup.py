"""The window's 文件 → 备份数据库… / 恢复备份…, and a damaged database on start."""

from __future__ import annotations

from pathlib import Path

import pytest

from backup_helpers import flip_pages
from examsite.services.backup import create_backup
from examsite.storage.backups import backups_dir
from examsite.storage.db import Database
from examsite.ui import main_window
from examsite.ui.main_window import MainWindow
from examsite.ui.tasks import InlinePool, TaskRunner

pytestmark = pytest.mark.sqlite_only  # backups and restores copy the SQLite file itself


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


class Dialogs:
    """Stands in for the dialogs: the questions asked, the answers given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, answer: bool = True) -> None:
        self.questions: list[str] = []
        self.informed: list[str] = []
        self.backup: Path | None = None
        self.answer = answer
        monkeypatch.setattr(main_window, "confirm", self._confirm)
        monkeypatch.setattr(main_window, "inform", self._inform)

    def _confirm(self, parent, title: str, text: str, action: str) -> bool:
        assert action == "恢复"
        self.questions.append(text)
        return self.answer

    def _inform(self, parent, title: str, text: str) -> None:
        self.informed.append(text)

    def open_backup(self, parent) -> Path | None:
        return self.backup


def _count(db: Database) -> int:
    with db.read() as session:
        return int(session.connection().exec_driver_sql("SELECT count(*) FROM candidate").scalar())


def _window(qtbot, db: Database | None, dialogs: Dialogs, shown_errors) -> MainWindow:
    win = MainWindow(TaskRunner(InlinePool()), db, dialogs=dialogs, present_error=shown_errors)
    qtbot.addWidget(win)
    return win


def test_the_file_menu_backs_up_and_restores(qtbot, db, demo_site, monkeypatch, shown_errors):
    demo_site(db, 30)
    dialogs = Dialogs(monkeypatch)
    win = _window(qtbot, db, dialogs, shown_errors)
    texts = [a.text() for a in win.menuBar().actions()[0].menu().actions()]
    assert "备份数据库(&B)…" in texts and "恢复备份(&R)…" in texts

    win.backup_action.trigger()
    assert shown_errors.errors == []
    made = list(backups_dir().iterdir())
    assert len(made) == 1
    assert "完整性检查通过" in dialogs.informed[-1] and "考生 30 人" in dialogs.informed[-1]

    with db.unit_of_work() as session:
        session.connection().exec_driver_sql("DELETE FROM candidate")
    dialogs.backup = made[0]
    with qtbot.waitSignal(win.database_opened, timeout=5000) as opened:
        win.restore_action.trigger()
    assert shown_errors.errors == []
    assert "考生 30 人" in dialogs.questions[-1]
    new_db = opened.args[0]
    assert win.db is new_db and new_db is not db
    assert _count(new_db) == 30
    assert "考生 30 人" in dialogs.informed[-1] and "另存为" in dialogs.informed[-1]
    assert len(list(backups_dir().glob("*-before-restore.db"))) == 1
    new_db.close()


def test_declining_the_restore_changes_nothing(qtbot, db, demo_site, monkeypatch, shown_errors):
    demo_site(db, 30)
    dialogs = Dialogs(monkeypatch, answer=False)
    dialogs.backup = create_backup(db).path
    win = _window(qtbot, db, dialogs, shown_errors)
    win.restore_action.trigger()
    assert dialogs.questions and win.db is db
    assert list(backups_dir().iterdir()) == [dialogs.backup]


def test_a_damaged_database_on_start_offers_the_last_good_backup(
    qtbot, db, demo_site, monkeypatch, shown_errors
):
    demo_site(db, 30)
    good = create_backup(db).path
    path = db.file_path
    db.close()
    flip_pages(path)
    dialogs = Dialogs(monkeypatch)
    win = _window(qtbot, None, dialogs, shown_errors)
    with qtbot.waitSignal(win.database_opened, timeout=5000) as opened:
        win.open_database(path)
    assert shown_errors.errors == []
    question = dialogs.questions[-1]
    assert "未通过完整性检查" in question and good.name in question
    restored = opened.args[0]
    assert _count(restored) == 30
    restored.close()


def test_a_damaged_database_refused_with_no_restore_stays_closed(
    qtbot, db, demo_site, monkeypatch, shown_errors
):
    demo_site(db, 30)
    create_backup(db)
    path = db.file_path
    db.close()
    flip_pages(path)
    dialogs = Dialogs(monkeypatch, answer=False)
    win = _window(qtbot, None, dialogs, shown_errors)
    win.open_database(path)
    assert dialogs.questions
    assert win.db is None
    assert "未能打开数据库" in win.waiting_label.text()


def test_a_damaged_database_without_a_backup_is_reported(
    qtbot, db, demo_site, monkeypatch, shown_errors
):
    demo_site(db, 30)
    path = db.file_path
    db.close()
    flip_pages(path)
    dialogs = Dialogs(monkeypatch)
    win = _window(qtbot, None, dialogs, shown_errors)
    win.open_database(path)
    assert dialogs.questions == []
    assert [e.code for e in shown_errors.errors] == ["storage.damaged_no_backup"]
    assert win.db is None


def test_opening_makes_the_days_backup_once(qtbot, db, monkeypatch, shown_errors):
    path = db.file_path
    db.close()
    dialogs = Dialogs(monkeypatch)
    win = _window(qtbot, None, dialogs, shown_errors)
    with qtbot.waitSignal(win.database_opened, timeout=5000):
        win.open_database(path)
    with qtbot.waitSignal(win.database_opened, timeout=5000):
        win.open_database(path)
    assert [p.name for p in backups_dir().iterdir()] == ["x-20261220-090000-auto-daily.db"]
    assert win.db is not None
    win.db.close()
