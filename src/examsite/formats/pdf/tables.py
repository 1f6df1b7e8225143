"""Shared layout helpers for the room documents: text fitted into a cell, ruled tables
whose header row repeats on every page, grids of equal boxes (labels, seats), and the
words every room paper prints about a room session.

Units are reportlab points; boxes are (x, y, width, height) with (x, y) the lower left.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData, RoomFacts, RoomSessionFacts
from examsite.formats.pdf.drawing import draw_text, fitted_size, wrap
from examsite.messages import SUBJECT_KIND_TITLES, certificate_title

Box = tuple[float, float, float, float]
T = TypeVar("T")

# How far a glyph reaches below the baseline and above it, as a share of the size (the
# CJK font's box is about 0.12 below and 0.88 above).
_DESCENT = 0.12
_ASCENT = 0.88


# -- the words a room paper prints ---------------------------------------------------


def certificate_line(rs: RoomSessionFacts) -> str:
    """``数字营销技术应用职业技能等级证书（初级）``."""
    return certificate_title(rs.certificate_name, rs.level)


def subject_line(rs: RoomSessionFacts) -> str:
    """``理论知识考试（初级）`` with its kind when the name does not say it."""
    kind = SUBJECT_KIND_TITLES.get(rs.subject_kind, rs.subject_kind)
    return rs.subject_name if kind in rs.subject_name else f"{rs.subject_name}（{kind}）"


def date_text(rs: RoomSessionFacts) -> str:
    return f"{rs.starts_at.year}年{rs.starts_at.month}月{rs.starts_at.day}日"


def time_text(rs: RoomSessionFacts) -> str:
    return f"{rs.starts_at:%H:%M}—{rs.ends_at:%H:%M}"


def when_text(rs: RoomSessionFacts) -> str:
    """``2026年12月19日 08:30—09:30``."""
    return f"{date_text(rs)} {time_text(rs)}"


def seat_range(rs: RoomSessionFacts) -> str:
    """``1–40`` (the seats given; "—" for an empty session)."""
    if not rs.seats:
        return "—"
    return f"{rs.seats[0].seat}–{rs.seats[-1].seat}"


def room_sessions(
    data: MaterialsData, room: RoomFacts | None
) -> list[tuple[RoomFacts, RoomSessionFacts]]:
    """The room sessions a room document draws: the room's own (by time), or every one
    of the plan when ``room`` is None (by time, then room)."""
    return [(r, rs) for r, rs in data.room_sessions() if room is None or r.uid == room.uid]


def rooms_of(data: MaterialsData, room: RoomFacts | None) -> tuple[RoomFacts, ...]:
    return data.rooms if room is None else (room,)


# -- text in boxes ---------------------------------------------------------------------


def fit_lines(
    text: str, width: float, height: float, size: float, minimum: float = 5.0
) -> tuple[list[str], float]:
    """``text`` as lines that fit a ``width`` × ``height`` box: one line shrunk down to
    ``minimum``; when even that does not fit, wrapped onto as many lines as the height
    takes, shrinking further if it must. Returns (lines, size)."""
    if "\n" not in text:
        one = fitted_size(text, width, size, minimum)
        if one > minimum or fitted_size(text, width, minimum, minimum * 0.6) >= minimum:
            return [text], min(one, height / 1.15)
    current = min(size, height / 1.15)
    while current > 3:
        lines = wrap(text, width, current)
        if len(lines) * current * 1.2 <= height:
            return lines, current
        current *= 0.92
    return wrap(text, width, current), current


def draw_in_box(
    canvas: Canvas,
    box: Box,
    text: str,
    size: float,
    *,
    align: str = "centre",
    minimum: float = 5.0,
    pad: float = 1.2 * mm,
    valign: str = "middle",
) -> float:
    """``text`` inside ``box`` (padded), shrunk or wrapped to fit, centred vertically
    (``valign`` middle or top). Returns the size used."""
    x, y, width, height = box
    inner_w, inner_h = max(1.0, width - 2 * pad), max(1.0, height - 2 * pad)
    lines, used = fit_lines(text, inner_w, inner_h, size, minimum)
    leading = used * 1.2
    block = used * (_ASCENT + _DESCENT) + leading * (len(lines) - 1)
    if valign == "top":
        baseline = y + height - pad - used * _ASCENT
    else:
        baseline = y + height / 2 + block / 2 - used * _ASCENT
    if align == "centre":
        tx = x + width / 2
    elif align == "right":
        tx = x + width - pad
    else:
        tx = x + pad
    for line in lines:
        draw_text(canvas, tx, baseline, line, used, align=align)
        baseline -= leading
    return used


# -- grids of equal boxes ----------------------------------------------------------------


def label_grid(per_page: int) -> tuple[int, int]:
    """(columns, rows) for ``per_page`` labels on an A4 portrait sheet: two columns (a
    desk label is wider than high: 8 → 2 × 4 of about 86 × 61 mm, 10 → 2 × 5, 12 → 2 × 6
    of about 86 × 38 mm), rows as many as needed."""
    if per_page < 1:
        raise ValueError("at least one label per page")
    columns = 1 if per_page == 1 else 2
    return columns, math.ceil(per_page / columns)


def grid_boxes(area: Box, columns: int, rows: int, gap: float = 0.0) -> list[Box]:
    """The ``columns`` × ``rows`` boxes filling ``area`` with ``gap`` between them, row by
    row from the top left (the order seats and labels are numbered in)."""
    x, y, width, height = area
    cell_w = (width - gap * (columns - 1)) / columns
    cell_h = (height - gap * (rows - 1)) / rows
    boxes = []
    for row in range(rows):
        top = y + height - row * (cell_h + gap)
        for column in range(columns):
            boxes.append((x + column * (cell_w + gap), top - cell_h, cell_w, cell_h))
    return boxes


def pages_needed(count: int, per_page: int) -> int:
    """Pages for ``count`` items at ``per_page`` a page (0 items: 0 pages)."""
    return math.ceil(count / per_page) if count > 0 else 0


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- ruled tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A table column: its title, its share of the table's width, its cells' alignment."""

    title: str
    weight: float = 1.0
    align: str = "centre"


def column_widths(weights: Sequence[float], total: float) -> list[float]:
    """``total`` shared out in proportion to ``weights``."""
    whole = sum(weights)
    return [total * w / whole for w in weights]


@dataclass(frozen=True)
class Table:
    """A ruled table drawn from ``top`` down between ``left`` and ``left + width``; rows
    that do not fit above ``bottom`` go on the next page, under the header row again.
    ``start_page(canvas)`` draws a page's heading and returns the y the table starts at;
    ``end_page(canvas)`` finishes a page (footer) before ``showPage``."""

    columns: tuple[Column, ...]
    left: float
    width: float
    bottom: float
    row_height: float
    header_height: float
    size: float = 10.0
    header_size: float = 10.0
    minimum: float = 7.5  # a cell's text shrinks to this, then wraps

    def widths(self) -> list[float]:
        return column_widths([c.weight for c in self.columns], self.width)

    def rows_per_page(self, top: float) -> int:
        return max(1, int((top - self.header_height - self.bottom) // self.row_height))

    def draw(
        self,
        canvas: Canvas,
        rows: Sequence[Sequence[str]],
        start_page: Callable[[Canvas], float],
        end_page: Callable[[Canvas], None],
    ) -> int:
        """Draw every row over as many pages as it takes; returns the pages drawn (at
        least one: an empty table still prints its header)."""
        pages = 0
        remaining = list(rows)
        while True:
            top = start_page(canvas)
            take = self.rows_per_page(top)
            page_rows, remaining = remaining[:take], remaining[take:]
            self._draw_page(canvas, top, page_rows)
            end_page(canvas)
            canvas.showPage()
            pages += 1
            if not remaining:
                return pages

    def _draw_page(self, canvas: Canvas, top: float, rows: Sequence[Sequence[str]]) -> None:
        widths = self.widths()
        canvas.saveState()
        canvas.setLineWidth(0.6)
        canvas.setFillGray(0.9)
        canvas.rect(self.left, top - self.header_height, self.width, self.header_height, fill=1)
        canvas.setFillGray(0)
        x = self.left
        for column, width in zip(self.columns, widths, strict=True):
            box = (x, top - self.header_height, width, self.header_height)
            draw_in_box(canvas, box, column.title, self.header_size)
            x += width
        y = top - self.header_height
        for row in rows:
            x = self.left
            for column, width, text in zip(self.columns, widths, row, strict=True):
                box = (x, y - self.row_height, width, self.row_height)
                draw_in_box(canvas, box, text, self.size, align=column.align, minimum=self.minimum)
                x += width
            y -= self.row_height
        # the rules
        canvas.rect(self.left, y, self.width, top - y)
        x = self.left
        for width in widths[:-1]:
            x += width
            canvas.line(x, y, x, top)
        line_y = top - self.header_height
        while line_y > y + 0.01:
            canvas.line(self.left, line_y, self.left + self.width, line_y)
            line_y -= self.row_height
        canvas.restoreState()
