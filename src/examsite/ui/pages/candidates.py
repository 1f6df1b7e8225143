"""The candidates page (考生): the list with its filters, import, templates, add/edit/delete.

Every candidate is read once through the worker (``list_candidates``) into
``CandidatesModel``; the status chips, the kind box and the search box filter that list in
memory, so they answer at once even for 10,000 candidates. Changes go through the
services on the worker: a saved candidate replaces its row, an import reloads the list.

An import is two runs of ``import_candidates``: a dry run whose result the coordinator
reads in ``ImportResultDialog``, then the real one. A file can also be dropped on the
page. The file dialogs and the delete question go through ``CandidateDialogs``, which
tests replace.
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDragLeaveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.messages import CANDIDATE_STATUS_TITLES, KIND_TITLES
from examsite.progress import Progress
from examsite.services.candidate_import import ImportReport, import_candidates
from examsite.services.candidates import (
    CandidateForm,
    CandidateRow,
    delete_candidate,
    list_candidates,
    save_candidate,
)
from examsite.ui.dialogs.candidate_dialogs import CandidateDialogs
from examsite.ui.dialogs.candidate_form import CandidateFormDialog
from examsite.ui.dialogs.import_result import (
    IMPORT_SUFFIXES,
    ImportRequest,
    ImportResultDialog,
    guess_kind,
)
from examsite.ui.models.candidates import (
    STATUS_ORDER,
    CandidatesModel,
    Column,
    StatusPillDelegate,
)
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.widgets import (
    Card,
    NoMatch,
    PageHeader,
    ReadOnlyTable,
    button,
    label,
    page_layout,
    repolish,
)

log = logging.getLogger(__name__)

TEMPLATE_NAMES = {"school": "院校考生导入模板.xlsx", "social": "社会考生导入模板.xlsx"}
COLUMN_WIDTHS: dict[int, int] = {
    Column.NAME: 90,
    Column.PINYIN: 124,
    Column.GENDER: 48,
    Column.ID_NUMBER: 166,
    Column.KIND: 80,
    Column.PHONE: 112,
    Column.STATUS: 100,
    Column.PHOTO: 66,
}
TABLE, EMPTY, DROP, NO_MATCH = 0, 1, 2, 3  # pages of the stack in the middle


#: Refusals of a save because another computer changed the candidate first.
CHANGED_ELSEWHERE = frozenset({"candidate.changed_elsewhere", "candidate.deleted_elsewhere"})


class CandidatesPage(BasePage):
    """Step 2: the candidate list, its import and its edits."""

    step = Step.CANDIDATES

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: CandidateDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.dialogs = dialogs or CandidateDialogs()
        self.last_kind = "school"
        self.last_import: tuple[ImportRequest, ImportReport] | None = None
        self.loaded = False
        self.form_dialog: CandidateFormDialog | None = None
        self.result_dialog: ImportResultDialog | None = None

        self.model = CandidatesModel(self)
        self.header = PageHeader("考生", "正在读取考生名单…")
        self._build_actions()
        filters = self._build_filters()
        self.header.add_beside_title(self.kind_combo, self.search_edit)
        self.table = self._build_table()
        self.empty_card = self._build_empty_card()
        self.drop_card = self._build_drop_card()
        self.no_match = NoMatch("candidatesNoMatch")
        self.no_match.clear_requested.connect(self._on_no_match_clear_requested)
        self.stack = QStackedWidget()
        self.stack.setObjectName("candidatesStack")
        for widget in (self.table, self.empty_card, self.drop_card, self.no_match):
            self.stack.addWidget(widget)
        self.count_label = label("", "footerText")
        self.hint_label = label(
            "双击一行可查看和修改　·　可以把 Excel 或 CSV 文件直接拖到此页导入", "footerHint"
        )
        # Rows hidden together while the list is empty (nothing to filter or count).
        self.filter_bar = QWidget()
        self.filter_bar.setLayout(filters)
        filters.setContentsMargins(0, 0, 0, 12)
        self.footer_bar = QWidget()
        footer = QHBoxLayout(self.footer_bar)
        footer.setContentsMargins(0, 8, 0, 0)
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        footer.addWidget(self.hint_label)

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(12)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer_bar)

        self.setAcceptDrops(True)
        self.jobs.guard(self.import_button, self.empty_import_button)
        self._show_counts()
        self._update_actions()

    # -- building ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.import_button = button("导入考生…", self._on_import_button_clicked, kind="primary")
        self.template_button = button("下载模板")
        self.template_menu = QMenu(self.template_button)
        self.template_actions: dict[str, QAction] = {}
        for kind in ("school", "social"):
            action = self.template_menu.addAction(f"{KIND_TITLES[kind]}导入模板…")
            action.triggered.connect(partial(self.download_template, kind))
            self.template_actions[kind] = action
        self.template_button.setMenu(self.template_menu)
        self.report_button = button(
            "导出问题表…",
            self._on_report_button_clicked,
            tooltip="导入后：把有问题的行标在原表格上，交给班主任修改",
        )
        self.add_button = button("新增考生", self._on_add_button_clicked)
        self.edit_button = button("编辑", self._on_edit_button_clicked)
        self.delete_button = button("删除", self._on_delete_button_clicked, kind="danger")
        self.header.add_actions(self.import_button, self.template_button, self.report_button)
        self.header.add_end_actions(self.add_button, self.edit_button, self.delete_button)

    def _build_filters(self) -> QHBoxLayout:
        self.status_group = QButtonGroup(self)
        self.status_group.setExclusive(True)
        self.status_chips: dict[str | None, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(6)
        for at, status in enumerate((None, *STATUS_ORDER)):
            chip = QPushButton()
            chip.setObjectName("statusChip")
            chip.setCheckable(True)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.setProperty("status", status or "all")
            self.status_group.addButton(chip, at)
            self.status_chips[status] = chip
            row.addWidget(chip)
        self.status_chips[None].setChecked(True)
        self.status_group.idClicked.connect(self._on_status_group_id_clicked)
        row.addStretch(1)
        # The kind box and the search box sit in the page's header, right of the title.
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindFilter")
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for kind in (None, "school", "social"):
            self.kind_combo.addItem("", kind)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("candidateSearch")
        self.search_edit.setPlaceholderText("搜索姓名、拼音或证件号码")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setFixedWidth(250)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        return row

    def _build_table(self) -> ReadOnlyTable:
        table = ReadOnlyTable(
            self.model,
            name="candidatesTable",
            alternating=True,
            widths=COLUMN_WIDTHS,
            stretch=Column.MAJOR,
            row_height=34,
        )
        table.setItemDelegateForColumn(Column.STATUS, StatusPillDelegate(table))
        header = table.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.doubleClicked.connect(self._on_table_double_clicked)
        table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

        self.edit_action = QAction("编辑…", table)
        self.edit_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(self._on_edit_button_clicked)
        self.delete_action = QAction("删除…", table)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self._on_delete_button_clicked)
        table.addAction(self.edit_action)
        table.addAction(self.delete_action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        return table

    def _build_empty_card(self) -> Card:
        card = Card(name="candidatesEmpty")
        title = label("还没有考生", "emptyCardTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = label(
            "先下载导入模板，请班主任填好本班考生；再点“导入考生…”选择填好的表格，"
            "或把表格文件直接拖到这里。也可以点“新增考生”逐个添加。",
            "emptyCardText",
            wrap=True,
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(520)
        self.empty_import_button = button(
            "导入考生…", self._on_import_button_clicked, kind="primary"
        )
        self.empty_template_button = button(
            "下载院校考生模板…", partial(self.download_template, "school")
        )
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addStretch(1)
        buttons.addWidget(self.empty_import_button)
        buttons.addWidget(self.empty_template_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        layout.addStretch(2)
        # Centred by stretches, not an alignment flag, which would ignore the wrapped
        # label's height-for-width and cut its second line off.
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(text)
        centred.addStretch(1)
        layout.addWidget(title)
        layout.addLayout(centred)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addStretch(3)
        return card

    def _build_drop_card(self) -> Card:
        card = Card(name="candidatesDrop")
        text = label("松开鼠标，检查并导入这个文件", "dropText")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(card)
        layout.addWidget(text)
        return card

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read every candidate again (on the worker); filters and selection stay."""
        db = self.context.db

        def job(_progress: Progress) -> list[CandidateRow]:
            return list_candidates(db)

        self.jobs.read(job, self._on_load_job_finished)

    def _on_load_job_finished(self, rows: list[CandidateRow]) -> None:
        selected = self.selected_candidate()
        self.model.set_rows(rows)
        self.loaded = True
        self._after_model_change(selected.id if selected else None)

    def _after_model_change(self, keep_id: int | None) -> None:
        if keep_id is not None:
            self.select_candidate(keep_id)
        self._show_counts()
        self._show_subtitle()
        self._show_stack()
        self._update_actions()

    def _show_subtitle(self) -> None:
        rows = self.model.all_rows()
        if not rows:
            self.header.set_subtitle("名单中还没有考生")
            return
        kinds = Counter(r.kind for r in rows)
        parts = [
            f"共 {len(rows)} 名考生（院校考生 {kinds['school']} 名，社会考生 {kinds['social']} 名）"
        ]
        to_fix = sum(1 for r in rows if r.issues)
        parts.append(f"{to_fix} 名需要处理" if to_fix else "没有需要处理的考生")
        self.header.set_subtitle("　·　".join(parts))

    def _show_stack(self) -> None:
        if self.stack.currentIndex() == DROP:
            return
        empty = self.loaded and self.model.total == 0
        if empty:
            self.stack.setCurrentIndex(EMPTY)
        elif self.loaded and self.model.rowCount() == 0:
            filtered = bool(self.status_filter or self.kind_filter)
            self.no_match.show_for(self.search_edit.text(), filtered=filtered)
            self.stack.setCurrentIndex(NO_MATCH)
        else:
            self.stack.setCurrentIndex(TABLE)
        for widget in (self.filter_bar, self.footer_bar, self.kind_combo, self.search_edit):
            widget.setVisible(not empty)

    # -- filters -------------------------------------------------------------------------

    @property
    def status_filter(self) -> str | None:
        at = self.status_group.checkedId()
        return None if at <= 0 else STATUS_ORDER[at - 1]

    @property
    def kind_filter(self) -> str | None:
        data = self.kind_combo.currentData()
        return str(data) if data else None

    def set_status_filter(self, status: str | None) -> None:
        self.status_chips[status].setChecked(True)
        self._apply_filter()

    def set_kind_filter(self, kind: str | None) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def _on_status_group_id_clicked(self, _id: int) -> None:
        self._apply_filter()

    def _on_kind_combo_current_index_changed(self, _index: int) -> None:
        self._apply_filter()

    def search_field(self) -> QLineEdit:
        return self.search_edit

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._apply_filter()

    def _apply_filter(self) -> None:
        selected = self.selected_candidate()
        self.model.set_filter(
            status=self.status_filter, kind=self.kind_filter, text=self.search_edit.text()
        )
        if selected is not None:
            self.select_candidate(selected.id)
        self._show_counts()
        self._show_stack()
        self._update_actions()

    def _on_no_match_clear_requested(self) -> None:
        self.clear_filters()

    def clear_filters(self) -> None:
        """Show every candidate again: no search, every status, every kind."""
        self.search_edit.clear()
        self.kind_combo.setCurrentIndex(0)
        self.set_status_filter(None)

    def _show_counts(self) -> None:
        statuses = self.model.status_counts
        for status, chip in self.status_chips.items():
            if status is None:
                chip.setText(f"全部  {self.model.status_total}")
            else:
                count = statuses.get(status, 0)
                chip.setText(f"{CANDIDATE_STATUS_TITLES[status]}  {count}")
                empty = count == 0
                if chip.property("empty") != empty:
                    chip.setProperty("empty", empty)
                    repolish(chip)
        kinds = self.model.kind_counts
        self.kind_combo.setItemText(0, f"全部类型（{sum(kinds.values())}）")
        for at, kind in ((1, "school"), (2, "social")):
            self.kind_combo.setItemText(at, f"{KIND_TITLES[kind]}（{kinds.get(kind, 0)}）")
        shown, total = self.model.rowCount(), self.model.total
        if not self.loaded:
            self.count_label.setText("")
        elif self.model.filter_active:
            self.count_label.setText(
                f"显示 {shown} 名，共 {total} 名"
                if shown
                else f"没有符合条件的考生（共 {total} 名）"
            )
        else:
            self.count_label.setText(f"共 {total} 名考生")

    # -- selection -----------------------------------------------------------------------

    def selected_candidate(self) -> CandidateRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.candidate(rows[0].row())

    def select_candidate(self, candidate_id: int) -> bool:
        row = self.model.row_of(candidate_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _on_table_selection_changed(self, *_args: Any) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        selected = self.selected_candidate() is not None
        for widget in (self.edit_button, self.delete_button):
            widget.setEnabled(selected)
        self.edit_action.setEnabled(selected)
        self.delete_action.setEnabled(selected)
        self.report_button.setEnabled(bool(self.last_import and self.last_import[1].problems))

    # -- add, edit, delete ---------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self.open_form(None)

    def _on_edit_button_clicked(self) -> None:
        row = self.selected_candidate()
        if row is not None:
            self.open_form(row)

    def _on_table_double_clicked(self, index: Any) -> None:
        self.open_form(self.model.candidate(index.row()))

    def open_form(self, row: CandidateRow | None) -> CandidateFormDialog:
        """Open the form (window-modal, not blocking) to add a candidate or edit ``row``."""
        dialog = CandidateFormDialog(
            row,
            kind=self.kind_filter or self.last_kind,
            today=self.context.clock().date(),
            parent=self.window(),
        )
        dialog.save_requested.connect(partial(self._on_form_dialog_save_requested, dialog))
        dialog.finished.connect(partial(self._on_form_dialog_finished, dialog))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form_dialog = dialog
        dialog.open()
        return dialog

    def _on_form_dialog_finished(self, dialog: CandidateFormDialog, _result: int) -> None:
        if self.form_dialog is dialog:
            self.form_dialog = None

    def _on_form_dialog_save_requested(
        self, dialog: CandidateFormDialog, form: CandidateForm
    ) -> None:
        db = self.context.db
        original = dialog.original_id_number
        loaded = dialog.row  # as the form showed it: refused if another PC changed it since
        today = self.context.clock().date()

        def job(_progress: Progress) -> CandidateRow:
            return save_candidate(db, form, original_id_number=original, loaded=loaded, today=today)

        # Not exclusive: the form guards itself (保存 is off while it saves).
        self.jobs.change(
            job,
            partial(self._on_save_job_finished, dialog),
            on_input_error=partial(self._on_save_job_refused, dialog),
            on_failure=partial(self._on_save_job_failed, dialog),
            exclusive=False,
        )

    def _on_save_job_finished(self, dialog: CandidateFormDialog, row: CandidateRow) -> None:
        self.model.upsert(row)
        self._after_model_change(None)
        shown = self.select_candidate(row.id)
        dialog.accept()
        verb = "已修改" if dialog.row is not None else "已添加"
        hidden = "" if shown else "（当前筛选条件下不显示）"
        self.context.notify(f"{verb}考生 {row.name}{hidden}。")

    def _on_save_job_refused(self, dialog: CandidateFormDialog, error: InputError) -> None:
        dialog.show_problems(error.problems, error.message)
        if error.code in CHANGED_ELSEWHERE:
            self.reload()  # the list shows the other computer's change

    def _on_save_job_failed(self, dialog: CandidateFormDialog, _error: BaseException) -> None:
        dialog.set_saving(False)

    def _on_delete_button_clicked(self) -> None:
        row = self.selected_candidate()
        if row is None or not self.dialogs.confirm_delete(self.window(), row):
            return
        db = self.context.db

        def job(_progress: Progress) -> None:
            delete_candidate(db, row.id_number)

        self.jobs.change(job, partial(self._on_delete_job_finished, row))

    def _on_delete_job_finished(self, row: CandidateRow, _result: None) -> None:
        self.model.remove(row.id)
        self._after_model_change(None)
        self.context.notify(f"已删除考生 {row.name}。")

    # -- templates -----------------------------------------------------------------------

    def download_template(self, kind: str) -> None:
        """Ask where to save the blank template of ``kind`` and write it."""
        path = self.dialogs.save_template(self.window(), TEMPLATE_NAMES[kind])
        if path is None:
            return
        from examsite.formats.template_workbook import write_template

        def job(_progress: Progress) -> Path:
            return write_template(kind, path)

        self.jobs.read(job, self._on_template_job_finished)

    def _on_template_job_finished(self, path: Path) -> None:
        self.context.notify(f"已保存导入模板：{path}")

    # -- import --------------------------------------------------------------------------

    def _on_import_button_clicked(self) -> None:
        self.start_import()

    def start_import(self, path: Path | None = None) -> None:
        """Ask for the file (unless given) and its kind, then check it (the dry run)."""
        if path is None:
            path = self.dialogs.open_import_file(self.window())
            if path is None:
                return
        request = self.dialogs.import_options(
            self.window(), path, guess_kind(path, self.kind_filter or self.last_kind)
        )
        if request is None:
            return
        self.last_kind = request.kind
        self.run_import(request, dry_run=True)

    def run_import(self, request: ImportRequest, *, dry_run: bool) -> None:
        db = self.context.db
        today = self.context.clock().date()

        def job(progress: Progress) -> ImportReport:
            return import_candidates(
                db,
                request.path,
                request.kind,
                dry_run=dry_run,
                update=request.update,
                progress=progress,
                today=today,
            )

        # The dry run only reads; either way one import at a time.
        run = self.jobs.read if dry_run else self.jobs.change
        run(
            job,
            partial(self._on_import_job_finished, request),
            progress=f"正在检查 {request.path.name}…"
            if dry_run
            else f"正在导入 {request.path.name}…",
            exclusive=True,
        )

    def _on_import_job_finished(self, request: ImportRequest, report: ImportReport) -> None:
        self.last_import = (request, report)
        self._update_actions()
        if report.dry_run:
            self._show_result(request, report)
            return
        done = f"已从 {report.source} 导入 {report.imported} 名考生"
        if report.updated:
            done += f"，更新 {report.updated} 名"
        if report.rejected:
            done += f"；{report.rejected} 行未导入，可点“导出问题表…”"
        self.context.notify(done + "。")
        self.reload()

    def _show_result(self, request: ImportRequest, report: ImportReport) -> None:
        dialog = ImportResultDialog(report, parent=self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(partial(self.run_import, request, dry_run=False))
        dialog.report_requested.connect(self._on_result_dialog_report_requested)
        dialog.finished.connect(partial(self._on_result_dialog_finished, dialog))
        self.result_dialog = dialog
        dialog.open()

    def _on_result_dialog_finished(self, dialog: ImportResultDialog, _result: int) -> None:
        if self.result_dialog is dialog:
            self.result_dialog = None

    def _on_result_dialog_report_requested(self) -> None:
        self.save_problems(self.result_dialog)

    def _on_report_button_clicked(self) -> None:
        self.save_problems()

    def save_problems(self, parent: QWidget | None = None) -> None:
        """Write the problems of the last import beside the user's own rows."""
        if self.last_import is None:
            return
        request, report = self.last_import
        suggested = request.path.with_name(f"{request.path.stem}-问题表.xlsx")
        path = self.dialogs.save_problems(parent or self.window(), suggested)
        if path is None:
            return
        from examsite.services.import_report import write_error_report

        def job(_progress: Progress) -> Path:
            return write_error_report(request.path, report, path)

        self.jobs.read(job, self._on_problems_job_finished)

    def _on_problems_job_finished(self, path: Path) -> None:
        self.context.notify(f"问题表已保存：{path}")

    # -- drag and drop -------------------------------------------------------------------

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() in IMPORT_SUFFIXES else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.jobs.busy or self._dropped_file(event) is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.stack.setCurrentIndex(DROP)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.stack.setCurrentIndex(TABLE)
        self._show_stack()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        self.stack.setCurrentIndex(TABLE)
        self._show_stack()
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.start_import(path)
