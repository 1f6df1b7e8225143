"""The statistics tab's tables: rows of text already worded, figures right-aligned.

One small model serves the pass-rate, subject and session tables: the panel turns the
statistics (``services.statistics``) into ``StatRow``s; the model only shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class StatRow:
    """One row: its cells as shown, and a tooltip for the whole row ("" for none)."""

    cells: tuple[str, ...]
    tooltip: str = ""


class StatTableModel(QAbstractTableModel):
    """A read-only table of ``StatRow``s under ``headers``; every column after the first
    ``text_columns`` holds a figure and is right-aligned."""

    def __init__(self, headers: Sequence[str], *, text_columns: int = 1) -> None:
        super().__init__()
        self.headers = tuple(headers)
        self.text_columns = text_columns
        self._rows: tuple[StatRow, ...] = ()

    def set_rows(self, rows: Sequence[StatRow]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row(self, index: int) -> StatRow:
        return self._rows[index]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_LEFT if section < self.text_columns else _RIGHT)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if not 0 <= index.column() < len(row.cells):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or row.cells[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_LEFT if index.column() < self.text_columns else _RIGHT)
        return None
