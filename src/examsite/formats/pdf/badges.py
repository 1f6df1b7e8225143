"""工作证 staff badges (003 materials checklist no. 4: "工作牌 总计 6 种，根据考务人员人数制作";
the six titles of 003's duties and forms): one badge per staff member — the role title
large on a dark band, the name, the site and the plan — eight to an A4 sheet with cut
marks.

The roster's roles (``domain.staff_roles``) map to 003's six titles: 考点负责人 and 主考 →
主考 (003: 主考官 "由考核站点相关负责人担任"); 副主考 → 副主考; 考务管理 and 后勤保障 →
工作人员 (003's 工作人员 do the affairs and the logistics); 系统管理员 → 系统管理员;
监考员 → 监考员; 巡考员 → 巡考员. A person with several roles gets one badge, with the
first of the six titles in ``BADGE_TITLES`` order that one of their roles gives (the post
they are accountable for on exam day); ``badge_title`` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts, StaffFacts
from examsite.domain.staff_roles import Role, read_roles
from examsite.formats.pdf.drawing import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    cut_marks,
    draw_fitted,
    draw_text,
    fitted_size,
    page_footer,
    wrap,
)
from examsite.formats.pdf.job import PrintJob

#: 003's six badge titles, in the order a person with several roles is given one.
BADGE_TITLES: Final = ("主考", "副主考", "巡考员", "系统管理员", "监考员", "工作人员")
ROLE_BADGES: Final[dict[Role, str]] = {
    Role.DIRECTOR: "主考",
    Role.CHIEF: "主考",
    Role.DEPUTY: "副主考",
    Role.AFFAIRS: "工作人员",
    Role.LOGISTICS: "工作人员",
    Role.SYSADMIN: "系统管理员",
    Role.INVIGILATOR: "监考员",
    Role.INSPECTOR: "巡考员",
}
BADGE_WIDTH = 90 * mm
BADGE_HEIGHT = 60 * mm
COLUMNS, ROWS = 2, 4
GAP = 8 * mm


def badge_title(roles: Sequence[str]) -> str:
    """The badge a person with these stored roles wears (工作人员 when none is known)."""
    titles = {ROLE_BADGES[role] for role in read_roles(roles)}
    return next((title for title in BADGE_TITLES if title in titles), "工作人员")


def badge_origins() -> list[tuple[float, float]]:
    """The lower left corners of the badges on a sheet, row by row from the top."""
    total_w = COLUMNS * BADGE_WIDTH + (COLUMNS - 1) * GAP
    total_h = ROWS * BADGE_HEIGHT + (ROWS - 1) * GAP
    left = (PAGE_WIDTH - total_w) / 2
    top = (PAGE_HEIGHT + total_h) / 2
    return [
        (left + c * (BADGE_WIDTH + GAP), top - (r + 1) * BADGE_HEIGHT - r * GAP)
        for r in range(ROWS)
        for c in range(COLUMNS)
    ]


def site_layout(site: str, width: float) -> tuple[float, list[str]]:
    """The site's name on two lines at most (shrinking from 8 to 5.5 points), three when
    even that does not hold it: a badge never drops part of the name."""
    if not site:
        return 8.0, []
    size = 8.0
    while True:
        lines = wrap(site, width, size)
        if len(lines) <= 2 or size <= 5.5:
            return size, lines[:3] if len(lines) <= 3 else [*lines[:2], "".join(lines[2:])]
        size -= 0.5


def draw_badge(
    canvas: Canvas, x: float, y: float, person: StaffFacts, site: str, plan: str
) -> None:
    inner = BADGE_WIDTH - 8 * mm
    centre = x + BADGE_WIDTH / 2
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.roundRect(x, y, BADGE_WIDTH, BADGE_HEIGHT, 3 * mm)
    top = y + BADGE_HEIGHT
    draw_fitted(canvas, centre, top - 7 * mm, "职业技能等级证书考核", 9, inner, align="centre")
    # The role on a dark band, white and large.
    band_top, band_height = top - 10 * mm, 17 * mm
    canvas.setFillGray(0.15)
    canvas.rect(x, band_top - band_height, BADGE_WIDTH, band_height, stroke=0, fill=1)
    canvas.setFillGray(1)
    title = badge_title(person.roles)
    size = fitted_size(title, inner, 30, 12)
    draw_text(canvas, centre, band_top - band_height / 2 - size * 0.36, title, size, align="centre")
    canvas.setFillGray(0)
    name_size = fitted_size(person.name, inner, 20, 9)
    name_y = band_top - band_height - 4 * mm - name_size * 0.8
    draw_text(canvas, centre, name_y, person.name, name_size, align="centre")
    # The site (up to two lines) and the plan at the foot.
    site_size, site_lines = site_layout(site, inner)
    line_y = y + 9 * mm + site_size * 1.25 * (len(site_lines) - 1)
    for line in site_lines:
        draw_fitted(canvas, centre, line_y, line, site_size, inner, align="centre")
        line_y -= site_size * 1.25
    draw_fitted(canvas, centre, y + 3.5 * mm, plan, 7, inner, align="centre")
    canvas.restoreState()
    cut_marks(canvas, x, y, BADGE_WIDTH, BADGE_HEIGHT)


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    data = job.data
    staff = list(data.staff)
    per_page = COLUMNS * ROWS
    origins = badge_origins()
    pages = 0
    for start in range(0, len(staff), per_page):
        job.progress.check_cancelled()
        draw_fitted(
            canvas,
            PAGE_WIDTH / 2,
            PAGE_HEIGHT - 10 * mm,
            f"{job.header}　工作证",
            8,
            PAGE_WIDTH - 2 * MARGIN,
            align="centre",
        )
        for person, (x, y) in zip(staff[start : start + per_page], origins, strict=False):
            draw_badge(canvas, x, y, person, data.site.name, data.plan.name)
        page_footer(canvas, "工作证　沿裁切线剪下")
        canvas.showPage()
        pages += 1
    return pages
