"""考场情况记录表 the room record form (003: one per room session, filled in by the
invigilators and handed in sealed): the session's facts printed from the data, then the
lines and boxes the invigilators fill in — 应考/实考/缺考, absent candidates, what
happened in the room (equipment, a changed PC, extra time), 考生违纪情况, 备注, and the
invigilators' signatures under their printed names."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts, RoomSessionFacts
from examsite.formats.pdf.drawing import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    draw_fitted,
    draw_text,
    page_footer,
)
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.tables import (
    Box,
    certificate_line,
    column_widths,
    draw_in_box,
    room_sessions,
    seat_range,
    subject_line,
    when_text,
)

TITLE = "考场情况记录表"
# 003's checklist: two of each per room session, one handed in, one kept by the site.
COPIES = ("上交联", "留档联")
LABEL_WEIGHT = 0.22  # the label column's share of the width
SIZE = 10.5
SIGN_ROW = 18  # mm: the signatures' row, a cell each under a printed name


def form_rows(job: PrintJob, room: RoomFacts, rs: RoomSessionFacts) -> list[tuple[str, str, float]]:
    """(label, printed value, row height in mm) from top to bottom; the value of a row the
    invigilators fill in is "" (or a printed frame of words to complete)."""
    return [
        ("考点名称", job.data.site.name, 11),
        ("考场", f"{room.name}　（{room.address}）" if room.address else room.name, 11),
        ("证书及等级", certificate_line(rs), 9),
        ("考试科目", f"{subject_line(rs)}　{rs.mode}", 9),
        ("考试时间", when_text(rs), 9),
        ("座位号", f"{seat_range(rs)}　（共 {len(rs.seats)} 个考位）", 9),
        (
            "考生人数",
            f"应考 {len(rs.seats)} 人　　实考 ______ 人　　缺考 ______ 人",
            11,
        ),
        ("缺考考生\n（座位号、姓名、\n准考证号）", "", 30),
        ("考场情况\n（设备故障、更换\n考生机、延时等）", "", 38),
        ("考生违纪情况\n（处理意见，\n考生签字）", "", 38),
        ("备注", "", 22),
        ("监考员签字", "", SIGN_ROW),
    ]


def draw_page(
    canvas: Canvas,
    job: PrintJob,
    room: RoomFacts,
    rs: RoomSessionFacts,
    copy: str = "",
    *,
    rows: list[tuple[str, str, float]] | None = None,
    value_size: float = SIZE,
    footnote: str = "",
) -> None:
    """One form: the blank one, or with ``rows`` the values printed in it (the filled
    form of ``room_record_filled``, whose tall boxes are written from the top)."""
    width = PAGE_WIDTH - 2 * MARGIN
    top = PAGE_HEIGHT - MARGIN
    draw_fitted(canvas, PAGE_WIDTH / 2, top - 10, job.header, 10, width * 0.7, align="centre")
    if copy:
        draw_text(canvas, PAGE_WIDTH - MARGIN, top - 10, f"（{copy}）", 10, align="right")
    draw_fitted(canvas, PAGE_WIDTH / 2, top - 34, TITLE, 20, width, align="centre")
    y = top - 46
    label_w, value_w = column_widths((LABEL_WEIGHT, 1 - LABEL_WEIGHT), width)
    canvas.saveState()
    canvas.setLineWidth(0.7)
    for label, value, height_mm in rows if rows is not None else form_rows(job, room, rs):
        height = height_mm * mm
        label_box: Box = (MARGIN, y - height, label_w, height)
        value_box: Box = (MARGIN + label_w, y - height, value_w, height)
        canvas.rect(*label_box)
        canvas.rect(*value_box)
        draw_in_box(canvas, label_box, label, SIZE if "\n" not in label else 9)
        if label.startswith("考生违纪"):  # room for the candidate's signature under the text
            signature_x = MARGIN + label_w + value_w * 0.55
            draw_text(canvas, signature_x, y - height + 3 * mm, "考生签字：____________", 9)
            value_box = (MARGIN + label_w, y - height + 6 * mm, value_w, height - 6 * mm)
        if value:
            valign = "top" if height_mm > 12 else "middle"
            draw_in_box(
                canvas, value_box, value, value_size, align="left", minimum=6.5, valign=valign
            )
        y -= height
    canvas.restoreState()
    _signature_cells(canvas, (MARGIN + label_w, y, value_w, SIGN_ROW * mm), rs)
    draw_fitted(canvas, MARGIN, y - 10 * mm, "填表日期：______年____月____日", SIZE, width / 2)
    if footnote:
        draw_fitted(canvas, PAGE_WIDTH - MARGIN, y - 10 * mm, footnote, 8, width / 2, align="right")
    page_footer(canvas, f"{TITLE}　{room.name}　{subject_line(rs)}")
    canvas.showPage()


def signers(rs: RoomSessionFacts) -> list[str]:
    """Who signs the form: each invigilator by name (two blank ones when none is
    arranged), then the chief examiner."""
    names = [f"监考员 {name}" for name in rs.invigilators] or ["监考员", "监考员"]
    return [*names, "主考"]


def _signature_cells(canvas: Canvas, box: Box, rs: RoomSessionFacts) -> None:
    """The signatures' row split into a cell per signer, the printed name small at the
    top of the cell and room to sign under it."""
    x, y, width, height = box
    names = signers(rs)
    cell = width / len(names)
    canvas.saveState()
    canvas.setLineWidth(0.4)
    for index, name in enumerate(names):
        left = x + index * cell
        if index:
            canvas.line(left, y, left, y + height)
        label: Box = (left, y + height - 7 * mm, cell, 7 * mm)
        draw_in_box(canvas, label, name, 8, align="left", minimum=6, valign="top")
    canvas.restoreState()


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """``COPIES`` forms per room session of ``room`` (every room's when None)."""
    pairs = room_sessions(job.data, room)
    for index, (r, rs) in enumerate(pairs):
        job.progress.check_cancelled()
        for copy in COPIES:
            draw_page(canvas, job, r, rs, copy)
        job.progress.step(index + 1, len(pairs), TITLE)
    return len(pairs) * len(COPIES)
