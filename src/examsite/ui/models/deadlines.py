"""The dashboard's deadlines table: one row per exam plan, one column per window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from examsite.services.catalog import WINDOWS, PlanInfo
from examsite.services.status import Deadline, days_until
from examsite.ui.wording import days_left_text, deadline_date

HEADERS = ("考试计划", "报考截止", "排考截止", "考试日期", "成绩登记截止", "成绩公示截止")
PAST = QColor("#8c959f")
CURRENT = QColor("#1f6feb")
URGENT = QColor("#cf222e")
URGENT_DAYS = 7

AnyIndex = QModelIndex | QPersistentModelIndex


class DeadlinesModel(QAbstractTableModel):
    """Each cell: the window's date and the days left; past windows greyed out."""

    def __init__(self) -> None:
        super().__init__()
        self._plans: tuple[PlanInfo, ...] = ()
        self._windows: list[dict[str, Deadline]] = []
        self._now = dt.datetime.now()

    def set_plans(self, plans: tuple[PlanInfo, ...], now: dt.datetime) -> None:
        self.beginResetModel()
        self._plans = plans
        self._windows = [{w: Deadline(w, s, e) for w, s, e in p.windows} for p in plans]
        self._now = now
        self.endResetModel()

    def plan(self, row: int) -> PlanInfo:
        return self._plans[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._plans)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def deadline(self, index: AnyIndex) -> Deadline | None:
        if not index.isValid() or index.column() == 0:
            return None
        return self._windows[index.row()].get(WINDOWS[index.column() - 1])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._plans):
            return None
        plan = self._plans[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return plan.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{plan.name}\n计划编号：{plan.code}"
            return None
        deadline = self.deadline(index)
        if deadline is None:
            return "—" if role == Qt.ItemDataRole.DisplayRole else None
        moment = deadline_date(deadline)
        days = days_until(moment, self._now)
        running = deadline.start <= self._now <= deadline.end
        if role == Qt.ItemDataRole.DisplayRole:
            if running and deadline.window != "exam":
                return f"{moment:%Y-%m-%d}\n进行中，{days_left_text(days)}"
            if running:
                return f"{moment:%Y-%m-%d}\n考试进行中"
            return f"{moment:%Y-%m-%d}\n{days_left_text(days)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{deadline.start:%Y-%m-%d %H:%M} 至 {deadline.end:%Y-%m-%d %H:%M}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if deadline.end < self._now:
                return PAST
            if days <= URGENT_DAYS:
                return URGENT
            return CURRENT if running else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
