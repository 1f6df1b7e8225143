"""横幅 banner (003 materials checklist no. 1: "每个考场一条，可用电子横幅或打印版条幅"; 002:
a banner at the site's entrance). Two texts: the site's welcome banner (the site's name
and "热烈欢迎参加<plan>的考生") and 003's room banner ("1+X <certificate>（初级/中级）考核",
one per certificate), each printed as large as it fits on an A4 landscape page (an
electronic banner or a proof), then a page with the texts in plain type for a print
shop. ``banner_texts`` gives the texts for a plain text file."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData, RoomFacts
from examsite.formats.pdf.drawing import draw_text, draw_wrapped, fitted_size, wrap
from examsite.formats.pdf.fonts import load_fonts
from examsite.formats.pdf.forms import page_size
from examsite.formats.pdf.job import PrintJob
from examsite.messages import LEVEL_TITLES

TITLE = "横幅"
LEVEL_ORDER = ("junior", "intermediate", "senior")
MAX_SIZE = 72.0
MIN_SIZE = 28.0


def banner_texts(data: MaterialsData) -> list[tuple[str, ...]]:
    """Each banner's lines: the site's welcome, then 003's banner per certificate."""
    site = data.site.name or data.site.school
    # The platform's site name is "school - certificates考核站点": one line each.
    site_lines = tuple(part.strip() for part in site.split(" - ") if part.strip())
    texts: list[tuple[str, ...]] = [(*site_lines, f"热烈欢迎参加{data.plan.name}的考生")]
    levels: dict[str, set[str]] = {}
    for _room, rs in data.room_sessions():
        levels.setdefault(rs.certificate_name, set()).add(rs.level)
    for name, found in levels.items():
        ordered = sorted(found, key=lambda lv: LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 9)
        titles = "/".join(LEVEL_TITLES.get(lv, lv) for lv in ordered)
        texts.append((f"1+X {name}（{titles}）考核",))
    return texts


def banner_plain_text(data: MaterialsData) -> str:
    """The banner texts, one banner a paragraph, for a print shop."""
    return "\n\n".join("\n".join(lines) for lines in banner_texts(data)) + "\n"


def _layout(lines: tuple[str, ...], width: float, height: float) -> tuple[float, list[str]]:
    """The size and the lines (each given line wrapped if even ``MIN_SIZE`` is too wide)
    that fill ``width`` × ``height`` as large as possible."""
    fonts = load_fonts()
    size = MAX_SIZE
    while True:
        out: list[str] = []
        for line in lines:
            if fonts.width(line, size) <= width:
                out.append(line)
            else:
                out.extend(wrap(line, width, size))
        fits = all(fonts.width(line, size) <= width for line in out)
        if (fits and len(out) * size * 1.35 <= height) or size <= MIN_SIZE:
            return size, out
        size -= 2


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    original = page_size(canvas)
    canvas.setPageSize(landscape(A4))
    width, height = landscape(A4)
    margin = 12 * mm
    pages = 0
    texts = banner_texts(data)
    for lines in texts:
        job.progress.check_cancelled()
        canvas.saveState()
        canvas.setLineWidth(2)
        canvas.setStrokeColorRGB(0.75, 0.1, 0.1)
        canvas.rect(margin / 2, margin / 2, width - margin, height - margin)
        canvas.restoreState()
        size, out = _layout(lines, width - 2 * margin - 10 * mm, height - 2 * margin - 20 * mm)
        block = size * 1.35 * len(out)
        y = height / 2 + block / 2 - size * 1.05
        canvas.saveState()
        canvas.setFillColorRGB(0.75, 0.1, 0.1)
        for line in out:
            line_size = fitted_size(line, width - 2 * margin - 10 * mm, size, 10)
            draw_text(canvas, width / 2, y, line, line_size, align="centre")
            y -= size * 1.35
        canvas.restoreState()
        draw_text(
            canvas, width / 2, 2 * mm, f"{TITLE}　{pages + 1}/{len(texts) + 1}", 7, align="centre"
        )
        canvas.showPage()
        pages += 1
    # The texts for a print shop.
    top = height - margin - 10 * mm
    draw_text(canvas, margin, top, "横幅文字（交制作单位）", 18)
    top -= 12 * mm
    for number, lines in enumerate(texts, 1):
        kind = "考核站点入口横幅" if number == 1 else "考场横幅（每个考场一条）"
        top = (
            draw_wrapped(canvas, margin, top, f"{number}. {kind}", 12, width - 2 * margin) - 2 * mm
        )
        for line in lines:
            top = draw_wrapped(canvas, margin + 8 * mm, top, line, 16, width - 2 * margin - 8 * mm)
            top -= 2 * mm
        if number == 1:
            top = (
                draw_wrapped(
                    canvas,
                    margin + 8 * mm,
                    top,
                    f"（或一行：{'　'.join(lines)}）",
                    10,
                    width - 2 * margin - 8 * mm,
                )
                - 2 * mm
            )
        top -= 4 * mm
    draw_wrapped(
        canvas,
        margin,
        top,
        "说明：003 要求考场悬挂横幅（每个考场一条，可用电子横幅或打印版条幅），002 要求在考核站点入口"
        "悬挂横幅。尺寸、颜色由制作单位按场地确定。",
        10,
        width - 2 * margin,
    )
    draw_text(
        canvas, width / 2, 2 * mm, f"{TITLE}　{pages + 1}/{len(texts) + 1}", 7, align="centre"
    )
    canvas.showPage()
    pages += 1
    canvas.setPageSize(original)
    return pages
