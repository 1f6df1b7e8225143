"""The registration page (报考): choose a plan and a certificate level, pick candidates
(filtered by class, major, status, not yet registered) and register them; the plan's
registrations with the "2 records per candidate" check and the fee summary (缴费申请单
data); the registration sheet's import, export and blank template.

Everything is read on the worker in one job (``_load``) and kept in memory; the filters
act on it at once. Outside the plan's registration window the page turns read-only and
says why (the services refuse as well, whichever path asks).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.eligibility import REGISTRABLE_STATUSES
from examsite.domain.workflow import Step
from examsite.messages import CANDIDATE_STATUS_TITLES, LEVEL_TITLES, render
from examsite.progress import Progress
from examsite.services.registration import RegisterResult, register_candidates
from examsite.services.registration_changes import RemoveResult, remove_registrations
from examsite.services.registration_query import (
    ChooserRow,
    FeeSummary,
    PlanChoice,
    RecordsCheck,
    RegistrationRow,
    chooser_rows,
    fee_summary,
    list_registrations,
    plan_choices,
    records_check_of,
)
from examsite.services.registration_sheets import SheetImportResult
from examsite.ui.dialogs.registration_dialogs import RegistrationDialogs
from examsite.ui.models.registration import ChooserModel, RegistrationsModel
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.widgets import (
    PageHeader,
    ReadOnlyTable,
    button,
    chosen_code,
    label,
    page_layout,
    refill_combo,
    repolish,
)


@dataclass(frozen=True)
class PlanView:
    """What the page shows for one plan, read in one job."""

    plan: PlanChoice
    candidates: tuple[ChooserRow, ...]
    registrations: tuple[RegistrationRow, ...]
    check: RecordsCheck
    fees: FeeSummary


class RegistrationPage(BasePage):
    """Step 4: registering candidates for a plan's certificate levels."""

    step = Step.REGISTRATION

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: RegistrationDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.dialogs = dialogs or RegistrationDialogs()
        self.plans: tuple[PlanChoice, ...] = ()
        self.view: PlanView | None = None
        self.chooser = ChooserModel()
        self.registrations = RegistrationsModel()

        self.header = PageHeader("报考", "正在读取考试计划…")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planCombo")
        self.plan_combo.setMinimumWidth(260)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_combo_current_index_changed)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("levelCombo")
        self.level_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.level_combo.currentIndexChanged.connect(self._on_level_combo_current_index_changed)
        self.header.add_beside_title(self.plan_combo, self.level_combo)
        self._build_actions()
        self.lock_label = label("", "problemError", wrap=True)
        self.lock_label.setObjectName("registrationLock")
        self.lock_label.setStyleSheet("color: #cf222e; font-weight: bold;")
        self.lock_label.hide()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_chooser())
        splitter.addWidget(self._build_registrations())
        splitter.setSizes([430, 525])

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(8)
        layout.addWidget(self.lock_label)
        layout.addSpacing(4)
        layout.addWidget(splitter, 1)
        self._update_actions()

    # -- building ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.import_button = button("导入报考表…", self._on_import_button_clicked)
        self.template_button = button("下载模板")
        menu = QMenu(self.template_button)
        for variant, title in (("003", "003 格式（证书编号）"), ("001", "001 格式（含示例行）")):
            action = menu.addAction(f"按证书报考模板：{title}…")
            action.triggered.connect(partial(self.download_template, variant))
        self.template_button.setMenu(menu)
        self.export_button = button("导出报考表…", self._on_export_button_clicked)
        self.register_button = button(
            "报考选中考生", self._on_register_button_clicked, kind="primary"
        )
        self.remove_button = button("撤销报考", self._on_remove_button_clicked, kind="danger")
        # The main action must look off when it is (nothing chosen, or the window closed).
        self.register_button.setStyleSheet(
            "QPushButton:disabled { background: #9ec0f5; border: 1px solid #9ec0f5;"
            " color: #ffffff; }"
        )
        self.header.add_actions(self.import_button, self.template_button, self.export_button)
        self.header.add_end_actions(self.register_button, self.remove_button)

    def _build_chooser(self) -> QWidget:
        panel = QWidget()
        self.class_combo = self._filter_combo("classFilter")
        self.major_combo = self._filter_combo("majorFilter")
        self.status_combo = self._filter_combo("statusFilter")
        self.unregistered_check = QCheckBox("只看未报考")
        self.unregistered_check.setChecked(True)
        self.unregistered_check.toggled.connect(self._on_filter_changed)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for widget in (self.class_combo, self.major_combo, self.status_combo):
            filters.addWidget(widget, 1)
        filters.addWidget(self.unregistered_check)
        self.chooser_table = ReadOnlyTable(
            self.chooser,
            name="chooserTable",
            alternating=True,
            widths={0: 60, 1: 140, 2: 70, 3: 70},
            stretch=4,
            row_height=30,
        )
        self.chooser_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.chooser_table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.chooser_count = label("", "footerText")
        self.select_all_button = button("全选显示的考生", self._on_select_all_clicked, kind="link")
        self.home_school_edit = QLineEdit()
        self.home_school_edit.setObjectName("homeSchool")
        self.home_school_edit.setPlaceholderText("借考考生的本校（选填）")
        self.home_school_edit.setToolTip(
            "其他学校的考生在本考点考试（借考）时，填写其本校全称，随报考一并登记"
        )
        self.home_school_edit.setFixedWidth(170)
        footer = QHBoxLayout()
        footer.addWidget(self.chooser_count)
        footer.addStretch(1)
        footer.addWidget(self.home_school_edit)
        footer.addWidget(self.select_all_button)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(label("选择考生（可多选）", "sectionTitle"))
        layout.addLayout(filters)
        layout.addWidget(self.chooser_table, 1)
        layout.addLayout(footer)
        return panel

    def _filter_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setMinimumWidth(80)
        combo.currentIndexChanged.connect(self._on_filter_changed)
        return combo

    def _build_registrations(self) -> QWidget:
        panel = QWidget()
        self.registrations_title = label("本计划的报考", "sectionTitle")
        self.registrations_table = ReadOnlyTable(
            self.registrations,
            name="registrationsTable",
            alternating=True,
            widths={0: 64, 1: 140, 2: 70, 3: 44, 4: 76, 5: 60},
            stretch=6,
            row_height=30,
        )
        self.registrations_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.registrations_table.selectionModel().selectionChanged.connect(
            self._on_selection_changed
        )
        self.check_label = label("", "footerText", wrap=True)
        self.check_label.setObjectName("recordsCheck")
        self.fee_label = label("", "footerText", wrap=True)
        self.fee_label.setObjectName("feeSummary")
        self.fee_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.registrations_title)
        layout.addWidget(self.registrations_table, 1)
        layout.addWidget(self.check_label)
        layout.addWidget(self.fee_label)
        return panel

    # -- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        db = self.context.db
        now = self.context.clock()

        def job(_progress: Progress) -> tuple[PlanChoice, ...]:
            return plan_choices(db, now)

        self.jobs.read(job, self._on_plans_loaded)

    def _on_plans_loaded(self, plans: tuple[PlanChoice, ...]) -> None:
        self.plans = plans
        refill_combo(self.plan_combo, ((plan.name, plan.code) for plan in plans))
        self._fill_levels()
        self.reload()

    @property
    def plan_code(self) -> str | None:
        return chosen_code(self.plan_combo)

    @property
    def certificate_code(self) -> str | None:
        return chosen_code(self.level_combo)

    @property
    def plan(self) -> PlanChoice | None:
        return next((p for p in self.plans if p.code == self.plan_code), None)

    def _fill_levels(self) -> None:
        current = self.certificate_code
        self.level_combo.blockSignals(True)
        self.level_combo.clear()
        plan = self.plan
        for level in plan.levels if plan else ():
            title = LEVEL_TITLES.get(level.level, level.level)
            self.level_combo.addItem(title, level.code)
            self.level_combo.setItemData(
                self.level_combo.count() - 1,
                f"{level.name}（{title}）\n证书编号：{level.code}",
                Qt.ItemDataRole.ToolTipRole,
            )
        at = self.level_combo.findData(current) if current else 0
        self.level_combo.setCurrentIndex(max(at, 0))
        self.level_combo.blockSignals(False)

    def reload(self) -> None:
        """Read the chosen plan's candidates, registrations, check and fees again."""
        plan = self.plan
        if plan is None:
            self.header.set_subtitle("没有考试计划。请先在“catalog import”导入证书目录。")
            return
        db = self.context.db

        def job(_progress: Progress) -> PlanView:
            registrations = list_registrations(db, plan.code)
            return PlanView(
                plan,
                chooser_rows(db, plan.code),
                registrations,
                records_check_of(plan.code, registrations),
                fee_summary(db, plan.code),
            )

        self.jobs.read(job, self._on_plan_loaded)

    def _on_plan_loaded(self, view: PlanView) -> None:
        if view.plan.code != self.plan_code:
            return
        self.view = view
        self.chooser.set_rows(view.candidates, self.certificate_code or "")
        self._fill_filters()
        self.registrations.set_rows(view.registrations)
        self._show_lock()
        self._show_summary()
        self._update_actions()

    def _fill_filters(self) -> None:
        for combo, everything, values in (
            (self.class_combo, "全部班级", self.chooser.classes),
            (self.major_combo, "全部专业", self.chooser.majors),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)
        if self.status_combo.count() == 0:
            self.status_combo.blockSignals(True)
            self.status_combo.addItem("全部状态", None)
            for status, title in CANDIDATE_STATUS_TITLES.items():
                mark = "" if status in REGISTRABLE_STATUSES else "（不可报考）"
                self.status_combo.addItem(f"{title}{mark}", status)
            self.status_combo.blockSignals(False)
        self._on_filter_changed()

    def _show_lock(self) -> None:
        plan = self.plan
        lock = plan.lock if plan else None
        self.lock_label.setVisible(lock is not None)
        if lock is not None:
            self.lock_label.setText("本页只能查看：" + render(lock))

    @property
    def locked(self) -> bool:
        plan = self.plan
        return plan is None or plan.lock is not None

    def _show_summary(self) -> None:
        view = self.view
        if view is None:
            return
        plan = view.plan
        window = f"报考时间 {plan.start:%Y-%m-%d %H:%M} 至 {plan.end:%Y-%m-%d %H:%M}"
        self.header.set_subtitle(f"{window}　·　已报考 {len(view.registrations)} 人")
        check = view.check
        per = defaultdict(int)
        for row in view.registrations:
            per[row.level] += 1
        if check.candidates == 0:
            text = "科目记录核对：还没有报考。"
        elif check.ok:
            text = (
                f"科目记录核对：报考 {check.candidates} 人，科目记录 {check.records} 条，"
                f"与“人数 × 科目数”一致 ✓"
            )
        else:
            names = "、".join(r.name for r in check.short[:5])
            more = "等" if len(check.short) > 5 else ""
            text = (
                f"科目记录核对：应有 {check.expected} 条，实有 {check.records} 条 ✗　"
                f"{len(check.short)} 人记录不全：{names}{more}（撤销后重新报考即可补齐）"
            )
        self.check_label.setText(text)
        self.check_label.setProperty("role", "okText" if check.ok else "problemError")
        self.check_label.setStyleSheet("" if check.ok else "color: #cf222e;")
        repolish(self.check_label)
        fees = view.fees
        lines = [
            f"{LEVEL_TITLES.get(line.level, line.level)} {line.candidates} 人 × {line.fee} 元"
            + ("（本省）" if line.overridden else "")
            for line in fees.lines
            if line.candidates
        ]
        province = fees.province or "省份未填写，按培训评价组织标准"
        self.fee_label.setText(
            f"缴费申请单（{province}）："
            + ("；".join(lines) or "无")
            + f"；合计 {fees.candidates} 人，{fees.total:,} 元"
        )

    # -- filters and selection -----------------------------------------------------------

    def _on_plan_combo_current_index_changed(self, _index: int) -> None:
        self._fill_levels()
        self.reload()

    def _on_level_combo_current_index_changed(self, _index: int) -> None:
        if self.view is not None:
            self.chooser.set_rows(self.view.candidates, self.certificate_code or "")
            self._on_filter_changed()

    def _on_filter_changed(self, *_args: Any) -> None:
        self.chooser.set_filter(
            class_name=self.class_combo.currentData(),
            major=self.major_combo.currentData(),
            status=self.status_combo.currentData(),
            only_unregistered=self.unregistered_check.isChecked(),
        )
        self._update_actions()

    def _on_select_all_clicked(self) -> None:
        self.chooser_table.selectAll()

    def _on_selection_changed(self, *_args: Any) -> None:
        self._update_actions()

    def selected_candidates(self) -> list[ChooserRow]:
        rows = self.chooser_table.selectionModel().selectedRows()
        return [self.chooser.candidate(i.row()) for i in sorted(rows, key=lambda i: i.row())]

    def selected_registrations(self) -> list[RegistrationRow]:
        rows = self.registrations_table.selectionModel().selectedRows()
        return [self.registrations.registration(i.row()) for i in rows]

    def _update_actions(self) -> None:
        chosen = len(self.selected_candidates())
        shown = self.chooser.rowCount()
        self.chooser_count.setText(
            f"显示 {shown} 名，共 {self.chooser.total} 名"
            + (f"，已选 {chosen} 名" if chosen else "")
        )
        open_ = not self.locked and not self.jobs.busy
        self.register_button.setEnabled(open_ and chosen > 0 and self.certificate_code is not None)
        self.remove_button.setEnabled(open_ and bool(self.selected_registrations()))
        self.import_button.setEnabled(open_)
        self.export_button.setEnabled(self.plan is not None)
        tip = render(self.plan.lock) if self.plan and self.plan.lock else ""
        for widget in (self.register_button, self.remove_button, self.import_button):
            widget.setToolTip(tip)

    # -- registering and withdrawing -----------------------------------------------------

    def _on_register_button_clicked(self) -> None:
        self.register([r.id_number for r in self.selected_candidates()])

    def register(self, id_numbers: list[str], *, as_social: bool = False) -> None:
        plan, cert = self.plan_code, self.certificate_code
        if plan is None or cert is None or not id_numbers:
            return
        db = self.context.db
        home = self.home_school_edit.text().strip()

        def job(_progress: Progress) -> RegisterResult:
            return register_candidates(
                db, plan, cert, id_numbers, as_social=as_social, home_school=home
            )

        self.jobs.change(job, self._on_register_job_finished, progress="正在报考…")

    def _on_register_job_finished(self, result: RegisterResult) -> None:
        self.context.notify(f"已报考 {len(result.added)} 名考生。")
        if result.added:
            self.home_school_edit.clear()
        fixable = result.social_possible
        others = [r for r in result.refused if not r.social_possible]
        if others:
            self.dialogs.show_refusals(self.window(), "部分考生未报考", others)
        if fixable and self.dialogs.ask_as_social(self.window(), fixable):
            self.register([r.id_number for r in fixable], as_social=True)
            return
        self.reload()

    def _on_remove_button_clicked(self) -> None:
        rows = self.selected_registrations()
        if not rows or not self.dialogs.confirm_remove(self.window(), len(rows)):
            return
        self.remove(rows)

    def remove(self, rows: list[RegistrationRow]) -> None:
        plan = self.plan_code
        if plan is None:
            return
        by_certificate: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            by_certificate[row.certificate_code].append(row.id_number)
        db = self.context.db

        def job(_progress: Progress) -> list[RemoveResult]:
            return [
                remove_registrations(db, plan, cert, numbers)
                for cert, numbers in by_certificate.items()
            ]

        self.jobs.change(job, self._on_remove_job_finished)

    def _on_remove_job_finished(self, results: list[RemoveResult]) -> None:
        removed = sum(len(r.removed) for r in results)
        seats = sum(r.seats_removed for r in results)
        self.context.notify(
            f"已撤销 {removed} 条报考" + (f"，释放考位 {seats} 个。" if seats else "。")
        )
        self.reload()

    # -- sheets --------------------------------------------------------------------------

    def _on_import_button_clicked(self) -> None:
        path = self.dialogs.open_sheet(self.window())
        if path is not None:
            self.import_sheet(path)

    def import_sheet(self, path: Path) -> None:
        from examsite.services.registration_sheets import import_registration_sheet

        db, plan = self.context.db, self.plan_code

        def job(_progress: Progress) -> SheetImportResult:
            return import_registration_sheet(db, path, plan_code=plan)

        self.jobs.change(job, self._on_import_job_finished, progress=f"正在导入 {path.name}…")

    def _on_import_job_finished(self, result: SheetImportResult) -> None:
        self.context.notify(
            f"已从 {result.source} 报考 {len(result.added)} 名考生"
            + (f"，{len(result.refused)} 行未报考。" if result.refused else "。")
        )
        if result.refused:
            self.dialogs.show_refusals(self.window(), "报考表中有未报考的行", result.refused)
        self.reload()

    def download_template(self, variant: str) -> None:
        path = self.dialogs.save_sheet(
            self.window(), "保存报考模板", f"按证书报考模板-{variant}.xlsx"
        )
        if path is None:
            return
        from examsite.services.registration_sheets import write_registration_template

        def job(_progress: Progress) -> Path:
            return write_registration_template(path, variant)

        self.jobs.read(job, self._on_file_written)

    def _on_export_button_clicked(self) -> None:
        plan = self.plan_code
        if plan is None:
            return
        path = self.dialogs.save_sheet(self.window(), "导出报考表", f"报考表-{plan}.xlsx")
        if path is None:
            return
        from examsite.services.registration_sheets import export_registrations

        db = self.context.db

        def job(_progress: Progress) -> Path:
            export_registrations(db, plan, path)
            return path

        self.jobs.read(job, self._on_file_written)

    def _on_file_written(self, path: Path) -> None:
        self.context.notify(f"已保存：{path}")
