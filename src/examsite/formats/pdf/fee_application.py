"""缴费申请单 data (003 §9: the school pays the training organisation the province's fee
for its candidates): per certificate level the candidates, the fee per candidate and the
amount, the total in figures and in capital numerals, the province, and the signature
lines; one page (continued for a long plan).

The fee per level comes from ``PrintJob.forms`` (``services.materials_forms``: the
organisation's fee or the province's override, as registration computes it). Without it
the form still prints: candidates per certificate level counted from the seats, the fee
and amount left for the coordinator to fill in by hand.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.eligibility import FeeLine
from examsite.domain.materials import MaterialsData, RoomFacts
from examsite.domain.site_forms import yuan_in_words
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_wrapped, page_footer
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
from examsite.formats.pdf.job import PrintJob
from examsite.messages import LEVEL_TITLES

TITLE = "考核费用缴费申请单"
ROW = 10 * mm
HEADER = 9 * mm
COLUMNS = (
    Column("序号", 0.6),
    Column("证书名称", 3.8),
    Column("等级", 0.8),
    Column("证书代码", 2.0),
    Column("考生人数", 1.0),
    Column("收费标准\n（元/人）", 1.3),
    Column("金额（元）", 1.4),
)


def seated_lines(data: MaterialsData) -> tuple[FeeLine, ...]:
    """Candidates per certificate level from the seats (each candidate once), fee 0."""
    people: dict[tuple[str, str, str], set[int]] = {}
    for _room, rs in data.room_sessions():
        key = (rs.certificate_code, rs.certificate_name, rs.level)
        people.setdefault(key, set()).update(seat.candidate_id for seat in rs.seats)
    return tuple(
        FeeLine(code, name, level, len(ids), 0, False)
        for (code, name, level), ids in sorted(people.items())
    )


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    forms = job.forms
    known = forms is not None
    province = forms.fees.province if forms is not None else data.site.province
    lines = [line for line in forms.fees.lines if line.candidates] if forms else []
    if not known:
        lines = list(seated_lines(data))
    rows = [
        [
            str(number),
            line.certificate_name,
            LEVEL_TITLES.get(line.level, line.level),
            line.certificate_code,
            str(line.candidates),
            str(line.fee) if known else "",
            str(line.amount) if known else "",
        ]
        for number, line in enumerate(lines, 1)
    ]
    candidates = sum(line.candidates for line in lines)
    total = sum(line.amount for line in lines)
    pages = 0
    first = True
    while first or rows:
        job.progress.check_cancelled()
        top = draw_title(
            canvas, PAGE_HEIGHT - MARGIN, job.header, TITLE if first else f"{TITLE}（续）"
        )
        if first:
            top = draw_fields(
                canvas,
                top,
                [
                    ("缴费院校", data.site.school),
                    ("考核站点编号", data.site.code),
                    ("考核站点", data.site.name),
                    ("考核计划", f"{data.plan.name}（{data.plan.code}）"),
                    ("收费单位", data.plan.org),
                    ("省份", province),
                ],
            )
            top -= 2 * mm
        heights = row_heights(COLUMNS, rows, inner, ROW, 10)
        fit = max(1, rows_in_height(heights, top - HEADER - ROW - MARGIN - 70 * mm))
        part, rows = rows[:fit], rows[fit:]
        part_heights = heights[:fit]
        if not rows:
            part = [*part, ["", "合计", "", "", str(candidates), "", str(total) if known else ""]]
            part_heights = [*part_heights, ROW]
        y = draw_table(
            canvas, top, COLUMNS, part, row_height=ROW, header_height=HEADER, heights=part_heights
        )
        if not rows:
            words = yuan_in_words(total) if known else ""
            y = draw_fields(
                canvas,
                y - 3 * mm,
                [
                    ("合计金额（大写）", words or "＿＿＿＿＿＿＿＿＿＿＿＿"),
                    ("合计（小写）", f"¥{total}" if known else ""),
                ],
                size=11,
            )
            note = (
                f"收费标准为{province or '本省'}考核费用标准（省级教育行政部门发布；未发布的为培训评价组织的标准）。"
                if known
                else "收费标准请按省级教育行政部门发布的考核费用标准填写。"
            )
            y = draw_wrapped(
                canvas,
                MARGIN,
                y - 2 * mm,
                "说明：" + note + "考生人数为已报考的考生（每人每个证书等级计一次）。",
                9,
                inner,
            )
            y = draw_signatures(canvas, y - 6 * mm, ["经办人", "联系电话"])
            y = draw_signatures(canvas, y - 4 * mm, ["院校负责人", "院校（盖章）"])
            draw_signatures(canvas, y - 4 * mm, ["日期"])
        page_footer(canvas, TITLE)
        canvas.showPage()
        pages += 1
        first = False
    return pages
