"""考核站点申请表 (step 1: 002 and 003 ask for the signed and stamped 《考核站点申请表》
uploaded with the site's application): the site's record (name, code, school, address,
province, director, phone), the certificates it applies to examine, and the site
standard of 002 and 003 as a checklist (met or not, and who decided: the program for
the labs and the team, the coordinator for the rest), then the signatures; one page.

The certificates and the checklist come from ``PrintJob.forms`` (``services.materials_forms``
reads ``services.site``). Without it the certificates are the plan's and the checklist
prints with empty boxes to tick by hand.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData, RoomFacts
from examsite.domain.site_forms import CertificateEntry, ChecklistEntry
from examsite.domain.site_standard import ITEMS
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_text, page_footer
from examsite.formats.pdf.forms import (
    Column,
    column_widths,
    draw_cell_text,
    draw_signatures,
    draw_table,
    draw_tick_box,
    draw_title,
    page_size,
)
from examsite.formats.pdf.job import PrintJob
from examsite.messages import LEVEL_TITLES
from examsite.messages.site import GROUP_TITLES, ITEM_TITLES

TITLE = "考核站点申请表"
ROW = 9 * mm
CHECK_ROW = 7.5 * mm
BOX = 3.5 * mm


def plan_certificates(data: MaterialsData) -> tuple[CertificateEntry, ...]:
    found: dict[str, CertificateEntry] = {}
    for _room, rs in data.room_sessions():
        found.setdefault(
            rs.certificate_code,
            CertificateEntry(rs.certificate_code, rs.certificate_name, rs.level),
        )
    return tuple(sorted(found.values(), key=lambda c: (c.name, c.code)))


def blank_checklist() -> tuple[ChecklistEntry, ...]:
    return tuple(
        ChecklistEntry(
            GROUP_TITLES.get(item.group, item.group),
            ITEM_TITLES.get(item.key, item.key),
            False,
            item.computed,
        )
        for item in ITEMS
    )


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    site = data.site
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    forms = job.forms
    known = forms is not None and bool(forms.application.checklist)
    certificates = (
        forms.application.certificates
        if forms is not None and forms.application.certificates
        else plan_certificates(data)
    )
    checklist = forms.application.checklist if forms is not None and known else blank_checklist()
    top = draw_title(canvas, PAGE_HEIGHT - MARGIN, "", TITLE, size=20) - 2 * mm
    # The record: label | value rows (two pairs a row where short).
    record = [
        [("考核站点名称", site.name)],
        [("所属院校", site.school), ("站点编号", site.code)],
        [("站点地址", site.address)],
        [("省份", site.province), ("考核站点负责人", site.director)],
        [("联系电话", site.phone), ("考务团队人数", str(len(data.staff)))],
    ]
    canvas.saveState()
    canvas.setLineWidth(0.6)
    for pairs in record:
        shares = [1.3, 7.7] if len(pairs) == 1 else [1.3, 3.2, 1.4, 3.1]
        widths = column_widths([Column("", s) for s in shares], inner)
        texts = [text for pair in pairs for text in pair]
        height = ROW * (1.4 if len(pairs) == 1 and len(texts[1]) > 40 else 1)
        x = MARGIN
        for index, (cell, text) in enumerate(zip(widths, texts, strict=True)):
            if index % 2 == 0:
                canvas.setFillGray(0.93)
                canvas.rect(x, top - height, cell, height, stroke=0, fill=1)
                canvas.setFillGray(0)
            canvas.rect(x, top - height, cell, height)
            draw_cell_text(
                canvas,
                x,
                top - height,
                cell,
                height,
                text,
                10,
                "centre" if index % 2 == 0 else "left",
            )
            x += cell
        top -= height
    canvas.restoreState()
    top -= 4 * mm
    draw_text(canvas, MARGIN, top - 11, "申请考核的证书", 11)
    top -= 15
    cert_rows = [
        [str(n), c.name, LEVEL_TITLES.get(c.level, c.level), c.code]
        for n, c in enumerate(certificates, 1)
    ] or [["", "", "", ""]]
    top = draw_table(
        canvas,
        top,
        (
            Column("序号", 0.6),
            Column("证书名称", 4.4),
            Column("等级", 1.0),
            Column("证书代码", 2.2),
        ),
        cert_rows,
        row_height=8 * mm,
        header_height=8 * mm,
    )
    top -= 4 * mm
    heading = "站点条件（002、003 考核站点标准）"
    if known and forms is not None:
        heading += f"　已具备 {sum(1 for e in checklist if e.done)}/{len(checklist)} 项（{forms.application.percent}%）"
    draw_text(canvas, MARGIN, top - 11, heading, 11)
    top -= 15
    columns = (
        Column("类别", 1.4),
        Column("条件", 5.0, "left"),
        Column("具备", 0.8),
        Column("核对方式", 1.4),
    )
    rows = [
        [e.group, e.title, "", ("程序核对" if e.computed else "站点确认") if known else ""]
        for e in checklist
    ]
    bottom = draw_table(
        canvas, top, columns, rows, row_height=CHECK_ROW, header_height=8 * mm, size=9.5
    )
    widths = column_widths(columns, inner)
    box_x = MARGIN + widths[0] + widths[1] + widths[2] / 2 - BOX / 2
    for index, entry in enumerate(checklist):
        y = top - 8 * mm - index * CHECK_ROW - CHECK_ROW / 2 - BOX / 2
        draw_tick_box(canvas, box_x, y, BOX, known and entry.done)
    y = draw_signatures(canvas, bottom - 4 * mm, ["考核站点负责人签字", "院校（盖章）"])
    draw_signatures(canvas, y - 4 * mm, ["日期"])
    page_footer(canvas, TITLE)
    canvas.showPage()
    return 1
