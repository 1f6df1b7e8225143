"""Shared layout of the site-level forms (巡考情况记录表, 考场封场确认单, 承诺书, …): a
title block, ruled tables whose cells shrink or wrap their text, tick boxes, signature
lines, and small helpers for dates and the page size.

Every form is drawn top-down: a function takes the top ``y`` and returns the ``y`` below
what it drew, so a form is a short sequence of calls that is easy to adjust.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData
from examsite.formats.pdf.drawing import MARGIN, draw_fitted, draw_text, fitted_size, wrap
from examsite.formats.pdf.fonts import load_fonts

CELL_PAD = 1.5 * mm
MIN_SIZE = 6.0
WEEKDAYS = "一二三四五六日"


def page_size(canvas: Canvas) -> tuple[float, float]:
    """The canvas's current page width and height."""
    width, height = canvas._pagesize
    return float(width), float(height)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_with_weekday(day: dt.date) -> str:
    return f"{chinese_date(day)}（星期{WEEKDAYS[day.weekday()]}）"


def time_range(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%H:%M}—{end:%H:%M}"


def minutes(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def certificate_names(data: MaterialsData) -> tuple[str, ...]:
    """The plan's certificates (by name, each once, in time order)."""
    names: dict[str, None] = {}
    for _room, rs in data.room_sessions():
        names.setdefault(rs.certificate_name, None)
    return tuple(names)


def draw_title(canvas: Canvas, top: float, header: str, title: str, *, size: float = 18) -> float:
    """The header line (small) and the form's title (large), centred; returns the y
    below them."""
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    y = top - 9
    if header:
        draw_fitted(canvas, width / 2, y, header, 9, inner, align="centre")
        y -= 6
    y -= size
    draw_fitted(canvas, width / 2, y, title, size, inner, align="centre", minimum=10)
    return y - size * 0.6


def draw_fields(
    canvas: Canvas,
    top: float,
    fields: Sequence[tuple[str, str]],
    *,
    size: float = 10,
    columns: int = 2,
) -> float:
    """``label：value`` pairs in ``columns`` columns; a pair too long for its column takes
    the whole line, and one too long for the line wraps under its value (a hanging
    indent) rather than shrinking below 85 %. Returns the y below."""
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    column_width = inner / columns
    fonts = load_fonts()
    leading = size * 1.7
    y = top
    index = 0
    for label, value in fields:
        text = f"{label}：{value}"
        full = columns == 1 or fonts.width(text, size) > column_width - 3 * mm
        if full and index:
            y -= leading
            index = 0
        if full:
            if fonts.width(text, size * 0.85) <= inner:
                draw_fitted(canvas, MARGIN, y - size, text, size, inner, minimum=size * 0.85)
                y -= leading
            else:
                label_width = fonts.width(f"{label}：", size)
                lines = wrap(value, inner - label_width, size)
                draw_text(canvas, MARGIN, y - size, f"{label}：", size)
                for line in lines:
                    draw_text(canvas, MARGIN + label_width, y - size, line, size)
                    y -= size * 1.35
                y -= leading - size * 1.35
            continue
        draw_fitted(
            canvas, MARGIN + index * column_width, y - size, text, size, column_width - 3 * mm
        )
        index = (index + 1) % columns
        if index == 0:
            y -= leading
    if index:
        y -= leading
    return y + (leading - size) * 0.5


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # a share of the table's width (the shares need not add up to 1)
    align: str = "centre"


def column_widths(columns: Sequence[Column], total: float) -> list[float]:
    share = sum(c.width for c in columns)
    return [total * c.width / share for c in columns]


def wrap_list(text: str, max_width: float, size: float, sep: str = "、") -> list[str]:
    """``text`` wrapped between the items of a ``sep``-separated list where it can (a room
    name stays on one line), inside an item only when the item alone is too wide."""
    fonts = load_fonts()
    lines: list[str] = []
    line = ""
    items = text.split(sep)
    for index, item in enumerate(items):
        piece = item + (sep if index < len(items) - 1 else "")
        if line and fonts.width(line + piece, size) > max_width:
            lines.append(line)
            line = ""
        if fonts.width(piece, size) > max_width:
            parts = wrap(line + piece, max_width, size)
            lines.extend(parts[:-1])
            line = parts[-1]
        else:
            line += piece
    if line:
        lines.append(line)
    return lines


def _wrap_cell(text: str, max_width: float, size: float) -> list[str]:
    if "、" in text:
        return wrap_list(text, max_width, size)
    return wrap(text, max_width, size)


def draw_cell_text(
    canvas: Canvas,
    x: float,
    y: float,
    width: float,
    height: float,
    text: str,
    size: float,
    align: str = "centre",
) -> None:
    """``text`` inside the box (lower left x, y): one line shrunk to fit, or wrapped
    onto as many lines as the box holds (the last one shrunk if it still overflows)."""
    if not text:
        return
    fonts = load_fonts()
    room = width - 2 * CELL_PAD
    lines = [text]
    if fonts.width(text, size) > room and "\n" not in text:
        fitted = fitted_size(text, room, size, MIN_SIZE + 1)
        if fonts.width(text, fitted) <= room:
            size = fitted
        else:
            lines = _wrap_cell(text, room, size)
    elif "\n" in text:
        lines = text.split("\n")
    capacity = max(1, int((height - 2) // (size * 1.2)))
    while len(lines) > capacity and size > MIN_SIZE:
        size = max(MIN_SIZE, size - 0.5)
        lines = _wrap_cell(text, room, size)
        capacity = max(1, int((height - 2) // (size * 1.2)))
    if len(lines) > capacity:  # never draw outside the box: cut, and say so with "…"
        lines = [*lines[: capacity - 1], lines[capacity - 1][:-1] + "…"]
    leading = size * 1.2
    block = leading * (len(lines) - 1) + size
    baseline = y + height / 2 + block / 2 - size * 0.88
    for line in lines:
        line_size = fitted_size(line, room, size, 3.0)
        if align == "left":
            draw_text(canvas, x + CELL_PAD, baseline, line, line_size)
        elif align == "right":
            draw_text(canvas, x + width - CELL_PAD, baseline, line, line_size, align="right")
        else:
            draw_text(canvas, x + width / 2, baseline, line, line_size, align="centre")
        baseline -= leading


def needed_height(text: str, width: float, size: float) -> float:
    """The height a cell needs to show ``text`` whole at ``size`` (or shrunk a little to
    one line, as ``draw_cell_text`` does)."""
    if not text:
        return 0.0
    fonts = load_fonts()
    room = width - 2 * CELL_PAD
    if "\n" in text:
        count = len(text.split("\n"))
    elif fonts.width(text, MIN_SIZE + 1) <= room or fonts.width(text, size) <= room:
        count = 1
    else:
        count = len(_wrap_cell(text, room, size))
    return count * size * 1.2 + 2 * CELL_PAD


def row_heights(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    width: float,
    minimum: float,
    size: float,
) -> list[float]:
    """Each row's height: ``minimum``, or more where a cell's text needs it."""
    widths = column_widths(columns, width)
    return [
        max(minimum, *(needed_height(text, w, size) for text, w in zip(row, widths, strict=True)))
        for row in rows
    ]


def rows_in_height(heights: Sequence[float], available: float) -> int:
    """How many of the rows (their ``heights``) fit in ``available`` points."""
    used = 0.0
    for count, height in enumerate(heights):
        used += height
        if used > available + 0.01:
            return count
    return len(heights)


def draw_table(
    canvas: Canvas,
    top: float,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    row_height: float,
    header_height: float | None = None,
    size: float = 10,
    x: float = MARGIN,
    width: float | None = None,
    heights: Sequence[float] | None = None,
) -> float:
    """A ruled table: a header row of the columns' titles (grey band), then ``rows``
    (each ``row_height`` high, or as given in ``heights``); returns the y below."""
    page_width, _height = page_size(canvas)
    width = width if width is not None else page_width - 2 * MARGIN
    widths = column_widths(columns, width)
    header_height = header_height or max(row_height, 8 * mm)
    canvas.saveState()
    canvas.setLineWidth(0.6)
    canvas.setFillGray(0.9)
    canvas.rect(x, top - header_height, width, header_height, stroke=1, fill=1)
    canvas.setFillGray(0)
    left = x
    for column, cell_width in zip(columns, widths, strict=True):
        draw_cell_text(
            canvas, left, top - header_height, cell_width, header_height, column.title, size
        )
        left += cell_width
    y = top - header_height
    heights = list(heights) if heights is not None else [row_height] * len(rows)
    lines = []
    for row, height in zip(rows, heights, strict=True):
        lines.append(y)
        left = x
        for column, cell_width, text in zip(columns, widths, row, strict=True):
            draw_cell_text(canvas, left, y - height, cell_width, height, text, size, column.align)
            left += cell_width
        y -= height
    canvas.setLineWidth(0.6)
    canvas.rect(x, y, width, top - y, stroke=1, fill=0)
    for line_y in lines:
        canvas.line(x, line_y, x + width, line_y)
    left = x
    for cell_width in widths[:-1]:
        left += cell_width
        canvas.line(left, y, left, top)
    canvas.restoreState()
    return y


def rows_that_fit(top: float, bottom: float, row_height: float, header_height: float) -> int:
    """How many rows of ``row_height`` fit between ``top`` and ``bottom`` under a header."""
    return max(0, int((top - bottom - header_height + 0.01) // row_height))


def draw_tick_box(canvas: Canvas, x: float, y: float, size: float, ticked: bool) -> None:
    """A square box (lower left x, y), with a tick drawn as lines when ``ticked``."""
    canvas.saveState()
    canvas.setLineWidth(0.6)
    canvas.rect(x, y, size, size)
    if ticked:
        canvas.setLineWidth(1.2)
        path = canvas.beginPath()
        path.moveTo(x + size * 0.18, y + size * 0.52)
        path.lineTo(x + size * 0.42, y + size * 0.22)
        path.lineTo(x + size * 0.85, y + size * 0.85)
        canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


def draw_signatures(
    canvas: Canvas, top: float, labels: Sequence[str], *, size: float = 10
) -> float:
    """Signature lines side by side: ``label：________``; returns the y below."""
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    slot = inner / len(labels)
    y = top - size - 4 * mm
    canvas.saveState()
    canvas.setLineWidth(0.5)
    for index, label in enumerate(labels):
        x = MARGIN + index * slot
        label_width = draw_text(canvas, x, y, f"{label}：", size)
        canvas.line(x + label_width, y - 1.5, x + slot - 4 * mm, y - 1.5)
    canvas.restoreState()
    return y - size
