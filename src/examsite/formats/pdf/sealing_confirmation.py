"""考场封场确认单 (003 materials checklist no. 8: one for the whole site, 一式两份). 003's
exam flow, 考场封场确认 (负责人：系统管理员、考务人员): the four checks below, done per room
before exam day; so one row per room (not per room session) with a tick box per check,
the sealing time and both signatures."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData, RoomFacts
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_wrapped, page_footer
from examsite.formats.pdf.forms import (
    Column,
    column_widths,
    draw_fields,
    draw_signatures,
    draw_table,
    draw_tick_box,
    draw_title,
    page_size,
    rows_that_fit,
)
from examsite.formats.pdf.job import PrintJob

TITLE = "考场封场确认单"
#: 003, 考核流程 · 考前准备 · 考场封场确认.
CHECKS = (
    "完成试考检查，模拟考核系统运行正常，考核机不能访问外网",
    "完成系统检查，确认服务器、学生机未感染病毒，其他无关软件均已退出",
    "确认考核当天供电正常，监控设备运行正常（无监控可使用摄录机等移动设备）",
    "核对《考场签到表》与系统中数据一致",
)
ROW = 14 * mm
HEADER = 10 * mm
BOX = 4 * mm
COLUMNS = (
    Column("考场", 2.2),
    Column("考位/考生", 1.0),
    Column("检查 1", 0.7),
    Column("检查 2", 0.7),
    Column("检查 3", 0.7),
    Column("检查 4", 0.7),
    Column("封场时间", 1.2),
    Column("系统管理员签字", 1.4),
    Column("考务人员签字", 1.4),
)


def physical_rooms(data: MaterialsData) -> list[tuple[str, int, int]]:
    """Each physical room once (``MaterialsData.rooms_by_name``): its name, usable seats
    and the most candidates of any of its room sessions."""
    return [
        (
            name,
            max(room.capacity for room in rows),
            max((len(s.seats) for room in rows for s in room.sessions), default=0),
        )
        for name, rows in data.rooms_by_name().items()
    ]


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    rooms = physical_rooms(data)
    pages = 0
    first = True
    while first or rooms:
        job.progress.check_cancelled()
        top = draw_title(
            canvas, PAGE_HEIGHT - MARGIN, job.header, TITLE if first else f"{TITLE}（续）"
        )
        if first:
            top = draw_fields(
                canvas,
                top,
                [("考核站点", data.site.name), ("考核计划", data.plan.name)],
                columns=1,
            )
            top -= 2 * mm
            for number, text in enumerate(CHECKS, 1):
                top = (
                    draw_wrapped(canvas, MARGIN, top, f"检查 {number}：{text}", 9.5, inner)
                    - 1.5 * mm
                )
            top = draw_wrapped(
                canvas,
                MARGIN,
                top,
                "由系统管理员、考务人员对照以上各项逐一检查，合格的在方框内打“√”，"
                "全部合格后封闭考场并签字；联系培训评价组织技术支持人员确认无误后方可离开考场。",
                9.5,
                inner,
            )
            top -= 3 * mm
        fit = max(1, rows_that_fit(top, MARGIN + 40 * mm, ROW, HEADER))
        part, rows_left = rooms[:fit], rooms[fit:]
        rows = [[name, f"{capacity}/{seated}", *[""] * 7] for name, capacity, seated in part]
        bottom = draw_table(canvas, top, COLUMNS, rows, row_height=ROW, header_height=HEADER)
        widths = column_widths(COLUMNS, inner)
        box_left = MARGIN + widths[0] + widths[1]
        for index in range(len(part)):
            y = top - HEADER - index * ROW - ROW / 2 - BOX / 2
            for check in range(4):
                x = box_left + sum(widths[2 : 2 + check]) + widths[2 + check] / 2 - BOX / 2
                draw_tick_box(canvas, x, y, BOX, False)
        rooms = rows_left
        if not rooms:
            y = draw_signatures(canvas, bottom - 4 * mm, ["主考签字", "日期"])
            draw_wrapped(
                canvas,
                MARGIN,
                y - 4 * mm,
                "“考位/考生”：考场可用考位数 / 本计划单场最多考生数。",
                8,
                inner,
            )
        page_footer(canvas, f"{TITLE}　一式两份，一份上交，一份留档")
        canvas.showPage()
        pages += 1
        first = False
    return pages
