"""The file dialogs open in Documents the first time, then where the user last went for
the same purpose; the choice survives a restart (``QSettings``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from examsite.domain.workflow import Step
from examsite.ui.dialogs.candidate_dialogs import CandidateDialogs
from examsite.ui.dialogs.file_dialogs import Purpose, RecentFolders
from examsite.ui.main_window import DatabaseDialogs, MainWindow
from examsite.ui.pages.candidates import CandidatesPage
from examsite.ui.pages.photo_grid import PhotoDialogs
from examsite.ui.tasks import InlinePool, TaskRunner


class FakeChooser:
    """Stands in for Qt's dialogs: records where each opened, answers from ``answers``."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, Path]] = []  # (kind, start)
        self.answers: list[Path | None] = []

    def _answer(self, kind: str, start: Path) -> Path | None:
        self.opened.append((kind, start))
        return self.answers.pop(0) if self.answers else None

    def open_file(self, parent, title, start, filters):
        return self._answer("open", start)

    def save_file(self, parent, title, start, filters, *, confirm_overwrite=True):
        return self._answer("save", start)

    def open_folder(self, parent, title, start):
        return self._answer("folder", start)

    @property
    def last_start(self) -> Path:
        return self.opened[-1][1]


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    folder = tmp_path / "文档"
    folder.mkdir()
    return folder


@pytest.fixture
def folders(settings_file: Path, documents: Path) -> RecentFolders:
    return RecentFolders(QSettings(str(settings_file), QSettings.Format.IniFormat), documents)


@pytest.fixture
def chooser() -> FakeChooser:
    return FakeChooser()


def folder(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.mkdir(exist_ok=True)
    return path


def test_documents_first_then_the_last_folder_of_each_purpose(
    folders: RecentFolders, documents: Path, settings_file: Path, tmp_path: Path
):
    assert folders.folder(Purpose.IMPORT) == documents
    usb = folder(tmp_path, "U盘")
    folders.remember(Purpose.IMPORT, usb / "名单.xlsx")
    folders.remember(Purpose.PHOTOS, usb)  # a folder of photos is remembered as itself
    assert folders.folder(Purpose.IMPORT) == usb
    assert folders.folder(Purpose.PHOTOS) == usb
    assert folders.folder(Purpose.TEMPLATE) == documents
    folders.settings.sync()
    again = RecentFolders(QSettings(str(settings_file), QSettings.Format.IniFormat), documents)
    assert again.folder(Purpose.IMPORT) == usb  # after a restart
    usb.rmdir()  # the stick was taken out
    assert again.folder(Purpose.IMPORT) == documents


class QuietCandidateDialogs(CandidateDialogs):
    """The real file dialogs (on a fake chooser); the import's options are declined."""

    def import_options(self, parent, path, kind):
        return None


@pytest.fixture
def candidates(window: MainWindow, folders: RecentFolders, chooser: FakeChooser) -> CandidatesPage:
    page = window.page(Step.CANDIDATES)
    assert isinstance(page, CandidatesPage)
    page.dialogs = QuietCandidateDialogs(folders, chooser)
    window.show_step(Step.CANDIDATES)
    return page


def test_the_import_dialog_remembers_its_folder(
    candidates: CandidatesPage, chooser: FakeChooser, documents: Path, tmp_path: Path
):
    candidates.import_button.click()
    assert chooser.opened == [("open", documents)]  # cancelled: nothing remembered
    candidates.import_button.click()
    assert chooser.last_start == documents
    class_folder = folder(tmp_path, "班级名单")
    chooser.answers = [class_folder / "计算机1班.xlsx"]
    candidates.import_button.click()
    candidates.import_button.click()
    assert chooser.last_start == class_folder


def test_the_template_is_saved_where_the_last_one_went(
    candidates: CandidatesPage, chooser: FakeChooser, documents: Path, tmp_path: Path
):
    candidates.template_actions["school"].trigger()
    assert chooser.opened == [("save", documents / "院校考生导入模板.xlsx")]
    desk = folder(tmp_path, "桌面")
    chooser.answers = [desk / "模板.xlsx"]
    candidates.template_actions["social"].trigger()
    assert (desk / "模板.xlsx").exists()  # written at once: the runner is synchronous
    candidates.template_actions["social"].trigger()
    assert chooser.last_start == desk / "社会考生导入模板.xlsx"
    candidates.import_button.click()  # the import keeps its own folder
    assert chooser.last_start == documents


def test_the_problem_table_goes_beside_the_list_then_where_the_last_went(
    folders: RecentFolders, chooser: FakeChooser, tmp_path: Path, window: MainWindow
):
    dialogs = CandidateDialogs(folders, chooser)
    source = folder(tmp_path, "班主任") / "名单-问题表.xlsx"
    dialogs.save_problems(window, source)
    assert chooser.last_start == source
    elsewhere = folder(tmp_path, "问题表")
    chooser.answers = [elsewhere / "1班问题表.xlsx"]
    dialogs.save_problems(window, source)
    dialogs.save_problems(window, source)
    assert chooser.last_start == elsewhere / "名单-问题表.xlsx"


def test_photo_dialogs_share_a_folder_and_a_single_photo_has_its_own(
    folders: RecentFolders, chooser: FakeChooser, documents: Path, tmp_path: Path, window
):
    dialogs = PhotoDialogs(folders, chooser)
    assert dialogs.open_zip(window) is None
    assert chooser.last_start == documents
    class_one = folder(folder(tmp_path, "照片"), "一班")
    chooser.answers = [class_one]
    dialogs.open_folder(window)
    assert chooser.opened[-1] == ("folder", documents)
    dialogs.open_zip(window)
    assert chooser.last_start == class_one  # to import it again after a fix
    dialogs.open_image(window)
    assert chooser.last_start == documents


def test_the_window_opens_databases_in_documents_then_the_last_folder(
    qtbot, db, folders: RecentFolders, chooser: FakeChooser, documents: Path, tmp_path: Path
):
    win = MainWindow(TaskRunner(InlinePool()), db, dialogs=DatabaseDialogs(folders, chooser))
    qtbot.addWidget(win)
    win.open_action.trigger()
    assert chooser.opened == [("open", documents)]
    site = folder(tmp_path, "考点") / "第二考点.db"
    chooser.answers = [site]
    with qtbot.waitSignal(win.database_opened, timeout=5000) as opened:
        win.open_action.trigger()
    win.new_action.trigger()
    assert chooser.opened[-1] == ("save", site.parent / "新考点.db")
    opened.args[0].close()
