"""考务人员承诺书 (003 materials checklist no. 9: "建议一张表格签所有考务人员姓名"; signed at
the pre-exam staff meeting, 一式两份). The seeds name the paper but give no text: the text
below is a standard commitment written from the duties of 003 (考务人员职责) and 002
(遵守保密工作规定). Then every staff member on one table (name, roles, department, a
signature and a date box), continued on further pages as needed."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts
from examsite.domain.staff_roles import read_roles
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_wrapped, page_footer
from examsite.formats.pdf.forms import (
    Column,
    draw_fields,
    draw_table,
    draw_title,
    page_size,
    row_heights,
    rows_in_height,
)
from examsite.formats.pdf.job import PrintJob
from examsite.messages.staff import ROLE_TITLES

TITLE = "考务人员承诺书"
TEXT = (
    "本人自愿参加本次职业技能等级证书考核的考务工作，已认真学习考核的有关规定和本人岗位职责，郑重承诺：",
    "一、严格遵守国家有关法律法规和考核工作的各项规章制度，服从考核站点的统一安排，认真履行岗位职责。",
    "二、严格遵守保密工作规定，不泄露考核试题、考生信息及其他应当保密的考务工作内容。",
    "三、本人及直系亲属未参加本次考核；如有应当回避的情形，主动报告并回避。",
    "四、按时到岗，坚守岗位，不擅离职守；考核期间不使用手机等通讯工具，不做与考务无关的事。",
    "五、公平公正对待每一位考生，不为考生作弊提供任何便利，发现违纪作弊行为及时制止并如实记录、报告。",
    "六、如违反上述承诺，本人愿意承担相应责任，接受有关部门的处理。",
)
ROW = 10 * mm
HEADER = 8 * mm
COLUMNS = (
    Column("序号", 0.6),
    Column("姓名", 1.4),
    Column("岗位", 1.6),
    Column("所在部门", 2.0),
    Column("本人签字", 1.6),
    Column("日期", 1.2),
)


def role_titles(roles: tuple[str, ...]) -> str:
    """The Chinese titles of a person's roles (legacy keys read as today's roles)."""
    known = read_roles(roles)
    return "、".join(ROLE_TITLES[role.value] for role in known) or "、".join(roles)


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    staff = [
        [str(number), person.name, role_titles(person.roles), person.department, "", ""]
        for number, person in enumerate(data.staff, 1)
    ]
    heights = row_heights(COLUMNS, staff, inner, ROW, 10)
    pages = 0
    first = True
    while first or staff:
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
            top -= 1 * mm
            for paragraph in TEXT:
                top = draw_wrapped(canvas, MARGIN, top, "　　" + paragraph, 10, inner) - 1.5 * mm
            top -= 2 * mm
        fit = max(1, rows_in_height(heights, top - HEADER - MARGIN - 8 * mm))
        part, staff = staff[:fit], staff[fit:]
        part_heights, heights = heights[:fit], heights[fit:]
        draw_table(
            canvas, top, COLUMNS, part, row_height=ROW, header_height=HEADER, heights=part_heights
        )
        page_footer(canvas, f"{TITLE}　共 {len(data.staff)} 人　一式两份，一份上交，一份留档")
        canvas.showPage()
        pages += 1
        first = False
    return pages
