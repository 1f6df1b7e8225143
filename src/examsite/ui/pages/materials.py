"""The materials page (物料): choose a plan and the papers, change the settings, make them
all in one run, then preview or print any file of the run.

Left: a checkbox per document of the registry (``print_documents.DOCUMENTS``), grouped
into those of each room (they make up the room kits) and those of the whole site; the
settings (header line, sign-in copies, labels per page, ticket layout); the output folder.
Right: the manifest of the plan's last run (file, content, pages) with 预览 and 打印….
开始生成 stores the settings and runs ``print_run`` as one job with progress and cancel;
every database call and every rendering runs through ``self.jobs``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.materials import PrintSettings
from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.messages import render
from examsite.progress import Progress
from examsite.services import print_documents
from examsite.services.arrangement import PlanChoice, arrangement_plans
from examsite.services.print_run import (
    ManifestEntry,
    MaterialsView,
    PrintManifest,
    materials_view,
    print_run,
)
from examsite.services.print_settings import (
    LABELS_PER_PAGE,
    MAX_COPIES,
    TICKET_LAYOUTS,
    save_print_settings,
)
from examsite.ui.dialogs.file_dialogs import documents_folder
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.pdf_pages import PdfPreviewDialog, RenderedPages, print_pdf, render_pages
from examsite.ui.widgets import PageHeader, ReadOnlyTable, button, label, page_layout

HINT = (
    "勾选要生成的物料，点“开始生成”：每种物料一个 PDF，每个考场另有一个“考场物料袋”PDF"
    "（门贴、桌贴、签到表等按考试当天的使用顺序排好）。生成后可预览、直接打印，或打开文件夹。"
)
LAYOUT_TITLES = {"combined": "理论与实操合并一张", "per_subject": "每科一张"}
SCOPE_GROUPS = (("room", "每个考场（装入考场物料袋）"), ("plan", "整个考点"))
OUTPUT_FOLDER_NAME = "考点助手物料"
COLUMNS = ("文件", "内容", "页数")


class MaterialsDialogs:
    """The page's dialogs and the system calls; tests hand in a fake."""

    def choose_folder(self, parent: QWidget, start: Path) -> Path | None:
        path = QFileDialog.getExistingDirectory(parent, "选择保存物料的文件夹", str(start))
        return Path(path) if path else None

    def show_refusal(self, parent: QWidget, text: str) -> None:
        QMessageBox.warning(parent, "没有生成", text)

    def open_folder(self, folder: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def ask_printer(self, parent: QWidget, printer: QPrinter, pages: int) -> bool:
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, max(pages, 1))
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def show_preview(self, parent: QWidget, pages: RenderedPages, title: str) -> None:
        PdfPreviewDialog(pages, title, parent).exec()


class MaterialsPage(BasePage):
    """Step 8: the printed materials."""

    step = Step.MATERIALS

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: MaterialsDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.dialogs = dialogs or MaterialsDialogs()
        self._plan_codes: list[str] = []
        self.view: MaterialsView | None = None
        self.manifest: PrintManifest | None = None
        self.printer: QPrinter | None = None
        self.output_folder: Path = documents_folder() / OUTPUT_FOLDER_NAME
        self._folder_chosen = False

        self.header = PageHeader("物料", "正在读取…")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("materialsPlan")
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_combo_current_index_changed)
        self.header.add_beside_title(self.plan_combo)
        self.run_button = button("开始生成", self._on_run_button_clicked, kind="primary")
        self.folder_button = button("打开文件夹", self._on_folder_button_clicked)
        self.header.add_actions(self.run_button)
        self.header.add_end_actions(self.folder_button)
        self.jobs.busy_changed.connect(self._on_jobs_busy_changed)
        self.stale_label = label("", "problemWarning", wrap=True)
        self.stale_label.hide()

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(8)
        layout.addWidget(label(HINT, "pageHint", wrap=True))
        layout.addWidget(self.stale_label)
        layout.addSpacing(10)
        body = QHBoxLayout()
        body.setSpacing(20)
        body.addWidget(self._left_column())
        body.addLayout(self._right_column(), 1)
        layout.addLayout(body, 1)
        self._update_buttons()

    # --- building ----------------------------------------------------------------------

    def _left_column(self) -> QWidget:
        self.checks: dict[str, QCheckBox] = {}
        documents = QWidget()
        documents.setObjectName("materialsDocuments")
        inner = QVBoxLayout(documents)
        inner.setContentsMargins(0, 0, 8, 0)
        inner.setSpacing(4)
        for scope, title in SCOPE_GROUPS:
            kinds = [k for k in print_documents.DOCUMENTS if k.scope == scope]
            if not kinds:
                continue
            inner.addWidget(label(title, "fieldLabel"))
            for kind in kinds:
                check = QCheckBox(kind.title)
                check.setObjectName(f"document-{kind.key}")
                check.setChecked(True)
                check.toggled.connect(self._on_check_toggled)
                self.checks[kind.key] = check
                inner.addWidget(check)
            inner.addSpacing(6)
        if not print_documents.DOCUMENTS:
            inner.addWidget(label("还没有可以生成的物料。", "pageHint", wrap=True))
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("materialsDocumentsScroll")
        scroll.setWidget(documents)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setStyleSheet("QScrollArea, #materialsDocuments { background: transparent; }")
        scroll.viewport().setAutoFillBackground(False)

        self.all_button = button("全选", lambda: self._check_all(True), kind="link")
        self.none_button = button("全不选", lambda: self._check_all(False), kind="link")
        for link in (self.all_button, self.none_button):
            link.setVisible(bool(self.checks))
        title_row = QHBoxLayout()
        title_row.addWidget(label("要生成的物料", "sectionTitle"))
        title_row.addStretch(1)
        title_row.addWidget(self.all_button)
        title_row.addWidget(self.none_button)

        self.header_edit = QLineEdit()
        self.header_edit.setObjectName("materialsHeader")
        self.header_edit.setPlaceholderText("默认为考试计划名称")
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(1, MAX_COPIES)
        self.copies_spin.setSuffix(" 份")
        self.labels_combo = QComboBox()
        for count in LABELS_PER_PAGE:
            self.labels_combo.addItem(f"{count} 张", count)
        self.layout_combo = QComboBox()
        for key in TICKET_LAYOUTS:
            self.layout_combo.addItem(LAYOUT_TITLES[key], key)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(6)
        form.addRow("页眉", self.header_edit)
        form.addRow("签到表每场", self.copies_spin)
        form.addRow("每页桌贴", self.labels_combo)
        form.addRow("准考证", self.layout_combo)

        self.folder_edit = QLineEdit(str(self.output_folder))
        self.folder_edit.setObjectName("materialsFolder")
        self.folder_edit.setReadOnly(True)
        self.choose_button = button("更改…", self._on_choose_button_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)

        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addLayout(title_row)
        column.addWidget(scroll, 1)
        column.addSpacing(6)
        column.addWidget(label("设置", "sectionTitle"))
        column.addLayout(form)
        column.addSpacing(6)
        column.addWidget(label("保存到", "sectionTitle"))
        column.addLayout(folder_row)
        box = QWidget()
        box.setLayout(column)
        box.setFixedWidth(340)
        return box

    def _right_column(self) -> QVBoxLayout:
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = ReadOnlyTable(
            self.model, name="materialsManifest", widths={0: 300, 2: 60}, stretch=1, row_height=30
        )
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.run_title = label("上次生成的文件", "sectionTitle")
        self.run_note = label("", "pageHint", wrap=True)
        self.preview_button = button("预览", self._on_preview_button_clicked)
        self.print_button = button("打印…", self._on_print_button_clicked)
        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addWidget(self.print_button)
        actions.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(6)
        column.addWidget(self.run_title)
        column.addWidget(self.run_note)
        column.addWidget(self.table, 1)
        column.addLayout(actions)
        return column

    # --- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: arrangement_plans(db), self._on_plans_job_finished)

    @property
    def plan_code(self) -> str | None:
        at = self.plan_combo.currentIndex()
        return self._plan_codes[at] if 0 <= at < len(self._plan_codes) else None

    def _on_plans_job_finished(self, plans: tuple[PlanChoice, ...]) -> None:
        current = self.plan_code
        codes = [p.code for p in plans]
        if codes != self._plan_codes:
            self.plan_combo.blockSignals(True)
            self.plan_combo.clear()
            for p in plans:
                self.plan_combo.addItem(f"{p.name}（{p.registrations} 人报考）")
            self._plan_codes = codes
            self.plan_combo.setCurrentIndex(codes.index(current) if current in codes else 0)
            self.plan_combo.blockSignals(False)
        self.load_plan()

    def _on_plan_combo_current_index_changed(self, _index: int) -> None:
        self.load_plan()

    def load_plan(self) -> None:
        code, db = self.plan_code, self.context.db
        if code is None:
            self.header.set_subtitle("没有考试计划。请先导入证书目录。")
            self.show_view(None)
            return
        self.jobs.read(lambda _p: materials_view(db, code), self.show_view)

    def show_view(self, view: MaterialsView | None) -> None:
        """Show the stored settings and the plan's last run."""
        self.view = view
        if view is not None:
            self._show_settings(view.settings)
            if view.last is not None and not self._folder_chosen:
                self._set_folder(Path(view.last.folder).parent)
        manifest = view.manifest if view is not None else None
        self.show_manifest(manifest)
        stale = view is not None and view.stale
        self.stale_label.setVisible(stale)
        if stale:
            self.stale_label.setText(
                "上次生成物料之后座位有变动，已生成的准考证、签到表等可能不对，请重新生成。"
            )
        if view is None or view.last is None:
            subtitle = "这个考试计划尚未生成物料。"
        else:
            when = view.last.created.replace("T", " ")
            subtitle = f"上次生成：{when}，{view.last.files} 个文件，共 {view.last.pages} 页。"
        if self.plan_code is not None:
            self.header.set_subtitle(subtitle)

    def _show_settings(self, settings: PrintSettings) -> None:
        self.header_edit.setText(settings.header)
        self.copies_spin.setValue(settings.sign_in_copies)
        self.labels_combo.setCurrentIndex(
            max(self.labels_combo.findData(settings.labels_per_page), 0)
        )
        self.layout_combo.setCurrentIndex(
            max(self.layout_combo.findData(settings.ticket_layout), 0)
        )

    def has_unsaved_edits(self) -> bool:
        """The print settings differ from the stored ones."""
        return self.view is not None and self.settings() != self.view.settings

    def settings(self) -> PrintSettings:
        """The settings as the page shows them."""
        return PrintSettings(
            self.header_edit.text().strip(),
            self.copies_spin.value(),
            int(self.labels_combo.currentData()),
            self.layout_combo.currentData(),
        )

    def show_manifest(self, manifest: PrintManifest | None) -> None:
        self.manifest = manifest
        self.model.removeRows(0, self.model.rowCount())
        for entry in manifest.entries if manifest is not None else ():
            items = [
                QStandardItem(entry.file),
                QStandardItem(_content(entry)),
                QStandardItem(str(entry.pages)),
            ]
            for item in items:
                item.setEditable(False)
            items[0].setToolTip(str(manifest.folder / entry.file) if manifest else "")
            self.model.appendRow(items)
        if manifest is None:
            self.run_note.setText("生成后，这里列出每个文件和页数。")
        else:
            self.run_note.setText(
                f"{manifest.folder}：{len(manifest.entries)} 个文件，共 {manifest.pages} 页"
            )
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    # --- the run -----------------------------------------------------------------------

    def chosen_keys(self) -> list[str]:
        return [key for key, check in self.checks.items() if check.isChecked()]

    def _check_all(self, checked: bool) -> None:
        for check in self.checks.values():
            check.setChecked(checked)

    def _on_check_toggled(self, _checked: bool) -> None:
        self._update_buttons()

    def _set_folder(self, folder: Path) -> None:
        self.output_folder = folder
        self.folder_edit.setText(str(folder))

    def _on_choose_button_clicked(self) -> None:
        chosen = self.dialogs.choose_folder(self, self.output_folder)
        if chosen is not None:
            self._folder_chosen = True
            self._set_folder(chosen)

    def _on_run_button_clicked(self) -> None:
        code = self.plan_code
        keys = self.chosen_keys()
        if code is None or not keys:
            return
        db, settings, out = self.context.db, self.settings(), self.output_folder

        def run(progress: Progress) -> PrintManifest:
            stored = save_print_settings(db, settings)
            return print_run(db, code, out, only=keys, settings=stored, progress=progress)

        self.jobs.change(
            run, self._on_run_job_finished, progress="正在生成物料", on_input_error=self._refused
        )

    def _on_run_job_finished(self, manifest: PrintManifest) -> None:
        self.context.notify(f"已生成 {len(manifest.entries)} 个文件，共 {manifest.pages} 页")
        self.load_plan()

    def _refused(self, error: InputError) -> None:
        lines = [error.message] + [f"· {render(p)}" for p in error.problems if p.code != error.code]
        self.dialogs.show_refusal(self, "\n".join(lines))

    # --- the files of the run ----------------------------------------------------------

    def selected_entry(self) -> ManifestEntry | None:
        if self.manifest is None:
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.manifest.entries[rows[0].row()]

    def selected_path(self) -> Path | None:
        entry = self.selected_entry()
        if entry is None or self.manifest is None:
            return None
        return self.manifest.folder / entry.file

    def _on_table_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_table_double_clicked(self, *_args: object) -> None:
        self._on_preview_button_clicked()

    def _on_preview_button_clicked(self) -> None:
        path, entry = self.selected_path(), self.selected_entry()
        if path is None or entry is None:
            return
        if not path.exists():
            self.dialogs.show_refusal(
                self, f"找不到文件 {path}。它可能已被移走或删除，请重新生成。"
            )
            return
        title = entry.title
        self.jobs.read(
            lambda p: render_pages(path, p),
            lambda pages: self.dialogs.show_preview(self, pages, title),
            progress="正在准备预览",
        )

    def _on_print_button_clicked(self) -> None:
        path, entry = self.selected_path(), self.selected_entry()
        if path is None or entry is None:
            return
        if not path.exists():
            self.dialogs.show_refusal(
                self, f"找不到文件 {path}。它可能已被移走或删除，请重新生成。"
            )
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(entry.file)
        printer.setFullPage(True)
        if not self.dialogs.ask_printer(self, printer, entry.pages):
            return
        self.printer = printer  # alive until the job has painted
        self.jobs.read(
            lambda p: print_pdf(path, printer, p),
            lambda pages: self.context.notify(f"已送往打印机：{entry.file}，{pages} 页"),
            progress="正在打印",
            exclusive=True,
        )

    def _on_folder_button_clicked(self) -> None:
        if self.manifest is not None and self.manifest.folder.exists():
            self.dialogs.open_folder(self.manifest.folder)
        else:
            self.dialogs.show_refusal(self, "还没有生成物料，或文件夹已被移走。请先点“开始生成”。")

    # --- state -------------------------------------------------------------------------

    def _on_jobs_busy_changed(self, _busy: bool) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self.jobs.busy
        self.run_button.setEnabled(idle and bool(self.chosen_keys()) and self.plan_code is not None)
        chosen = self.selected_entry() is not None
        self.preview_button.setEnabled(idle and chosen)
        self.print_button.setEnabled(idle and chosen)


def _content(entry: ManifestEntry) -> str:
    if entry.parts:
        return "、".join(f"{p.title} {p.pages} 页" for p in entry.parts if p.pages)
    return entry.title
