"""座位表 the seating plan (考场座次图) of a room session: the seats as the arrangement
numbers them (``domain.seating``: rows of ``COLUMNS`` from the front, seat 1 to 6 in the
first row), each with its number, the candidate's name and ticket number; the 讲台 at the
front (the top of the page)."""

from __future__ import annotations

import math

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts, RoomSessionFacts, SeatFacts
from examsite.domain.seating import COLUMNS
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, draw_fitted, page_footer
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.tables import (
    Box,
    certificate_line,
    draw_in_box,
    grid_boxes,
    room_sessions,
    subject_line,
    when_text,
)

TITLE = "考场座位表"
HEAD = 40 * mm  # title, facts and the 讲台 above the grid
GAP = 1.5 * mm
MAX_ROW = 26 * mm


def seat_count(room: RoomFacts, rs: RoomSessionFacts) -> int:
    """The seats the grid shows: the room's exam capacity, or more when a seat number
    given is higher (a seat never falls off the plan)."""
    highest = max((s.seat for s in rs.seats), default=0)
    return max(room.capacity, highest, 1)


def grid_rows(seats: int, columns: int = COLUMNS) -> int:
    return math.ceil(seats / columns)


def seat_boxes(seats: int, columns: int = COLUMNS) -> list[Box]:
    """The box of seat 1, 2, … on the page: row by row from the front (top), left to
    right, as ``domain.seating`` numbers them."""
    rows = grid_rows(seats, columns)
    bottom = MARGIN + 8 * mm
    available = PAGE_HEIGHT - MARGIN - HEAD - bottom
    row_h = min(MAX_ROW, (available - GAP * (rows - 1)) / rows)
    height = row_h * rows + GAP * (rows - 1)
    area = (MARGIN, PAGE_HEIGHT - MARGIN - HEAD - height, PAGE_WIDTH - 2 * MARGIN, height)
    return grid_boxes(area, columns, rows, GAP)[:seats]


def draw_seat(canvas: Canvas, box: Box, number: int, seat: SeatFacts | None) -> None:
    x, y, width, height = box
    canvas.saveState()
    canvas.setLineWidth(0.6)
    if seat is None:
        canvas.setDash(2, 2)
    canvas.rect(x, y, width, height)
    canvas.restoreState()
    unit = min(height, 22 * mm) / mm
    parts = (
        ((x, y + height * 0.62, width, height * 0.38), str(number), unit * 0.5),
        ((x, y + height * 0.3, width, height * 0.32), seat.name if seat else "（空）", unit * 0.45),
        ((x, y, width, height * 0.3), seat.ticket if seat else "", unit * 0.3),
    )
    for part, text, size in parts:
        if text:
            draw_in_box(canvas, part, text, size, minimum=4.5, pad=0.8 * mm)


def draw_page(canvas: Canvas, job: PrintJob, room: RoomFacts, rs: RoomSessionFacts) -> None:
    width = PAGE_WIDTH - 2 * MARGIN
    top = PAGE_HEIGHT - MARGIN
    draw_fitted(canvas, PAGE_WIDTH / 2, top - 9, job.header, 9, width, align="centre")
    draw_fitted(
        canvas, PAGE_WIDTH / 2, top - 28, f"{TITLE}　{room.name}", 18, width, align="centre"
    )
    facts = f"{certificate_line(rs)}　{subject_line(rs)}　{when_text(rs)}　考生 {len(rs.seats)} 人"
    draw_fitted(canvas, PAGE_WIDTH / 2, top - 44, facts, 10, width, align="centre")
    # The 讲台 at the front, centred over the first row.
    podium = (PAGE_WIDTH / 2 - 30 * mm, top - HEAD + 3 * mm, 60 * mm, 10 * mm)
    canvas.saveState()
    canvas.setFillGray(0.88)
    canvas.rect(*podium, fill=1)
    canvas.restoreState()
    draw_in_box(canvas, podium, "讲　台", 14)
    by_number = {s.seat: s for s in rs.seats}
    for number, box in enumerate(seat_boxes(seat_count(room, rs)), start=1):
        draw_seat(canvas, box, number, by_number.get(number))
    page_footer(canvas, f"{TITLE}　{room.name}　{subject_line(rs)}　第 1 排靠近讲台")
    canvas.showPage()


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """One plan per room session of ``room`` (every room's when None)."""
    pairs = room_sessions(job.data, room)
    for index, (r, rs) in enumerate(pairs):
        job.progress.check_cancelled()
        draw_page(canvas, job, r, rs)
        job.progress.step(index + 1, len(pairs), TITLE)
    return len(pairs)
