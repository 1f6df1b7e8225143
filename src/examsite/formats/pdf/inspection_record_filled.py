"""巡考情况记录表, filled in from what exam day recorded (``job.exam_day``): the layout of
the blank record (``inspection_record``: one table per exam session time, a row per room)
with each room's 应考 / 实考 / 缺考 and its recorded incidents printed, the inspection time
and the inspector's signature left for the inspector; then the site-wide incidents, the
overall remarks box and the signatures. Counts of a room session with nothing recorded
stay blank (``domain.exam_day_record``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.exam_day_record import IncidentLine, RoomSessionRecord
from examsite.domain.materials import RoomFacts
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_fitted, page_footer
from examsite.formats.pdf.forms import (
    Column,
    draw_fields,
    draw_signatures,
    draw_table,
    draw_title,
    page_size,
    row_heights,
    rows_in_height,
)
from examsite.formats.pdf.inspection_record import SessionGroup, inspectors, session_groups
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.room_record_filled import incident_text
from examsite.messages.incidents import INCIDENT_TITLES

TITLE = "巡考情况记录表"
ROW = 12 * mm
HEADER = 8 * mm
SECTION = 8 * mm
FOOTER_SPACE = 18 * mm
COLUMNS = (
    Column("考场", 2.0),
    Column("应考", 0.7),
    Column("实考", 0.7),
    Column("缺考", 0.7),
    Column("监考员", 1.5),
    Column("考场记录的情况", 3.0, align="left"),
    Column("巡考时间", 1.1),
    Column("巡考员签字", 1.3),
)


def incident_summary(record: RoomSessionRecord | None) -> str:
    """``延时 10 分钟、违纪 1 起、换机 2 起`` for a room session ("" when none)."""
    if record is None or not record.incidents:
        return ""
    counts = Counter(i.code for i in record.incidents if i.code != "extension")
    parts = [f"延时 {record.extension} 分钟"] if record.extension else []
    parts += [f"{INCIDENT_TITLES.get(code, code)} {n} 起" for code, n in counts.items()]
    return "、".join(parts)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _rows(job: PrintJob, group: SessionGroup) -> Iterator[list[str]]:
    for room, rs in group.rooms:
        record = job.exam_day.of(rs.uid) if job.exam_day is not None else None
        counts = record.counts if record is not None else None
        yield [
            room.name,
            str(len(rs.seats)),
            _number(counts.present if counts else None),
            _number(counts.absent if counts else None),
            "\n".join(rs.invigilators),
            incident_summary(record),
            "",
            "",
        ]


def _totals(job: PrintJob, group: SessionGroup) -> str:
    expected = sum(len(rs.seats) for _room, rs in group.rooms)
    records = [job.exam_day.of(rs.uid) if job.exam_day else None for _r, rs in group.rooms]
    if not records or any(r is None or not r.counts.recorded for r in records):
        return f"合计应考 {expected} 人"
    present = sum(r.counts.present or 0 for r in records if r is not None)
    absent = sum(r.counts.absent or 0 for r in records if r is not None)
    return f"合计应考 {expected} 人，实考 {present} 人，缺考 {absent} 人"


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    pages = 0
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    bottom = MARGIN + FOOTER_SPACE

    def start_page(first: bool) -> float:
        top = draw_title(
            canvas, PAGE_HEIGHT - MARGIN, job.header, TITLE if first else f"{TITLE}（续）"
        )
        if not first:
            return top - 2 * mm
        names = "、".join(inspectors(data)) or "（由培训评价组织派遣，当日填写）"
        return (
            draw_fields(
                canvas,
                top,
                [
                    ("考核站点", data.site.name),
                    ("考核计划", data.plan.name),
                    ("巡考员", names),
                    ("巡考时段", "开考前 15 分钟至考核结束，考核中每个考场至少巡视一次"),
                ],
                columns=1,
            )
            - 2 * mm
        )

    def end_page() -> None:
        nonlocal pages
        page_footer(canvas, f"{TITLE}　一式两份，一份上交，一份留档")
        canvas.showPage()
        pages += 1

    y = start_page(True)
    for group in session_groups(data):
        job.progress.check_cancelled()
        rows = list(_rows(job, group))
        heights = row_heights(COLUMNS, rows, inner, ROW, 9.5)
        heading = f"{group.heading}　{_totals(job, group)}"
        while rows:
            fit = rows_in_height(heights, y - SECTION - HEADER - bottom)
            if fit < min(2, len(rows)):
                end_page()
                y = start_page(False)
                continue
            draw_fitted(canvas, MARGIN, y - SECTION + 2.5 * mm, heading, 10, inner, minimum=7)
            part, rows = rows[:fit], rows[fit:]
            part_heights, heights = heights[:fit], heights[fit:]
            y = draw_table(
                canvas,
                y - SECTION,
                COLUMNS,
                part,
                row_height=ROW,
                header_height=HEADER,
                heights=part_heights,
                size=9.5,
            )
            y -= 2 * mm
    y = _site_incidents(canvas, job, y, bottom, inner, start_page, end_page)
    remarks = 30 * mm
    if y - remarks - 16 * mm < bottom - FOOTER_SPACE + 6 * mm:
        end_page()
        y = start_page(False)
    draw_table(
        canvas,
        y - 2 * mm,
        (Column("巡考总体情况及意见建议", 1),),
        [[""]],
        row_height=remarks,
        header_height=7 * mm,
    )
    y -= 2 * mm + 7 * mm + remarks
    draw_signatures(canvas, y, ["巡考员签字", "主考签字", "日期"])
    end_page()
    return pages


def _site_incidents(
    canvas: Canvas,
    job: PrintJob,
    y: float,
    bottom: float,
    inner: float,
    start_page: Callable[[bool], float],
    end_page: Callable[[], None],
) -> float:
    """The incidents of the whole site (not of one room), as a one-column table."""
    lines: tuple[IncidentLine, ...] = job.exam_day.site_incidents if job.exam_day else ()
    if not lines:
        return y
    rows = [[incident_text(line)] for line in lines]
    columns = (Column("全考点的突发情况（停电、延时等）", 1, align="left"),)
    heights = row_heights(columns, rows, inner, 9 * mm, 9.5)
    while rows:
        fit = rows_in_height(heights, y - 2 * mm - 7 * mm - bottom)
        if fit < 1:
            end_page()
            y = start_page(False)
            continue
        y = draw_table(
            canvas,
            y - 2 * mm,
            columns,
            rows[:fit],
            row_height=9 * mm,
            header_height=7 * mm,
            heights=heights[:fit],
            size=9.5,
        )
        rows, heights = rows[fit:], heights[fit:]
    return y
