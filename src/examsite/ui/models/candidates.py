"""The candidate list: every candidate in memory, filtered and sorted without the database.

The page loads the rows once through the worker (``list_candidates``) and hands them to
``CandidatesModel.set_rows``. Filtering (status, kind, a search text) and sorting work on
that list in memory: the rows' lowercase search keys are built on the first search (not
before the first screenful shows), the cell texts are rendered the first time a row is
painted and kept (Anki's browser keeps a row cache the same way), and a sort key per
column is built on the first click on its header. The
view is a list of positions into the rows, so a filter change is one pass over plain
Python strings — 10,000 rows in a few milliseconds.

ID numbers are masked in the list (420102********123X), phone numbers too; the full values
only appear in the edit form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from examsite.domain.candidate_status import CandidateStatus, PhotoState
from examsite.messages import CANDIDATE_STATUS_TITLES, FIELD_TITLES, KIND_TITLES, PHOTO_TITLES
from examsite.services.candidates import CandidateRow, mask_id

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    PINYIN = 1
    GENDER = 2
    ID_NUMBER = 3
    KIND = 4
    PHONE = 5
    MAJOR = 6
    STATUS = 7
    PHOTO = 8


HEADERS = ("姓名", "拼音", "性别", "证件号码", "类型", "手机号码", "专业", "状态", "照片")
# The platform's statuses in the order a coordinator works through them.
STATUS_ORDER: tuple[str, ...] = tuple(s.value for s in CandidateStatus)
# The photo column sorts what needs work first.
PHOTO_ORDER: dict[PhotoState, int] = {
    PhotoState.REJECTED: 0,
    PhotoState.MISSING: 1,
    PhotoState.REVIEW: 2,
    PhotoState.FIXED: 3,
    PhotoState.PASS: 4,
}

# (text, background) of each status pill.
STATUS_COLOURS: dict[str, tuple[QColor, QColor]] = {
    "no_photo": (QColor("#bc4c00"), QColor("#fff1e5")),
    "incomplete": (QColor("#bc4c00"), QColor("#fff1e5")),
    "ready": (QColor("#57606a"), QColor("#eaeef2")),
    "pending": (QColor("#9a6700"), QColor("#fff8c5")),
    "manual": (QColor("#cf222e"), QColor("#ffebe9")),
    "verified": (QColor("#1a7f37"), QColor("#dafbe1")),
}
PHOTO_COLOURS: dict[PhotoState, QColor] = {
    PhotoState.PASS: QColor("#1a7f37"),
    PhotoState.FIXED: QColor("#0969da"),
    PhotoState.REVIEW: QColor("#9a6700"),
    PhotoState.REJECTED: QColor("#cf222e"),
    PhotoState.MISSING: QColor("#8c959f"),
}
MUTED = QColor("#8c959f")
PILL_ROLE = Qt.ItemDataRole.UserRole + 1  # (text colour, background) of a status cell
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's CandidateRow

_CENTRED = int(Qt.AlignmentFlag.AlignCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTRED_COLUMNS = frozenset({Column.GENDER, Column.KIND, Column.STATUS, Column.PHOTO})


def mask_phone(phone: str) -> str:
    """A mobile number with its middle four digits hidden: 138****8000."""
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]}****{phone[7:]}"
    return phone


def initials(pinyin: str) -> str:
    """The first letter of each syllable word: "Ouyang Xiaoming" → "ox"."""
    return "".join(word[0] for word in pinyin.lower().split() if word)


def search_key(row: CandidateRow) -> str:
    """What the search box looks in, lowercase: name, pinyin (with and without spaces,
    initials), ID number and phone."""
    pinyin = row.pinyin.lower()
    return "\n".join(
        (
            row.name,
            pinyin,
            pinyin.replace(" ", ""),
            initials(pinyin),
            row.id_number.lower(),
            row.phone,
        )
    )


def render_row(row: CandidateRow) -> tuple[str, ...]:
    """The texts of a row's cells, in ``Column`` order."""
    return (
        row.name,
        row.pinyin,
        row.gender,
        mask_id(row.id_number),
        KIND_TITLES.get(row.kind, row.kind),
        mask_phone(row.phone),
        row.major or row.extra.get("major", ""),
        CANDIDATE_STATUS_TITLES.get(row.status, row.status),
        PHOTO_TITLES[row.photo_state],
    )


def _status_rank(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


_SORT_KEYS: dict[Column, Callable[[CandidateRow], Any]] = {
    # Chinese names sort by their reading, as in a class register.
    Column.NAME: lambda r: (r.pinyin.lower(), r.name),
    Column.PINYIN: lambda r: r.pinyin.lower(),
    Column.GENDER: lambda r: r.gender,
    Column.ID_NUMBER: lambda r: r.id_number,
    Column.KIND: lambda r: r.kind,
    Column.PHONE: lambda r: r.phone,
    Column.MAJOR: lambda r: r.major or r.extra.get("major", ""),
    Column.STATUS: lambda r: _status_rank(r.status),
    Column.PHOTO: lambda r: PHOTO_ORDER[r.photo_state],
}


class CandidatesModel(QAbstractTableModel):
    """All candidates, of which the rows passing the filter are shown, in the sort order.

    ``status_counts`` and ``kind_counts`` count the rows that pass the other filters (the
    numbers on the status chips and in the kind box); a row is counted under its status
    and under each of its issues (``CandidateRow.filter_keys``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CandidateRow] = []
        self._keys: list[str] | None = None  # the search keys, built on the first search
        self._filter_keys: list[frozenset[str]] = []
        self._cells: list[tuple[str, ...] | None] = []  # rendered on first paint
        self._sort_keys: dict[Column, list[Any]] = {}
        self._view: list[int] = []
        self._positions: dict[int, int] | None = None  # candidate id → view row
        self._status: str | None = None
        self._kind: str | None = None
        self._terms: tuple[str, ...] = ()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.status_counts: Counter[str] = Counter()
        self.status_total = 0  # the rows the 全部 chip counts (a row once)
        self.kind_counts: Counter[str] = Counter()

    # -- the rows ------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[CandidateRow]) -> None:
        """Replace every row (the filter and the sort order stay)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = None
        self._filter_keys = [r.filter_keys for r in self._rows]
        self._cells = [None] * len(self._rows)
        self._sort_keys = {}
        self._apply()
        self.endResetModel()

    def upsert(self, row: CandidateRow) -> None:
        """Put a saved candidate in place of its old row, or add it at the end."""
        at = next((i for i, r in enumerate(self._rows) if r.id == row.id), None)
        self.beginResetModel()
        if at is None:
            self._rows.append(row)
            if self._keys is not None:
                self._keys.append(search_key(row))
            self._filter_keys.append(row.filter_keys)
            self._cells.append(None)
        else:
            self._rows[at] = row
            if self._keys is not None:
                self._keys[at] = search_key(row)
            self._filter_keys[at] = row.filter_keys
            self._cells[at] = None
        self._sort_keys = {}
        self._apply()
        self.endResetModel()

    def remove(self, candidate_id: int) -> None:
        at = next((i for i, r in enumerate(self._rows) if r.id == candidate_id), None)
        if at is None:
            return
        self.beginResetModel()
        for items in (self._rows, self._keys, self._filter_keys, self._cells):
            if items is not None:
                del items[at]
        self._sort_keys = {}
        self._apply()
        self.endResetModel()

    @property
    def total(self) -> int:
        """All candidates, whatever the filter."""
        return len(self._rows)

    def all_rows(self) -> list[CandidateRow]:
        return list(self._rows)

    def candidate(self, row: int) -> CandidateRow:
        """The candidate shown in view row ``row``."""
        return self._rows[self._view[row]]

    def row_of(self, candidate_id: int) -> int | None:
        """The view row of a candidate, None when the filter hides it."""
        if self._positions is None:
            self._positions = {self._rows[at].id: n for n, at in enumerate(self._view)}
        return self._positions.get(candidate_id)

    # -- filter and sort -----------------------------------------------------------------

    def set_filter(
        self, *, status: str | None = None, kind: str | None = None, text: str = ""
    ) -> None:
        """Show the rows of ``status`` and ``kind`` (None: any) whose search key holds
        every word of ``text`` (case-insensitive)."""
        terms = tuple(text.lower().split())
        if (status, kind, terms) == (self._status, self._kind, self._terms):
            return
        self.beginResetModel()
        self._status, self._kind, self._terms = status, kind, terms
        self._apply()
        self.endResetModel()

    @property
    def filter_active(self) -> bool:
        return bool(self._status or self._kind or self._terms)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self._rows[self._view[i.row()]].id for i in old]
        self._sort_column, self._sort_order = column, order
        self._sort_view()
        self._positions = None
        new = []
        for index, candidate_id in zip(old, ids, strict=True):
            row = self.row_of(candidate_id)
            new.append(QModelIndex() if row is None else self.index(row, index.column()))
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _apply(self) -> None:
        """Rebuild the view and the counts (inside a reset)."""
        status, kind, terms = self._status, self._kind, self._terms
        rows, filter_keys = self._rows, self._filter_keys
        if terms:
            if self._keys is None:
                self._keys = [search_key(r) for r in rows]
            found = [i for i, key in enumerate(self._keys) if all(t in key for t in terms)]
        else:
            found = list(range(len(rows)))
        status_counts: Counter[str] = Counter()
        kind_counts: Counter[str] = Counter()
        status_total = 0
        view: list[int] = []
        for i in found:
            row = rows[i]
            kind_ok = kind is None or row.kind == kind
            status_ok = status is None or status in filter_keys[i]
            if kind_ok:
                status_counts.update(filter_keys[i])
                status_total += 1
            if status_ok:
                kind_counts[row.kind] += 1
                if kind_ok:
                    view.append(i)
        self.status_counts, self.kind_counts = status_counts, kind_counts
        self.status_total = status_total
        self._view = view
        self._sort_view()
        self._positions = None

    def _sort_view(self) -> None:
        if self._sort_column < 0 or self._sort_column >= len(HEADERS):
            self._view.sort()
            return
        column = Column(self._sort_column)
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = [_SORT_KEYS[column](r) for r in self._rows]
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        # Ties keep the order the candidates were added in (the sort is stable).
        self._view.sort()
        self._view.sort(key=keys.__getitem__, reverse=descending)

    # -- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRED if section in _CENTRED_COLUMNS else _LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._view):
            return None
        at = self._view[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            cells = self._cells[at]
            if cells is None:
                cells = self._cells[at] = render_row(self._rows[at])
            return cells[column]
        row = self._rows[at]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.PHOTO:
                return PHOTO_COLOURS[row.photo_state]
            if column == Column.STATUS:
                return STATUS_COLOURS.get(row.status, (MUTED,))[0]
            return None
        if role == PILL_ROLE and column == Column.STATUS:
            return STATUS_COLOURS.get(row.status)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRED if column in _CENTRED_COLUMNS else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role == ROW_ROLE:
            return row
        return None


def _tooltip(row: CandidateRow, column: int) -> str | None:
    if column == Column.STATUS:
        if row.missing:
            names = "、".join(FIELD_TITLES.get(f, f) for f in row.missing)
            return f"缺少：{names}"
        if row.status == CandidateStatus.NO_PHOTO:
            return "还没有合格的照片，请在“照片”页导入。"
        return None
    if column == Column.ID_NUMBER:
        return f"{row.id_type}（完整号码请双击打开查看）"
    if column == Column.PHOTO and row.photo == "rejected":
        return "照片不合格，请在“照片”页查看原因。"
    return None


class StatusPillDelegate(QStyledItemDelegate):
    """Paints the status cell as a coloured pill (``PILL_ROLE``), centred."""

    PADDING_X = 9
    HEIGHT = 20

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        colours = index.data(PILL_ROLE)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not colours or not text:
            super().paint(painter, option, index)
            return
        # The selection background first, without the text.
        style_option = QStyleOptionViewItem(option)
        self.initStyleOption(style_option, index)
        style_option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, style_option, painter, widget)
        foreground, background = colours
        rect: QRect = option.rect
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 2 * self.PADDING_X
        height = min(self.HEIGHT, rect.height() - 4)
        pill = QRectF(
            rect.x() + (rect.width() - width) / 2,
            rect.y() + (rect.height() - height) / 2,
            width,
            height,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(foreground)
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 2 * self.PADDING_X, max(size.height(), self.HEIGHT + 8))
