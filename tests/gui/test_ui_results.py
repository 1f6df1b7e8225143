"""The 成绩 page on the arranged demo: a score sheet imported after its dry-run preview,
the results table with its filter, the reconciliation tab, the review tab closed before
publication and printing the ticked candidates inside the window, the embedded tabs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from examsite import clock
from examsite.domain.workflow import Step
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import ExamPlan, Registration, RegistrationSubject, Subject
from examsite.ui.pages.results import ResultsPage
from gui_pages import page_in_window


class FakeDialogs:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.open: Path | None = None
        self.told: list[str] = []
        self.asked: list[str] = []

    def save_path(self, parent: object, title: str, suggested: Path) -> Path:
        return self.folder / suggested.name

    def open_path(self, parent: object, title: str, filters: str) -> Path | None:
        return self.open

    def confirm(self, parent: object, title: str, body: str) -> bool:
        self.asked.append(body)
        return True

    def inform(self, parent: object, title: str, body: str) -> None:
        self.told.append(body)


@pytest.fixture
def page(qtbot, arranged_db_file, runner, shown_errors, fixed_clock, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = Database.open(arranged_db_file(12))
    built = page_in_window(
        qtbot, db, runner, shown_errors, lambda: fixed_clock, Step.RESULTS, ResultsPage
    )
    built.dialogs = FakeDialogs(tmp_path)  # type: ignore[assignment]
    return built


def score_sheet(db: Database, path: Path) -> Path:
    with db.read() as session:
        rows = session.execute(
            select(Registration.ticket_number, Subject.name)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Subject, Subject.id == RegistrationSubject.subject_id)
            .order_by(Registration.id, Subject.kind.desc())
        ).all()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["科目成绩"])
    sheet.append(["准考证号", "考试科目", "考试成绩", "考试状态"])
    for n, (ticket, subject) in enumerate(rows[:-1]):  # the last record has no score
        sheet.append([ticket, subject, "缺考" if n == 2 else 40 + n, "已登记"])
    sheet.append(["NO-SUCH", "理论", 70, ""])
    book.save(path)
    return path


def test_a_score_sheet_imported_from_the_page(page: ResultsPage, tmp_path: Path) -> None:
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    assert page.view is not None and page.view.pending == len(page.view.rows)
    dialogs.open = score_sheet(page.context.db, tmp_path / "科目成绩.xlsx")
    page.import_button.click()
    assert dialogs.asked and "科目成绩" in dialogs.asked[0] and "NO-SUCH" in dialogs.asked[0]
    assert dialogs.told and "已更新" in dialogs.told[0]
    view = page.view
    assert view is not None
    assert view.reconciliation.unknown == ("NO-SUCH",)
    assert page.model.rowCount() == len(view.rows)
    assert view.pending == 1 and view.failed >= 1
    page.filter_combo.setCurrentIndex(3)  # 待定
    assert page.model.rowCount() == 1
    assert page.model.item(0, 7).text() == "待定"
    page.filter_combo.setCurrentIndex(0)
    page.search.setText(view.rows[0].ticket)
    assert page.model.rowCount() == 1
    kinds = {
        page.reconcile_tab.model.item(i, 0).text()
        for i in range(page.reconcile_tab.model.rowCount())
    }
    assert {"对不上的号码"} <= kinds and ("有理论无实操" in kinds or "有实操无理论" in kinds)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "成绩",
        "核对",
        "复查",
        "统计",
        "考后",
    ]


def test_the_review_tab_follows_the_window(page: ResultsPage, tmp_path: Path) -> None:
    tab = page.review_tab
    assert "尚未开始" in tab.state_label.text()
    assert not tab.print_button.isEnabled()
    with page.context.db.read() as session:
        plan = session.scalar(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE))
        assert plan is not None
        start = plan.publication_start
    with clock.fixed(start + dt.timedelta(days=2)):
        page.load()
        assert "开放中" in tab.state_label.text() and tab.print_button.isEnabled()
        first = tab.model.item(0, 0)
        first.setCheckState(Qt.CheckState.Checked)
        tab.reason.setText("核查实操成绩")
        tab.print_button.click()
    printed = tmp_path / f"成绩复查表_{DEMO_PLAN_CODE}.pdf"
    assert printed.exists()
    assert page.dialogs.told[-1].startswith("成绩复查表已保存到")  # type: ignore[attr-defined]
    with clock.fixed(start + dt.timedelta(days=7)):
        page.load()
        assert "已结束" in tab.state_label.text() and not tab.print_button.isEnabled()
