"""The rooms page's dialogs: a room's (or a lab's) form, a session's times, and the file
dialogs and questions in one object that tests replace (``RoomDialogs``).

The form emits ``save_requested`` with a ``RoomForm`` (and the certificate for a new
room); the page runs the service on the worker and either closes the form or shows the
refusal in it (``show_error``), so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examsite.messages import certificate_title
from examsite.services.rooms import MAX_SEATS, RoomForm
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose
from examsite.ui.widgets import button, label

IMPORT_FILTER = "Excel 或 CSV 表格 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
DIALOG_STYLE = """
QDialog { background: #ffffff; }
QLineEdit { border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 8px; min-height: 20px; }
QLineEdit:focus { border: 1px solid #1f6feb; }
"""


def _buttons(dialog: QDialog, ok_text: str, on_ok: object) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button("取消", dialog.reject))
    ok = button(ok_text, on_ok, kind="primary")  # type: ignore[arg-type]
    ok.setDefault(True)
    row.addWidget(ok)
    return row


class RoomFormDialog(QDialog):
    """A room's (or a lab's) name, seats, exam capacity and address. ``certificates``
    ((code, name, level) …) shows the certificate box, for a new room."""

    save_requested = Signal(object, str)  # RoomForm, certificate code ("" for a lab)

    def __init__(
        self,
        title: str,
        *,
        certificates: Sequence[tuple[str, str, str]] = (),
        values: RoomForm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("roomForm")
        self.setWindowTitle(title)
        self.setStyleSheet(DIALOG_STYLE)
        self.setMinimumWidth(460)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.certificate_combo = QComboBox()
        for code, name, level in certificates:
            self.certificate_combo.addItem(certificate_title(name, level), code)
        if certificates:
            form.addRow("证书", self.certificate_combo)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如“信息楼 301 机房”")
        self.seats_spin = QSpinBox()
        self.seats_spin.setRange(1, MAX_SEATS)
        self.seats_spin.setValue(40)
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(0, MAX_SEATS)
        self.capacity_spin.setSpecialValueText("不限（与考位数相同）")
        self.capacity_spin.setToolTip("隔位就座时，考试能用的座位少于考位数")
        for box in (self.certificate_combo, self.seats_spin, self.capacity_spin):
            box.setMinimumHeight(30)
        self.province_edit = QLineEdit()
        self.city_edit = QLineEdit()
        self.district_edit = QLineEdit()
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText("楼栋、楼层、门牌")
        form.addRow("名称", self.name_edit)
        form.addRow("考位数", self.seats_spin)
        form.addRow("考试容量", self.capacity_spin)
        place = QHBoxLayout()
        for edit, hint in (
            (self.province_edit, "省"),
            (self.city_edit, "市"),
            (self.district_edit, "区/县"),
        ):
            edit.setPlaceholderText(hint)
            place.addWidget(edit)
        form.addRow("所在地", place)
        form.addRow("详细地址", self.address_edit)
        self.error_label = label("", "fieldError", wrap=True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(label(title, "dialogTitle"))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(_buttons(self, "保存", self._on_save_clicked))
        if values is not None:
            self.set_values(values)

    def set_values(self, values: RoomForm) -> None:
        self.name_edit.setText(values.name)
        self.seats_spin.setValue(values.seats)
        self.capacity_spin.setValue(values.exam_capacity or 0)
        self.province_edit.setText(values.province)
        self.city_edit.setText(values.city)
        self.district_edit.setText(values.district)
        self.address_edit.setText(values.address)

    def values(self) -> RoomForm:
        return RoomForm(
            name=self.name_edit.text(),
            seats=self.seats_spin.value(),
            exam_capacity=self.capacity_spin.value() or None,
            province=self.province_edit.text(),
            city=self.city_edit.text(),
            district=self.district_edit.text(),
            address=self.address_edit.text(),
        )

    def certificate(self) -> str:
        return str(self.certificate_combo.currentData() or "")

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _on_save_clicked(self) -> None:
        self.error_label.hide()
        self.save_requested.emit(self.values(), self.certificate())


class SessionTimeDialog(QDialog):
    """A session's start and end (the same day as a rule; any time inside the plan's exam
    window is taken by the service)."""

    save_requested = Signal(object, object)  # start, end (datetime)

    def __init__(
        self, title: str, start: dt.datetime, end: dt.datetime, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sessionTime")
        self.setWindowTitle("调整场次时间")
        self.setStyleSheet(DIALOG_STYLE)
        self.setMinimumWidth(420)
        self.start_edit = QDateTimeEdit(QDateTime(start))
        self.end_edit = QDateTimeEdit(QDateTime(end))
        for edit in (self.start_edit, self.end_edit):
            edit.setMinimumHeight(30)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.length = end - start
        self.start_edit.dateTimeChanged.connect(self._on_start_edit_date_time_changed)
        form = QFormLayout()
        form.addRow("开始", self.start_edit)
        form.addRow("结束", self.end_edit)
        self.error_label = label("", "fieldError", wrap=True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(label(title, "dialogTitle", wrap=True))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(_buttons(self, "保存", self._on_save_clicked))

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        return (
            self.start_edit.dateTime().toPython().replace(second=0, microsecond=0),  # type: ignore[union-attr]
            self.end_edit.dateTime().toPython().replace(second=0, microsecond=0),  # type: ignore[union-attr]
        )

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _on_start_edit_date_time_changed(self, moment: QDateTime) -> None:
        # The end follows the start, keeping the subject's length.
        self.end_edit.setDateTime(QDateTime(moment.toPython() + self.length))  # type: ignore[operator]

    def _on_save_clicked(self) -> None:
        self.error_label.hide()
        start, end = self.times()
        self.save_requested.emit(start, end)


class RoomDialogs(FileDialogs):
    """The rooms page's file dialogs and questions; tests hand in a replacement."""

    def open_import_file(self, parent: QWidget) -> Path | None:
        return self.ask_open(Purpose.IMPORT, parent, "选择考场表", IMPORT_FILTER)

    def save_template(self, parent: QWidget) -> Path | None:
        return self.ask_save(
            Purpose.TEMPLATE, parent, "保存考场导入模板", XLSX_FILTER, "考场导入模板.xlsx"
        )

    def save_export(self, parent: QWidget, plan_code: str) -> Path | None:
        return self.ask_save(
            Purpose.TEMPLATE, parent, "导出考场表", XLSX_FILTER, f"考场表-{plan_code}.xlsx"
        )

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        yes = box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes
