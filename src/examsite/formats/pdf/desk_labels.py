"""桌贴 desk labels: one per seat of each room session, ``labels_per_page`` (8, 10 or 12)
to an A4 sheet with cut marks: the seat number large, the name, the masked ID number,
the ticket number, the subject and time, the room. Long names shrink to fit."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.masking import mask_id
from examsite.domain.materials import RoomFacts, RoomSessionFacts, SeatFacts
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, cut_marks
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.tables import (
    Box,
    chunks,
    draw_in_box,
    grid_boxes,
    label_grid,
    room_sessions,
    subject_line,
    when_text,
)

GAP = 8 * mm  # between labels: room for the cut marks


def label_boxes(per_page: int) -> list[Box]:
    """The labels' boxes on a sheet, row by row from the top left."""
    columns, rows = label_grid(per_page)
    area = (MARGIN, MARGIN, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN)
    return grid_boxes(area, columns, rows, GAP)[:per_page]


def label_parts(box: Box) -> dict[str, Box]:
    """The parts of one label: the seat number on the left; on the right the room, the
    name, the ID number, the ticket number, the subject and the time."""
    x, y, width, height = box
    pad = 2 * mm
    seat_w = min(width * 0.3, height * 0.9)
    right_x = x + seat_w + pad
    right_w = width - seat_w - 2 * pad
    top = y + height - pad
    inner_h = height - 2 * pad
    shares = (
        ("room", 0.15),
        ("name", 0.27),
        ("id", 0.14),
        ("ticket", 0.14),
        ("subject", 0.15),
        ("when", 0.15),
    )
    parts: dict[str, Box] = {
        "seat_title": (x + pad, y + height - pad - inner_h * 0.2, seat_w - pad, inner_h * 0.2),
        "seat": (x + pad, y + pad, seat_w - pad, inner_h * 0.8),
    }
    for name, share in shares:
        part_h = inner_h * share
        parts[name] = (right_x, top - part_h, right_w, part_h)
        top -= part_h
    return parts


def draw_label(
    canvas: Canvas, box: Box, room: RoomFacts, rs: RoomSessionFacts, seat: SeatFacts
) -> None:
    x, y, width, height = box
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, width, height)
    parts = label_parts(box)
    sx, _sy, sw, _sh = parts["seat"]
    canvas.setLineWidth(0.4)
    canvas.line(sx + sw + 0.5 * mm, y + 2 * mm, sx + sw + 0.5 * mm, y + height - 2 * mm)
    canvas.restoreState()
    unit = height / mm  # sizes follow the label's height (44 to 66 mm)
    draw_in_box(canvas, parts["seat_title"], "座位号", unit * 0.22)
    draw_in_box(canvas, parts["seat"], str(seat.seat), unit * 0.9, minimum=14)
    texts = {
        "room": (room.name, 0.2),
        "name": (seat.name, 0.36),
        "id": (f"身份证号：{mask_id(seat.id_number)}", 0.17),
        "ticket": (f"准考证号：{seat.ticket}", 0.17),
        "subject": (subject_line(rs), 0.17),
        "when": (when_text(rs), 0.17),
    }
    for name, (text, share) in texts.items():
        draw_in_box(canvas, parts[name], text, unit * share, align="left", minimum=5)
    cut_marks(canvas, x, y, width, height)


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """``labels_per_page`` labels a sheet, each room session on sheets of its own."""
    per_page = job.settings.labels_per_page
    boxes = label_boxes(per_page)
    pairs = room_sessions(job.data, room)
    pages = 0
    for index, (r, rs) in enumerate(pairs):
        for sheet in chunks(rs.seats, per_page):
            job.progress.check_cancelled()
            for box, seat in zip(boxes, sheet, strict=False):
                draw_label(canvas, box, r, rs, seat)
            canvas.showPage()
            pages += 1
        job.progress.step(index + 1, len(pairs), "桌贴")
    return pages
