"""监考安排表 the invigilators' duty list: a room's sessions with their times and
invigilators, one line per invigilator with a column to sign in; for the whole plan
(``room`` None) every room session, by time then room, the header row repeated on each
page."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts, RoomSessionFacts
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, draw_fitted, page_footer
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.tables import (
    Column,
    Table,
    date_text,
    room_sessions,
    subject_line,
    time_text,
)
from examsite.messages import level_title

TITLE = "监考安排表"
COLUMNS = (
    Column("日期", 1.5),
    Column("时间", 1.2),
    Column("考场", 1.6),
    Column("科目", 2.0),
    Column("人数", 0.6),
    Column("监考员", 1.5),
    Column("签到（签字）", 1.4),
    Column("签退（签字）", 1.4),
)


def duty_rows(pairs: list[tuple[RoomFacts, RoomSessionFacts]]) -> list[tuple[str, ...]]:
    """One row per invigilator of each room session (one with no name when a session
    has none, so the gap shows)."""
    rows = []
    for room, rs in pairs:
        subject = f"{subject_line(rs)}"
        if level_title(rs.level) not in subject:
            subject = f"{subject}（{level_title(rs.level)}）"
        for name in rs.invigilators or ("（未安排）",):
            rows.append(
                (date_text(rs), time_text(rs), room.name, subject, str(len(rs.seats)), name, "", "")
            )
    return rows


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """The room's duty list (the plan's when ``room`` is None)."""
    job.progress.check_cancelled()
    pairs = room_sessions(job.data, room)
    width = PAGE_WIDTH - 2 * MARGIN
    table = Table(
        COLUMNS,
        left=MARGIN,
        width=width,
        bottom=MARGIN + 6 * mm,
        row_height=11 * mm,
        header_height=9 * mm,
        size=10,
        header_size=10,
    )
    heading = f"{TITLE}　{room.name}" if room else f"{TITLE}（全部考场）"

    def start_page(c: Canvas) -> float:
        top = PAGE_HEIGHT - MARGIN
        draw_fitted(c, PAGE_WIDTH / 2, top - 9, job.header, 9, width, align="centre")
        draw_fitted(c, PAGE_WIDTH / 2, top - 30, heading, 18, width, align="centre")
        site = f"考点：{job.data.site.name}"
        draw_fitted(c, MARGIN, top - 48, site, 10, width)
        return top - 56

    def end_page(c: Canvas) -> None:
        page_footer(c, heading)

    pages = table.draw(canvas, duty_rows(pairs), start_page, end_page)
    job.progress.step(1, 1, TITLE)
    return pages
