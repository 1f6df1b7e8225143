"""The staff page (监考): the staff roster with the site-team check, and who invigilates
each room session — assigned automatically or by hand, with each rule's warnings.

Two tabs: 考务人员 (add, edit, remove; the duty cap) and 监考安排 (the plan's room
sessions; 自动安排, 手动调整, 导出监考表). All database work runs through ``self.jobs``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QMessageBox,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.workflow import Step
from examsite.messages import render, text
from examsite.progress import Progress
from examsite.services.invigilation import (
    AssignReport,
    Explanation,
    PlanChoice,
    PlanOverview,
    SlotRow,
    assign_one,
    assign_plan,
    explain,
    plan_overview,
    plans_with_rooms,
    unassign,
)
from examsite.services.invigilation_sheet import WrittenSheet, write_invigilator_sheet
from examsite.services.staff import (
    MAX_DUTY_CAP,
    Roster,
    StaffInfo,
    StaffInput,
    list_staff,
    remove_staff,
    save_staff,
    set_duty_cap,
)
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose
from examsite.ui.dialogs.staff_dialogs import ManualDialog, StaffDialog
from examsite.ui.models.staff import AssignmentModel, RosterModel
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.widgets import (
    PageHeader,
    ReadOnlyTable,
    button,
    chosen_code,
    label,
    page_layout,
    refill_combo,
)

AskPath = Callable[[QWidget, str], Path | None]


def _ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    # Sheets for the platform go where the blank templates go (that folder is remembered).
    return FileDialogs().ask_save(
        Purpose.TEMPLATE, parent, "导出监考人员表", "Excel 工作簿 (*.xlsx)", suggested
    )


class StaffPage(BasePage):
    """Step 6: the roster and the invigilator assignments."""

    step = Step.STAFF

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        ask_path: AskPath = _ask_save_path,
        staff_dialog: type[StaffDialog] = StaffDialog,
        manual_dialog: type[ManualDialog] = ManualDialog,
    ) -> None:
        super().__init__(context, parent)
        self.ask_path = ask_path
        self.staff_dialog = staff_dialog
        self.manual_dialog = manual_dialog
        self.roster: Roster | None = None
        self.overview: PlanOverview | None = None
        self.header = PageHeader("监考", "正在读取…")

        self.roster_model = RosterModel(self)
        self.roster_table = ReadOnlyTable(
            self.roster_model, name="rosterTable", stretch=4, widths={0: 90, 1: 150, 2: 110, 3: 110}
        )
        self.roster_table.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.add_button = button("添加人员", self._on_add_clicked, kind="primary")
        self.edit_button = button("修改", self._on_edit_clicked)
        self.remove_button = button("删除", self._on_remove_clicked, kind="danger")
        self.cap_spin = QSpinBox()
        self.cap_spin.setObjectName("dutyCap")
        self.cap_spin.setRange(1, MAX_DUTY_CAP)
        self.cap_spin.setSuffix(" 场")
        self.cap_button = button("保存上限", self._on_cap_clicked)
        self.team_label = label("", "problemWarning", wrap=True)
        self.team_label.setObjectName("teamCheck")
        roster_tab = QWidget()
        roster_layout = QVBoxLayout(roster_tab)
        row = QHBoxLayout()
        for widget in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(label("每人每日监考上限（默认）", "cardCaption"))
        row.addWidget(self.cap_spin)
        row.addWidget(self.cap_button)
        roster_layout.addLayout(row)
        roster_layout.addWidget(self.team_label)
        roster_layout.addWidget(self.roster_table, 1)

        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planCombo")
        self.plan_combo.setMinimumWidth(260)
        self.plan_combo.currentIndexChanged.connect(lambda _i: self.load_assignments())
        self.assign_button = button("自动安排", self._on_assign_clicked, kind="primary")
        self.manual_button = button("手动调整", self._on_manual_clicked)
        self.sheet_button = button("导出监考表", self._on_sheet_clicked)
        self.summary_label = label("", "cardHint", wrap=True)
        self.summary_label.setObjectName("assignSummary")
        self.assign_model = AssignmentModel(self)
        self.assign_table = ReadOnlyTable(
            self.assign_model,
            name="assignTable",
            wrap=True,  # a warning reads in full, the row as tall as it
            stretch=AssignmentModel.WARNINGS,
            widths={0: 120, 1: 115, 2: 140, 3: 70, 4: 70, 5: 210},
        )
        self.assign_table.doubleClicked.connect(lambda _i: self._on_manual_clicked())
        assign_tab = QWidget()
        assign_layout = QVBoxLayout(assign_tab)
        row = QHBoxLayout()
        row.addWidget(label("考试计划", "cardCaption"))
        row.addWidget(self.plan_combo)
        for widget in (self.assign_button, self.manual_button, self.sheet_button):
            row.addWidget(widget)
        row.addStretch(1)
        assign_layout.addLayout(row)
        assign_layout.addWidget(self.summary_label)
        assign_layout.addWidget(self.assign_table, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("staffTabs")
        self.tabs.addTab(roster_tab, "考务人员")
        self.tabs.addTab(assign_tab, "监考安排")
        self.jobs.guard(
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.cap_button,
            self.assign_button,
            self.manual_button,
            self.sheet_button,
        )
        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(8)
        layout.addWidget(self.tabs, 1)

    # --- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        db = self.context.db

        def job(_progress: Progress) -> tuple[Roster, tuple[PlanChoice, ...]]:
            return list_staff(db), plans_with_rooms(db)

        self.jobs.read(job, self._on_load_job_finished)

    def _on_load_job_finished(self, loaded: tuple[Roster, tuple[PlanChoice, ...]]) -> None:
        roster, plans = loaded
        self.show_roster(roster)
        refill_combo(self.plan_combo, ((f"{p.name}（{p.code}）", p.code) for p in plans))
        self.load_assignments()

    def has_unsaved_edits(self) -> bool:
        """The duty cap was changed and not yet applied."""
        return self.roster is not None and self.cap_spin.value() != self.roster.duty_cap

    def show_roster(self, roster: Roster) -> None:
        self.roster = roster
        self.roster_model.set_staff(roster.staff, roster.duty_cap)
        self.cap_spin.setValue(roster.duty_cap)
        self.tabs.setTabText(0, f"考务人员（{len(roster.staff)}）")
        team = roster.team
        if roster.team_problems:
            lines = [f"•  {render(p)}" for p in roster.team_problems]
            self.team_label.setProperty("role", "problemWarning")
            self.team_label.setText("站点团队检查（002）：\n" + "\n".join(lines))
        else:
            self.team_label.setProperty("role", "okText")
            self.team_label.setText(
                f"站点团队检查（002）：共 {team.size} 人，不少于 {team.minimum} 人，"
                "负责人、监考、技术支持、后勤岗位齐全。"
            )
        self.team_label.style().polish(self.team_label)
        self._update_subtitle()

    def plan_code(self) -> str | None:
        return chosen_code(self.plan_combo)

    def load_assignments(self) -> None:
        code = self.plan_code()
        if code is None:
            self.show_overview(None)
            return
        db = self.context.db

        def job(_progress: Progress) -> PlanOverview:
            return plan_overview(db, code)

        self.jobs.read(job, self.show_overview)

    def show_overview(self, overview: PlanOverview | None) -> None:
        self.overview = overview
        self.assign_model.set_rows(overview.rows if overview else [])
        if overview is None:
            self.summary_label.setText("还没有考场：请先在“考场”页为考试计划设置考场。")
        else:
            rows = overview.rows
            people = sum(len(r.invigilators) for r in rows)
            parts = [f"{len(rows)} 个考场场次，已安排 {people} 人次"]
            if overview.short:
                parts.append(text("staff.figure_short", count=overview.short))
            if overview.breaking:
                parts.append(f"{overview.breaking} 个安排违反规则（见“警告”列）")
            if any(r.projected for r in rows):
                parts.append("标“估”的考生数尚未排考，按报考人数和考场容量估算")
            self.summary_label.setText("；".join(parts) + "。")
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        staff = len(self.roster.staff) if self.roster else 0
        text_ = f"考务人员 {staff} 人"
        if self.overview is not None:
            text_ += f"；{self.overview.plan_name}：{len(self.overview.rows)} 个考场场次"
            if self.overview.short:
                text_ += f"，{self.overview.short} 个场次监考员不足"
        self.header.set_subtitle(
            text_ + "。监考员不监考本专业、本班考生，优先跨院系，同一时间只在一个考场。"
        )

    # --- the roster ----------------------------------------------------------------------

    def selected_person(self) -> StaffInfo | None:
        rows = self.roster_table.selectionModel().selectedRows()
        return self.roster_model.staff[rows[0].row()] if rows else None

    def _on_add_clicked(self) -> None:
        dialog = self.staff_dialog(None, self)
        if dialog.exec():
            self.save_person(dialog.values(), None)

    def _on_edit_clicked(self) -> None:
        person = self.selected_person()
        if person is None:
            self.context.notify("请先在名单中选择一名考务人员。")
            return
        dialog = self.staff_dialog(person, self)
        if dialog.exec():
            self.save_person(dialog.values(), person.uid)

    def save_person(self, values: StaffInput, uid: str | None) -> None:
        db = self.context.db

        def job(_progress: Progress) -> Roster:
            save_staff(db, values, uid)
            return list_staff(db)

        self.jobs.change(job, self._after_roster_change)

    def _after_roster_change(self, roster: Roster) -> None:
        self.show_roster(roster)
        self.load_assignments()

    def _on_remove_clicked(self) -> None:
        person = self.selected_person()
        if person is None:
            self.context.notify("请先在名单中选择一名考务人员。")
            return
        answer = QMessageBox.question(self, "删除考务人员", f"删除 {person.name}？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        db = self.context.db

        def job(_progress: Progress) -> Roster:
            remove_staff(db, person.uid)
            return list_staff(db)

        self.jobs.change(job, self._after_roster_change)

    def _on_cap_clicked(self) -> None:
        db = self.context.db
        cap = self.cap_spin.value()

        def job(_progress: Progress) -> Roster:
            set_duty_cap(db, cap)
            return list_staff(db)

        self.jobs.change(job, self._after_roster_change)

    # --- assignments ---------------------------------------------------------------------

    def selected_row(self) -> SlotRow | None:
        rows = self.assign_table.selectionModel().selectedRows()
        return self.assign_model.rows[rows[0].row()] if rows else None

    def _on_assign_clicked(self) -> None:
        code = self.plan_code()
        if code is None:
            return
        db = self.context.db

        def job(progress: Progress) -> tuple[AssignReport, PlanOverview]:
            return assign_plan(db, code, progress), plan_overview(db, code)

        self.jobs.change(job, self._on_assign_job_finished, progress="正在安排监考…")

    def _on_assign_job_finished(self, result: tuple[AssignReport, PlanOverview]) -> None:
        report, overview = result
        self.show_overview(overview)
        if report.complete:
            self.context.notify(f"已自动安排 {report.added} 人次监考，每个考场场次都已满足人数。")
            return
        lines = [
            f"{s.room} {s.starts_at:%m-%d %H:%M}：需要 {s.needed} 人，只有 {s.found} 人"
            f"（{'；'.join(render(p) for p in s.reasons) or '没有可安排的人员'}）"
            for s in report.shortfalls
        ]
        QMessageBox.warning(
            self,
            "监考员不足",
            text("staff.assign_short", count=len(report.shortfalls)) + "\n\n" + "\n".join(lines),
        )

    def _on_manual_clicked(self) -> None:
        code = self.plan_code()
        row = self.selected_row()
        if code is None or row is None:
            self.context.notify("请先在表中选择一个考场场次。")
            return
        db = self.context.db

        def job(_progress: Progress) -> Explanation:
            return explain(db, code, row.room_uid, row.session_uid)

        self.jobs.read(job, lambda e: self.adjust(code, row, e))

    def adjust(self, code: str, row: SlotRow, explanation: Explanation) -> None:
        dialog = self.manual_dialog(explanation, self)
        if not dialog.exec():
            return
        add, remove = dialog.changes()
        if not add and not remove:
            return
        db = self.context.db

        def job(_progress: Progress) -> PlanOverview:
            for uid in remove:
                unassign(db, code, row.room_uid, row.session_uid, uid)
            for uid in add:
                assign_one(db, code, row.room_uid, row.session_uid, uid)
            return plan_overview(db, code)

        self.jobs.change(job, self.show_overview)

    def _on_sheet_clicked(self) -> None:
        code = self.plan_code()
        if code is None:
            return
        path = self.ask_path(self, f"监考人员表_{code}.xlsx")
        if path is None:
            return
        db = self.context.db

        def job(_progress: Progress) -> WrittenSheet:
            return write_invigilator_sheet(db, code, path)

        self.jobs.read(
            job, lambda w: self.context.notify(f"已导出监考人员表：{w.path}（{w.rows} 行）")
        )
