"""The 物料 page with two stand-in documents (tests/print_fakes.py): the checkboxes, a run
with the inline runner, the manifest shown, the preview and printing to a PDF file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pypdfium2
import pytest
from PySide6.QtPrintSupport import QPrinter

from examsite.domain.materials import PrintSettings
from examsite.domain.workflow import Step, StepState
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.print_settings import load_print_settings
from examsite.storage.db import Database
from examsite.ui.main_window import MainWindow
from examsite.ui.pages.materials import MaterialsPage
from examsite.ui.pdf_pages import RenderedPages
from print_fakes import use_fake_documents

NOW = dt.datetime(2026, 11, 22, 9, 0)  # as in conftest.py


class FakeDialogs:
    def __init__(self, printed_to: Path) -> None:
        self.folder: Path | None = None
        self.refusals: list[str] = []
        self.opened: list[Path] = []
        self.previews: list[tuple[RenderedPages, str]] = []
        self.printed_to = printed_to
        self.print_answer = True

    def choose_folder(self, parent, start):
        return self.folder

    def show_refusal(self, parent, text):
        self.refusals.append(text)

    def open_folder(self, folder):
        self.opened.append(folder)

    def ask_printer(self, parent, printer: QPrinter, pages: int) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.printed_to))
        printer.setResolution(72)
        return self.print_answer

    def show_preview(self, parent, pages, title):
        self.previews.append((pages, title))


@pytest.fixture
def page(qtbot, monkeypatch, arranged_db_file, runner, shown_errors, tmp_path):
    use_fake_documents(monkeypatch)
    db = Database.open(arranged_db_file(60))
    window = MainWindow(
        runner,
        db,
        clock=lambda: NOW,
        present_error=shown_errors,
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.show_step(Step.MATERIALS)
    materials = window.page(Step.MATERIALS)
    assert isinstance(materials, MaterialsPage)
    materials.dialogs = FakeDialogs(tmp_path / "printed.pdf")  # type: ignore[assignment]
    yield materials
    db.close()


def test_the_page_offers_a_checkbox_per_document_grouped(page: MaterialsPage):
    assert list(page.checks) == ["door", "roster"]  # 每个考场 first, then 整个考点
    assert all(check.isChecked() for check in page.checks.values())
    assert page.plan_code == DEMO_PLAN_CODE
    assert page.run_button.isEnabled()
    assert not page.preview_button.isEnabled()  # nothing made yet
    assert "尚未生成" in page.header.subtitle_label.text()
    page.none_button.click()
    assert page.chosen_keys() == [] and not page.run_button.isEnabled()
    page.checks["roster"].setChecked(True)
    assert page.chosen_keys() == ["roster"] and page.run_button.isEnabled()


def test_a_run_shows_its_manifest_and_stores_the_settings(page: MaterialsPage, tmp_path):
    out = tmp_path / "物料"
    page.dialogs.folder = out
    page.choose_button.click()
    assert page.folder_edit.text() == str(out)
    page.header_edit.setText("第一次考试")
    page.copies_spin.setValue(3)
    page.run_button.click()
    folder = out / DEMO_PLAN_CODE
    assert (folder / "manifest.json").exists()
    files = [page.model.item(r, 0).text() for r in range(page.model.rowCount())]
    assert files[:2] == ["roster-名单.pdf", "door-门贴.pdf"]
    assert sum(name.startswith("考场-") for name in files) == 2
    assert page.model.item(0, 2).text() == str(page.manifest.entries[0].pages)
    assert "门贴" in page.model.item(2, 1).text()  # a kit lists its parts
    assert "4 个文件" in page.header.subtitle_label.text()
    assert load_print_settings(page.context.db) == PrintSettings("第一次考试", 3, 8, "combined")
    badge = page.window().sidebar.row(Step.MATERIALS).badge
    assert badge.state is StepState.DONE
    page.folder_button.click()
    assert page.dialogs.opened == [folder]


def test_a_refused_run_says_why(page: MaterialsPage, tmp_path):
    page.dialogs.folder = tmp_path
    page.choose_button.click()
    page.copies_spin.setValue(1)
    page.labels_combo.addItem("7 张", 7)  # a value the service refuses
    page.labels_combo.setCurrentIndex(page.labels_combo.count() - 1)
    page.run_button.click()
    assert len(page.dialogs.refusals) == 1 and "每页桌贴数 7" in page.dialogs.refusals[0]
    assert not (tmp_path / DEMO_PLAN_CODE).exists()


def test_preview_renders_the_pages_and_print_paints_them(page: MaterialsPage, tmp_path):
    page.dialogs.folder = tmp_path / "out"
    page.choose_button.click()
    page.run_button.click()
    page.table.selectRow(0)
    assert page.preview_button.isEnabled()
    page.preview_button.click()
    ((rendered, title),) = page.dialogs.previews
    assert title == "名单" and rendered.total == page.manifest.entries[0].pages
    first = rendered.images[0]
    assert not first.isNull() and first.height() > first.width() > 500  # an A4 page
    # some ink on the page: not every pixel white
    assert any(
        first.pixelColor(x, y).lightness() < 128
        for x in range(60, 400, 3)
        for y in range(40, 120, 3)
    )

    page.print_button.click()
    printed = tmp_path / "printed.pdf"
    assert printed.exists()
    document = pypdfium2.PdfDocument(printed)
    try:
        assert len(document) == rendered.total
    finally:
        document.close()


def test_the_preview_dialog_shows_the_pages(qtbot, page: MaterialsPage, tmp_path):
    from examsite.progress import Progress
    from examsite.ui.pdf_pages import PdfPreviewDialog, render_pages

    page.dialogs.folder = tmp_path / "out"
    page.choose_button.click()
    page.run_button.click()
    path = page.manifest.folder / page.manifest.entries[0].file
    pages = render_pages(path, Progress(), limit=2)
    dialog = PdfPreviewDialog(pages, "名单", page)
    qtbot.addWidget(dialog)
    assert len(dialog.page_labels) == 2
    assert "前 2 页" in dialog.note.text()


def test_a_missing_file_is_reported_not_previewed(page: MaterialsPage, tmp_path):
    page.dialogs.folder = tmp_path / "out"
    page.choose_button.click()
    page.run_button.click()
    shutil.rmtree(tmp_path / "out")
    page.table.selectRow(0)
    page.preview_button.click()
    page.print_button.click()
    assert len(page.dialogs.refusals) == 2 and "找不到文件" in page.dialogs.refusals[0]
    assert page.dialogs.previews == []


def test_an_empty_registry_offers_nothing_to_run(qtbot, monkeypatch, window: MainWindow):
    use_fake_documents(monkeypatch, ())
    window.show_step(Step.MATERIALS)
    page = window.page(Step.MATERIALS)
    assert isinstance(page, MaterialsPage)
    assert page.checks == {} and not page.run_button.isEnabled()
    assert not page.all_button.isVisibleTo(page)
