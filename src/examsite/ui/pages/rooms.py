"""The rooms page (考场): a plan's rooms, the capacity check per session, the site's labs
and the exam timetable, in four tabs.

Everything is read in one job (``services.rooms_view.rooms_view``) and every change runs
on the worker and reads the page again. The plan box beside the title picks the plan; the
header's actions work on that plan: propose rooms from the labs, import, export, template.
Forms stay open when the service refuses them and show why (``RoomFormDialog``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMenu, QTabWidget, QVBoxLayout, QWidget

from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.messages import SUBJECT_KIND_TITLES, certificate_title, render
from examsite.services.labs import (
    CertificateProposal,
    add_lab,
    edit_lab,
    propose_rooms,
    remove_lab,
)
from examsite.services.room_import import export_rooms, import_rooms, write_room_template
from examsite.services.rooms import RoomForm, add_room, edit_room, remove_room
from examsite.services.rooms_view import RoomsView, rooms_view
from examsite.services.sessions import set_session_time
from examsite.ui.dialogs.room_dialogs import RoomDialogs, RoomFormDialog, SessionTimeDialog
from examsite.ui.errors import problem_lines
from examsite.ui.models.rooms import TextTableModel
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.widgets import PageHeader, ReadOnlyTable, button, label, page_layout

log = logging.getLogger(__name__)

ROOM_HEADERS = ("证书", "考场名称", "考位数", "考试容量", "类型", "地址")
CHECK_HEADERS = ("场次时间", "证书", "科目", "报考", "容量", "缺额", "建议分配")
LAB_HEADERS = ("机房", "座位数", "考试容量", "地址")
SESSION_HEADERS = ("日期", "时间", "证书", "科目", "时长", "考场", "")
ROOMS_TAB, CHECK_TAB, LABS_TAB, TIMES_TAB = range(4)


def short_certificate(name: str, level: str) -> str:
    """ "数字营销技术应用（初级）": the table's column stays narrow."""
    return certificate_title(name.removesuffix("职业技能等级证书"), level)


def place(province: str, city: str, district: str, address: str) -> str:
    return " ".join(p for p in (province + city + district, address) if p)


class RoomsPage(BasePage):
    """Step 5: rooms, their capacity against the registrations, labs, exam times."""

    step = Step.ROOMS

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: RoomDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.dialogs = dialogs or RoomDialogs()
        self.view: RoomsView | None = None
        self.form: RoomFormDialog | SessionTimeDialog | None = None
        self.last_proposal: tuple[CertificateProposal, ...] = ()

        self.header = PageHeader("考场", "正在读取考场…")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planFilter")
        self.plan_combo.setMinimumWidth(280)
        self.plan_combo.activated.connect(self._on_plan_combo_activated)
        self.header.add_beside_title(self.plan_combo)
        self.propose_button = button(
            "按机房生成考场",
            self._on_propose_button_clicked,
            kind="primary",
            tooltip="按各证书的报考人数，从本站点的机房中选出考场（已有考场保留）",
        )
        self.import_button = button("导入考场表…", self._on_import_button_clicked)
        self.template_button = button("下载模板", self._on_template_button_clicked)
        self.export_button = button("导出考场表")
        export_menu = QMenu(self.export_button)
        self.export_seats_action = export_menu.addAction("考位数写实际座位数…")
        self.export_seats_action.triggered.connect(partial(self.export, planned=False))
        self.export_planned_action = export_menu.addAction("考位数写计划安排人数（多考场平分）…")
        self.export_planned_action.triggered.connect(partial(self.export, planned=True))
        self.export_button.setMenu(export_menu)
        self.header.add_actions(self.propose_button, self.import_button, self.template_button)
        self.header.add_end_actions(self.export_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("roomsTabs")
        self.rooms_model = TextTableModel(ROOM_HEADERS, numeric=(2, 3), parent=self)
        self.check_model = TextTableModel(CHECK_HEADERS, numeric=(3, 4, 5), parent=self)
        self.labs_model = TextTableModel(LAB_HEADERS, numeric=(1, 2), parent=self)
        self.sessions_model = TextTableModel(SESSION_HEADERS, numeric=(4, 5), parent=self)
        self.tabs.addTab(self._build_rooms_tab(), "考场")
        self.tabs.addTab(self._build_check_tab(), "容量核对")
        self.tabs.addTab(self._build_labs_tab(), "机房")
        self.tabs.addTab(self._build_times_tab(), "考试时间")

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(12)
        layout.addWidget(self.tabs, 1)
        self.jobs.guard(self.template_button)
        self.jobs.busy_changed.connect(lambda _busy: self._update_actions())
        self._update_actions()

    # -- building ------------------------------------------------------------------------

    def _tab(self, table: ReadOnlyTable, bar: list[QWidget], note: QWidget | None) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        row = QHBoxLayout()
        row.setSpacing(8)
        for widget in bar:
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        if note is not None:
            layout.addWidget(note)
        return tab

    def _build_rooms_tab(self) -> QWidget:
        self.rooms_table = ReadOnlyTable(
            self.rooms_model,
            name="roomsTable",
            widths={0: 210, 1: 150, 2: 64, 3: 72, 4: 88},
            stretch=5,
        )
        self.rooms_table.doubleClicked.connect(lambda _index: self._on_edit_room_clicked())
        self.add_room_button = button("新增考场", self._on_add_room_clicked)
        self.edit_room_button = button("编辑", self._on_edit_room_clicked)
        self.remove_room_button = button("删除", self._on_remove_room_clicked, kind="danger")
        self.rooms_note = label("", "footerHint", wrap=True)
        return self._tab(
            self.rooms_table,
            [self.add_room_button, self.edit_room_button, self.remove_room_button],
            self.rooms_note,
        )

    def _build_check_tab(self) -> QWidget:
        self.check_table = ReadOnlyTable(
            self.check_model,
            name="checkTable",
            selectable=False,
            widths={0: 110, 1: 210, 2: 56, 3: 56, 4: 56, 5: 56},
            stretch=6,
        )
        self.check_summary = label("", "dialogText", wrap=True)
        self.check_note = label(
            "建议分配：报考人数在本证书的考场间平均分配，每个考场不超过其考试容量"
            "（如 90 人、2 个考场各 45 人）；标准考场 40 人。",
            "footerHint",
            wrap=True,
        )
        return self._tab(self.check_table, [self.check_summary], self.check_note)

    def _build_labs_tab(self) -> QWidget:
        self.labs_table = ReadOnlyTable(
            self.labs_model, name="labsTable", widths={0: 200, 1: 70, 2: 80}, stretch=3
        )
        self.labs_table.doubleClicked.connect(lambda _index: self._on_edit_lab_clicked())
        self.add_lab_button = button("新增机房", self._on_add_lab_clicked)
        self.edit_lab_button = button("编辑", self._on_edit_lab_clicked)
        self.remove_lab_button = button("删除", self._on_remove_lab_clicked, kind="danger")
        self.propose_note = label(
            "按机房生成考场：对每个有报考的证书，先选最大的机房，剩下的人数用能容纳他们的最小机房，"
            "直到考位够用；同一时间考试的两个证书不会用同一个机房；已有考场保留。",
            "footerHint",
            wrap=True,
        )
        return self._tab(
            self.labs_table,
            [self.add_lab_button, self.edit_lab_button, self.remove_lab_button],
            self.propose_note,
        )

    def _build_times_tab(self) -> QWidget:
        self.sessions_table = ReadOnlyTable(
            self.sessions_model,
            name="sessionsTable",
            widths={0: 100, 1: 110, 2: 230, 3: 70, 4: 70, 5: 56},
            stretch=6,
        )
        self.sessions_table.doubleClicked.connect(lambda _index: self._on_edit_time_clicked())
        self.edit_time_button = button("调整时间…", self._on_edit_time_clicked)
        self.times_check = label("", "dialogText", wrap=True)
        self.times_check.setObjectName("timetableCheck")
        return self._tab(self.sessions_table, [self.edit_time_button], self.times_check)

    # -- reading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.load()

    def load(self, plan_code: str | None = None) -> None:
        code = plan_code or (self.view.plan_code if self.view else None)
        self.jobs.read(lambda _p: rooms_view(self.context.db, code), self._show)

    def _show(self, view: RoomsView) -> None:
        self.view = view
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for plan in view.plans:
            self.plan_combo.addItem(plan.name, plan.code)
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(view.plan_code)))
        self.plan_combo.blockSignals(False)
        self._show_rooms(view)
        self._show_check(view)
        self._show_labs(view)
        self._show_times(view)
        self._show_subtitle(view)
        self._update_actions()

    def _show_subtitle(self, view: RoomsView) -> None:
        if view.plan_code is None:
            text = "还没有考试计划。"
        elif not view.has_site:
            text = "还没有考核站点：请先在“考核站点”页填写站点信息。"
        elif view.locked:
            text = view.locked
        elif not view.rooms:
            text = (
                "还没有考场：报考后点“按机房生成考场”，或新增考场、导入平台的考场表。"
                if not any(c.candidates for c in view.checks)
                else f"还没有考场，{view.short_sessions} 个场次考位不足："
                "点“按机房生成考场”从本站点的机房中选出考场，或新增、导入考场。"
            )
        else:
            capacity = sum(r.capacity for r in view.rooms)
            text = f"{len(view.rooms)} 个考场，可容纳 {capacity} 人"
            if view.short_sessions:
                text += f"　·　{view.short_sessions} 个场次考位不足"
            elif view.checks:
                text += "　·　各场次考位够用"
            if view.clashes:
                text += f"　·　考试时间有 {len(view.clashes)} 处冲突"
        self.header.set_subtitle(text)

    def _show_rooms(self, view: RoomsView) -> None:
        self.rooms_model.set_rows(
            [
                (
                    short_certificate(r.certificate_name, r.level),
                    r.name,
                    str(r.seats),
                    str(r.capacity),
                    r.room_type,
                    place(r.province, r.city, r.district, r.address),
                )
                for r in view.rooms
            ],
            keys=[r.uid for r in view.rooms],
        )
        self.tabs.setTabText(ROOMS_TAB, f"考场（{len(view.rooms)}）")
        self.rooms_note.setText(
            "考场类型按证书科目的考试方式自动生成；同一考试计划、考核站点、证书下考场名称不能重复。"
            "考试容量可少于考位数（隔位就座），排考按考试容量安排。"
        )

    def _show_check(self, view: RoomsView) -> None:
        rows, tones = [], []
        for c in view.checks:
            if c.split:
                suggested = " + ".join(str(n) for n in c.split)
            else:
                suggested = f"约需标准考场 {c.standard_rooms} 个" if c.candidates else ""
            rows.append(
                (
                    f"{c.starts_at:%m-%d %H:%M}",
                    short_certificate(c.certificate_name, c.level),
                    SUBJECT_KIND_TITLES.get(c.subject_kind, c.subject_kind),
                    str(c.candidates),
                    str(c.capacity),
                    str(c.short_by) if c.short_by else "",
                    suggested,
                )
            )
            tones.append("error" if c.short_by else "")
        self.check_model.set_rows(rows, tones=tones)
        short = view.short_sessions
        self.tabs.setTabText(CHECK_TAB, f"容量核对（{short} 处不足）" if short else "容量核对")
        if not view.checks:
            text = "这个考试计划还没有报考，也没有考场。"
        elif short:
            text = f"{short} 个场次的考位少于报考人数：请新增考场，或用“按机房生成考场”。"
        else:
            text = "每个场次的考位都够用。"
        self.check_summary.setText(text)

    def _show_labs(self, view: RoomsView) -> None:
        self.labs_model.set_rows(
            [
                (
                    lab.name,
                    str(lab.seats),
                    str(lab.capacity),
                    place(lab.province, lab.city, lab.district, lab.address),
                )
                for lab in view.labs
            ],
            keys=[lab.uid for lab in view.labs],
        )
        self.tabs.setTabText(LABS_TAB, f"机房（{len(view.labs)}）")

    def _show_times(self, view: RoomsView) -> None:
        rows = []
        for s in view.sessions:
            minutes = int((s.ends_at - s.starts_at).total_seconds() // 60)
            rows.append(
                (
                    f"{s.starts_at:%Y-%m-%d}",
                    f"{s.starts_at:%H:%M}~{s.ends_at:%H:%M}",
                    short_certificate(s.certificate_name, s.level),
                    SUBJECT_KIND_TITLES.get(s.subject_kind, s.subject_kind),
                    f"{minutes} 分钟",
                    str(s.rooms),
                    "已手动调整" if s.edited else "",
                )
            )
        self.sessions_model.set_rows(rows, keys=[s.uid for s in view.sessions])
        if view.clashes:
            self.times_check.setProperty("error", "true")
            lines = [render(c.problem()) for c in view.clashes[:4]]
            more = len(view.clashes) - len(lines)
            text = "\n".join(lines) + (f"\n……还有 {more} 处" if more > 0 else "")
            self.times_check.setText(text)
            self.times_check.setStyleSheet("color: #cf222e;")
        else:
            self.times_check.setText(
                "检查通过：没有考生同时有两个场次（同一证书等级的理论与实操不重叠，"
                "同时考试的两个证书没有共同的考生）。几个证书等级可以在同一天考试。"
            )
            self.times_check.setStyleSheet("color: #1a7f37;")
        self.tabs.setTabText(
            TIMES_TAB, f"考试时间（{len(view.clashes)} 处冲突）" if view.clashes else "考试时间"
        )

    def _update_actions(self) -> None:
        ready = self.view is not None and self.view.plan_code is not None and self.view.has_site
        open_ = ready and self.view is not None and not self.view.locked
        for widget in (
            self.propose_button,
            self.import_button,
            self.add_room_button,
            self.edit_room_button,
            self.remove_room_button,
        ):
            widget.setEnabled(open_ and not self.jobs.busy)
        for widget in (
            self.export_button,
            self.add_lab_button,
            self.edit_lab_button,
            self.remove_lab_button,
            self.edit_time_button,
        ):
            widget.setEnabled(ready and not self.jobs.busy)

    # -- helpers -------------------------------------------------------------------------

    @property
    def plan_code(self) -> str:
        assert self.view is not None and self.view.plan_code is not None
        return self.view.plan_code

    def _selected(self, table: ReadOnlyTable, model: TextTableModel) -> str | None:
        rows = table.selectionModel().selectedRows() if table.selectionModel() else []
        if not rows:
            self.context.notify("请先在表格中选中一行。")
            return None
        return model.key(rows[0].row())

    def _change(self, fn: Callable[[], Any], done: str, *, dialog: Any = None) -> None:
        def on_success(_result: object) -> None:
            if dialog is not None:
                dialog.accept()
                self.form = None
            self.context.notify(done)
            self.load()

        def on_input_error(error: InputError) -> None:
            text = "\n".join(problem_lines(error)) or error.message
            if dialog is not None:
                dialog.show_error(text)
            else:
                self.context.runner.error_handler(error)
            if error.code.endswith("_elsewhere"):  # another computer changed it first
                self.load()

        self.jobs.change(lambda _p: fn(), on_success, on_input_error=on_input_error)

    def _open_form(self, dialog: RoomFormDialog, on_save: Callable[[RoomForm, str], None]) -> None:
        self.form = dialog
        dialog.save_requested.connect(on_save)
        dialog.open()

    # -- rooms ---------------------------------------------------------------------------

    def _on_plan_combo_activated(self, index: int) -> None:
        self.load(self.plan_combo.itemData(index))

    def _certificates(self) -> tuple[tuple[str, str, str], ...]:
        assert self.view is not None
        return next((p.certificates for p in self.view.plans if p.code == self.view.plan_code), ())

    def _on_add_room_clicked(self) -> None:
        dialog = RoomFormDialog("新增考场", certificates=self._certificates(), parent=self)
        if self.view is not None and self.view.labs:  # the site's place, as its labs have it
            lab = self.view.labs[0]
            dialog.set_values(RoomForm("", 40, None, lab.province, lab.city, lab.district, ""))
        plan = self.plan_code

        def save(form: RoomForm, certificate: str) -> None:
            self._change(
                partial(add_room, self.context.db, plan, certificate, form),
                f"已新增考场：{form.name.strip()}",
                dialog=dialog,
            )

        self._open_form(dialog, save)

    def _room(self, uid: str) -> Any:
        assert self.view is not None
        return next(r for r in self.view.rooms if r.uid == uid)

    def _on_edit_room_clicked(self) -> None:
        uid = self._selected(self.rooms_table, self.rooms_model)
        if uid is None:
            return
        room = self._room(uid)
        values = RoomForm(
            room.name,
            room.seats,
            room.exam_capacity,
            room.province,
            room.city,
            room.district,
            room.address,
        )
        dialog = RoomFormDialog(f"编辑考场：{room.name}", values=values, parent=self)
        plan = self.plan_code

        def save(form: RoomForm, _certificate: str) -> None:
            changes = dict(form.__dict__)
            self._change(
                partial(edit_room, self.context.db, plan, uid, changes, loaded=values),
                f"已保存考场：{form.name.strip()}",
                dialog=dialog,
            )

        self._open_form(dialog, save)

    def _on_remove_room_clicked(self) -> None:
        uid = self._selected(self.rooms_table, self.rooms_model)
        if uid is None:
            return
        room = self._room(uid)
        if not self.dialogs.confirm(self, "删除考场", f"确定要删除考场“{room.name}”吗？"):
            return
        self._change(
            partial(remove_room, self.context.db, self.plan_code, uid), f"已删除考场：{room.name}"
        )

    def _on_propose_button_clicked(self) -> None:
        plan = self.plan_code

        def shown(proposals: tuple[CertificateProposal, ...]) -> None:
            self.last_proposal = proposals
            added = sum(len(p.added) for p in proposals)
            short = sum(p.short_by for p in proposals)
            if not proposals:
                text = "这个考试计划还没有报考，没有生成考场。"
            elif short:
                text = f"新增 {added} 个考场；机房不够，还差 {short} 个考位。"
            else:
                text = f"新增 {added} 个考场，各证书的考位都够用。"
            self.context.notify(text)
            self.tabs.setCurrentIndex(CHECK_TAB)
            self.load()

        self.jobs.change(lambda _p: propose_rooms(self.context.db, plan), shown)

    # -- the room sheet ------------------------------------------------------------------

    def _on_import_button_clicked(self) -> None:
        path = self.dialogs.open_import_file(self)
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> None:
        def shown(report: Any) -> None:
            self.context.notify(
                f"已导入考场表：新增 {report.created} 个考场，更新 {report.updated} 个。"
            )
            self.load()

        self.jobs.change(
            lambda _p: import_rooms(self.context.db, path), shown, progress="正在导入考场表"
        )

    def _on_template_button_clicked(self) -> None:
        path = self.dialogs.save_template(self)
        if path is not None:
            self.jobs.read(
                lambda _p: write_room_template(path),
                lambda saved: self.context.notify(f"已保存考场导入模板：{saved}"),
            )

    def export(self, *, planned: bool = False) -> None:
        plan = self.plan_code
        path = self.dialogs.save_export(self, plan)
        if path is not None:
            self.jobs.read(
                lambda _p: export_rooms(self.context.db, plan, path, planned=planned),
                lambda count: self.context.notify(f"已导出 {count} 个考场：{path}"),
            )

    # -- labs ----------------------------------------------------------------------------

    def _on_add_lab_clicked(self) -> None:
        dialog = RoomFormDialog("新增机房", parent=self)

        def save(form: RoomForm, _certificate: str) -> None:
            self._change(
                partial(add_lab, self.context.db, form),
                f"已新增机房：{form.name.strip()}",
                dialog=dialog,
            )

        self._open_form(dialog, save)

    def _lab(self, uid: str) -> Any:
        assert self.view is not None
        return next(lab for lab in self.view.labs if lab.uid == uid)

    def _on_edit_lab_clicked(self) -> None:
        uid = self._selected(self.labs_table, self.labs_model)
        if uid is None:
            return
        lab = self._lab(uid)
        values = RoomForm(
            lab.name,
            lab.seats,
            lab.exam_capacity,
            lab.province,
            lab.city,
            lab.district,
            lab.address,
        )
        dialog = RoomFormDialog(f"编辑机房：{lab.name}", values=values, parent=self)

        def save(form: RoomForm, _certificate: str) -> None:
            self._change(
                partial(edit_lab, self.context.db, uid, dict(form.__dict__)),
                f"已保存机房：{form.name.strip()}",
                dialog=dialog,
            )

        self._open_form(dialog, save)

    def _on_remove_lab_clicked(self) -> None:
        uid = self._selected(self.labs_table, self.labs_model)
        if uid is None:
            return
        lab = self._lab(uid)
        text = f"确定要删除机房“{lab.name}”吗？已按它生成的考场会保留。"
        if self.dialogs.confirm(self, "删除机房", text):
            self._change(partial(remove_lab, self.context.db, uid), f"已删除机房：{lab.name}")

    # -- exam times ----------------------------------------------------------------------

    def _on_edit_time_clicked(self) -> None:
        uid = self._selected(self.sessions_table, self.sessions_model)
        if uid is None or self.view is None:
            return
        s = next(x for x in self.view.sessions if x.uid == uid)
        kind = SUBJECT_KIND_TITLES.get(s.subject_kind, s.subject_kind)
        title = f"{short_certificate(s.certificate_name, s.level)} {kind}"
        dialog = SessionTimeDialog(title, s.starts_at, s.ends_at, parent=self)
        self.form = dialog

        def save(start: dt.datetime, end: dt.datetime) -> None:
            self._change(
                partial(set_session_time, self.context.db, uid, start, end),
                f"已调整场次时间：{title}",
                dialog=dialog,
            )

        dialog.save_requested.connect(save)
        dialog.open()
