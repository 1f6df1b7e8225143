"""The 同步 page's lists: the bundle history (数据包记录) and a table that says, in words,
when it is empty.

``EmptyOr`` stacks a table and a sentence: the sentence when the table has no rows, the
table otherwise. ``BundleHistory`` is the history table (时间, 方向, 类型, 结果, 文件, 内容)
in an ``EmptyOr``; the page hands it ``bundle_log.bundle_history``'s entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QStackedWidget, QTableView, QWidget

from examsite.messages import text
from examsite.services.bundle_log import (
    REFUSED,
    BundleEntry,
    content_text,
    direction_title,
    kind_title,
    outcome_title,
)
from examsite.ui.widgets import ReadOnlyTable, label

HISTORY_COLUMNS: Final = ("时间", "方向", "类型", "结果", "文件", "内容")
REFUSED_COLOUR: Final = QColor("#cf222e")


class EmptyOr(QStackedWidget):
    """``table``, or ``empty_text`` in its place while the table has no rows."""

    def __init__(self, table: QTableView, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.empty_label: QLabel = label(empty_text, "emptyText", wrap=True)
        self.empty_label.setObjectName(f"{table.objectName()}Empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(16)
        self.addWidget(table)
        self.addWidget(self.empty_label)
        model = table.model()
        for changed in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            changed.connect(self._follow)
        self._follow()

    @property
    def showing_empty(self) -> bool:
        return self.currentWidget() is self.empty_label

    def set_empty_text(self, empty_text: str) -> None:
        self.empty_label.setText(empty_text)

    def _follow(self, *_args: object) -> None:
        empty = self.table.model().rowCount() == 0
        self.setCurrentWidget(self.empty_label if empty else self.table)


class BundleHistory(EmptyOr):
    """The bundles written and read on this PC, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.model = QStandardItemModel(0, len(HISTORY_COLUMNS))
        self.model.setHorizontalHeaderLabels(list(HISTORY_COLUMNS))
        table = ReadOnlyTable(
            self.model,
            name="syncHistory",
            wrap=True,
            widths={0: 124, 1: 44, 2: 86, 3: 62, 4: 330},
            stretch=5,
        )
        table.verticalHeader().setMinimumSectionSize(30)
        super().__init__(table, text("bundle_log.empty"), parent)
        self.model.setParent(self)
        self.entries: tuple[BundleEntry, ...] = ()

    def show_entries(self, entries: Sequence[BundleEntry]) -> None:
        self.entries = tuple(entries)
        self.model.removeRows(0, self.model.rowCount())
        for entry in self.entries:
            content = content_text(entry)
            cells = [
                QStandardItem(f"{entry.at:%Y-%m-%d %H:%M}"),
                QStandardItem(direction_title(entry.direction)),
                QStandardItem(kind_title(entry.kind)),
                QStandardItem(outcome_title(entry.outcome)),
                QStandardItem(entry.file_name or "—"),
                QStandardItem(content),
            ]
            details = [content]
            if entry.summary.get("site"):
                details.append(f"考点：{entry.summary['site']}")
            if entry.path:
                details.append(f"文件：{entry.path}")
            if entry.sha256:
                details.append(f"SHA-256：{entry.sha256}")
            tip = "\n".join(details)
            for cell in cells:
                cell.setToolTip(tip)
            if entry.outcome == REFUSED:
                cells[3].setForeground(REFUSED_COLOUR)
            self.model.appendRow(cells)
