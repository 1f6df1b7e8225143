"""打印校准页 the printer alignment page: a millimetre grid, corner marks 10 mm in from
each edge and a 100 mm ruler each way, so the coordinator checks the printer's scale
("actual size", not "fit to page") and margins before printing the whole batch."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts
from examsite.formats.pdf.drawing import PAGE_HEIGHT, PAGE_WIDTH, draw_text, draw_wrapped
from examsite.formats.pdf.job import PrintJob

TITLE = "打印校准页"
CORNER = 10 * mm  # the corner marks' distance from the paper's edges
RULER = 100 * mm
GRID = (40 * mm, 60 * mm, 130 * mm, 100 * mm)  # x, y, width, height of the mm grid

INSTRUCTIONS = (
    "打印整批材料前，请先用将要使用的打印机打印本页（打印设置选择“实际大小”或“100%”，"
    "不要选“适合页面”），再用直尺检查：\n"
    "1. 下方横向标尺和左侧纵向标尺的 0 到 100 应正好是 100 毫米；差 1 毫米以上请检查缩放设置。\n"
    "2. 四角的“┼”标记到纸边应各为 10 毫米，且都完整打印出来；缺了说明打印机边距过大或纸张偏移。\n"
    "3. 网格每小格 1 毫米、每大格 10 毫米，应为正方形，不应拉长。"
)


def _ruler(canvas: Canvas, x: float, y: float, *, vertical: bool) -> None:
    """A 100 mm ruler from (x, y): a tick each mm, longer each 5 and 10 mm, numbered."""
    canvas.saveState()
    canvas.setLineWidth(0.4)
    if vertical:
        canvas.line(x, y, x, y + RULER)
    else:
        canvas.line(x, y, x + RULER, y)
    for step in range(101):
        length = 5 * mm if step % 10 == 0 else 3 * mm if step % 5 == 0 else 1.8 * mm
        at = step * mm
        if vertical:
            canvas.line(x, y + at, x + length, y + at)
            if step % 10 == 0:
                draw_text(canvas, x + 6 * mm, y + at - 2.5, str(step), 7)
        else:
            canvas.line(x + at, y, x + at, y + length)
            if step % 10 == 0:
                draw_text(canvas, x + at, y - 9, str(step), 7, align="centre")
    canvas.restoreState()


def _grid(canvas: Canvas) -> None:
    x, y, width, height = GRID
    canvas.saveState()
    for step in range(int(width / mm) + 1):
        canvas.setLineWidth(0.5 if step % 10 == 0 else 0.1)
        canvas.setStrokeGray(0 if step % 10 == 0 else 0.6)
        canvas.line(x + step * mm, y, x + step * mm, y + height)
    for step in range(int(height / mm) + 1):
        canvas.setLineWidth(0.5 if step % 10 == 0 else 0.1)
        canvas.setStrokeGray(0 if step % 10 == 0 else 0.6)
        canvas.line(x, y + step * mm, x + width, y + step * mm)
    canvas.restoreState()


def _corners(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.5)
    arm = 5 * mm
    for cx in (CORNER, PAGE_WIDTH - CORNER):
        for cy in (CORNER, PAGE_HEIGHT - CORNER):
            canvas.line(cx - arm, cy, cx + arm, cy)
            canvas.line(cx, cy - arm, cx, cy + arm)
            canvas.circle(cx, cy, 1.5 * mm)
    canvas.restoreState()


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """One page (the plan's; ``room`` is not used)."""
    job.progress.check_cancelled()
    draw_text(canvas, PAGE_WIDTH / 2, PAGE_HEIGHT - 30 * mm, TITLE, 20, align="centre")
    draw_text(canvas, PAGE_WIDTH / 2, PAGE_HEIGHT - 38 * mm, job.header, 9, align="centre")
    draw_wrapped(canvas, 25 * mm, PAGE_HEIGHT - 48 * mm, INSTRUCTIONS, 10, PAGE_WIDTH - 50 * mm)
    _corners(canvas)
    _grid(canvas)
    _ruler(canvas, 40 * mm, 35 * mm, vertical=False)
    _ruler(canvas, 22 * mm, 60 * mm, vertical=True)
    draw_text(canvas, 40 * mm + RULER / 2, 24 * mm, "横向 100 毫米", 8, align="centre")
    canvas.showPage()
    job.progress.step(1, 1, TITLE)
    return 1
