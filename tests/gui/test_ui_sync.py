"""The 同步 page on the arranged demo: the pre-flight list and the diff, an upload package
exported from the page, a transfer bundle out and back in (a dry run first), a platform
sheet imported after its preview, a backup made from the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from examsite.domain.workflow import Step, StepState
from examsite.formats.bundle import read_bundle
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.status import round_status
from examsite.storage.db import Database
from examsite.ui.main_window import MainWindow
from examsite.ui.pages.sync import SyncPage


class FakeDialogs:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.open: Path | None = None
        self.told: list[str] = []
        self.asked: list[str] = []
        self.answer = True

    def save_path(self, parent: object, title: str, suggested: Path) -> Path:
        return self.folder / suggested.name

    def open_path(self, parent: object, title: str, filters: str) -> Path | None:
        return self.open

    def confirm(self, parent: object, title: str, body: str) -> bool:
        self.asked.append(body)
        return self.answer

    def choose_side(self, parent: object, body: str) -> str | None:
        self.asked.append(body)
        return "theirs"

    def inform(self, parent: object, title: str, body: str) -> None:
        self.told.append(body)


@pytest.fixture
def page(qtbot, arranged_db_file, runner, shown_errors, fixed_clock, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = Database.open(arranged_db_file(60))
    window = MainWindow(runner, db, clock=lambda: fixed_clock, present_error=shown_errors)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.show_step(Step.SYNC)
    built = window.page(Step.SYNC)
    assert isinstance(built, SyncPage)
    built.dialogs = FakeDialogs(tmp_path)  # type: ignore[assignment]
    return built


def test_the_preflight_list_and_an_export_from_the_page(page: SyncPage, tmp_path: Path) -> None:
    assert page.plan_code == DEMO_PLAN_CODE
    assert "将上传：院校考生" in page.counts_label.text()
    assert page.upload is not None
    assert page.held_model.rowCount() == len(page.upload.held_back)
    assert "还没有导出过" in page.diff_label.text()
    page.export_button.click()
    bundles = list(tmp_path.glob("平台上传包_*.zip"))
    assert len(bundles) == 1
    assert read_bundle(bundles[0]).manifest.kind == "platform-upload"
    assert "没有变化" in page.diff_label.text()
    states = {s.step: s.state for s in round_status(page.context.db).steps}
    assert states[Step.SYNC] is StepState.DONE


def test_a_transfer_bundle_goes_out_and_an_untrusted_one_is_refused_with_why(
    page: SyncPage, tmp_path: Path, shown_errors
) -> None:
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    page.transfer_out_button.click()
    bundle = next(tmp_path.glob("考点传输包_*.zip"))
    assert read_bundle(bundle).manifest.kind == "site-transfer"
    # this PC's data is not empty and the key was never paired: refused before any change
    dialogs.open = bundle
    page.transfer_in_button.click()
    assert [e.code for e in shown_errors.errors] == ["bundle.transfer_untrusted"]
    assert dialogs.asked == []


def test_a_backup_from_the_page(page: SyncPage) -> None:
    assert page.backup_model.rowCount() == 0
    page.backup_button.click()
    assert page.backup_model.rowCount() == 1
    assert "考生" in page.backup_model.item(0, 2).text()
