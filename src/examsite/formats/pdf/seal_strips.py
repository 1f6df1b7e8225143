"""封条 seal strips of a room (003: one set per room): a 考场封条 for the room's door,
and a 试卷袋封条 for each room session's envelope of papers handed in sealed (sign-in
sheets, the room record form); each with the site, the room, the date, and lines to
sign and date across the seal. ``PER_PAGE`` strips a page, with cut marks."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, cut_marks
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.tables import (
    Box,
    chunks,
    date_text,
    draw_in_box,
    grid_boxes,
    rooms_of,
    subject_line,
    time_text,
)

PER_PAGE = 4
GAP = 10 * mm


@dataclass(frozen=True)
class Strip:
    title: str  # 考场封条 / 试卷袋封条
    room: str
    detail: str  # the date, and for an envelope its session


def strips_of(room: RoomFacts) -> list[Strip]:
    strips = []
    dates = sorted({date_text(rs) for rs in room.sessions})
    strips.append(Strip("考场封条", room.name, "、".join(dates)))
    for rs in room.sessions:
        detail = f"{date_text(rs)} {time_text(rs)}　{subject_line(rs)}"
        strips.append(Strip("试卷袋封条", room.name, detail))
    return strips


def strip_boxes() -> list[Box]:
    area = (MARGIN, MARGIN, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN)
    return grid_boxes(area, 1, PER_PAGE, GAP)


def draw_strip(canvas: Canvas, box: Box, strip: Strip, site: str) -> None:
    x, y, width, height = box
    canvas.saveState()
    canvas.setLineWidth(1.5)
    canvas.rect(x, y, width, height)
    canvas.setLineWidth(0.5)
    canvas.rect(x + 1.5 * mm, y + 1.5 * mm, width - 3 * mm, height - 3 * mm)
    canvas.restoreState()
    pad = 5 * mm
    inner_w = width - 2 * pad
    rows = (
        ((x + pad, y + height * 0.7, inner_w, height * 0.27), strip.title, 30.0, "centre"),
        ((x + pad, y + height * 0.52, inner_w, height * 0.18), f"考点：{site}", 10.0, "left"),
        (
            (x + pad, y + height * 0.36, inner_w, height * 0.16),
            f"考场：{strip.room}　　{strip.detail}",
            10.0,
            "left",
        ),
    )
    for part, text, size, align in rows:
        draw_in_box(canvas, part, text, size, align=align, minimum=8)
    # Signature and date lines, two a row.
    line_y = y + height * 0.14
    half = inner_w / 2
    for index, label in enumerate(("封存人（签字）：", "监考员（签字）：")):
        lx = x + pad + index * half
        draw_in_box(canvas, (lx, line_y - 2 * mm, half * 0.42, 7 * mm), label, 10, align="left")
        canvas.line(lx + half * 0.42, line_y - 1 * mm, lx + half - 4 * mm, line_y - 1 * mm)
    draw_in_box(
        canvas,
        (x + pad, y + height * 0.22, inner_w, height * 0.13),
        "封存时间：______年____月____日____时____分",
        10,
        align="left",
    )
    cut_marks(canvas, x, y, width, height)


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """The strips of ``room`` (every room's when None), each room on pages of its own."""
    boxes = strip_boxes()
    pages = 0
    rooms = rooms_of(job.data, room)
    for index, r in enumerate(rooms):
        for sheet in chunks(strips_of(r), PER_PAGE):
            job.progress.check_cancelled()
            for box, strip in zip(boxes, sheet, strict=False):
                draw_strip(canvas, box, strip, job.data.site.name)
            canvas.showPage()
            pages += 1
        job.progress.step(index + 1, len(rooms), "封条")
    return pages
