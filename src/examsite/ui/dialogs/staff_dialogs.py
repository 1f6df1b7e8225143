"""The staff page's dialogs: one person's form, and the hand adjustment of one room
session (each person with why the rules keep them out, if they do)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.staff_roles import Role
from examsite.messages import render
from examsite.messages.staff import ROLE_TITLES
from examsite.services.invigilation import Explanation
from examsite.services.staff import Major, StaffInfo, StaffInput
from examsite.ui.widgets import label, resize_within_screen


class StaffDialog(QDialog):
    """Add or edit one member of staff."""

    def __init__(self, person: StaffInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("修改考务人员" if person else "添加考务人员")
        self.name = QLineEdit(person.name if person else "")
        self.phone = QLineEdit(person.phone if person else "")
        self.department = QLineEdit(person.department if person else "")
        self.majors = QLineEdit(
            "，".join(f"{m.code}:{m.name}" if m.code else m.name for m in person.majors)
            if person
            else ""
        )
        self.majors.setPlaceholderText("如 630801:电子商务，多个用逗号分隔")
        self.classes = QLineEdit("，".join(person.classes) if person else "")
        self.classes.setPlaceholderText("与考生名单中的班级一致，如 电商2101")
        self.certified = QCheckBox("有监考资格")
        self.certified.setChecked(bool(person and person.certified))
        self.cap = QSpinBox()
        self.cap.setRange(0, 12)
        self.cap.setSpecialValueText("全站默认")
        self.cap.setValue(person.daily_duty_cap or 0 if person else 0)
        self.roles: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        held = set(person.roles) if person else {Role.INVIGILATOR.value}
        for index, role in enumerate(Role):
            box = QCheckBox(ROLE_TITLES[role.value])
            box.setChecked(role.value in held)
            self.roles[role.value] = box
            grid.addWidget(box, index // 4, index % 4)
        form = QFormLayout()
        form.addRow("姓名", self.name)
        form.addRow("手机号", self.phone)
        form.addRow("所属部门", self.department)
        form.addRow("岗位", grid)
        form.addRow("任教专业", self.majors)
        form.addRow("任教班级", self.classes)
        form.addRow("", self.certified)
        form.addRow("每日监考上限", self.cap)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            label(
                "任教专业和班级用于回避：监考员不监考自己任教专业或班级的考生。",
                "dialogHint",
                wrap=True,
            )
        )
        layout.addWidget(buttons)
        resize_within_screen(self, QSize(560, 460))

    def values(self) -> StaffInput:
        majors = []
        for part in _split(self.majors.text()):
            code, colon, name = part.partition(":")
            if not colon:
                code, name = (part, "") if part.isdigit() else ("", part)
            majors.append(Major(code.strip(), name.strip()))
        return StaffInput(
            name=self.name.text(),
            phone=self.phone.text(),
            department=self.department.text(),
            roles=tuple(key for key, box in self.roles.items() if box.isChecked()),
            majors=tuple(majors),
            classes=_split(self.classes.text()),
            certified=self.certified.isChecked(),
            daily_duty_cap=self.cap.value() or None,
        )


def _split(text: str) -> tuple[str, ...]:
    parts = text.replace("，", ",").replace("、", ",").replace("：", ":").split(",")
    return tuple(p.strip() for p in parts if p.strip())


class ManualDialog(QDialog):
    """Tick who invigilates one room session; each person shows why the rules keep them
    out (a tick against a rule is allowed and stored with its warning)."""

    def __init__(self, explanation: Explanation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explanation = explanation
        e = explanation
        self.setWindowTitle(f"手动调整监考：{e.room}")
        caption = label(
            f"{e.room}　{e.starts_at:%Y-%m-%d %H:%M}　考生 {e.candidates} 人，需要监考员 {e.required} 人。"
            "勾选监考人员；违反规则的安排会保存并显示警告。",
            "dialogText",
            wrap=True,
        )
        self.table = QTableWidget(len(e.people), 4)
        self.table.setObjectName("manualTable")
        self.table.setHorizontalHeaderLabels(["安排", "姓名", "所属部门", "说明"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        for row, person in enumerate(e.people):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(
                Qt.CheckState.Checked if person.assigned else Qt.CheckState.Unchecked
            )
            self.table.setItem(row, 0, tick)
            self.table.setItem(row, 1, QTableWidgetItem(person.name))
            self.table.setItem(row, 2, QTableWidgetItem(person.department))
            why = "；".join(render(p) for p in person.reasons)
            if person.assigned:
                why = ("已安排（手动）" if person.manual else "已安排") + (
                    "：" + why if why else ""
                )
            self.table.setItem(row, 3, QTableWidgetItem(why))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        resize_within_screen(self, QSize(860, 560))

    def set_ticked(self, name: str, ticked: bool) -> None:
        for row, person in enumerate(self.explanation.people):
            if person.name == name:
                item = self.table.item(row, 0)
                assert item is not None
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def changes(self) -> tuple[list[str], list[str]]:
        """(uids to add, uids to take out)."""
        add, remove = [], []
        for row, person in enumerate(self.explanation.people):
            item = self.table.item(row, 0)
            ticked = item is not None and item.checkState() == Qt.CheckState.Checked
            if ticked and not person.assigned:
                add.append(person.uid)
            elif not ticked and person.assigned:
                remove.append(person.uid)
        return add, remove
