"""Table models of the staff page: the roster and the per-room-session assignments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from examsite.messages import render
from examsite.messages.staff import ROLE_TITLES
from examsite.services.invigilation import SlotRow
from examsite.services.staff import StaffInfo

_Index = QModelIndex | QPersistentModelIndex
WARN_COLOR = QColor("#b45309")
SHORT_COLOR = QColor("#b91c1c")


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows())

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def _rows(self) -> Sequence[object]:
        raise NotImplementedError


class RosterModel(_Table):
    """The staff roster, one person a row."""

    HEADERS = (
        "姓名",
        "岗位",
        "所属部门",
        "手机号",
        "任教专业",
        "任教班级",
        "监考资格",
        "每日上限",
        "监考场次",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.staff: list[StaffInfo] = []
        self.default_cap = 3

    def set_staff(self, staff: Sequence[StaffInfo], default_cap: int) -> None:
        self.beginResetModel()
        self.staff = list(staff)
        self.default_cap = default_cap
        self.endResetModel()

    def _rows(self) -> Sequence[object]:
        return self.staff

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        s = self.staff[index.row()]
        cap = f"{s.daily_duty_cap}" if s.daily_duty_cap else f"{self.default_cap}（默认）"
        values = (
            s.name,
            "、".join(ROLE_TITLES.get(r, r) for r in s.roles),
            s.department,
            s.phone,
            "、".join(m.name or m.code for m in s.majors),
            "、".join(s.classes),
            "有" if s.certified else "—",
            cap,
            str(s.duties),
        )
        return values[index.column()]


class AssignmentModel(_Table):
    """One room session a row: room, time, candidates, required, invigilators, warnings."""

    HEADERS = ("考场", "场次时间", "科目", "考生", "需要", "监考员", "警告")
    WARNINGS = 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[SlotRow] = []

    def set_rows(self, rows: Sequence[SlotRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def _rows(self) -> Sequence[object]:
        return self.rows

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 3 and r.projected:
                return "尚未排考：按报考人数和考场容量估算"
            if index.column() in (5, self.WARNINGS):
                return self._text(r, self.WARNINGS).replace("；", "\n") or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() in (4, 5) and r.short:
                return SHORT_COLOR
            if index.column() == self.WARNINGS:
                return WARN_COLOR
        return None

    @staticmethod
    def _text(r: SlotRow, column: int) -> str:
        if column == 0:
            return r.room
        if column == 1:
            return f"{r.starts_at:%m-%d %H:%M}–{r.ends_at:%H:%M}"
        if column == 2:
            return r.subject
        if column == 3:
            return f"{r.candidates}{'（估）' if r.projected else ''}"
        if column == 4:
            return f"{r.required}" + (f"（缺 {r.short}）" if r.short else "")
        if column == 5:
            return "、".join(a.name + ("（手动）" if a.manual else "") for a in r.invigilators)
        return "；".join(f"{a.name}：{render(p)}" for a in r.invigilators for p in a.warnings)
