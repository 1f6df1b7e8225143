"""Charts drawn with QPainter (the program ships PySide6-Essentials, which has no QtCharts,
and no web view): a horizontal bar chart for rates by group (long Chinese labels read
best on the left of their bar) and a histogram for a score distribution.

Both draw into any rectangle of any paint device through ``paint(painter, rect)``, so a
test can paint one into a ``QImage`` (``render_image``) and look at the pixels; the
geometry of the bars (``bar_rects``) is public for the same reason. A bar whose value is
None (a rate of nothing) draws no bar and shows "—".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOR: Final = QColor("#1f6feb")
LOW_BAR_COLOR: Final = QColor("#cf222e")  # below the chart's mark (a pass mark, say)
TEXT_COLOR: Final = QColor("#1f2328")
MUTED_COLOR: Final = QColor("#656d76")
GRID_COLOR: Final = QColor("#d0d7de")
BACKGROUND: Final = QColor("#ffffff")
EMPTY_TEXT: Final = "暂无数据"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None: nothing to draw) and the text shown at its end
    ("" shows the value itself)."""

    label: str
    value: float | None
    text: str = ""


class _Chart(QWidget):
    """What both charts share: the bars, the scale, the title and the empty state."""

    PADDING: Final = 8.0

    def __init__(
        self,
        *,
        title: str = "",
        maximum: float | None = None,
        mark: float | None = None,
        name: str = "chart",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title = title
        self.fixed_maximum = maximum
        self.mark = mark
        self.bars: tuple[Bar, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_bars(self, bars: Sequence[Bar], *, title: str | None = None) -> None:
        """Show ``bars`` (and a new title when given)."""
        self.bars = tuple(bars)
        if title is not None:
            self.title = title
        self.updateGeometry()
        self.update()

    @property
    def maximum(self) -> float:
        """The value a full-length bar stands for."""
        if self.fixed_maximum is not None:
            return self.fixed_maximum
        values = [b.value for b in self.bars if b.value is not None]
        return max([*values, 0.0]) or 1.0

    def bar_color(self, bar: Bar) -> QColor:
        if self.mark is not None and bar.value is not None and bar.value < self.mark:
            return LOW_BAR_COLOR
        return BAR_COLOR

    def value_text(self, bar: Bar) -> str:
        if bar.text:
            return bar.text
        return "—" if bar.value is None else f"{bar.value:g}"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), BACKGROUND)
            self.paint(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """Draw the chart into ``rect`` of any paint device."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font())
        area = rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        if self.title:
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            height = QFontMetricsF(bold).height()
            painter.setPen(TEXT_COLOR)
            painter.drawText(
                QRectF(area.left(), area.top(), area.width(), height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                _elided(self.title, bold, area.width()),
            )
            painter.setFont(self.font())
            area.setTop(area.top() + height + 6)
        if not self.bars:
            painter.setPen(MUTED_COLOR)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
            return
        self.paint_bars(painter, area)

    def plot_area(self, rect: QRectF) -> QRectF:
        """The part of ``rect`` the bars are drawn in (after the padding and the title)."""
        area = rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        if self.title:
            bold = QFont(self.font())
            bold.setBold(True)
            area.setTop(area.top() + QFontMetricsF(bold).height() + 6)
        return area

    def bar_rects(self, rect: QRectF) -> list[QRectF | None]:
        """Where each bar is drawn when the chart fills ``rect`` (None: no bar)."""
        return self.bar_geometry(self.plot_area(rect))

    def bar_geometry(self, area: QRectF) -> list[QRectF | None]:
        raise NotImplementedError

    def paint_bars(self, painter: QPainter, area: QRectF) -> None:
        raise NotImplementedError


class BarChart(_Chart):
    """Horizontal bars, one row per group: the label on the left, the bar, its text at its
    end. Rows are at least ``MIN_ROW`` high; the size hint asks for as many as there are
    (put the chart in a scroll area when they may be many)."""

    MIN_ROW: Final = 22.0
    MAX_ROW: Final = 40.0
    MAX_LABEL_SHARE: Final = 0.4

    def sizeHint(self) -> QSize:
        return QSize(420, max(self._rows_height(), 120))

    def minimumSizeHint(self) -> QSize:
        # Every row at its least height: in a scroll area, many rows scroll, never overlap.
        return QSize(240, max(self._rows_height(), 120))

    def _rows_height(self) -> int:
        title = QFontMetricsF(self.font()).height() + 6 if self.title else 0
        return int(len(self.bars) * self.MIN_ROW + title + 2 * self.PADDING + 2)

    def _columns(self, area: QRectF) -> tuple[float, float, float]:
        """The label column's width, the bars' left and the longest bar's length."""
        metrics = QFontMetricsF(self.font())
        widest = max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0.0)
        label_width = min(widest, area.width() * self.MAX_LABEL_SHARE)
        text_width = max(
            (metrics.horizontalAdvance(self.value_text(b)) for b in self.bars), default=0.0
        )
        left = area.left() + label_width + 8
        length = max(area.right() - left - text_width - 8, 10.0)
        return label_width, left, length

    def _row_height(self, area: QRectF) -> float:
        return min(max(area.height() / max(len(self.bars), 1), self.MIN_ROW), self.MAX_ROW)

    def bar_geometry(self, area: QRectF) -> list[QRectF | None]:
        _label_width, left, length = self._columns(area)
        row = self._row_height(area)
        thickness = row * 0.62
        rects: list[QRectF | None] = []
        for index, bar in enumerate(self.bars):
            if bar.value is None:
                rects.append(None)
                continue
            share = min(max(bar.value / self.maximum, 0.0), 1.0)
            top = area.top() + index * row + (row - thickness) / 2
            rects.append(QRectF(left, top, length * share, thickness))
        return rects

    def paint_bars(self, painter: QPainter, area: QRectF) -> None:
        label_width, left, length = self._columns(area)
        row = self._row_height(area)
        metrics = QFontMetricsF(self.font())
        painter.setPen(QPen(GRID_COLOR, 1))
        bottom = area.top() + row * len(self.bars)
        painter.drawLine(QPointF(left, area.top()), QPointF(left, bottom))
        if self.mark is not None:  # the mark as a dashed line across the rows
            x = left + length * min(self.mark / self.maximum, 1.0)
            painter.setPen(QPen(MUTED_COLOR, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, bottom))
        for index, (bar, rect) in enumerate(zip(self.bars, self.bar_geometry(area), strict=True)):
            top = area.top() + index * row
            painter.setPen(TEXT_COLOR)
            painter.drawText(
                QRectF(area.left(), top, label_width, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideMiddle, label_width),
            )
            end = left
            if rect is not None and rect.width() > 0:
                painter.fillRect(rect, self.bar_color(bar))
                end = rect.right()
            painter.setPen(TEXT_COLOR if bar.value is not None else MUTED_COLOR)
            painter.drawText(
                QRectF(end + 4, top, area.right() - end - 4, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.value_text(bar),
            )


class Histogram(_Chart):
    """Vertical bars side by side (a distribution's bands), the count above each bar and
    the band's label under it; a thin axis along the bottom."""

    def sizeHint(self) -> QSize:
        return QSize(420, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 140)

    def _frame(self, area: QRectF) -> tuple[QRectF, float]:
        """The rectangle the bars stand in, and each band's width."""
        height = QFontMetricsF(self.font()).height()
        plot = area.adjusted(0, height + 2, 0, -(height + 6))
        return plot, plot.width() / max(len(self.bars), 1)

    def bar_geometry(self, area: QRectF) -> list[QRectF | None]:
        plot, width = self._frame(area)
        rects: list[QRectF | None] = []
        for index, bar in enumerate(self.bars):
            if bar.value is None:
                rects.append(None)
                continue
            share = min(max(bar.value / self.maximum, 0.0), 1.0)
            height = plot.height() * share
            left = plot.left() + index * width + width * 0.12
            rects.append(QRectF(left, plot.bottom() - height, width * 0.76, height))
        return rects

    def paint_bars(self, painter: QPainter, area: QRectF) -> None:
        plot, width = self._frame(area)
        metrics = QFontMetricsF(self.font())
        small = QFont(self.font())
        if metrics.horizontalAdvance(max((b.label for b in self.bars), key=len)) > width - 2:
            small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 6.0))
        painter.setPen(QPen(GRID_COLOR, 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        for index, (bar, rect) in enumerate(zip(self.bars, self.bar_geometry(area), strict=True)):
            column = QRectF(plot.left() + index * width, plot.top(), width, plot.height())
            top = plot.bottom()
            if rect is not None and rect.height() > 0:
                painter.fillRect(rect, self.bar_color(bar))
                top = rect.top()
            painter.setFont(self.font())
            painter.setPen(TEXT_COLOR)
            painter.drawText(
                QRectF(column.left(), top - metrics.height() - 2, width, metrics.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                self.value_text(bar),
            )
            painter.setFont(small)
            painter.setPen(MUTED_COLOR)
            painter.drawText(
                QRectF(column.left(), plot.bottom() + 4, width, metrics.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                bar.label,
            )
        painter.setFont(self.font())


def render_image(chart: _Chart, size: QSize) -> QImage:
    """``chart`` painted on a white image of ``size`` (for tests and for saving)."""
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    try:
        chart.paint(painter, QRectF(0, 0, size.width(), size.height()))
    finally:
        painter.end()
    return image


def _elided(text: str, font: QFont, width: float) -> str:
    return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, width)
