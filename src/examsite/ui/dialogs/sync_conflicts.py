"""The conflicts of a transfer bundle, chosen one by one (同步 page, 导入传输包…).

A conflict is a record both PCs changed in the same field(s) since their last sync
(``services.transfer_records.Conflict``). ``ConflictDialog`` lists every field of every
conflict — the record, the field, 本机的值, 对方的值 — with a choice per row
(保留本机 / 用对方的); 全部保留本机 and 全部用对方 choose every row at once. The merge
takes a choice per record (``import_bundle(resolutions={conflict.key: "mine" |
"theirs"})``), so the rows of one record move together. 导入 is enabled once every record
has its choice; ``resolutions()`` is then the mapping to hand to ``import_bundle``. The
dialog touches no database.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import QSize
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from examsite.messages import FIELD_TITLES
from examsite.services.transfer_records import ENTITY_TITLES, Conflict
from examsite.ui.widgets import ReadOnlyTable, button, label, resize_within_screen

COLUMNS: Final = ("记录", "字段", "本机的值", "对方的值", "采用")
CHOICE_COLUMN: Final = 4
MINE: Final = "mine"
THEIRS: Final = "theirs"
CHOICES: Final = (("请选择…", None), ("保留本机的", MINE), ("用对方的", THEIRS))
# The fields a transfer bundle carries that the candidate template does not name.
_MORE_FIELD_TITLES: Final = {
    "class_name": "班级",
    "status": "考生状态",
    "platform_status": "平台状态",
    "uploaded_at": "上传时间",
    "extra": "其他信息",
    "school": "学校",
    "seats": "座位数",
    "exam_capacity": "考试容量",
    "room_type": "类型",
    "address": "地址",
    "department": "部门",
    "roles": "职务",
    "certified": "持证",
    "daily_duty_cap": "每日监考上限",
    "fee": "费用",
    "source": "来源",
    "home_school": "所在学校",
    "ticket_number": "准考证号",
    "ticket_official": "准考证号（平台）",
    "seat_number": "座位号",
    "room_session": "考场场次",
    "subjects": "科目",
    "photo": "照片",
    "director": "负责人",
    "code": "编号",
}


def field_title(name: str) -> str:
    """A field as the coordinator knows it (the key itself when nothing better is known)."""
    return FIELD_TITLES.get(name) or _MORE_FIELD_TITLES.get(name) or name


def value_text(value: Any) -> str:
    """A field's value as plain text; an empty one says so."""
    if value is None or value == "" or value == [] or value == {}:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):  # names
        return "、".join(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


class ConflictDialog(QDialog):
    """Every conflict's fields with a choice per row; see the module."""

    def __init__(
        self, conflicts: Sequence[Conflict], summary: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncConflicts")
        self.setWindowTitle("两台电脑都改过的记录")
        self.conflicts = tuple(conflicts)
        self._choices: dict[str, str | None] = {c.key: c.resolution for c in self.conflicts}
        self._combos: dict[str, list[QComboBox]] = {}
        self._rows: list[str] = []  # row → the conflict's key

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = ReadOnlyTable(
            self.model,
            name="syncConflictTable",
            selectable=False,
            wrap=True,
            widths={0: 200, 1: 110, 2: 190, 3: 190, 4: 130},
            stretch=3,
        )
        self.table.verticalHeader().setMinimumSectionSize(36)
        for conflict in self.conflicts:
            entity = ENTITY_TITLES.get(conflict.entity, conflict.entity)
            for at, item in enumerate(conflict.fields):
                record = QStandardItem(f"{entity}：{conflict.label}" if at == 0 else "")
                record.setToolTip(conflict.key)
                cells = [
                    record,
                    QStandardItem(field_title(item.field)),
                    QStandardItem(value_text(item.mine)),
                    QStandardItem(value_text(item.theirs)),
                    QStandardItem(""),
                ]
                for cell in cells[2:4]:
                    cell.setToolTip(cell.text())
                self.model.appendRow(cells)
                self._rows.append(conflict.key)
        for row, key in enumerate(self._rows):
            combo = QComboBox()
            combo.setObjectName(f"conflictChoice{row}")
            for text, _value in CHOICES:
                combo.addItem(text)
            combo.setCurrentIndex(_index_of(self._choices[key]))
            combo.currentIndexChanged.connect(
                lambda index, key=key: self.choose(key, CHOICES[index][1])
            )
            self._combos.setdefault(key, []).append(combo)
            self.table.setIndexWidget(self.model.index(row, CHOICE_COLUMN), combo)

        count = len(self.conflicts)
        intro = label(
            (summary + "\n\n" if summary else "")
            + f"下面 {count} 条记录在两台电脑上都改过同一项，请逐条选择保留哪一边。"
            "同一条记录的几项一起选择；没有列出的改动照常合并。",
            "dialogHint",
            wrap=True,
        )
        self.all_mine_button = button("全部保留本机", lambda: self.choose_all(MINE))
        self.all_theirs_button = button("全部用对方", lambda: self.choose_all(THEIRS))
        self.status_label = label("", "dialogHint")
        self.import_button = QPushButton("导入")
        self.import_button.setObjectName("primaryButton")
        self.import_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)

        shortcuts = QHBoxLayout()
        shortcuts.addWidget(self.all_mine_button)
        shortcuts.addWidget(self.all_theirs_button)
        shortcuts.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(shortcuts)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        resize_within_screen(self, QSize(960, 560))
        self._update()

    def choose(self, key: str, choice: str | None) -> None:
        """Choose ``choice`` ("mine" / "theirs" / None) for the record ``key`` (every row)."""
        self._choices[key] = choice
        for combo in self._combos.get(key, []):
            combo.blockSignals(True)
            combo.setCurrentIndex(_index_of(choice))
            combo.blockSignals(False)
        self._update()

    def choose_all(self, choice: str) -> None:
        for key in self._choices:
            self.choose(key, choice)

    def combo(self, row: int) -> QComboBox:
        """The choice of table row ``row``."""
        widget = self.table.indexWidget(self.model.index(row, CHOICE_COLUMN))
        assert isinstance(widget, QComboBox)
        return widget

    @property
    def open_count(self) -> int:
        return sum(1 for choice in self._choices.values() if choice is None)

    def resolutions(self) -> dict[str, str]:
        """{conflict key: "mine" | "theirs"} for ``import_bundle`` (chosen records only)."""
        return {key: choice for key, choice in self._choices.items() if choice is not None}

    def _update(self) -> None:
        waiting = self.open_count
        self.import_button.setEnabled(waiting == 0)
        self.status_label.setText(f"还有 {waiting} 条没有选择" if waiting else "都已选择")


def _index_of(choice: str | None) -> int:
    return next(at for at, (_text, value) in enumerate(CHOICES) if value == choice)
