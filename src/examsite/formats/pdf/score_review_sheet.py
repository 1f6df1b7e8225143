"""成绩复查表 (003, annex 1) filled in for the school: the school, the person in charge, the
phone, the plan, how many candidates ask, one row per candidate (name, ID, ticket, level,
their scores) and the reason; one form per certificate, 12 candidates a page.

The ``score_review`` entry of ``services.print_documents`` draws with ``draw`` here: given
a ``ReviewJob`` (``services.score_review``) the filled forms, given any other print job
the blank form of ``formats.pdf.score_review`` (the print run's copy).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts
from examsite.domain.score_review import ReviewLine, ReviewSheet
from examsite.formats.pdf import score_review
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_wrapped, page_footer
from examsite.formats.pdf.forms import (
    Column,
    draw_table,
    draw_title,
    page_size,
)
from examsite.formats.pdf.job import PrintJob

CANDIDATE_ROWS = score_review.CANDIDATE_ROWS
ROW = score_review.ROW
COLUMNS = (
    Column("考生姓名", 1.2),
    Column("身份证号", 2.3),
    Column("准考证号", 2.2),
    Column("报考级别", 0.9),
    Column("成绩", 2.5),
)


@dataclass(frozen=True)
class ReviewJob(PrintJob):
    """A print job carrying the filled forms (one per certificate)."""

    sheets: tuple[ReviewSheet, ...] = ()


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    if not isinstance(job, ReviewJob):
        return score_review.draw(canvas, job, room)
    return sum(draw_sheet(canvas, job.header, sheet) for sheet in job.sheets)


def draw_sheet(canvas: Canvas, header: str, sheet: ReviewSheet) -> int:
    """One certificate's form, as many pages as its candidates need."""
    chunks = [
        sheet.lines[i : i + CANDIDATE_ROWS] for i in range(0, len(sheet.lines), CANDIDATE_ROWS)
    ] or [()]
    for chunk in chunks:
        _page(canvas, header, sheet, chunk)
    return len(chunks)


def _page(
    canvas: Canvas,
    header: str,
    sheet: ReviewSheet,
    lines: tuple[ReviewLine, ...],
) -> None:
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    top = draw_title(
        canvas, PAGE_HEIGHT - MARGIN, header, score_review.form_title((sheet.certificate,))
    )
    top -= 2 * mm
    head = [
        [("试点院校", sheet.school)],
        [("考务负责人", sheet.director), ("联系方式", sheet.phone)],
        [("考核计划", sheet.plan), ("复查总人数", f"{sheet.people} 人")],
    ]
    top = score_review.draw_review_head(canvas, top, inner, head)
    rows = [[ln.name, ln.id_number, ln.ticket, ln.level, ln.score] for ln in lines]
    rows += [[""] * len(COLUMNS)] * (CANDIDATE_ROWS - len(rows))
    top = draw_table(canvas, top, COLUMNS, rows, row_height=ROW, header_height=ROW, size=9.5)
    top = score_review.draw_review_boxes(
        canvas, top, inner, inner * 1.2 / 9.1, 30 * mm, sheet.reason
    )
    draw_wrapped(canvas, MARGIN, top - 3 * mm, score_review.NOTE, 9, inner)
    page_footer(canvas, score_review.TITLE)
    canvas.showPage()
