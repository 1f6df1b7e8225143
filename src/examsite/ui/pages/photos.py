"""The photos page (照片): a grid of every candidate's photo, its check, import and fixes.

The grid is a ``QListView`` in icon mode on ``PhotosModel``; thumbnails are fetched on the
worker in batches for the cells being painted. The panel on the right shows the selected
candidate's photo larger with every problem in Chinese. Importing a zip or folder, the
automatic fix and replacing one photo run through ``self.jobs`` with a progress dialog; a
zip or folder dropped anywhere on the page is imported, an image dropped on a cell (or on
the panel) replaces that candidate's photo.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QImage,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.photo_spec import Verdict
from examsite.domain.workflow import Step
from examsite.progress import Progress
from examsite.services.photos import (
    FixReport,
    PhotoImportItem,
    PhotoImportReport,
    PhotoRow,
    fix_photos,
    import_photos,
    list_photos,
    photo_bytes,
    replace_photo,
    thumbnails,
)
from examsite.ui.dialogs.photo_report import OriginalPhotoDialog, PhotoReportDialog
from examsite.ui.models.photos import (
    FILTER_TITLES,
    PhotoDelegate,
    PhotoFilter,
    PhotosModel,
    decode_thumbnails,
)
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.pages.photo_detail import DetailPanel
from examsite.ui.pages.photo_grid import (
    DropKind,
    PhotoDialogs,
    PhotoGrid,
    classify_drop,
)
from examsite.ui.widgets import Card, NoMatch, PageHeader, button, label, page_layout

log = logging.getLogger(__name__)

RULES = (
    "平台要求：jpg 或 png，295×413 像素，红色背景，5 MB 以内，以证件号码命名"
    "（如 420102200501011234.jpg）。压缩包或文件夹可直接拖到本页导入。"
)


class PhotosPage(BasePage):
    """Step 3: see every photo's check, import a zip or folder, fix, replace one."""

    step = Step.PHOTOS

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: PhotoDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.dialogs = dialogs or PhotoDialogs()
        self.model = PhotosModel(self)
        self.model.thumbnails_missed.connect(self._on_model_thumbnails_missed)
        self.report_dialog: PhotoReportDialog | None = None
        self.original_dialog: OriginalPhotoDialog | None = None
        self._current_id: str | None = None  # the candidate the panel shows
        self._reload_detail = False
        self._thumbs_loading = False
        self._thumb_timer = QTimer(self, singleShot=True, interval=0)
        self._thumb_timer.timeout.connect(self._on_thumb_timer_timeout)
        self.setAcceptDrops(True)

        self.header = PageHeader("照片", "正在读取…")
        self._build_actions()
        self.rules_label = label(RULES, "pageHint", wrap=True)

        self.grid = PhotoGrid()
        self.grid.setModel(self.model)
        self.grid.source_dropped.connect(self._on_grid_source_dropped)
        self.grid.image_dropped.connect(self._on_grid_image_dropped)
        self.grid.setItemDelegate(PhotoDelegate(self.grid))
        self.grid.selectionModel().currentChanged.connect(self._on_grid_current_changed)
        self.no_match = NoMatch("photosNoMatch")
        self.no_match.clear_requested.connect(self._on_no_match_clear_requested)
        self.grid_stack = QStackedWidget()
        self.grid_stack.setObjectName("photoGridStack")
        self.grid_stack.addWidget(self.grid)
        self.grid_stack.addWidget(self.no_match)
        self.grid_stack.addWidget(self._build_empty_card())

        self.detail = DetailPanel()
        self.detail.setFixedWidth(400)
        self.detail.replace_requested.connect(self._on_detail_replace_requested)
        self.detail.original_requested.connect(self._on_detail_original_requested)
        self.detail.image_dropped.connect(self._on_detail_image_dropped)

        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(self.grid_stack, 1)
        body.addWidget(self.detail)

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(12)
        layout.addLayout(self._build_filters())
        layout.addSpacing(6)
        layout.addWidget(self.rules_label)
        layout.addSpacing(12)
        layout.addLayout(body, 1)

        self.jobs.guard(self.import_button)
        self.jobs.busy_changed.connect(self._on_jobs_busy_changed)

    # -- building ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.import_button = button("导入照片…", kind="primary")
        menu = QMenu(self.import_button)
        self.import_zip_action = menu.addAction("选择照片压缩包（.zip）…")
        self.import_zip_action.triggered.connect(self._on_import_zip_action_triggered)
        self.import_folder_action = menu.addAction("选择照片文件夹…")
        self.import_folder_action.triggered.connect(self._on_import_folder_action_triggered)
        self.import_button.setMenu(menu)
        self.fix_checkbox = QCheckBox("自动修复可修复的问题")
        self.fix_checkbox.setChecked(True)
        self.fix_checkbox.setToolTip(
            "导入和更换照片时，把方向、颜色模式、像素尺寸和文件大小的问题直接修好；"
            "背景颜色、黑白照片、比例不对等问题不会自动处理。"
        )
        self.fix_button = button("自动修复", self._on_fix_button_clicked)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("photoSearch")
        self.search_edit.setPlaceholderText("搜索姓名或证件号码")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setFixedWidth(240)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.header.add_actions(self.import_button, self.fix_checkbox, self.fix_button)
        self.header.add_end_actions(self.search_edit)

    def _build_filters(self) -> QHBoxLayout:
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[PhotoFilter, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(6)
        for which in PhotoFilter:
            chip = QPushButton(FILTER_TITLES[which])
            chip.setObjectName("filterChip")
            chip.setCheckable(True)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.setProperty("tone", which.value)
            chip.clicked.connect(lambda _=False, w=which: self._on_filter_button_clicked(w))
            self.filter_group.addButton(chip)
            self.filter_buttons[which] = chip
            row.addWidget(chip)
        self.filter_buttons[PhotoFilter.ALL].setChecked(True)
        row.addStretch(1)
        return row

    def _build_empty_card(self) -> QWidget:
        card = Card(name="emptyCard")
        self.go_candidates_button = button(
            "前往“考生”", self._on_go_candidates_button_clicked, kind="primary"
        )
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(label("还没有考生", "emptyCardTitle"))
        layout.addWidget(
            label(
                "照片按文件名里的证件号码对应到考生，所以要先导入考生，再导入照片。",
                "emptyCardText",
                wrap=True,
            )
        )
        layout.addSpacing(6)
        layout.addWidget(self.go_candidates_button, 0, Qt.AlignmentFlag.AlignLeft)
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(card)
        outer.addStretch(1)
        return box

    # -- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: list_photos(db), self._on_list_job_finished)

    def _on_list_job_finished(self, rows: list[PhotoRow]) -> None:
        self.show_rows(rows)
        if self._reload_detail:  # an import may have changed the photo in the panel
            self._reload_detail = False
            self._reload_current()

    def show_rows(self, rows: list[PhotoRow]) -> None:
        """Show a fresh list, keeping the scroll position and the selected candidate."""
        scroll = self.grid.verticalScrollBar().value()
        self.model.set_rows(rows)
        self._after_rows_changed()
        self.grid.verticalScrollBar().setValue(scroll)
        if self._current_id is not None:
            self._select(self._current_id)

    def _after_rows_changed(self) -> None:
        self._update_counts()
        if self.model.total == 0:
            self.grid_stack.setCurrentIndex(2)
        elif self.model.rowCount() == 0:
            filtered = self.model.filter is not PhotoFilter.ALL
            self.no_match.show_for(self.search_edit.text(), filtered=filtered)
            self.grid_stack.setCurrentIndex(1)
        else:
            self.grid_stack.setCurrentIndex(0)
        row = self.model.find(self._current_id) if self._current_id else None
        if row is None and self._current_id is not None:
            self._current_id = None
            self.detail.clear()
        elif row is not None:
            self.detail.show_row(row)

    def _update_counts(self) -> None:
        m = self.model
        for which, chip in self.filter_buttons.items():
            chip.setText(f"{FILTER_TITLES[which]}  {m.count(which)}")
        fixable = m.count(PhotoFilter.FIXABLE)
        self.fix_button.setText(f"自动修复 {fixable} 张" if fixable else "自动修复")
        self.fix_button.setEnabled(fixable > 0 and not self.jobs.busy)
        self.fix_button.setToolTip(
            f"修复 {fixable} 张可自动修复的不合格照片（缩放尺寸、转正方向、转换颜色、重新压缩）"
            if fixable
            else "没有可自动修复的照片"
        )
        total = m.total
        photos = total - m.count(PhotoFilter.MISSING)
        if total == 0:
            self.header.set_subtitle("还没有考生，先在“考生”页导入考生。")
            return
        parts = [f"{total} 名考生", f"{photos} 张照片"]
        if m.count(PhotoFilter.REJECTED):
            parts.append(f"{m.count(PhotoFilter.REJECTED)} 张不合格")
        if m.count(PhotoFilter.MISSING):
            parts.append(f"{m.count(PhotoFilter.MISSING)} 人缺照片")
        if m.count(PhotoFilter.REVIEW):
            parts.append(f"{m.count(PhotoFilter.REVIEW)} 张需复核")
        if len(parts) == 2:
            parts.append("全部合格")
        self.header.set_subtitle("　·　".join(parts))

    # -- filter, search, selection ------------------------------------------------------

    def set_filter(self, which: PhotoFilter) -> None:
        self.filter_buttons[which].setChecked(True)
        self.model.set_filter(which)
        self._after_filter_changed()

    def _on_filter_button_clicked(self, which: PhotoFilter) -> None:
        self.set_filter(which)

    def _on_search_edit_text_changed(self, text: str) -> None:
        self.model.set_search(text)
        self._after_filter_changed()

    def _on_no_match_clear_requested(self) -> None:
        self.search_edit.clear()
        self.set_filter(PhotoFilter.ALL)

    def _after_filter_changed(self) -> None:
        self._after_rows_changed()
        if self._current_id is not None:
            self._select(self._current_id)
        if not self.grid.currentIndex().isValid():
            self.grid.scrollToTop()

    def _select(self, id_number: str) -> None:
        index = self.model.index_of(id_number)
        if index.isValid():
            self.grid.setCurrentIndex(index)
            self.grid.scrollTo(index)

    def select(self, id_number: str) -> None:
        """Show a candidate in the panel and select their cell (if the filter shows it)."""
        row = self.model.find(id_number)
        if row is None:
            return
        if id_number != self._current_id or self.detail.row is None:
            self._current_id = id_number
            self._show_detail(row)
        self._select(id_number)

    def _on_grid_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.model.photo_row(current)
            if row.id_number != self._current_id or self.detail.row is None:
                self._current_id = row.id_number
                self._show_detail(row)

    def _show_detail(self, row: PhotoRow) -> None:
        self.detail.show_row(row)
        self.detail.set_message("")
        self._load_detail_image(row)

    def _load_detail_image(self, row: PhotoRow) -> None:
        if row.verdict is None:
            self.detail.show_image(None)
            return
        db, id_number = self.context.db, row.id_number
        # A rejected photo has no stored version: the panel shows the original as it came.
        original = row.verdict is Verdict.REJECTED
        size, ratio = self.detail.photo_size, self.devicePixelRatioF()

        def job(_progress: Progress) -> tuple[str, QImage | None]:
            data = photo_bytes(db, id_number, original=original)
            if not data:
                return id_number, None
            image = QImage.fromData(data)
            if image.isNull():
                return id_number, None
            target = QSize(round(size.width() * ratio), round(size.height() * ratio))
            image = image.scaled(
                target,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            image.setDevicePixelRatio(ratio)
            return id_number, image

        self.jobs.read(job, self._on_detail_job_finished)

    def _on_detail_job_finished(self, result: tuple[str, QImage | None]) -> None:
        id_number, image = result
        if id_number == self._current_id:  # not a stale answer for a cell left already
            self.detail.show_image(image)

    # -- thumbnails ----------------------------------------------------------------------

    def _on_model_thumbnails_missed(self) -> None:
        # Painting reports misses one cell at a time: gather them into one batch.
        if not self._thumb_timer.isActive():
            self._thumb_timer.start()

    def _on_thumb_timer_timeout(self) -> None:
        if self._thumbs_loading or not self.model.has_wanted:
            return
        wanted = self.model.take_wanted()
        db, size, ratio = self.context.db, PhotoDelegate.THUMB, self.devicePixelRatioF()
        self._thumbs_loading = True

        def job(_progress: Progress) -> tuple[list[str], dict[str, QImage]]:
            return wanted, decode_thumbnails(thumbnails(db, wanted), size, ratio)

        # Nobody asked for thumbnails: a failure is logged, not shown (while painting).
        self.jobs.read(
            job, self._on_thumbs_job_finished, on_failure=self._on_thumbs_job_failed, silent=True
        )

    def _on_thumbs_job_finished(self, result: tuple[list[str], dict[str, QImage]]) -> None:
        wanted, images = result
        self._thumbs_loading = False
        self.model.set_thumbnails(wanted, images)
        if self.model.has_wanted:
            self._thumb_timer.start()

    def _on_thumbs_job_failed(self, _error: BaseException) -> None:
        self._thumbs_loading = False

    # -- import --------------------------------------------------------------------------

    def _on_import_zip_action_triggered(self) -> None:
        path = self.dialogs.open_zip(self.window())
        if path is not None:
            self.import_from(path)

    def _on_import_folder_action_triggered(self) -> None:
        path = self.dialogs.open_folder(self.window())
        if path is not None:
            self.import_from(path)

    def import_from(self, path: Path) -> None:
        """Import a zip or folder of photos on the worker, then show the report."""
        db, fix = self.context.db, self.fix_checkbox.isChecked()
        self.jobs.change(
            lambda progress: import_photos(db, path, fix=fix, progress=progress),
            partial(self._on_import_job_finished, path),
            progress=f"正在导入照片：{path.name}",
        )

    def _on_import_job_finished(self, path: Path, report: PhotoImportReport) -> None:
        self.model.forget_thumbnails()
        self._reload_detail = self._current_id is not None
        self.refresh()
        self.context.notify(
            f"已导入 {len(report.results)} 张照片：合格 {report.count(Verdict.PASS)}，"
            f"已修复 {report.count(Verdict.FIXED)}，不合格 {report.count(Verdict.REJECTED)}。"
        )
        self.show_report(report, path)

    def show_report(self, report: PhotoImportReport, path: Path) -> PhotoReportDialog:
        if self.report_dialog is not None:
            self.report_dialog.close()
        dialog = PhotoReportDialog(report, path, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show_rejected_requested.connect(self._on_report_show_rejected_requested)
        dialog.finished.connect(self._on_report_finished)
        self.report_dialog = dialog
        dialog.open()
        return dialog

    def _on_report_show_rejected_requested(self) -> None:
        self.set_filter(PhotoFilter.REJECTED)

    def _on_report_finished(self, _result: int) -> None:
        self.report_dialog = None

    def _on_jobs_busy_changed(self, busy: bool) -> None:
        self.fix_button.setEnabled(not busy and self.model.count(PhotoFilter.FIXABLE) > 0)
        self.detail.set_busy(busy)
        self.grid.set_busy(busy)

    # -- automatic fix -------------------------------------------------------------------

    def _on_fix_button_clicked(self) -> None:
        self.fix_all()

    def fix_all(self) -> None:
        """Run the automatic fix on every fixable rejected photo."""
        db = self.context.db

        def job(progress: Progress) -> tuple[FixReport, list[PhotoRow]]:
            report = fix_photos(db, progress=progress)
            return report, list_photos(db, id_numbers=[i.id_number for i in report.items])

        self.jobs.change(job, self._on_fix_job_finished, progress="正在自动修复照片…")

    def _on_fix_job_finished(self, result: tuple[FixReport, list[PhotoRow]]) -> None:
        report, rows = result
        self._apply_rows(rows)
        # Unlike one replaced photo, a whole batch changed: the filter (不合格, 可自动修复)
        # shows what is left to do, not what was just fixed.
        self.model.refilter()
        self._after_filter_changed()
        text = f"已自动修复 {report.fixed} 张照片。"
        if report.still_rejected:
            text += f"{report.still_rejected} 张仍不合格，需要重新拍摄。"
        self.context.notify(text)

    def _apply_rows(self, rows: list[PhotoRow]) -> None:
        self.model.forget_thumbnails(r.id_number for r in rows)
        self.model.update_rows(rows)
        self._update_counts()
        if any(r.id_number == self._current_id for r in rows):
            self._reload_current()

    def _reload_current(self) -> None:
        row = self.model.find(self._current_id) if self._current_id else None
        if row is not None:
            self.detail.show_row(row)
            self._load_detail_image(row)

    # -- replacing one photo ------------------------------------------------------------

    def _on_detail_replace_requested(self, row: PhotoRow) -> None:
        path = self.dialogs.open_image(self.window())
        if path is not None:
            self.replace(row.id_number, path)

    def replace(self, id_number: str, path: Path) -> None:
        """Check ``path`` and store it as the candidate's photo, on the worker."""
        if self.jobs.busy:
            return
        db, fix = self.context.db, self.fix_checkbox.isChecked()
        self.select(id_number)

        def job(_progress: Progress) -> tuple[PhotoImportItem, list[PhotoRow]]:
            item = replace_photo(db, id_number, path, fix=fix)
            return item, list_photos(db, id_numbers=[id_number])

        self.jobs.change(job, self._on_replace_job_finished, progress="正在检查照片…")

    def _on_replace_job_finished(self, result: tuple[PhotoImportItem, list[PhotoRow]]) -> None:
        item, rows = result
        self._apply_rows(rows)
        if item.verdict is Verdict.REJECTED:
            kept = "" if item.stored else "，未替换原有的合格照片"
            self.detail.set_message(f"新照片“{item.file}”不合格{kept}。", item.problems)
            self.context.notify(f"{item.candidate_name} 的新照片不合格{kept}。")
        else:
            self.detail.set_message("")
            self.context.notify(f"已更换 {item.candidate_name} 的照片。")

    # -- the original --------------------------------------------------------------------

    def _on_detail_original_requested(self, row: PhotoRow) -> None:
        db, id_number = self.context.db, row.id_number

        def job(_progress: Progress) -> tuple[PhotoRow, QImage | None]:
            data = photo_bytes(db, id_number, original=True)
            image = QImage.fromData(data) if data else None
            return row, image if image is not None and not image.isNull() else None

        self.jobs.read(job, self._on_original_job_finished)

    def _on_original_job_finished(self, result: tuple[PhotoRow, QImage | None]) -> None:
        row, image = result
        if self.original_dialog is not None:
            self.original_dialog.close()
        dialog = OriginalPhotoDialog(row, image, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_original_dialog_finished)
        self.original_dialog = dialog
        dialog.open()

    def _on_original_dialog_finished(self, _result: int) -> None:
        self.original_dialog = None

    # -- dropping files ------------------------------------------------------------------

    def handle_drop(self, mime: QMimeData, id_number: str | None = None) -> bool:
        """Take a drop: a zip or folder is imported; an image replaces the photo of
        ``id_number`` (the cell it was dropped on) or of the candidate in the panel."""
        kind, path = classify_drop(mime)
        if path is None or self.jobs.busy:
            return False
        if kind is DropKind.SOURCE:
            self.import_from(path)
            return True
        target = id_number or self._current_id
        if target is None:
            self.context.notify("要更换照片，请把照片拖到那位考生的格子上。")
            return False
        self.replace(target, path)
        return True

    def _on_grid_source_dropped(self, path: Path) -> None:
        self.import_from(path)

    def _on_grid_image_dropped(self, id_number: str, path: Path) -> None:
        self.replace(id_number, path)

    def _on_detail_image_dropped(self, id_number: str, path: Path) -> None:
        self.replace(id_number, path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        kind, _ = classify_drop(event.mimeData())
        if kind is DropKind.SOURCE and not self.jobs.busy:
            self.grid.set_drop_highlight(True)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.grid.set_drop_highlight(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self.grid.set_drop_highlight(False)
        kind, _ = classify_drop(event.mimeData())
        if kind is DropKind.SOURCE and self.handle_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    # -- navigation ----------------------------------------------------------------------

    def _on_go_candidates_button_clicked(self) -> None:
        self.context.navigate(Step.CANDIDATES)
