"""The photos page's grid: every candidate's photo verdict in memory, thumbnails on demand.

``PhotosModel`` holds the ``PhotoRow`` list (10,000 rows are a few MB) and filters and
searches it in memory, like the candidate list. Thumbnails are not part of a row: the
delegate asks for one (``THUMBNAIL_ROLE``) only for the cells it paints; a miss is
remembered and ``thumbnails_missed`` tells the page, which fetches the missing ones in a
batch on the worker and hands them back with ``set_thumbnails``. Decoded thumbnails sit
in a bounded cache (least recently painted goes first), so scrolling through 10,000
candidates never holds 10,000 pixmaps.

``ReportModel`` is the import report's table of the photos that did not simply pass.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from examsite.domain.candidate_status import PhotoState, photo_state
from examsite.domain.photo_spec import Verdict
from examsite.domain.problems import Level
from examsite.messages import PHOTO_TITLES, render
from examsite.services.candidates import mask_id
from examsite.services.photos import PhotoImportItem, PhotoRow

AnyIndex = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the PhotoRow
BADGE_ROLE = Qt.ItemDataRole.UserRole + 2  # the Badge
THUMBNAIL_ROLE = Qt.ItemDataRole.UserRole + 3  # QPixmap, or None while loading / none
THUMB_STATE_ROLE = Qt.ItemDataRole.UserRole + 4  # a ThumbState

#: Pixmaps kept at most; a screenful is 20–40, so this is many screens of scrolling back.
CACHE_LIMIT = 600
#: The most thumbnails fetched in one job: what a large screen shows, plus a margin.
BATCH_LIMIT = 120


class ThumbState(StrEnum):
    NO_PHOTO = "no_photo"  # the candidate has no photo: the "无照片" placeholder
    LOADING = "loading"  # not fetched yet: a neutral placeholder
    LOADED = "loaded"
    UNAVAILABLE = "unavailable"  # fetched, but the photo has no decodable thumbnail


@dataclass(frozen=True)
class Badge:
    """The coloured label under a cell: its text and (text, background) colours."""

    text: str
    foreground: QColor
    background: QColor


def _badge(state: PhotoState, text_colour: str, background: str) -> Badge:
    return Badge(PHOTO_TITLES[state], QColor(text_colour), QColor(background))


GREEN = _badge(PhotoState.PASS, "#1a7f37", "#dafbe1")
BLUE = _badge(PhotoState.FIXED, "#0550ae", "#ddf4ff")
RED = _badge(PhotoState.REJECTED, "#cf222e", "#ffebe9")
FIXABLE_RED = Badge(f"{RED.text}·可修复", RED.foreground, RED.background)
AMBER = _badge(PhotoState.REVIEW, "#9a6700", "#fff8c5")
GREY = _badge(PhotoState.MISSING, "#57606a", "#eaeef2")
BADGES: Mapping[PhotoState, Badge] = {
    PhotoState.PASS: GREEN,
    PhotoState.FIXED: BLUE,
    PhotoState.REVIEW: AMBER,
    PhotoState.REJECTED: RED,
    PhotoState.MISSING: GREY,
}


def badge(row: PhotoRow) -> Badge:
    if row.state is PhotoState.REJECTED and row.fixable:
        return FIXABLE_RED
    return BADGES[row.state]


class PhotoFilter(StrEnum):
    """The filter buttons above the grid, in their order."""

    ALL = "all"
    PASS = "pass"
    FIXED = "fixed"
    REVIEW = "review"
    REJECTED = "rejected"
    FIXABLE = "fixable"
    MISSING = "missing"


FILTER_TITLES: Mapping[PhotoFilter, str] = {
    PhotoFilter.ALL: "全部",
    **{PhotoFilter(state.value): badge.text for state, badge in BADGES.items()},
    PhotoFilter.FIXABLE: "可自动修复",
}


def filters_of(row: PhotoRow) -> tuple[PhotoFilter, ...]:
    """Every filter that shows ``row`` (ALL included): its state's, and 可自动修复 for a
    rejected photo the automatic fix repairs."""
    own = (PhotoFilter.ALL, PhotoFilter(row.state.value))
    return (*own, PhotoFilter.FIXABLE) if row.fixable else own


def tooltip(row: PhotoRow) -> str:
    lines = [f"{row.name}　{mask_id(row.id_number)}", badge(row).text]
    lines += [f"• {render(p)}" for p in row.problems if p.level is not Level.NOTICE][:3]
    return "\n".join(lines)


class PhotosModel(QAbstractListModel):
    """One item per candidate (filtered, searched); thumbnails fetched lazily by the page."""

    thumbnails_missed = Signal()  # a painted cell had no thumbnail yet; see ``take_wanted``

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PhotoRow] = []
        self._keys: list[str] = []  # lowercase "name id" per row, for the search
        self._filters: list[tuple[PhotoFilter, ...]] = []
        self._by_id: dict[str, int] = {}
        self._view: list[int] = []  # positions into _rows, in display order
        self._filter = PhotoFilter.ALL
        self._search = ""
        self._counts: Counter[PhotoFilter] = Counter()
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()  # LRU: last painted at end
        self._unavailable: set[str] = set()
        self._wanted: OrderedDict[str, None] = OrderedDict()  # misses, most recent at end
        self._pending: set[str] = set()  # handed to the page, not back yet

    # -- the rows ------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[PhotoRow]) -> None:
        """Show a fresh list (the thumbnail cache is kept: call ``forget_thumbnails``)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._keys = [f"{r.name} {r.id_number}".lower() for r in self._rows]
        self._filters = [filters_of(r) for r in self._rows]
        self._by_id = {r.id_number: i for i, r in enumerate(self._rows)}
        self._counts = Counter(f for fs in self._filters for f in fs)
        self._view = self._matching()
        self._wanted.clear()
        self.endResetModel()

    def update_rows(self, rows: Iterable[PhotoRow]) -> None:
        """Replace the rows of these candidates (after a replace or a fix).

        A row that no longer fits the filter stays until the filter changes (or
        ``refilter``): the cell the user just replaced should not jump away under the mouse.
        """
        changed = []
        for row in rows:
            position = self._by_id.get(row.id_number)
            if position is None:
                continue
            for f in self._filters[position]:
                self._counts[f] -= 1
            self._rows[position] = row
            self._filters[position] = filters_of(row)
            self._keys[position] = f"{row.name} {row.id_number}".lower()
            for f in self._filters[position]:
                self._counts[f] += 1
            changed.append(position)
        shown = {position: i for i, position in enumerate(self._view)}
        for position in changed:
            if position in shown:
                index = self.index(shown[position])
                self.dataChanged.emit(index, index)

    def set_filter(self, which: PhotoFilter) -> None:
        if which is not self._filter:
            self._filter = which
            self._refilter()

    def set_search(self, text: str) -> None:
        text = text.strip().lower()
        if text != self._search:
            self._search = text
            self._refilter()

    @property
    def filter(self) -> PhotoFilter:
        return self._filter

    def count(self, which: PhotoFilter) -> int:
        """How many candidates the filter shows (before the search)."""
        return self._counts[which]

    @property
    def total(self) -> int:
        return len(self._rows)

    def all_rows(self) -> list[PhotoRow]:
        return list(self._rows)

    def photo_row(self, index: AnyIndex | int) -> PhotoRow:
        row = index if isinstance(index, int) else index.row()
        return self._rows[self._view[row]]

    def find(self, id_number: str) -> PhotoRow | None:
        position = self._by_id.get(id_number)
        return None if position is None else self._rows[position]

    def index_of(self, id_number: str) -> QModelIndex:
        """The item of a candidate, invalid when they are filtered out (or unknown)."""
        position = self._by_id.get(id_number)
        if position is None:
            return QModelIndex()
        try:
            return self.index(self._view.index(position))
        except ValueError:
            return QModelIndex()

    def refilter(self) -> None:
        """Apply the filter and the search again, to rows changed by ``update_rows``."""
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._view = self._matching()
        self._wanted.clear()
        self.endResetModel()

    def _matching(self) -> list[int]:
        which, text = self._filter, self._search
        return [
            i
            for i, (fs, key) in enumerate(zip(self._filters, self._keys, strict=True))
            if which in fs and (not text or text in key)
        ]

    # -- thumbnails ----------------------------------------------------------------------

    def thumbnail(self, row: PhotoRow) -> tuple[ThumbState, QPixmap | None]:
        """The cell's picture; a miss is remembered for ``take_wanted``."""
        if row.verdict is None:
            return ThumbState.NO_PHOTO, None
        key = row.id_number
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            self._pixmaps.move_to_end(key)
            return ThumbState.LOADED, pixmap
        if key in self._unavailable:
            return ThumbState.UNAVAILABLE, None
        if key not in self._pending:
            was_empty = not self._wanted
            self._wanted[key] = None
            self._wanted.move_to_end(key)
            if was_empty:
                self.thumbnails_missed.emit()
        return ThumbState.LOADING, None

    def take_wanted(self, limit: int = BATCH_LIMIT) -> list[str]:
        """The ID numbers to fetch next: the most recently painted misses, at most
        ``limit``. Older misses are dropped: they scrolled past and come back if painted."""
        wanted = list(self._wanted)[-limit:]
        self._wanted.clear()
        self._pending.update(wanted)
        return wanted

    @property
    def has_wanted(self) -> bool:
        return bool(self._wanted)

    def set_thumbnails(self, requested: Iterable[str], images: Mapping[str, QImage]) -> None:
        """The outcome of a fetch: a picture for each ID in ``images``; the other requested
        ones have none."""
        for key in requested:
            self._pending.discard(key)
            image = images.get(key)
            if image is None or image.isNull():
                self._unavailable.add(key)
                self._pixmaps.pop(key, None)
            else:
                self._pixmaps[key] = QPixmap.fromImage(image)
                self._pixmaps.move_to_end(key)
                self._unavailable.discard(key)
        while len(self._pixmaps) > CACHE_LIMIT:
            self._pixmaps.popitem(last=False)
        if self._view:
            self.dataChanged.emit(self.index(0), self.index(len(self._view) - 1), [THUMBNAIL_ROLE])

    def forget_thumbnails(self, id_numbers: Iterable[str] | None = None) -> None:
        """Drop cached thumbnails (all of them with None) so they are fetched again."""
        if id_numbers is None:
            self._pixmaps.clear()
            self._unavailable.clear()
            self._pending.clear()
        else:
            for key in id_numbers:
                self._pixmaps.pop(key, None)
                self._unavailable.discard(key)
        if self._view:
            self.dataChanged.emit(self.index(0), self.index(len(self._view) - 1), [THUMBNAIL_ROLE])

    @property
    def cached_thumbnails(self) -> int:
        return len(self._pixmaps)

    # -- QAbstractListModel --------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._view)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._view):
            return None
        row = self._rows[self._view[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == ROW_ROLE:
            return row
        if role == BADGE_ROLE:
            return badge(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name} {badge(row).text}"
        if role in (THUMBNAIL_ROLE, Qt.ItemDataRole.DecorationRole):
            return self.thumbnail(row)[1]
        if role == THUMB_STATE_ROLE:
            return self.thumbnail(row)[0]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def decode_thumbnails(data: Mapping[str, bytes], size: QSize, ratio: float) -> dict[str, QImage]:
    """Decode and scale thumbnails to ``size`` (logical pixels) at the screen's ``ratio``.

    Runs on the worker (QImage, unlike QPixmap, may be used off the GUI thread), so the
    GUI thread only wraps ready images.
    """
    target = QSize(round(size.width() * ratio), round(size.height() * ratio))
    images = {}
    for key, blob in data.items():
        image = QImage.fromData(blob)
        if image.isNull():
            continue
        image = image.scaled(
            target,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        image.setDevicePixelRatio(ratio)
        images[key] = image
    return images


# --- painting a cell ------------------------------------------------------------------------


class PhotoDelegate(QStyledItemDelegate):
    """Paints a cell as a small card: the thumbnail, the name, the verdict badge."""

    CELL = QSize(140, 218)
    THUMB = QSize(104, 146)  # 295 × 413 scaled down, the photo's own shape

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drop_row = -1  # the cell a dragged file would replace, outlined

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return self.CELL

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        # The model is asked directly, not through index.data(): PySide6 6.12 loses a
        # reference to None each time index.data() returns an empty value, and a grid
        # paints many empty thumbnails; that ends in a crash ("deallocating None").
        model = index.model()
        if not isinstance(model, PhotosModel) or not 0 <= index.row() < model.rowCount():
            return
        row = model.photo_row(index.row())
        state, pixmap = model.thumbnail(row)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        dropping = index.row() == self.drop_row
        cell = QRectF(option.rect).adjusted(3.5, 3.5, -3.5, -3.5)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if dropping:
            pen = QPen(QColor("#1f6feb"), 2, Qt.PenStyle.DashLine)
            fill = QColor("#ddf4ff")
        elif selected:
            pen, fill = QPen(QColor("#1f6feb"), 2), QColor("#f0f6ff")
        else:
            pen = QPen(QColor("#afb8c1" if hovered else "#d8dee4"), 1)
            fill = QColor("#ffffff")
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(cell, 8, 8)

        thumb = QRectF(
            cell.center().x() - self.THUMB.width() / 2,
            cell.top() + 10,
            self.THUMB.width(),
            self.THUMB.height(),
        )
        if state is ThumbState.LOADED and pixmap is not None:
            self._paint_pixmap(painter, thumb, pixmap)
        else:
            self.paint_placeholder(painter, thumb, state)

        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#1f2328"))
        name_rect = QRectF(cell.left() + 6, thumb.bottom() + 6, cell.width() - 12, 20)
        name = painter.fontMetrics().elidedText(
            row.name, Qt.TextElideMode.ElideRight, int(name_rect.width())
        )
        painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignCenter), name)
        self._paint_badge(painter, option.font, badge(row), name_rect.bottom() + 4, cell)
        painter.restore()

    @staticmethod
    def _paint_pixmap(painter: QPainter, thumb: QRectF, pixmap: QPixmap) -> None:
        size = pixmap.deviceIndependentSize()
        scale = min(thumb.width() / size.width(), thumb.height() / size.height())
        w, h = size.width() * scale, size.height() * scale
        target = QRectF(thumb.center().x() - w / 2, thumb.center().y() - h / 2, w, h)
        clip = QPainterPath()
        clip.addRoundedRect(target, 4, 4)
        painter.save()
        painter.setClipPath(clip)
        painter.drawPixmap(target, pixmap, QRectF(pixmap.rect()))
        painter.restore()
        painter.setPen(QPen(QColor(0, 0, 0, 30), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(target, 4, 4)

    @staticmethod
    def paint_placeholder(
        painter: QPainter, thumb: QRectF, state: ThumbState = ThumbState.NO_PHOTO
    ) -> None:
        """A grey placeholder: blank while loading, else a silhouette over what is missing."""
        painter.setBrush(QColor("#f6f8fa"))
        if state is ThumbState.LOADING:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(thumb, 4, 4)
            return
        painter.setPen(QPen(QColor("#d0d7de"), 1, Qt.PenStyle.DashLine))
        painter.drawRoundedRect(thumb, 4, 4)
        # A head and shoulders in faint grey, and what is missing underneath.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d8dee4"))
        cx, top, w = thumb.center().x(), thumb.top(), thumb.width()
        painter.drawEllipse(QRectF(cx - w * 0.17, top + thumb.height() * 0.2, w * 0.34, w * 0.4))
        shoulders = QRectF(cx - w * 0.33, top + thumb.height() * 0.5, w * 0.66, w * 0.5)
        painter.drawChord(shoulders, 0, 180 * 16)
        painter.setPen(QColor("#8c959f"))
        text = "无照片" if state is ThumbState.NO_PHOTO else "无法预览"
        caption = QRectF(thumb.left(), thumb.top() + thumb.height() * 0.74, w, 20)
        painter.drawText(caption, int(Qt.AlignmentFlag.AlignCenter), text)

    @staticmethod
    def _paint_badge(painter: QPainter, base: QFont, tag: Badge, top: float, cell: QRectF) -> None:
        font = QFont(base)
        font.setPointSizeF(max(7.5, base.pointSizeF() * 0.85))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(tag.text) + 18
        height = metrics.height() + 4
        pill = QRectF(cell.center().x() - width / 2, top, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tag.background)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(tag.foreground)
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), tag.text)


# --- the import report's table ----------------------------------------------------------


class ReportColumn(IntEnum):
    FILE = 0
    CANDIDATE = 1
    RESULT = 2
    EXPLANATION = 3


REPORT_HEADERS = ("文件", "考生", "结果", "说明")


def result_badge(item: PhotoImportItem) -> Badge:
    return BADGES[photo_state(item.verdict)]


def worth_reporting(item: PhotoImportItem) -> bool:
    """Every photo that did not simply pass, and any whose photo was not stored."""
    return item.verdict is not Verdict.PASS or not item.stored


_SEVERITY = {Verdict.REJECTED: 0, Verdict.REVIEW: 1}


def _severity(item: PhotoImportItem) -> int:
    return _SEVERITY.get(item.verdict, 2)


class ReportModel(QAbstractTableModel):
    """The photos of an import that need a look: rejected first, then to review, then fixed."""

    def __init__(
        self, items: Iterable[PhotoImportItem] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._items = sorted((i for i in items if worth_reporting(i)), key=_severity)

    def item(self, row: int) -> PhotoImportItem:
        return self._items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(REPORT_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if (
            horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(REPORT_HEADERS)
        ):
            return REPORT_HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(item, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.ForegroundRole and column == ReportColumn.RESULT:
            return result_badge(item).foreground
        if role == Qt.ItemDataRole.FontRole and column == ReportColumn.RESULT:
            font = QFont()
            font.setBold(True)
            return font
        return None

    @staticmethod
    def _text(item: PhotoImportItem, column: int, *, tooltip: bool) -> str:
        if column == ReportColumn.FILE:
            return item.file
        if column == ReportColumn.CANDIDATE:
            return f"{item.candidate_name}\n{mask_id(item.id_number)}"
        if column == ReportColumn.RESULT:
            text = result_badge(item).text
            if item.verdict is Verdict.REJECTED and not tooltip:
                return text + ("" if item.stored else "\n未保存")
            return text
        return "\n".join(render(p) for p in item.problems)
