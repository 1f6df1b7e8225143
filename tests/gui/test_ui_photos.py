"""The photos page: grid, filters, detail panel, import with its report, fix, replace by drop."""

from __future__ import annotations

import random
import time
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel

from examsite.domain.photo_spec import Verdict
from examsite.domain.problems import error, notice, warning
from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.messages import render
from examsite.services.demo import BLUE, RED, demo_photo
from examsite.services.photos import PhotoImportItem, PhotoRow, list_photos
from examsite.ui.main_window import MainWindow
from examsite.ui.models.photos import (
    BADGE_ROLE,
    THUMB_STATE_ROLE,
    PhotoFilter,
    PhotosModel,
    ReportModel,
    ThumbState,
)
from examsite.ui.pages.photos import PhotosPage

RNG = random.Random(11)
UNKNOWN_ID = "420102199901011115"


class GbkZipInfo(zipfile.ZipInfo):
    """Writes its name as GBK with the UTF-8 flag off, as Chinese Windows' zip does."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


class FakeDialogs:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.asked: list[str] = []

    def open_zip(self, parent):
        self.asked.append("zip")
        return self.path

    def open_folder(self, parent):
        self.asked.append("folder")
        return self.path

    def open_image(self, parent):
        self.asked.append("image")
        return self.path


@pytest.fixture
def demo(db, demo_site):
    demo_site(db, 40)
    return db


@pytest.fixture
def page(qtbot, demo, window: MainWindow) -> PhotosPage:
    window.show_step(Step.PHOTOS)
    photos = window.page(Step.PHOTOS)
    assert isinstance(photos, PhotosPage)
    assert window.current_page() is photos
    return photos


def row_where(page: PhotosPage, test) -> PhotoRow:
    return next(r for r in page.model.all_rows() if test(r))


def blue(page: PhotosPage) -> PhotoRow:
    return row_where(page, lambda r: r.background == "blue")


def oversized(page: PhotosPage) -> PhotoRow:
    return row_where(page, lambda r: r.width == 590)


def missing(page: PhotosPage) -> PhotoRow:
    return row_where(page, lambda r: r.verdict is None)


def texts(labels: list[QLabel]) -> list[str]:
    return [label.text() for label in labels]


def mime_for(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_counts_per_filter_on_the_demo(page: PhotosPage):
    m = page.model
    expected = {
        PhotoFilter.ALL: 40,
        PhotoFilter.PASS: 37,
        PhotoFilter.FIXED: 0,
        PhotoFilter.REJECTED: 2,
        PhotoFilter.FIXABLE: 1,
        PhotoFilter.MISSING: 1,
    }
    for which, count in expected.items():
        assert m.count(which) == count, which
        assert page.filter_buttons[which].text().endswith(f"  {count}")
        page.set_filter(which)
        assert m.rowCount() == count
    assert page.fix_button.isEnabled() and page.fix_button.text() == "自动修复 1 张"
    assert "40 名考生" in page.header.subtitle_label.text()
    assert "2 张不合格" in page.header.subtitle_label.text()


def test_badges_and_placeholders(qtbot, page: PhotosPage):
    m = page.model
    shown = {m.photo_row(i).id_number: m.index(i) for i in range(m.rowCount())}
    assert shown[blue(page).id_number].data(BADGE_ROLE).text == "不合格"
    assert shown[oversized(page).id_number].data(BADGE_ROLE).text == "不合格·可修复"
    assert shown[missing(page).id_number].data(BADGE_ROLE).text == "无照片"
    no_photo = shown[missing(page).id_number].data(THUMB_STATE_ROLE)
    assert ThumbState(no_photo) is ThumbState.NO_PHOTO
    # The thumbnails of the painted cells arrive in a batch through the worker.
    qtbot.waitUntil(lambda: m.cached_thumbnails > 0)
    first = m.index(0)
    assert ThumbState(first.data(THUMB_STATE_ROLE)) is ThumbState.LOADED
    assert m.cached_thumbnails < m.rowCount()  # only what was painted, not all 40


def test_search_by_name_or_id(page: PhotosPage):
    target = blue(page)
    page.search_edit.setText(target.name)
    assert target.id_number in {
        page.model.photo_row(i).id_number for i in range(page.model.rowCount())
    }
    page.search_edit.setText(target.id_number[-6:])
    assert [page.model.photo_row(i).id_number for i in range(page.model.rowCount())] == [
        target.id_number
    ]
    page.search_edit.setText("没有这个人")
    assert page.model.rowCount() == 0
    assert page.grid_stack.currentWidget() is page.no_match
    assert page.no_match.text_label.text() == "没有找到“没有这个人”。请检查拼写，或清除搜索。"
    assert page.no_match.clear_button.text() == "清除搜索"
    page.search_edit.clear()
    assert page.model.rowCount() == 40
    assert page.grid_stack.currentWidget() is page.grid


def test_a_search_that_finds_nothing_under_a_filter_offers_to_clear_both(page: PhotosPage):
    page.set_filter(PhotoFilter.MISSING)
    page.search_edit.setText(blue(page).name)  # has a photo: not under 无照片
    assert page.grid_stack.currentWidget() is page.no_match
    assert "清除搜索和筛选条件" in page.no_match.text_label.text()
    page.no_match.clear_button.click()
    assert page.search_edit.text() == ""
    assert page.model.filter is PhotoFilter.ALL
    assert page.model.rowCount() == 40
    assert page.grid_stack.currentWidget() is page.grid


def test_selecting_the_blue_photo_explains_the_background(qtbot, page: PhotosPage):
    row = blue(page)
    page.grid.setCurrentIndex(page.model.index_of(row.id_number))
    detail = page.detail
    assert detail.row == row
    assert detail.name_label.text() == row.name
    assert detail.badge_label.text() == "不合格"
    assert detail.id_label.text() == row.id_number[:6] + "********" + row.id_number[-4:]
    assert detail.background_label.text() == "蓝色"
    assert detail.pixels_label.text() == "295 × 413"
    assert detail.source_label.text() == f"{row.id_number}.jpg"
    assert any("蓝底" in text for text in texts(detail.problem_labels))
    assert any(render(p) in text for p in row.problems for text in texts(detail.problem_labels))
    assert detail.hint_label.isHidden()  # a background cannot be fixed
    assert detail.original_button.isHidden()
    qtbot.waitUntil(
        lambda: detail.photo_label.pixmap() is not None and not detail.photo_label.pixmap().isNull()
    )


def test_the_fixable_one_shows_the_hint(page: PhotosPage):
    page.select(oversized(page).id_number)
    assert not page.detail.hint_label.isHidden()
    assert "590 × 826" in page.detail.pixels_label.text()


def test_the_panel_follows_each_selection(qtbot, page: PhotosPage):
    for row in (blue(page), missing(page), oversized(page)):
        page.select(row.id_number)
        assert page.detail.row == row
        assert page.detail.name_label.text() == row.name
        assert page.grid.currentIndex() == page.model.index_of(row.id_number)
    qtbot.mouseClick(
        page.grid.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.grid.visualRect(page.model.index(0)).center(),
    )
    assert page.detail.row == page.model.photo_row(0)
    page.select(missing(page).id_number)
    assert page.detail.status_label.text() == "无照片"
    assert any("还没有照片" in text for text in texts(page.detail.problem_labels))


def test_fix_button_turns_the_590_photo_into_fixed(qtbot, page: PhotosPage, window: MainWindow):
    target = oversized(page).id_number
    page.select(target)
    qtbot.mouseClick(page.fix_button, Qt.MouseButton.LeftButton)
    row = page.model.find(target)
    assert row is not None and row.verdict is Verdict.FIXED
    assert page.model.index_of(target).data(BADGE_ROLE).text == "已修复"
    assert page.model.count(PhotoFilter.FIXED) == 1
    assert page.model.count(PhotoFilter.FIXABLE) == 0
    assert not page.fix_button.isEnabled()
    assert page.detail.badge_label.text() == "已修复"
    assert page.detail.pixels_label.text() == "原图 590 × 826，已缩放为 295 × 413"
    assert not page.detail.original_button.isHidden()
    assert "已自动修复 1 张照片" in window.statusBar().currentMessage()
    # 查看原图 shows the photo as it came.
    qtbot.mouseClick(page.detail.original_button, Qt.MouseButton.LeftButton)
    dialog = page.original_dialog
    assert dialog is not None and dialog.isVisible()
    assert "590 × 826" in dialog.caption_label.text()
    dialog.close()


@pytest.mark.parametrize("shown", [PhotoFilter.REJECTED, PhotoFilter.FIXABLE])
def test_after_the_fix_the_filter_shows_what_is_left(page: PhotosPage, shown: PhotoFilter):
    target = oversized(page).id_number
    page.set_filter(shown)
    page.select(target)
    before = page.model.rowCount()
    page.fix_all()
    visible = [page.model.photo_row(i).id_number for i in range(page.model.rowCount())]
    assert target not in visible
    assert page.model.rowCount() == before - 1 == page.model.count(shown)
    assert page.detail.row is not None and page.detail.row.id_number == target  # still read
    if shown is PhotoFilter.FIXABLE:
        assert page.grid_stack.currentWidget() is page.no_match
        assert page.no_match.text_label.text() == "没有符合筛选条件的考生。"


def test_the_grid_takes_as_many_columns_as_the_width_holds(qtbot, page: PhotosPage, window):
    grid = page.grid

    def first_row() -> list[QRect]:
        rects = [grid.visualRect(page.model.index(i)) for i in range(page.model.rowCount())]
        return [r for r in rects if r.top() == rects[0].top()]

    counts = []
    for width in (1100, 1366, 1800):
        window.resize(width, 697)
        qtbot.waitUntil(lambda: len(first_row()) == grid.columns())  # laid out again
        row = first_row()
        counts.append(len(row))
        viewport = grid.viewport().rect()
        assert all(viewport.contains(r) for r in row)
        # Spread over the width, not packed to the left with a strip empty on the right.
        left, right = row[0].left() - viewport.left(), viewport.right() - row[-1].right()
        assert abs(left - right) < 16, (width, left, right)
    assert counts[0] < counts[1] < counts[2]


def test_import_a_zip_with_a_gbk_name_shows_the_report(
    qtbot, page: PhotosPage, tmp_path: Path, window: MainWindow
):
    rows = list_photos(page.context.db)
    no_photo = missing(page).id_number
    source = tmp_path / "照片.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(GbkZipInfo(f"电商1班/张三_{no_photo}.jpg"), demo_photo(RNG, RED))
        zf.writestr(f"{rows[0].id_number}.jpg", demo_photo(RNG, BLUE))
        zf.writestr(f"{rows[1].id_number}.jpg", demo_photo(RNG, RED, (590, 826)))
        zf.writestr(f"{UNKNOWN_ID}.jpg", demo_photo(RNG, RED))
        zf.writestr("李四.jpg", demo_photo(RNG, RED))
        zf.writestr("Thumbs.db", b"junk")
        zf.writestr("__MACOSX/._x.jpg", b"junk")
    page.dialogs = FakeDialogs(source)
    page.fix_checkbox.setChecked(True)
    page.import_zip_action.trigger()

    dialog = page.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert page.dialogs.asked == ["zip"]
    assert [
        dialog.counts[k].value_label.text() for k in ("pass", "fixed", "rejected", "unmatched")
    ] == ["1", "1", "1", "2"]
    model = dialog.model
    table = {model.item(r).id_number: model.item(r) for r in range(model.rowCount())}
    assert set(table) == {rows[0].id_number, rows[1].id_number}  # the good one is not listed
    assert model.index(0, 2).data().startswith("不合格")  # rejected first
    assert "蓝底" in model.index(0, 3).data()
    assert model.index(1, 2).data() == "已修复"
    assert dialog.unmatched_model.stringList() == [f"{UNKNOWN_ID}.jpg", "李四.jpg"]
    assert not dialog.unmatched_list.isHidden()
    ignored = dialog.ignored_model.stringList()
    assert len(ignored) == 2 and ignored[0].startswith(("Thumbs.db", "__MACOSX"))
    assert "照片.zip" in dialog.summary_label.text()

    # The GBK-named photo landed on its candidate; the grid and the status bar know.
    row = page.model.find(no_photo)
    assert row is not None and row.verdict is Verdict.PASS
    assert page.model.count(PhotoFilter.MISSING) == 0
    assert "已导入 3 张照片" in window.statusBar().currentMessage()

    qtbot.mouseClick(dialog.show_rejected_button, Qt.MouseButton.LeftButton)
    assert page.model.filter is PhotoFilter.REJECTED
    assert page.filter_buttons[PhotoFilter.REJECTED].isChecked()
    assert page.report_dialog is None


def test_a_refused_zip_warns_and_changes_nothing(page: PhotosPage, tmp_path: Path, shown_errors):
    before = page.model.all_rows()
    fake = tmp_path / "照片.zip"
    fake.write_bytes(b"Rar!\x1a\x07\x00" + b"\x00" * 64)
    page.import_from(fake)
    assert len(shown_errors.errors) == 1
    error = shown_errors.errors[0]
    assert isinstance(error, InputError) and "RAR" in error.message
    assert page.report_dialog is None
    assert list_photos(page.context.db) == before
    assert page.import_button.isEnabled()  # not left busy


def test_import_a_folder_dropped_on_the_page(page: PhotosPage, tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    target = missing(page).id_number
    (folder / f"{target}.jpg").write_bytes(demo_photo(RNG, RED))
    assert page.handle_drop(mime_for(folder))
    assert page.report_dialog is not None
    assert page.model.find(target).verdict is Verdict.PASS


def test_dropping_an_image_on_a_cell_replaces_the_photo(qtbot, page: PhotosPage, tmp_path: Path):
    target = blue(page).id_number
    image = tmp_path / "新照片.jpg"
    image.write_bytes(demo_photo(RNG, RED))
    assert page.handle_drop(mime_for(image), target)
    row = page.model.find(target)
    assert row is not None and row.verdict is Verdict.PASS and row.background == "red"
    assert page.model.index_of(target).data(BADGE_ROLE).text == "合格"
    assert page.detail.row == row  # the panel follows the replaced candidate
    assert page.detail.message_label.isHidden()
    assert page.model.count(PhotoFilter.REJECTED) == 1


def test_a_real_drop_event_on_the_grid_reaches_the_cell(qtbot, page: PhotosPage, tmp_path: Path):
    target = missing(page).id_number
    index = page.model.index_of(target)
    page.grid.scrollTo(index)
    point = page.grid.visualRect(index).center()
    image = tmp_path / "photo.png"
    image.write_bytes(demo_photo(RNG, RED))  # JPEG bytes behind a .png name: still checked
    mime = mime_for(image)
    # Qt delivers a drop only to the widget that accepted the drag's enter event.
    enter = QDragEnterEvent(
        point,  # a QPoint here (QDropEvent takes a QPointF)
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(page.grid.viewport(), enter)
    assert enter.isAccepted()
    assert page.grid.delegate.drop_row == index.row()  # the cell is outlined
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(page.grid.viewport(), drop)
    assert page.grid.delegate.drop_row == -1
    assert page.model.find(target).verdict is Verdict.PASS


def drag_events(point: QPoint, mime: QMimeData) -> tuple[QDragEnterEvent, QDropEvent]:
    """The enter and drop events of a drag; the caller keeps ``mime`` alive (the events
    hold only a pointer to it)."""
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, buttons, keys)
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime, buttons, keys)
    return enter, drop


def test_the_grid_says_what_was_dropped_and_takes_nothing_while_busy(
    qtbot, page: PhotosPage, tmp_path: Path
):
    grid = page.grid
    target = missing(page).id_number
    index = page.model.index_of(target)
    grid.scrollTo(index)
    point = grid.visualRect(index).center()
    image = tmp_path / "a.jpg"
    image.write_bytes(demo_photo(RNG, RED))
    mime = mime_for(image)
    grid.set_busy(True)
    enter, _ = drag_events(point, mime)
    QApplication.sendEvent(grid.viewport(), enter)
    assert not enter.isAccepted()
    grid.set_busy(False)
    enter, drop = drag_events(point, mime)
    QApplication.sendEvent(grid.viewport(), enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(grid.image_dropped, timeout=1000) as dropped:
        QApplication.sendEvent(grid.viewport(), drop)
    assert dropped.args == [target, image]
    folder = tmp_path / "photos"
    folder.mkdir()
    mime = mime_for(folder)
    enter, drop = drag_events(point, mime)
    QApplication.sendEvent(grid.viewport(), enter)
    assert grid.property("dropping") is True  # the whole grid is outlined
    with qtbot.waitSignal(grid.source_dropped, timeout=1000) as dropped:
        QApplication.sendEvent(grid.viewport(), drop)
    assert dropped.args == [folder]
    assert grid.property("dropping") is False


def test_the_panel_asks_for_a_replacement_and_the_original(qtbot, page: PhotosPage, tmp_path):
    row = oversized(page)
    page.select(row.id_number)
    detail = page.detail
    with qtbot.waitSignal(detail.replace_requested, timeout=1000) as asked:
        page.dialogs = FakeDialogs(None)  # the user cancels the file dialog
        qtbot.mouseClick(detail.replace_button, Qt.MouseButton.LeftButton)
    assert asked.args == [row] and page.dialogs.asked == ["image"]
    image = tmp_path / "a.jpg"
    image.write_bytes(demo_photo(RNG, RED))
    mime = mime_for(image)
    enter, drop = drag_events(QPoint(20, 20), mime)
    QApplication.sendEvent(detail, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(detail.image_dropped, timeout=1000) as dropped:
        QApplication.sendEvent(detail, drop)
    assert dropped.args == [row.id_number, image]
    assert page.model.find(row.id_number).verdict is Verdict.PASS  # the page replaced it
    detail.set_busy(True)
    assert not detail.replace_button.isEnabled()
    enter, _ = drag_events(QPoint(20, 20), mime)
    QApplication.sendEvent(detail, enter)
    assert not enter.isAccepted()
    detail.set_busy(False)
    assert detail.replace_button.isEnabled()


def test_a_busy_page_turns_its_buttons_off_and_runs_one_fix(page: PhotosPage, monkeypatch):
    import examsite.ui.pages.photos as photos_page

    seen: list[tuple[bool, ...]] = []
    real_fix = photos_page.fix_photos

    def fix_photos(db, progress):
        # Runs while the page is busy: everything that would start a job is off.
        seen.append(
            (
                page.import_button.isEnabled(),
                page.fix_button.isEnabled(),
                page.detail.replace_button.isEnabled(),
            )
        )
        page.fix_all()  # a second click: refused, not queued
        return real_fix(db, progress=progress)

    monkeypatch.setattr(photos_page, "fix_photos", fix_photos)
    page.select(oversized(page).id_number)
    page.fix_all()
    assert seen == [(False, False, False)]
    assert not page.jobs.busy
    assert page.import_button.isEnabled() and page.detail.replace_button.isEnabled()
    assert page.model.count(PhotoFilter.FIXED) == 1


def test_a_rejected_replacement_keeps_the_good_photo_and_says_why(page: PhotosPage, tmp_path: Path):
    target = page.model.all_rows()[0].id_number
    image = tmp_path / "blue.jpg"
    image.write_bytes(demo_photo(RNG, BLUE))
    page.replace(target, image)
    assert page.model.find(target).verdict is Verdict.PASS
    assert not page.detail.message_label.isHidden()
    assert "未替换原有的合格照片" in page.detail.message_label.text()
    assert "蓝底" in page.detail.message_label.text()


def test_replace_button_uses_the_injected_dialog(page: PhotosPage, tmp_path: Path):
    target = missing(page).id_number
    page.select(target)
    image = tmp_path / "a.jpg"
    image.write_bytes(demo_photo(RNG, RED))
    page.dialogs = FakeDialogs(image)
    page.detail.replace_button.click()
    assert page.dialogs.asked == ["image"]
    assert page.model.find(target).verdict is Verdict.PASS


def test_an_image_dropped_nowhere_is_not_taken(page: PhotosPage, tmp_path: Path, window):
    image = tmp_path / "a.jpg"
    image.write_bytes(demo_photo(RNG, RED))
    assert not page.handle_drop(mime_for(image))  # nobody selected
    assert "拖到那位考生的格子上" in window.statusBar().currentMessage()
    text = tmp_path / "a.txt"
    text.write_text("x")
    assert not page.handle_drop(mime_for(text), missing(page).id_number)


def test_an_empty_database_points_to_the_candidates_page(qtbot, window: MainWindow):
    window.show_step(Step.PHOTOS)
    page = window.page(Step.PHOTOS)
    assert isinstance(page, PhotosPage)
    assert page.grid_stack.currentIndex() == 2
    qtbot.mouseClick(page.go_candidates_button, Qt.MouseButton.LeftButton)
    assert window.current_page() is window.page(Step.CANDIDATES)


# --- the models -------------------------------------------------------------------------


def synthetic_rows(count: int) -> list[PhotoRow]:
    rows = []
    for i in range(count):
        verdict = (Verdict.PASS, Verdict.FIXED, Verdict.REJECTED, None)[i % 4]
        problems = (
            (error("photo.wrong_pixels", width=590, height=826),)
            if verdict is Verdict.REJECTED
            else ()
        )
        if i % 10 == 1:  # an unclear background: the check's verdict is 需复核
            verdict, problems = Verdict.REVIEW, (warning("photo.background_unclear"),)
        rows.append(
            PhotoRow(
                f"{420102200000000000 + i}",
                f"考生{i:05d}",
                "social",
                "ready",
                verdict,
                problems,
                "red",
                295,
                413,
                f"{i}.jpg",
                verdict is Verdict.REJECTED,
            )
        )
    return rows


def test_photos_model_passes_the_model_tester(qtmodeltester):
    model = PhotosModel()
    model.set_rows(synthetic_rows(30))
    qtmodeltester.check(model, force_py=True)
    model.set_filter(PhotoFilter.REVIEW)
    qtmodeltester.check(model, force_py=True)


def test_report_model_passes_the_model_tester(qtmodeltester):
    items = [
        PhotoImportItem("a.jpg", "1", "甲", Verdict.PASS, (), True),
        PhotoImportItem(
            "b.jpg",
            "2",
            "乙",
            Verdict.FIXED,
            (notice("photo.fixed_resized", width=590, height=826),),
            True,
        ),
        PhotoImportItem(
            "c.jpg", "3", "丙", Verdict.REJECTED, (error("photo.background_blue"),), False
        ),
    ]
    model = ReportModel(items)
    assert model.rowCount() == 2
    assert model.item(0).file == "c.jpg"
    qtmodeltester.check(model, force_py=True)


def test_ten_thousand_rows_smoke(qtbot, page: PhotosPage):
    rows = synthetic_rows(10_000)
    started = time.perf_counter()
    page.show_rows(rows)
    set_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    page.set_filter(PhotoFilter.REJECTED)
    page.set_filter(PhotoFilter.ALL)
    filter_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    page.search_edit.setText("考生0999")
    search_ms = (time.perf_counter() - started) * 1000
    page.search_edit.clear()
    started = time.perf_counter()
    page.grid.scrollToBottom()
    page.grid.viewport().grab()
    paint_ms = (time.perf_counter() - started) * 1000
    print(
        f"\n10,000 rows: set {set_ms:.0f} ms, filter twice {filter_ms:.0f} ms, "
        f"search {search_ms:.0f} ms, scroll to the end and paint {paint_ms:.0f} ms"
    )
    assert page.model.rowCount() == 10_000
    assert page.model.count(PhotoFilter.REVIEW) == 1000
    # Painting asked only for the visible cells' thumbnails, not for 10,000.
    assert len(page.model.take_wanted()) < 100
    point = QPoint(5, 5)
    assert page.grid.indexAt(point).isValid() or page.grid.indexAt(point + QPoint(20, 20)).isValid()
