"""门贴 door signs: one A4 landscape page per room session, posted on the room's door, in
type large enough to read from a few metres: the room, the certificate and level, the
subject, the date and time, the seat range and the count, the site."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts, RoomSessionFacts
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.tables import (
    certificate_line,
    draw_in_box,
    room_sessions,
    seat_range,
    subject_line,
    when_text,
)

PAGE = landscape(A4)
BORDER = 12 * mm
PAD = 8 * mm

# (share of the inner height, font size) of each band, top to bottom.
BANDS = (
    ("header", 0.08, 16.0),
    ("certificate", 0.12, 30.0),
    ("room", 0.25, 96.0),
    ("subject", 0.14, 40.0),
    ("when", 0.14, 40.0),
    ("seats", 0.14, 36.0),
    ("site", 0.13, 18.0),
)


def sign_texts(job: PrintJob, room: RoomFacts, rs: RoomSessionFacts) -> dict[str, str]:
    return {
        "header": job.header,
        "certificate": certificate_line(rs),
        "room": room.name,
        "subject": subject_line(rs),
        "when": when_text(rs),
        "seats": f"座位号 {seat_range(rs)}　　考生 {len(rs.seats)} 人",
        "site": f"考点：{job.data.site.name}",
    }


def band_boxes() -> dict[str, tuple[tuple[float, float, float, float], float]]:
    """Each band's box and font size on the page."""
    width, height = PAGE
    left, bottom = BORDER + PAD, BORDER + PAD
    inner_w, inner_h = width - 2 * left, height - 2 * bottom
    boxes = {}
    top = bottom + inner_h
    for name, share, size in BANDS:
        box_h = inner_h * share
        boxes[name] = ((left, top - box_h, inner_w, box_h), size)
        top -= box_h
    return boxes


def draw_page(canvas: Canvas, job: PrintJob, room: RoomFacts, rs: RoomSessionFacts) -> None:
    canvas.setPageSize(PAGE)
    width, height = PAGE
    canvas.saveState()
    canvas.setLineWidth(2.5)
    canvas.rect(BORDER, BORDER, width - 2 * BORDER, height - 2 * BORDER)
    canvas.setLineWidth(0.8)
    canvas.rect(
        BORDER + 2 * mm, BORDER + 2 * mm, width - 2 * BORDER - 4 * mm, height - 2 * BORDER - 4 * mm
    )
    canvas.restoreState()
    texts = sign_texts(job, room, rs)
    for name, (box, size) in band_boxes().items():
        draw_in_box(canvas, box, texts[name], size, minimum=max(12.0, size * 0.45))
    canvas.showPage()


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """One page per room session of ``room`` (every room's when None)."""
    pairs = room_sessions(job.data, room)
    for index, (r, rs) in enumerate(pairs):
        job.progress.check_cancelled()
        draw_page(canvas, job, r, rs)
        job.progress.step(index + 1, len(pairs), "门贴")
    canvas.setPageSize(A4)  # the next document in a room kit is portrait
    return len(pairs)
