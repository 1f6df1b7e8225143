"""成绩复查表 (003, 附件 1): the blank form a school sends to request a score review, with
the school, the person in charge, the phone and the plan filled in; one page. The
fields and the note are the annex's; the candidates' rows are left blank (which
candidates ask for a review is known only after the scores are published)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_text, draw_wrapped, page_footer
from examsite.formats.pdf.forms import (
    Column,
    certificate_names,
    column_widths,
    draw_cell_text,
    draw_table,
    draw_title,
    page_size,
)
from examsite.formats.pdf.job import PrintJob

TITLE = "成绩复查表"
CANDIDATE_ROWS = 12
ROW = 9 * mm
NOTE = (
    "备注：复查时间为成绩公示期内一周，超出复查时间后平台成绩锁定无法修改；以院校为单位"
    "统一提交，邮件命名为“院校名称-证书名称复查表”。复查原则上仅限于人工阅卷试题；采用"
    "计算机阅卷的试题，仅在成绩为零分或缺考时进行复查。"
)


def form_title(names: tuple[str, ...]) -> str:
    """003: "数字营销技术应用职业技能等级证书成绩复查表" — the plan's certificate."""
    return f"{names[0]}{TITLE}" if len(names) == 1 else f"职业技能等级证书{TITLE}"


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    width, _height = page_size(canvas)
    inner = width - 2 * MARGIN
    top = draw_title(canvas, PAGE_HEIGHT - MARGIN, job.header, form_title(certificate_names(data)))
    top -= 2 * mm
    head = [
        [("试点院校", data.site.school)],
        [("考务负责人", data.site.director), ("联系方式", data.site.phone)],
        [("考核计划", data.plan.name), ("复查总人数", "")],
    ]
    top = draw_review_head(canvas, top, inner, head)
    columns = (
        Column("考生姓名", 1.3),
        Column("身份证号", 2.4),
        Column("准考证号", 2.0),
        Column("报考级别", 1.1),
        Column("成绩", 0.9),
        Column("复查科目", 1.4),
    )
    top = draw_table(
        canvas, top, columns, [[""] * 6] * CANDIDATE_ROWS, row_height=ROW, header_height=ROW
    )
    top = draw_review_boxes(canvas, top, inner, inner * 1.3 / 9.1, 32 * mm)
    draw_wrapped(canvas, MARGIN, top - 3 * mm, NOTE, 9, inner)
    page_footer(canvas, TITLE)
    canvas.showPage()
    return 1


def draw_review_head(
    canvas: Canvas, top: float, inner: float, head: list[list[tuple[str, str]]]
) -> float:
    """The annex's head from ``top`` down: one row per item of ``head``, each one or two
    (label, value) pairs drawn label | value | label | value, the labels shaded; returns
    the new top."""
    label_share, value_share = 1.2, 2.6
    row_h = 10 * mm
    canvas.saveState()
    canvas.setLineWidth(0.6)
    for pairs in head:
        shares = [label_share, value_share * 2]
        if len(pairs) == 2:
            shares = [label_share, value_share, label_share * 0.9, value_share * 0.6]
        widths = column_widths([Column("", s) for s in shares], inner)
        x = MARGIN
        texts = [text for pair in pairs for text in pair]
        for index, (cell, text) in enumerate(zip(widths, texts, strict=True)):
            if index % 2 == 0:
                canvas.setFillGray(0.93)
                canvas.rect(x, top - row_h, cell, row_h, stroke=0, fill=1)
                canvas.setFillGray(0)
            canvas.rect(x, top - row_h, cell, row_h)
            draw_cell_text(canvas, x, top - row_h, cell, row_h, text, 10.5)
            x += cell
        top -= row_h
    canvas.restoreState()
    return top


def draw_review_boxes(
    canvas: Canvas, top: float, inner: float, label_width: float, height: float, reason: str = ""
) -> float:
    """复查理由 and 试点院校意见 from ``top`` down: tall boxes with the label on the left, the
    reason written in the first (when given), the signature line in the second; returns
    the new top."""
    for label, signature in (("复查理由", False), ("试点院校意见", True)):
        canvas.saveState()
        canvas.setLineWidth(0.6)
        canvas.setFillGray(0.93)
        canvas.rect(MARGIN, top - height, label_width, height, stroke=0, fill=1)
        canvas.setFillGray(0)
        canvas.rect(MARGIN, top - height, label_width, height)
        canvas.rect(MARGIN + label_width, top - height, inner - label_width, height)
        canvas.restoreState()
        draw_cell_text(canvas, MARGIN, top - height, label_width, height, label, 10.5)
        if signature:
            base = top - height + 6 * mm
            draw_text(canvas, MARGIN + label_width + 8 * mm, base, "负责人签字：", 10.5)
            draw_text(
                canvas,
                MARGIN + inner - 8 * mm,
                base,
                "（盖章）　　年　　月　　日",
                10.5,
                align="right",
            )
        elif reason:
            draw_wrapped(
                canvas,
                MARGIN + label_width + 3 * mm,
                top - 3 * mm,
                reason,
                10.5,
                inner - label_width - 6 * mm,
            )
        top -= height
    return top
