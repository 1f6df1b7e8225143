"""文件 › 清除到期个人信息…: the dialog shows the rounds and the preview of a due one, and
purges only once confirmed (and, on a school server, once the pg_dump is confirmed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from examsite import clock
from examsite.domain.retention import add_months, is_purged
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import Candidate, ExamPlan
from examsite.ui.main_window import MainWindow
from examsite.ui.retention_dialog import RetentionDialog
from examsite.ui.retention_menu import ACTION_TEXT
from examsite.ui.tasks import PageJobs, TaskRunner


@pytest.fixture
def site(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(12))
    yield database
    database.close()


@pytest.fixture
def jobs(qtbot: Any, runner: TaskRunner) -> PageJobs:
    owner = QWidget()
    qtbot.addWidget(owner)
    return PageJobs(runner, lambda _text: None, owner)


def _due(db: Database) -> dt.datetime:
    with db.read() as session:
        end = session.scalar(
            select(ExamPlan.publication_end).where(ExamPlan.code == DEMO_PLAN_CODE)
        )
    assert end is not None
    return add_months(end, 12) + dt.timedelta(days=1)


def test_a_round_not_yet_due_cannot_be_purged(qtbot: Any, jobs: PageJobs, site: Database) -> None:
    dialog = RetentionDialog(jobs, site)
    qtbot.addWidget(dialog)
    assert dialog.round_combo.count() == 1
    assert DEMO_PLAN_CODE in dialog.round_combo.currentText()
    assert "还没有到期" in dialog.counts_label.text()
    assert dialog.model.rowCount() == 0
    assert not dialog.confirm_box.isEnabled() and not dialog.purge_button.isEnabled()


def test_the_preview_then_the_purge_once_confirmed(
    qtbot: Any,
    jobs: PageJobs,
    site: Database,
    qtmodeltester: Any,
    engine: str,
) -> None:
    with clock.fixed(_due(site)):
        dialog = RetentionDialog(jobs, site)
        qtbot.addWidget(dialog)
        preview = dialog.preview
        assert preview is not None and preview.counts.candidates > 0
        qtmodeltester.check(dialog.model)
        assert dialog.model.rowCount() == preview.counts.candidates + preview.counts.kept
        first = dialog.model.index(0, 0).data()
        assert first == preview.purged[0].id_number
        assert dialog.model.index(0, 5).data() == "清除"
        assert f"{preview.counts.candidates} 名考生" in dialog.counts_label.text()
        assert "操作记录" in dialog.notes_label.text()  # the audit log keeps its entries
        assert not dialog.purge_button.isEnabled()
        dialog.confirm_box.setChecked(True)
        if engine == "postgresql":
            assert not dialog.server_box.isHidden()
            assert not dialog.purge_button.isEnabled()
            dialog.server_box.setChecked(True)
        assert dialog.purge_button.isEnabled()
        qtbot.mouseClick(dialog.purge_button, Qt.MouseButton.LeftButton)
        assert "已清除" in dialog.result_label.text()
        assert "已清除" in dialog.round_combo.currentText()
    with site.read() as session:
        numbers = set(session.scalars(select(Candidate.id_number)))
    assert not {c.id_number for c in preview.purged} & numbers
    assert sum(is_purged(n) for n in numbers) == preview.counts.candidates


def test_the_file_menu_offers_it(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]  # type: ignore[union-attr]
    assert ACTION_TEXT in texts
