"""The form to record (or change) an exam-day incident: its kind (003's codes), the room
session or the whole site, the time, the candidates by ID number, the minutes of an
extension, what happened, what was done and who records it.

The form emits ``save_requested`` with an ``IncidentForm``; the panel runs the service on
the worker and either closes the form or shows the refusal in it (``show_error``), so
nothing typed is lost. A line under the kind says what that kind needs (003's rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.incidents import RULES, SITE_EXTENSION_LIMIT, IncidentCode
from examsite.messages.incidents import INCIDENT_TITLES
from examsite.services.incidents import CandidateRef, IncidentForm, RoomSessionChoice
from examsite.ui.widgets import button, label

DIALOG_STYLE = """
QDialog { background: #ffffff; }
QLineEdit, QPlainTextEdit { border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 8px; }
QLineEdit:focus, QPlainTextEdit:focus { border: 1px solid #1f6feb; }
"""
MAX_MINUTES = 240  # the spin box's top; the service refuses more than the session lasts

HINTS = {
    IncidentCode.LATE: "写明迟到的考生。开考 30 分钟后不得入场（签到中记为“迟到禁入”）。",
    IncidentCode.MISCONDUCT: "写明违纪考生。须由考生签字；拒不签字的，由所有在场监考人员签字。",
    IncidentCode.MACHINE_CHANGE: "写明换机的考生；耽误了时间的，请另记一条“延时”。",
    IncidentCode.EXTENSION: (
        f"填写延长的分钟数：{SITE_EXTENSION_LIMIT} 分钟以内由主考、巡考员现场决定，"
        f"超过 {SITE_EXTENSION_LIMIT} 分钟须由评价组织决定。"
    ),
    IncidentCode.POWER_CUT: "考生留在考场静坐等待；60 分钟内可恢复供电的，恢复后继续考试。",
    IncidentCode.QUESTION: "写明考生反映的题目问题；请考生继续答题，并上报评价组织。",
    IncidentCode.ILLNESS: "写明生病的考生；必要时拨打急救电话，并立即上报评价组织。",
    IncidentCode.OTHER: "写明发生了什么；考试结束后上报评价组织。",
}


class IncidentDialog(QDialog):
    """One incident's fields; ``values`` fills them for an edit."""

    save_requested = Signal(object)  # IncidentForm
    candidates_wanted = Signal(str)  # a room session's UID: the panel answers set_candidates

    def __init__(
        self,
        title: str,
        choices: Sequence[RoomSessionChoice],
        now: dt.datetime,
        *,
        values: IncidentForm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("incidentForm")
        self.setWindowTitle(title)
        self.setStyleSheet(DIALOG_STYLE)
        self.setMinimumWidth(560)
        self.choices = tuple(choices)
        self.code_combo = QComboBox()
        for code in IncidentCode:
            self.code_combo.addItem(INCIDENT_TITLES[code.value], code.value)
        self.hint_label = label("", "dialogHint", wrap=True)
        self.where_combo = QComboBox()
        self.where_combo.addItem("全考点（不属于某个考场）", "")
        for c in self.choices:
            text = f"{c.starts_at:%m-%d %H:%M} {c.room}　{c.subject_name}"
            self.where_combo.addItem(text, c.room_session_uid)
        self.time_edit = QDateTimeEdit(QDateTime(now.replace(second=0, microsecond=0)))
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.time_edit.setCalendarPopup(True)
        self.candidates_edit = QLineEdit()
        self.candidates_edit.setPlaceholderText("证件号码，多个用逗号分开")
        self.pick_combo = QComboBox()
        self.pick_combo.setObjectName("candidatePicker")
        self.pick_combo.setMinimumWidth(210)
        self.pick_combo.activated.connect(self._on_pick_combo_activated)
        self._set_pick_items([])
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(0, MAX_MINUTES)
        self.minutes_spin.setSuffix(" 分钟")
        self.description_edit = QPlainTextEdit()
        self.description_edit.setPlaceholderText("发生了什么（题目疑问、其他情况必填）")
        self.description_edit.setFixedHeight(64)
        self.action_edit = QLineEdit()
        self.action_edit.setPlaceholderText("如“已更换备用机 46 号”“警告并记录”")
        self.by_edit = QLineEdit()
        self.by_edit.setPlaceholderText("记录人姓名")
        for box in (self.code_combo, self.where_combo, self.time_edit, self.minutes_spin):
            box.setMinimumHeight(30)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow("类别", self.code_combo)
        form.addRow("", self.hint_label)
        form.addRow("考场场次", self.where_combo)
        form.addRow("时间", self.time_edit)
        who = QHBoxLayout()
        who.addWidget(self.candidates_edit, 1)
        who.addWidget(self.pick_combo)
        form.addRow("涉及考生", who)
        form.addRow("延时", self.minutes_spin)
        form.addRow("情况说明", self.description_edit)
        form.addRow("处理措施", self.action_edit)
        form.addRow("记录人", self.by_edit)
        self.error_label = label("", "fieldError", wrap=True)
        self.error_label.hide()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button("取消", self.reject))
        self.save_button = button("保存", self._on_save_clicked, kind="primary")
        self.save_button.setDefault(True)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(label(title, "dialogTitle"))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(row)
        self.code_combo.currentIndexChanged.connect(self._on_code_combo_current_index_changed)
        self.where_combo.currentIndexChanged.connect(self._on_where_combo_current_index_changed)
        if values is not None:
            self.set_values(values)
        self._on_code_combo_current_index_changed()

    def set_values(self, values: IncidentForm) -> None:
        self.code_combo.setCurrentIndex(max(0, self.code_combo.findData(values.code)))
        self.select_room_session(values.room, values.session_uid, or_site=True)
        self.time_edit.setDateTime(QDateTime(values.occurred_at))
        self.candidates_edit.setText("，".join(values.candidates))
        self.minutes_spin.setValue(values.minutes or 0)
        self.description_edit.setPlainText(values.description)
        self.action_edit.setText(values.action)
        self.by_edit.setText(values.recorded_by)

    def select_room_session(self, room: str, session_uid: str, *, or_site: bool = False) -> None:
        """Pick this room session (the panel's filter, an edit's); the whole site instead
        when it is not one of the choices and ``or_site``."""
        found = next(
            (c for c in self.choices if (c.room, c.session_uid) == (room, session_uid)), None
        )
        index = self.where_combo.findData(found.room_session_uid) if found else -1
        if index >= 0 or or_site:
            self.where_combo.setCurrentIndex(max(0, index))

    def room_session(self) -> tuple[str, str]:
        """The chosen (room, session UID); ("", "") for the whole site."""
        uid = self.where_combo.currentData()
        found = next((c for c in self.choices if c.room_session_uid == uid), None)
        return (found.room, found.session_uid) if found else ("", "")

    def values(self) -> IncidentForm:
        code = str(self.code_combo.currentData())
        room, session_uid = self.room_session()
        moment = self.time_edit.dateTime().toPython()
        assert isinstance(moment, dt.datetime)
        text = self.candidates_edit.text()
        for sep in ("，", "、", ";", "；", " "):
            text = text.replace(sep, ",")
        return IncidentForm(
            code=code,
            occurred_at=moment.replace(second=0, microsecond=0),
            action=self.action_edit.text(),
            room=room,
            session_uid=session_uid,
            candidates=tuple(p.strip() for p in text.split(",") if p.strip()),
            minutes=self.minutes_spin.value() if RULES[IncidentCode(code)].minutes else None,
            description=self.description_edit.toPlainText(),
            recorded_by=self.by_edit.text(),
        )

    def set_candidates(self, room_session_uid: str, people: Sequence[CandidateRef]) -> None:
        """The candidates of the chosen room session, to pick from (an answer for another
        room session than the one chosen now is dropped)."""
        if room_session_uid == self.where_combo.currentData():
            self._set_pick_items(people)

    def _set_pick_items(self, people: Sequence[CandidateRef]) -> None:
        self.pick_combo.clear()
        self.pick_combo.addItem("从本考场添加考生…" if people else "（先选考场场次）", "")
        for person in people:
            self.pick_combo.addItem(f"{person.seat} 号　{person.name}", person.id_number)
        self.pick_combo.setEnabled(bool(people))

    def _on_pick_combo_activated(self, index: int) -> None:
        id_number = str(self.pick_combo.itemData(index) or "")
        self.pick_combo.setCurrentIndex(0)
        if not id_number:
            return
        current = [p for p in self.values().candidates]
        if id_number not in current:
            self.candidates_edit.setText("，".join([*current, id_number]))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.adjustSize()  # grow for the message rather than squeeze the fields

    def _on_code_combo_current_index_changed(self, *_args: object) -> None:
        code = IncidentCode(str(self.code_combo.currentData()))
        rule = RULES[code]
        self.hint_label.setText(HINTS[code])
        self.minutes_spin.setEnabled(rule.minutes)
        self.candidates_edit.setPlaceholderText(
            "证件号码，多个用逗号分开" + ("（必填）" if rule.candidates else "（可不填）")
        )

    def _on_where_combo_current_index_changed(self, index: int) -> None:
        self._set_pick_items([])
        if index <= 0:
            return
        self.candidates_wanted.emit(str(self.where_combo.currentData()))
        # The time moves to the chosen session's day (keeping the time of day).
        choice = self.choices[index - 1]
        moment = self.time_edit.dateTime().toPython()
        assert isinstance(moment, dt.datetime)
        if moment.date() != choice.starts_at.date():
            moved = dt.datetime.combine(choice.starts_at.date(), choice.starts_at.time())
            self.time_edit.setDateTime(QDateTime(moved))

    def _on_save_clicked(self) -> None:
        self.error_label.hide()
        self.save_requested.emit(self.values())
