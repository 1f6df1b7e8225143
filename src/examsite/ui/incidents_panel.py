"""The exam-day page's incidents tab (突发情况): the list of a plan's incidents and the form to
record one.

Embedded by its page as a tab: made with the page (for its ``jobs`` and ``context``), told
the plan in view with ``set_plan``, and re-read with ``refresh``. Every database call runs
through ``page.jobs``. A filter picks one room session (or the site-wide incidents); a new
incident starts in the room session filtered. After a save the notices of 003's rules (a
long extension needs the organisation, a misconduct record needs the candidate's
signature, …) stay shown above the list. The filled room record form of the filtered room
session (or of every one) is printed to a PDF from here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from examsite.domain.problems import Level, Problem
from examsite.errors import InputError
from examsite.messages import render
from examsite.services.incidents import (
    IncidentForm,
    IncidentResult,
    IncidentRow,
    RoomSessionChoice,
    add_incident,
    edit_incident,
    incident_form_of,
    list_incidents,
    remove_incident,
    room_session_choices,
    seated_candidates,
)
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose
from examsite.ui.dialogs.incident_dialog import IncidentDialog
from examsite.ui.errors import problem_lines
from examsite.ui.models.rooms import TextTableModel
from examsite.ui.pages.base import BasePage
from examsite.ui.widgets import ReadOnlyTable, button, label

HEADERS = ("时间", "类别", "考场", "科目", "涉及考生", "情况说明", "处理措施", "记录人")
ALL, SITE = "all", "site"
PDF_FILTER = "PDF 文件 (*.pdf)"


class IncidentsPanel(QWidget):
    """The list of the plan's incidents, a filter by room session, and the buttons to
    record, change, remove and print."""

    def __init__(self, page: BasePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentsPanel")
        self.page = page
        self.plan_code = ""
        self.choices: tuple[RoomSessionChoice, ...] = ()
        self.rows: tuple[IncidentRow, ...] = ()
        self.form: IncidentDialog | None = None
        self.file_dialogs = FileDialogs()
        #: Asks "really?"; tests replace it.
        self.confirm: Callable[[str, str], bool] = self._ask

        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("incidentFilter")
        self.filter_combo.setMinimumWidth(320)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_current_index_changed)
        self.add_button = button("记录突发情况", self._on_add_button_clicked, kind="primary")
        self.edit_button = button("修改", self._on_edit_button_clicked)
        self.remove_button = button("删除", self._on_remove_button_clicked, kind="danger")
        self.print_button = button(
            "打印考场情况记录表",
            self._on_print_button_clicked,
            tooltip="按签到和突发情况记录填好的考场情况记录表（所选考场场次，或全部）",
        )
        self.count_label = label("", "pageHint")
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(label("考场场次", "formLabel"))
        bar.addWidget(self.filter_combo)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        for widget in (self.add_button, self.edit_button, self.remove_button, self.print_button):
            bar.addWidget(widget)

        self.notice_label = label("", "problemWarning", wrap=True)
        self.notice_label.setObjectName("incidentNotices")
        self.notice_label.hide()
        self.model = TextTableModel(HEADERS, parent=self)
        self.table = ReadOnlyTable(
            self.model,
            name="incidentsTable",
            wrap=True,
            widths={0: 92, 1: 84, 2: 130, 3: 150, 4: 150, 7: 84},
            stretch=6,
        )
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty_label = label("还没有突发情况记录。", "emptyText")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        self._update_buttons()

    # -- the interface of a tab ----------------------------------------------------------

    def set_plan(self, plan_code: str) -> None:
        """Show ``plan_code`` (re-reads)."""
        if plan_code != self.plan_code:
            self.notice_label.hide()
        self.plan_code = plan_code
        self.refresh()

    def refresh(self) -> None:
        """Re-read the room sessions and the incidents."""
        if not self.plan_code:
            self._show((), ())
            return
        db, plan = self.page.context.db, self.plan_code
        self.page.jobs.read(
            lambda _p: (room_session_choices(db, plan), list_incidents(db, plan)),
            lambda loaded: self._show(*loaded),
        )

    # -- showing -------------------------------------------------------------------------

    def _show(self, choices: tuple[RoomSessionChoice, ...], rows: tuple[IncidentRow, ...]) -> None:
        self.rows = rows
        if choices != self.choices:
            kept = self.filter_combo.currentData()
            self.choices = choices
            self.filter_combo.blockSignals(True)
            self.filter_combo.clear()
            self.filter_combo.addItem("全部", ALL)
            self.filter_combo.addItem("全考点（不属于某个考场）", SITE)
            for c in choices:
                text = f"{c.starts_at:%m-%d %H:%M}　{c.room}　{c.subject_name}"
                self.filter_combo.addItem(text, c.room_session_uid)
            self.filter_combo.setCurrentIndex(max(0, self.filter_combo.findData(kept)))
            self.filter_combo.blockSignals(False)
        self._fill_table()

    def _fill_table(self) -> None:
        shown = self._filtered()
        self.model.set_rows(
            [_cells(row) for row in shown],
            keys=[row.uid for row in shown],
            tones=["error" if row.code == "misconduct" else "" for row in shown],
        )
        self.count_label.setText(f"共 {len(shown)} 条" if self.rows else "")
        self.table.setVisible(bool(shown))
        self.empty_label.setVisible(not shown)
        if not shown:
            self.empty_label.setText(
                "还没有突发情况记录。考试中出现迟到、违纪、换机、延时、停电等情况时，点“记录突发情况”。"
                if not self.rows
                else "这个考场场次没有突发情况记录。"
            )
        self._update_buttons()

    def _filtered(self) -> tuple[IncidentRow, ...]:
        chosen = self.filter_combo.currentData() or ALL
        if chosen == ALL:
            return self.rows
        if chosen == SITE:
            return tuple(r for r in self.rows if not r.room_session_uid)
        return tuple(r for r in self.rows if r.room_session_uid == chosen)

    def _selected_uid(self) -> str | None:
        model = self.table.selectionModel()
        picked = model.selectedRows() if model is not None else []
        return self.model.key(picked[0].row()) if picked else None

    def _update_buttons(self, *_args: object) -> None:
        has_plan = bool(self.plan_code)
        picked = self._selected_uid() is not None
        self.add_button.setEnabled(has_plan)
        self.edit_button.setEnabled(picked)
        self.remove_button.setEnabled(picked)
        self.print_button.setEnabled(has_plan and bool(self.choices))

    def show_notices(self, notices: tuple[Problem, ...]) -> None:
        """The notices of the incident just saved (hidden when there are none)."""
        if not notices:
            self.notice_label.hide()
            return
        warning = any(p.level is Level.WARNING for p in notices)
        self.notice_label.setProperty("role", "problemWarning" if warning else "problemNotice")
        self.notice_label.style().unpolish(self.notice_label)
        self.notice_label.style().polish(self.notice_label)
        self.notice_label.setText("\n".join(render(p) for p in notices))
        self.notice_label.show()

    # -- recording -----------------------------------------------------------------------

    def _open_form(self, title: str, values: IncidentForm | None, uid: str = "") -> None:
        dialog = IncidentDialog(
            title, self.choices, self.page.context.clock(), values=values, parent=self
        )
        chosen = self.filter_combo.currentData()
        if values is None and chosen not in (ALL, SITE, None):
            choice = next(c for c in self.choices if c.room_session_uid == chosen)
            dialog.select_room_session(choice.room, choice.session_uid)
        dialog.save_requested.connect(lambda form: self._save(dialog, form, uid))
        dialog.candidates_wanted.connect(lambda rs_uid: self._load_candidates(dialog, rs_uid))
        self.form = dialog
        dialog.open()
        if dialog.where_combo.currentIndex() > 0:
            self._load_candidates(dialog, str(dialog.where_combo.currentData()))

    def _load_candidates(self, dialog: IncidentDialog, room_session_uid: str) -> None:
        db, plan = self.page.context.db, self.plan_code
        self.page.jobs.read(
            lambda _p: seated_candidates(db, plan, room_session_uid),
            lambda people: dialog.set_candidates(room_session_uid, people),
        )

    def _save(self, dialog: IncidentDialog, form: IncidentForm, uid: str) -> None:
        db, plan = self.page.context.db, self.plan_code

        def work(_progress: Any) -> IncidentResult:
            if uid:
                return edit_incident(db, plan, uid, form)
            return add_incident(db, plan, form)

        def on_success(result: IncidentResult) -> None:
            dialog.accept()
            self.form = None
            self.page.context.notify(f"已{'修改' if uid else '记录'}：{result.incident.title}")
            self.show_notices(result.notices)
            self.refresh()

        def on_input_error(error: InputError) -> None:
            dialog.show_error("\n".join(problem_lines(error)) or error.message)

        self.page.jobs.change(work, on_success, on_input_error=on_input_error)

    def _on_add_button_clicked(self) -> None:
        self._open_form("记录突发情况", None)

    def _on_edit_button_clicked(self) -> None:
        uid = self._selected_uid()
        if uid is None:
            return
        db, plan = self.page.context.db, self.plan_code
        self.page.jobs.read(
            lambda _p: incident_form_of(db, plan, uid),
            lambda values: self._open_form("修改突发情况", values, uid),
        )

    def _on_table_double_clicked(self, *_args: object) -> None:
        self._on_edit_button_clicked()

    def _on_remove_button_clicked(self) -> None:
        uid = self._selected_uid()
        row = next((r for r in self.rows if r.uid == uid), None)
        if row is None:
            return
        text = f"删除 {row.occurred_at:%H:%M} {row.room or '全考点'} 的“{row.title}”记录？"
        if not self.confirm("删除突发情况", text):
            return
        db, plan = self.page.context.db, self.plan_code
        self.page.jobs.change(
            lambda _p: remove_incident(db, plan, row.uid),
            lambda _removed: (self.page.context.notify("已删除一条突发情况记录"), self.refresh()),
        )

    def _on_filter_combo_current_index_changed(self, *_args: object) -> None:
        self._fill_table()

    # -- printing ------------------------------------------------------------------------

    def _on_print_button_clicked(self) -> None:
        from examsite.services.exam_day_papers import write_filled_form

        chosen = self.filter_combo.currentData()
        choice = next((c for c in self.choices if c.room_session_uid == chosen), None)
        name = f"考场情况记录表-{choice.room if choice else self.plan_code}.pdf"
        path = self.file_dialogs.ask_save(
            Purpose.TEMPLATE, self, "保存考场情况记录表", PDF_FILTER, name
        )
        if path is None:
            return
        db, plan = self.page.context.db, self.plan_code
        room = choice.room if choice else ""
        session_uid = choice.session_uid if choice else ""
        self.page.jobs.read(
            lambda progress: write_filled_form(db, plan, Path(path), "room", room, session_uid),
            lambda written: self.page.context.notify(
                f"已生成 {written.path.name}（{written.pages} 页）"
            ),
            progress="正在生成考场情况记录表",
        )

    def _ask(self, title: str, text: str) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        yes = box.addButton("删除", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes


def _cells(row: IncidentRow) -> list[str]:
    title = row.title + (f" {row.minutes} 分钟" if row.minutes else "")
    people = "、".join(
        (f"{c.name}（{c.seat} 号）" if c.seat else c.name) or c.id_number for c in row.candidates
    )
    return [
        f"{row.occurred_at:%m-%d %H:%M}",
        title,
        row.room or "全考点",
        row.subject_name,
        people,
        row.description,
        row.action,
        row.recorded_by,
    ]
