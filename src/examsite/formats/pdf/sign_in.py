"""考场签到表 sign-in sheets: one per room session, ``PrintSettings.sign_in_copies``
copies (003: two; each marked 第 1 份, 第 2 份…; one is kept by the site, one goes to the
organisation).

A4 portrait. Every page repeats the header (the header line, the title, the copy, the
site, room, certificate and level, subject, date and time, page x/y of this session) and
the invigilators' signature lines (their names printed); the table has a row per seat:
seat, a small photo, name, masked ID number, ticket number and a box the candidate signs
in. The last page of a session adds the counts (应到 N 人, 实到 ___ 人, 缺考 ___ 人).
A room session without seats has no sheet.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.masking import mask_id
from examsite.domain.materials import RoomFacts, RoomSessionFacts, SeatFacts
from examsite.formats.pdf.drawing import PAGE_HEIGHT, PAGE_WIDTH
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.tables import certificate_line
from examsite.formats.pdf.textcache import TextCache
from examsite.formats.pdf.tickets import time_span

TITLE = "考场签到表"
SIDE = 13 * mm
TOP = 12 * mm
WIDTH = PAGE_WIDTH - 2 * SIDE
HEADER_HEIGHT = 112.0  # from the page's top margin to the table
HEAD_ROW = 18.0
ROW_HEIGHT = 38.0
FOOTER_HEIGHT = 62.0  # counts, invigilators, page line
BOTTOM = 10 * mm
TABLE_TOP = PAGE_HEIGHT - TOP - HEADER_HEIGHT
ROWS_PER_PAGE = int((TABLE_TOP - HEAD_ROW - BOTTOM - FOOTER_HEIGHT) // ROW_HEIGHT)
# Columns: title, width in points; the signature box takes what is left.
_FIXED = (
    ("座位号", 36.0),
    ("照片", 34.0),
    ("姓名", 100.0),
    ("身份证号", 118.0),
    ("准考证号", 118.0),
)
COLUMNS = (*_FIXED, ("考生签名", WIDTH - sum(w for _t, w in _FIXED)))


def pages_per_session(seats: int) -> int:
    """Pages of one copy of a session's sheet (0 without seats)."""
    return -(-seats // ROWS_PER_PAGE)


def _sessions(job: PrintJob, room: RoomFacts | None) -> list[tuple[RoomFacts, RoomSessionFacts]]:
    if room is not None:
        return [(room, rs) for rs in sorted(room.sessions, key=lambda s: s.starts_at)]
    return list(job.data.room_sessions())


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None = None) -> int:
    """Draw the sign-in sheets of ``room`` (every room when None); returns the pages."""
    text = TextCache()
    copies = max(1, job.settings.sign_in_copies)
    pairs = [(r, rs) for r, rs in _sessions(job, room) if rs.seats]
    pages = 0
    for done, (the_room, session) in enumerate(pairs):
        job.progress.check_cancelled()
        photos = job.photos([seat.candidate_id for seat in session.seats])
        count = pages_per_session(len(session.seats))
        for copy in range(1, copies + 1):
            for page in range(count):
                rows = session.seats[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]
                sheet = _Sheet(canvas, text, job, the_room, session)
                sheet.header(copy, page + 1, count)
                sheet.table(rows, photos)
                sheet.footer(last=page == count - 1)
                canvas.showPage()
                pages += 1
        job.progress.step(done + 1, len(pairs), TITLE)
    return pages


class _Sheet:
    def __init__(
        self,
        canvas: Canvas,
        text: TextCache,
        job: PrintJob,
        room: RoomFacts,
        session: RoomSessionFacts,
    ) -> None:
        self.canvas, self.text, self.job = canvas, text, job
        self.room, self.session = room, session

    def header(self, copy: int, page: int, pages: int) -> None:
        c, t = self.canvas, self.text
        left, right = SIDE, SIDE + WIDTH
        top = PAGE_HEIGHT - TOP
        centre = PAGE_WIDTH / 2
        t.draw_fitted(c, centre, top - 10, self.job.header, 10.5, WIDTH - 120, align="centre")
        t.draw(c, centre, top - 36, TITLE, 19, align="centre", spaced=True)
        # The copy, boxed at the right.
        label = f"第 {copy} 份"
        c.setLineWidth(0.8)
        c.rect(right - 52, top - 40, 52, 20)
        t.draw(c, right - 26, top - 34, label, 11, align="centre")
        session, room = self.session, self.room
        size, line = 9.5, 15.5
        half = WIDTH / 2
        y = top - 58
        self._pair(left, y, "考点", self.job.data.site.name, WIDTH, size)
        y -= line
        self._pair(left, y, "考场", room.name, half - 6, size)
        self._pair(left + half, y, "地址", room.address, half, size)
        y -= line
        self._pair(left, y, "证书", certificate_line(session), half - 6, size)
        self._pair(left + half, y, "科目", session.subject_name, half, size)
        y -= line
        self._pair(left, y, "时间", time_span(session.starts_at, session.ends_at), half - 6, size)
        t.draw(c, right, y, f"本场第 {page}/{pages} 页", size, align="right")

    def _pair(self, x: float, y: float, label: str, value: str, width: float, size: float) -> None:
        t = self.text
        used = t.draw(self.canvas, x, y, f"{label}：", size)
        t.draw_fitted(self.canvas, x + used, y, value, size, width - used, minimum=6)

    def table(self, rows: tuple[SeatFacts, ...], photos: dict[int, bytes]) -> None:
        c, t = self.canvas, self.text
        left = SIDE
        top = TABLE_TOP
        bottom = top - HEAD_ROW - len(rows) * ROW_HEIGHT
        c.setLineWidth(0.6)
        c.line(left, top, left + WIDTH, top)
        c.line(left, top - HEAD_ROW, left + WIDTH, top - HEAD_ROW)
        for index in range(1, len(rows) + 1):
            y = top - HEAD_ROW - index * ROW_HEIGHT
            c.line(left, y, left + WIDTH, y)
        x = left
        for title, width in COLUMNS:
            c.line(x, top, x, bottom)
            t.draw(c, x + width / 2, top - HEAD_ROW + 5.5, title, 9.5, align="centre")
            x += width
        c.line(x, top, x, bottom)
        for index, seat in enumerate(rows):
            row_top = top - HEAD_ROW - index * ROW_HEIGHT
            base = row_top - ROW_HEIGHT / 2 - 3.5
            cells = (str(seat.seat), None, seat.name, mask_id(seat.id_number), seat.ticket)
            x = left
            for (_title, width), cell in zip(COLUMNS, cells, strict=False):
                if cell is None:
                    h = ROW_HEIGHT - 4
                    w = h * 295 / 413
                    t.photo(
                        c, photos.get(seat.candidate_id), x + (width - w) / 2, row_top - 2 - h, w, h
                    )
                else:
                    size = 11.0 if cell is seat.name else 10.0
                    t.draw_fitted(c, x + width / 2, base, cell, size, width - 6, align="centre")
                x += width

    def footer(self, *, last: bool) -> None:
        c, t = self.canvas, self.text
        left = SIDE
        y = BOTTOM + FOOTER_HEIGHT - 16
        if last:
            seats = len(self.session.seats)
            t.draw(c, left, y, f"应到 {seats} 人　　实到 ______ 人　　缺考 ______ 人", 11)
        else:
            t.draw(c, left, y, "（接下页）", 10)
        y -= 24
        used = t.draw(c, left, y, "监考员签字：", 10.5)
        names = self.session.invigilators or ("", "")
        slot = (WIDTH - used) / len(names)
        x = left + used
        c.setLineWidth(0.5)
        for name in names:
            label = f"{name}" if name else ""
            width = t.width(label, 10) if label else 0.0
            if label:
                t.draw_fitted(c, x, y, label, 10, slot * 0.45)
                width = min(width, slot * 0.45)
            c.line(x + width + 4, y - 2, x + slot - 10, y - 2)
            x += slot
        page_line = f"{TITLE}　{self.room.name}　{self.session.subject_name}"
        t.draw_fitted(c, PAGE_WIDTH / 2, BOTTOM, page_line, 7.5, WIDTH, align="centre")
