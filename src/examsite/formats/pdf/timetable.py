"""考核内容及时间表 (003: posted at the site's entrance and each room's door, 附件 1): one
row per exam session — certificate, level, subject, mode, date, time, duration, the
rooms and the number of candidates — with the arrival rule of 003 (30 minutes before)
under it. Posted: large type, one page when the plan allows (continued otherwise)."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData, RoomFacts
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_wrapped, page_footer
from examsite.formats.pdf.forms import (
    WEEKDAYS,
    Column,
    draw_fields,
    draw_table,
    draw_title,
    minutes,
    page_size,
    row_heights,
    rows_in_height,
    time_range,
)
from examsite.formats.pdf.job import PrintJob
from examsite.messages import LEVEL_TITLES, SUBJECT_KIND_TITLES

TITLE = "考核内容及时间表"
HEADER = 10 * mm
SIZE = 10.5
COLUMNS = (
    Column("证书名称", 2.2),
    Column("等级", 0.7),
    Column("考核科目", 1.8),
    Column("考核方式", 1.1),
    Column("考核日期", 1.4),
    Column("考核时间", 1.7),
    Column("时长", 1.2),
    Column("考场", 3.0),
    Column("人数", 0.7),
)
NOTES = (
    "考生须于考核开始前 30 分钟凭准考证和有效身份证件进入考场，开考 30 分钟后不得进入考场。",
    "考生随身物品须放在指定的物品存放处，不得将手机等通讯工具带入考场。",
)


def timetable_rows(data: MaterialsData) -> list[list[str]]:
    """One row per exam session (certificate, level, subject, time), time order."""
    groups: dict[tuple[object, ...], list[tuple[RoomFacts, int]]] = {}
    facts: dict[tuple[object, ...], tuple[str, str, str, str, str, dt.datetime, dt.datetime]] = {}
    for room, rs in data.room_sessions():
        key = (rs.starts_at, rs.ends_at, rs.certificate_name, rs.level, rs.subject_name)
        groups.setdefault(key, []).append((room, len(rs.seats)))
        facts[key] = (
            rs.certificate_name,
            rs.level,
            rs.subject_name,
            rs.subject_kind,
            rs.mode,
            rs.starts_at,
            rs.ends_at,
        )
    rows = []
    for key, rooms in groups.items():
        name, level, subject, kind, mode, start, end = facts[key]
        kind_title = SUBJECT_KIND_TITLES.get(kind, kind)
        rows.append(
            [
                name,
                LEVEL_TITLES.get(level, level),
                subject,
                mode or kind_title,
                f"{start.month}月{start.day}日\n星期{WEEKDAYS[start.weekday()]}",
                time_range(start, end),
                f"{minutes(start, end)}分钟",
                "、".join(room.name for room, _count in rooms),
                str(sum(count for _room, count in rooms)),
            ]
        )
    return rows


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    rows = timetable_rows(data)
    row_height = 13 * mm if len(rows) > 10 else 18 * mm
    heights = row_heights(COLUMNS, rows, inner, row_height, SIZE)
    pages = 0
    first = True
    while first or rows:
        job.progress.check_cancelled()
        top = draw_title(
            canvas, PAGE_HEIGHT - MARGIN, job.header, TITLE if first else f"{TITLE}（续）", size=22
        )
        if first:
            top = draw_fields(
                canvas,
                top,
                [
                    ("考核站点", data.site.name),
                    ("考核地点", data.site.address),
                    ("考核计划", data.plan.name),
                ],
                size=11,
                columns=1,
            )
            top -= 3 * mm
        fit = max(1, rows_in_height(heights, top - HEADER - MARGIN - 32 * mm))
        part, rows = rows[:fit], rows[fit:]
        part_heights, heights = heights[:fit], heights[fit:]
        y = draw_table(
            canvas,
            top,
            COLUMNS,
            part,
            row_height=row_height,
            header_height=HEADER,
            size=SIZE,
            heights=part_heights,
        )
        if not rows:
            y -= 4 * mm
            total = data.seated()
            y = draw_wrapped(canvas, MARGIN, y, f"共 {total} 人次参加考核。", 11, inner) - 2 * mm
            for number, note in enumerate(NOTES, 1):
                y = draw_wrapped(canvas, MARGIN, y, f"{number}. {note}", 11, inner) - 2 * mm
        page_footer(canvas, TITLE)
        canvas.showPage()
        pages += 1
        first = False
    return pages
