"""巡考情况记录表 (003 materials checklist no. 7: one for the whole site, 一式两份): for each
exam session time (certificate, level, subject, date and time) the rooms in use, each
with columns for the inspection time, what the inspector found and the inspector's
signature; the site's inspectors (staff with role ``inspector``) named at the top; the
overall remarks and signatures at the end. 003: inspect from 15 minutes before the start
to the end, every room at least once during the session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData, RoomFacts, RoomSessionFacts
from examsite.domain.staff_roles import Role
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_fitted, page_footer
from examsite.formats.pdf.forms import (
    Column,
    date_with_weekday,
    draw_fields,
    draw_signatures,
    draw_table,
    draw_title,
    page_size,
    row_heights,
    rows_in_height,
    time_range,
)
from examsite.formats.pdf.job import PrintJob
from examsite.messages import certificate_title

TITLE = "巡考情况记录表"
ROW = 13 * mm
HEADER = 8 * mm
SECTION = 8 * mm
FOOTER_SPACE = 18 * mm
COLUMNS = (
    Column("考场", 2.2),
    Column("考生数", 0.8),
    Column("监考员", 1.8),
    Column("巡考时间", 1.3),
    Column("巡考情况", 3.4),
    Column("巡考员签字", 1.4),
)


@dataclass(frozen=True)
class SessionGroup:
    """The rooms of one exam session time."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    heading: str
    rooms: tuple[tuple[RoomFacts, RoomSessionFacts], ...]


def inspectors(data: MaterialsData) -> tuple[str, ...]:
    return tuple(s.name for s in data.staff if Role.INSPECTOR.value in s.roles)


def session_groups(data: MaterialsData) -> tuple[SessionGroup, ...]:
    """Room sessions grouped by time, certificate, level and subject (time order)."""
    groups: dict[tuple[object, ...], list[tuple[RoomFacts, RoomSessionFacts]]] = {}
    for room, rs in data.room_sessions():
        key = (rs.starts_at, rs.ends_at, rs.certificate_name, rs.level, rs.subject_name)
        groups.setdefault(key, []).append((room, rs))
    result = []
    for pairs in groups.values():
        rs = pairs[0][1]
        heading = (
            f"{date_with_weekday(rs.starts_at.date())} {time_range(rs.starts_at, rs.ends_at)}　"
            f"{certificate_title(rs.certificate_name, rs.level)}{rs.subject_name}"
        )
        result.append(SessionGroup(rs.starts_at, rs.ends_at, heading, tuple(pairs)))
    return tuple(result)


def _rows(group: SessionGroup) -> Iterator[list[str]]:
    for room, rs in group.rooms:
        yield [room.name, str(len(rs.seats)), "\n".join(rs.invigilators), "", "", ""]


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
        rows = list(_rows(group))
        heights = row_heights(COLUMNS, rows, inner, ROW, 10)
        while rows:
            fit = rows_in_height(heights, y - SECTION - HEADER - bottom)
            if fit < min(2, len(rows)):
                end_page()
                y = start_page(False)
                continue
            draw_fitted(canvas, MARGIN, y - SECTION + 2.5 * mm, group.heading, 10.5, inner)
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
            )
            y -= 2 * mm
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
