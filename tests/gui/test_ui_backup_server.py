"""The window's 文件 → 备份数据库… / 恢复备份… on a school server's database: a warning
that the IT staff back the server up with pg_dump, not a crash, and nothing copied."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsite.storage.backups import backups_dir
from examsite.ui.main_window import MainWindow
from examsite.ui.tasks import InlinePool, TaskRunner


@pytest.fixture(autouse=True)
def on_a_server(engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if engine != "postgresql":
        pytest.skip("about a server database (run with --engine postgresql)")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


class NoDialogs:
    def open_backup(self, parent: object) -> Path | None:
        raise AssertionError("no backup file is asked for on a server")


def test_backup_and_restore_on_a_server_say_who_backs_it_up(qtbot, db, shown_errors) -> None:
    win = MainWindow(TaskRunner(InlinePool()), db, dialogs=NoDialogs(), present_error=shown_errors)
    qtbot.addWidget(win)

    win.backup_action.trigger()
    win.restore_action.trigger()
    assert [e.code for e in shown_errors.errors] == ["backup.on_server", "backup.on_server"]
    assert "pg_dump" in str(shown_errors.errors[0])
    assert not backups_dir().exists() or not any(backups_dir().iterdir())
    assert win.db is db
