"""The 同步 page on the arranged demo: the pre-flight list and the diff, an upload package
exported from the page, a transfer bundle out and back in (a dry run first, pairing after
a question, each conflict chosen in the conflict dialog), the bundle history, a backup
made from the page and a restore through the window's own."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from examsite import clock
from examsite.domain.workflow import Step, StepState
from examsite.formats.bundle import read_bundle
from examsite.services import transfer
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.status import round_status
from examsite.services.transfer import export_transfer, import_bundle
from examsite.services.transfer_records import Conflict
from examsite.storage.db import Database
from examsite.storage.models import Candidate
from examsite.ui.dialogs.sync_conflicts import ConflictDialog
from examsite.ui.main_window import MainWindow
from examsite.ui.pages import sync
from examsite.ui.pages.sync import SyncDialogs, SyncPage
from gui_pages import page_in_window


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

    def resolve_conflicts(
        self, parent: object, body: str, conflicts: Sequence[Conflict]
    ) -> Mapping[str, str] | None:
        """The real dialog, its rows chosen by ``self.choose(dialog)``."""
        self.asked.append(body)
        dialog = ConflictDialog(conflicts, body)
        self.shown_conflicts = dialog
        if self.choose is None:
            return None
        self.choose(dialog)
        return dialog.resolutions()

    choose: Callable[[ConflictDialog], None] | None = None
    shown_conflicts: ConflictDialog | None = None
    restored: list[tuple[Path, Path]]

    def restore(self, page: object, database: Path, backup: Path) -> None:
        self.restored = [*getattr(self, "restored", []), (database, backup)]

    def inform(self, parent: object, title: str, body: str) -> None:
        self.told.append(body)


@pytest.fixture
def page(qtbot, arranged_db_file, runner, shown_errors, fixed_clock, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = Database.open(arranged_db_file(60))
    built = page_in_window(
        qtbot, db, runner, shown_errors, lambda: fixed_clock, Step.SYNC, SyncPage
    )
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
    history = page.history.model
    assert history.rowCount() == 1 and not page.history.showing_empty
    assert [history.item(0, c).text() for c in range(1, 5)] == [
        "导出",
        "平台上传包",
        "已写入",
        bundles[0].name,
    ]
    assert "考生" in history.item(0, 5).text()
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
    # this PC's data is not empty and the key was never paired: the page offers to pair
    dialogs.open = bundle
    dialogs.answer = False
    page.transfer_in_button.click()
    assert len(dialogs.asked) == 1 and "配对" in dialogs.asked[0]
    assert shown_errors.errors == []
    history = page.history.model
    assert [history.item(r, 3).text() for r in range(history.rowCount())] == [
        "被拒绝",
        "已写入",
    ]
    assert "配对" in history.item(0, 5).text()  # the reason, as the refusal said it


def test_an_unpaired_bundle_is_merged_after_the_pairing_question(
    page: SyncPage, tmp_path: Path
) -> None:
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    page.transfer_out_button.click()
    dialogs.open = next(tmp_path.glob("考点传输包_*.zip"))
    page.transfer_in_button.click()  # answer: yes to pairing, yes to the import
    assert "配对" in dialogs.asked[0] and "现在导入吗" in dialogs.asked[1]
    assert "已与考点" in dialogs.told[-1]
    outcomes = [page.history.model.item(r, 3).text() for r in range(3)]
    assert outcomes[:2] == ["已合并", "试运行"] and "被拒绝" in outcomes


def _set_class(db: Database, id_numbers: Sequence[str], value: str) -> None:
    with clock.fixed(clock.now() + dt.timedelta(hours=1)), db.unit_of_work() as session:
        for id_number in id_numbers:
            candidate = session.scalars(
                select(Candidate).where(Candidate.id_number == id_number)
            ).one()
            candidate.class_name = f"{value}{id_number[-2:]}"


def _another_pc(page: SyncPage, tmp_path: Path, pg_templates: Any) -> Database:
    """A copy of the page's database as another PC of the site holds it: a copy of the
    file, or of the server database (``CREATE DATABASE … TEMPLATE``: no connection to it
    may be open, the window's change watch included)."""
    mine = page.context.db
    if mine.file_path is not None:
        other_file = tmp_path / "other-pc.db"
        shutil.copy(mine.file_path, other_file)
        return Database.open(other_file)
    window = page.window()
    assert isinstance(window, MainWindow)
    window.changes.stop(now=True)
    mine.engine.dispose()
    return Database.open(pg_templates.new(make_url(mine.url).database))


def test_each_conflict_chosen_in_the_dialog_reaches_the_merge(
    page: SyncPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_templates
) -> None:
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    mine = page.context.db
    other = _another_pc(page, tmp_path, pg_templates)
    try:
        first = tmp_path / "first.zip"
        export_transfer(other, first)
        import_bundle(mine, first, pair=True)  # paired; the baseline of the next merge
        with mine.read() as session:
            one, two = session.scalars(select(Candidate.id_number).limit(2)).all()
        _set_class(other, (one, two), "对方")
        _set_class(mine, (one, two), "本机")
        second = tmp_path / "second.zip"
        export_transfer(other, second)
    finally:
        other.close()

    calls: list[dict[str, Any]] = []

    def recording(db: Database, path: Path, **options: Any) -> Any:
        calls.append(options)
        return transfer.import_bundle(db, path, **options)

    monkeypatch.setattr(sync, "import_bundle", recording)

    def choose(dialog: ConflictDialog) -> None:
        assert dialog.model.rowCount() == 2
        keys = {dialog.model.item(r, 0).toolTip(): r for r in range(2)}
        dialog.combo(keys[f"candidate:{one}"]).setCurrentIndex(2)  # 用对方的
        dialog.combo(keys[f"candidate:{two}"]).setCurrentIndex(1)  # 保留本机的

    dialogs.choose = choose
    dialogs.open = second
    page.transfer_in_button.click()
    assert calls[0]["dry_run"] is True
    assert calls[1]["resolutions"] == {f"candidate:{one}": "theirs", f"candidate:{two}": "mine"}
    with mine.read() as session:
        classes = dict(session.execute(select(Candidate.id_number, Candidate.class_name)).all())
    assert classes[one] == f"对方{one[-2:]}" and classes[two] == f"本机{two[-2:]}"
    assert page.history.model.item(0, 3).text() == "已合并"


def test_stopping_in_the_conflict_dialog_imports_nothing(
    page: SyncPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    conflict = Conflict("candidate:x", "candidate", "某人", ())
    preview = transfer.MergeReport(
        "f.zip", "考点", "fp", 2, False, True, False, {}, {}, 0, 0, (conflict,), ()
    )
    changes: list[object] = []
    monkeypatch.setattr(page.jobs, "change", lambda *a, **k: changes.append(a))
    page._merge_after_preview(Path("f.zip"), preview, pair=False)
    assert dialogs.shown_conflicts is not None and changes == []


@pytest.mark.sqlite_only  # backups and restores copy the SQLite file itself
def test_a_backup_from_the_page_and_a_restore_through_the_window(
    page: SyncPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert page.backup_model.rowCount() == 0
    assert page.backup_view.showing_empty and "还没有备份" in page.backup_view.empty_label.text()
    assert not page.restore_button.isEnabled()
    page.backup_button.click()
    assert page.backup_model.rowCount() == 1 and not page.backup_view.showing_empty
    assert "考生" in page.backup_model.item(0, 2).text()

    assert not page.restore_button.isEnabled()  # nothing chosen yet
    page.backup_table.selectRow(0)
    assert page.restore_button.isEnabled()
    page.restore_button.click()
    dialogs = page.dialogs
    assert isinstance(dialogs, FakeDialogs)
    assert dialogs.restored == [(page.context.db.file_path, page.backups[0].path)]

    # the real dialogs hand it to the window's restore (文件 › 恢复备份's question)
    asked: list[tuple[Path, Path]] = []
    window = page.window()
    assert isinstance(window, MainWindow)
    monkeypatch.setattr(
        window, "ask_restore", lambda path, backup, **_k: asked.append((path, backup))
    )
    SyncDialogs().restore(page, Path("db.db"), Path("backup.db"))
    assert asked == [(Path("db.db"), Path("backup.db"))]


def test_empty_lists_say_so(page: SyncPage) -> None:
    assert page.history.showing_empty
    assert "还没有导出或导入过数据包" in page.history.empty_label.text()
    assert page.upload is not None
    assert page.held_view.showing_empty == (not page.upload.held_back)


def test_the_page_reads_whole_on_a_small_screen(page: SyncPage, tmp_path: Path) -> None:
    """Maximized on 1366×768 after an export and a refused import: no label cut off, the
    history shows its rows, each file name and content whole (wrapped, not elided)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication
    from test_ui_main_window import clipped_labels
    from test_ui_small_screen import MAXIMIZED

    window = page.window()
    assert isinstance(window, MainWindow)
    page.export_button.click()
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    page.dialogs.open = tmp_path / "bad.zip"  # type: ignore[attr-defined]
    page.transfer_in_button.click()
    window.resize(MAXIMIZED)
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()
    assert clipped_labels(window) == []

    table = page.history.table
    model = page.history.model
    assert model.rowCount() == 2
    shown = sum(table.rowHeight(r) for r in range(model.rowCount()))
    assert shown <= table.viewport().height()  # both rows in view, no scrolling
    metrics = table.fontMetrics()
    for row in range(model.rowCount()):
        name = model.item(row, 4).text()
        assert metrics.horizontalAdvance(name) <= table.columnWidth(4), name
        content = model.item(row, 5).text()
        lines = -(-metrics.horizontalAdvance(content) // max(table.columnWidth(5) - 8, 1))
        assert table.rowHeight(row) >= lines * metrics.height(), content


@pytest.mark.sqlite_only  # backups and restores copy the SQLite file itself
def test_restore_from_the_page_is_the_window_s_restore(
    page: SyncPage, qtbot, monkeypatch: pytest.MonkeyPatch, shown_errors
) -> None:
    """恢复… with the real dialogs: the window's question (文件 › 恢复备份's text), then
    the backup in place of the database and the window on the restored copy."""
    from examsite.ui import main_window

    questions: list[str] = []
    monkeypatch.setattr(
        main_window, "confirm", lambda _p, _t, body, action: questions.append(body) or True
    )
    monkeypatch.setattr(main_window, "inform", lambda *_a: None)
    window = page.window()
    assert isinstance(window, MainWindow)
    page.backup_button.click()  # with the fake dialogs: the real inform would wait
    page.dialogs = SyncDialogs()
    db = page.context.db
    with db.read() as session:
        before = len(session.scalars(select(Candidate.id)).all())
    with db.unit_of_work() as session:
        session.connection().exec_driver_sql("DELETE FROM seat")
    page.backup_table.selectRow(0)
    with qtbot.waitSignal(window.database_opened, timeout=5000) as opened:
        page.restore_button.click()
    assert shown_errors.errors == []
    assert len(questions) == 1 and "替换数据库" in questions[0]
    restored = opened.args[0]
    with restored.read() as session:
        assert len(session.scalars(select(Candidate.id)).all()) == before
        seats = session.connection().exec_driver_sql("SELECT count(*) FROM seat").scalar()
    assert seats and seats > 0


def test_on_a_server_the_backups_box_says_who_backs_it_up(page: SyncPage, engine: str) -> None:
    if engine != "postgresql":
        pytest.skip("about a server database (run with --engine postgresql)")
    assert page.backup_model.rowCount() == 0 and page.backup_view.showing_empty
    assert "pg_dump" in page.backup_view.empty_label.text()
    assert not page.backup_button.isEnabled() and not page.restore_button.isEnabled()
