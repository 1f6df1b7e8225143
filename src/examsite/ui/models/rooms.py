"""The rooms page's tables: rows of text with an optional tone per row (a session short
of seats, a clash), one small model for all four tabs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

AnyIndex = QModelIndex | QPersistentModelIndex
TONES = {"error": QColor("#cf222e"), "muted": QColor("#8c959f"), "ok": QColor("#1a7f37")}


class TextTableModel(QAbstractTableModel):
    """Rows of strings under ``headers``; ``keys`` name each row for the page (a uid);
    ``tones`` colour a row's text ("error", "muted", "ok"); ``numeric`` columns are
    right-aligned."""

    def __init__(
        self, headers: Sequence[str], numeric: Sequence[int] = (), parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)
        self.numeric = frozenset(numeric)
        self._rows: list[tuple[str, ...]] = []
        self._keys: list[str] = []
        self._tones: list[str] = []

    def set_rows(
        self,
        rows: Sequence[Sequence[str]],
        keys: Sequence[str] | None = None,
        tones: Sequence[str] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._keys = list(keys) if keys is not None else [""] * len(self._rows)
        self._tones = list(tones) if tones is not None else [""] * len(self._rows)
        self.endResetModel()

    def key(self, row: int) -> str:
        return self._keys[row]

    def row_texts(self, row: int) -> tuple[str, ...]:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[row][column]
        if role == Qt.ItemDataRole.ForegroundRole:
            return TONES.get(self._tones[row])
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
