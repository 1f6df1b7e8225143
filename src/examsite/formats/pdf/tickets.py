"""准考证 admission tickets: one per registration (a ticket number), or one per session.

Layout: two tickets on an A4 page, one above the other, each in a half page (A5
landscape) with a dashed cut line between them; a coordinator prints the set on A4 and
cuts each sheet once. A ticket: the header line, the title, the photo, the candidate's
facts (name, masked ID number, ticket number, certificate and level, site and its
address), a QR code of the ticket number alone (nothing private), a table of the
sessions (subject, date and time, room, room address, seat) and the rules for candidates
(考生须知, from the site manual 003).

``PrintSettings.ticket_layout``: ``combined`` (default) puts every session of a
registration (theory and practical) on one ticket; ``per_subject`` prints one ticket per
session.

Order: by the room of the ticket's first session (name, then the session's start), then
the seat there — a coordinator hands them out room by room, in seat order. Photos are
fetched a chunk at a time as the tickets are drawn (``job.photos``), never all at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.masking import mask_id
from examsite.domain.materials import MaterialsData, RoomFacts, RoomSessionFacts, SeatFacts
from examsite.formats.pdf.drawing import PAGE_HEIGHT, PAGE_WIDTH, draw_qr
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.tables import certificate_line
from examsite.formats.pdf.textcache import TextCache

TITLE = "准考证"
TICKETS_PER_PAGE = 2
PHOTO_CHUNK = 200  # tickets whose photos are fetched at once

# 考生须知: the candidates' part of the exam-day rules in the site manual (003, 三(三)
# 监考人员 and 四(二) 考核当天), in the candidate's words. One constant: edit it here.
RULES_TITLE = "考生须知"
RULES = (
    "1. 考生须于开考前 30 分钟凭本准考证和有效身份证件（缺一不可）进入考场，"
    "核对无误后在《考场签到表》指定位置本人签字。\n"
    "2. 开考 30 分钟后不得进入考场。原则上考核过程中不得离场；经主考同意，"
    "理论考核结束前 15 分钟内、实操考核结束前 30 分钟内方可离场。\n"
    "3. 不得将手机等通讯工具带入考场，与考核无关的物品放在考生物品存放处。\n"
    "4. 用准考证号登录考核系统（初始密码为准考证号后 6 位），认真核对屏幕上显示的姓名、"
    "准考证号等信息是否正确。\n"
    "5. 考核中遇机器故障、停电等意外情况，请举手示意，由监考人员处理；"
    "监考人员不对试题作解释或提示。\n"
    "6. 下发的考核资料须签上姓名和准考证号，考核结束后全部交回，不得带出考场。\n"
    "7. 遵守考场纪律，服从监考人员管理；违纪、作弊者按规定给予警告直至取消考核资格。\n"
    "8. 考核结束前 15 分钟监考人员提醒时间；考核结束时立即停止答题。"
)

# The ticket's box inside its half page, and its parts (points).
HALF = PAGE_HEIGHT / 2
SIDE = 15 * mm
BOX_WIDTH = PAGE_WIDTH - 2 * SIDE
BOX_TOP_GAP = 9 * mm  # from the half page's top edge (or the cut line) to the box
BOX_HEIGHT = HALF - BOX_TOP_GAP - 7 * mm
PAD = 5 * mm
PHOTO_W, PHOTO_H = 25 * mm, 35 * mm  # 小一寸
QR_SIZE = 30 * mm
FIELD_SIZE = 10.0
FIELD_LEADING = 14.0
LABEL_WIDTH = 15 * mm
ROW_HEIGHT = 21.0
TABLE_SIZE = 9.0
RULES_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
# Session table columns: title and width as a share of the box's inner width.
COLUMNS = (("科目", 0.22), ("考试时间", 0.23), ("考场", 0.17), ("考场地址", 0.30), ("座位号", 0.08))


@dataclass(frozen=True)
class Sitting:
    """One session of a ticket: where and when the candidate sits."""

    room: RoomFacts
    session: RoomSessionFacts
    seat: SeatFacts


@dataclass(frozen=True)
class Ticket:
    """What one printed ticket shows."""

    ticket: str
    seat: SeatFacts  # the candidate (the first session's seat)
    sittings: tuple[Sitting, ...]  # by start

    @property
    def first(self) -> Sitting:
        return self.sittings[0]


def time_span(start: dt.datetime, end: dt.datetime) -> str:
    """``2026-12-19 08:30—09:30`` (the end's date too when it is another day)."""
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}—{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M}—{end:%Y-%m-%d %H:%M}"


def _sort_key(ticket: Ticket) -> tuple[str, dt.datetime, str, int, str]:
    first = ticket.first
    return (
        first.room.name,
        first.session.starts_at,
        first.room.uid,
        first.seat.seat,
        ticket.ticket,
    )


def tickets(data: MaterialsData, layout: str = "combined") -> list[Ticket]:
    """The tickets to print, in hand-out order (room of the first session, then seat):
    one per ticket number (``combined``) or one per session (``per_subject``)."""
    by_number: dict[str, list[Sitting]] = defaultdict(list)
    for room, session in data.room_sessions():
        for seat in session.seats:
            by_number[seat.ticket].append(Sitting(room, session, seat))
    made: list[Ticket] = []
    for number, sittings in by_number.items():
        ordered = sorted(sittings, key=lambda s: (s.session.starts_at, s.room.name))
        if layout == "per_subject":
            made.extend(Ticket(number, s.seat, (s,)) for s in ordered)
        else:
            made.append(Ticket(number, ordered[0].seat, tuple(ordered)))
    return sorted(made, key=_sort_key)


def pages_for(count: int) -> int:
    """Pages for ``count`` tickets."""
    return -(-count // TICKETS_PER_PAGE)


def _chunks(items: list[Ticket], size: int) -> Iterator[list[Ticket]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None = None) -> int:
    """Draw the plan's admission tickets (with ``room``: those whose first session is in
    that room); returns the pages drawn."""
    every = tickets(job.data, job.settings.ticket_layout)
    if room is not None:
        every = [t for t in every if t.first.room.uid == room.uid]
    text = TextCache()
    painter = _Painter(canvas, text, job.header, job.data)
    pages = 0
    done = 0
    for chunk in _chunks(every, PHOTO_CHUNK):
        job.progress.check_cancelled()
        photos = job.photos(sorted({t.seat.candidate_id for t in chunk}))
        for ticket in chunk:
            slot = done % TICKETS_PER_PAGE
            if slot == 0:
                if done:
                    canvas.showPage()
                pages += 1
                painter.page_frame()
            painter.ticket(ticket, photos.get(ticket.seat.candidate_id), slot)
            done += 1
        job.progress.step(done, len(every), TITLE)
    if done:
        canvas.showPage()
    return pages


_CLOSING = "。，、；：）》」"


def _no_orphan_punctuation(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Closing punctuation never starts a line: it joins the line before (the wrap width
    leaves room for one more character)."""
    kept: list[str] = []
    for line in lines:
        while kept and line and line[0] in _CLOSING:
            kept[-1] += line[0]
            line = line[1:]
        if line or not kept:
            kept.append(line)
    return tuple(kept)


class _Painter:
    """Draws tickets. What is the same on every ticket of a slot (the box, header, title,
    labels, the site, the table's grid, the rules) is drawn once into a PDF form
    (XObject) per slot and number of sessions, and each ticket places that form and
    draws only its own facts: fast, and a small file."""

    def __init__(self, canvas: Canvas, text: TextCache, header: str, data: MaterialsData) -> None:
        self.canvas = canvas
        self.text = text
        self.header = header
        self.site_name = data.site.name
        self.site_address = data.site.address
        self._rules: dict[float, tuple[tuple[str, ...], float, float]] = {}
        self.inner = BOX_WIDTH - 2 * PAD
        self.fields_x = SIDE + PAD + PHOTO_W + 5 * mm
        self.values_x = self.fields_x + LABEL_WIDTH
        self.values_width = SIDE + BOX_WIDTH - PAD - QR_SIZE - 4 * mm - self.values_x
        self.columns: list[tuple[str, float, float]] = []
        x = SIDE + PAD
        for title, share in COLUMNS:
            self.columns.append((title, x, share * self.inner))
            x += share * self.inner

    def page_frame(self) -> None:
        """The dashed cut line between the two halves."""
        c = self.canvas
        c.saveState()
        c.setLineWidth(0.4)
        c.setDash(4, 3)
        c.line(6 * mm, HALF, PAGE_WIDTH - 6 * mm, HALF)
        c.restoreState()
        self.text.draw(c, 8 * mm, HALF + 1.5 * mm, "沿虚线剪开", 6.5)

    def ticket(self, ticket: Ticket, photo: bytes | None, slot: int) -> None:
        c, t = self.canvas, self.text
        top = PAGE_HEIGHT - slot * HALF - BOX_TOP_GAP
        rows = len(ticket.sittings) + 1
        name = f"ticket-{slot}-{rows}"
        if not c.hasForm(name):  # once per PDF, even when drawn twice into one
            c.beginForm(name)
            self._constant(top, rows)
            c.endForm()
        c.doForm(name)
        upper = top - 46
        t.photo(c, photo, SIDE + PAD, upper - PHOTO_H, PHOTO_W, PHOTO_H)
        seat = ticket.seat
        values = (
            (seat.name, 12.0),
            (mask_id(seat.id_number), FIELD_SIZE),
            (ticket.ticket, FIELD_SIZE),
            (certificate_line(ticket.first.session), FIELD_SIZE),
        )
        y = upper - 11
        for value, size in values:
            y = self._value(y, value, size)
        qr_x = SIDE + BOX_WIDTH - PAD - QR_SIZE
        draw_qr(c, ticket.ticket, qr_x, upper - QR_SIZE, QR_SIZE)
        base = upper - PHOTO_H - 5 * mm - ROW_HEIGHT / 2 - 3
        for sitting in ticket.sittings:
            base -= ROW_HEIGHT
            session, room = sitting.session, sitting.room
            cells = (
                session.subject_name,
                time_span(session.starts_at, session.ends_at),
                room.name,
                room.address,
                str(sitting.seat.seat),
            )
            for (_title, x, width), cell in zip(self.columns, cells, strict=True):
                self._cell(x + width / 2, base, cell, width - 4)

    def _constant(self, top: float, rows: int) -> None:
        """What every ticket in this slot with ``rows`` table rows shows."""
        c, t = self.canvas, self.text
        left, right = SIDE, SIDE + BOX_WIDTH
        bottom = top - BOX_HEIGHT
        c.setLineWidth(0.8)
        c.rect(left, bottom, BOX_WIDTH, BOX_HEIGHT)
        centre = PAGE_WIDTH / 2
        t.draw_fitted(c, centre, top - 13, self.header, 9.5, self.inner, align="centre")
        t.draw(c, centre, top - 33, TITLE, 18, align="centre", spaced=True)
        c.setLineWidth(0.5)
        c.line(left + PAD, top - 40, right - PAD, top - 40)
        upper = top - 46
        labels = ("姓　　名", "身份证号", "准考证号", "报考证书")
        y = upper - 11
        for label in labels:
            t.draw(c, self.fields_x, y, label, 9)
            y -= FIELD_LEADING
        for label, value in (("考　　点", self.site_name), ("考点地址", self.site_address)):
            t.draw(c, self.fields_x, y, label, 9)
            y = self._value(y, value, FIELD_SIZE)
        qr_x = right - PAD - QR_SIZE
        t.draw(c, qr_x + QR_SIZE / 2, upper - QR_SIZE - 9, "扫码核验准考证号", 6.5, align="centre")
        y = upper - PHOTO_H - 5 * mm
        self._table(y, rows)
        y -= rows * ROW_HEIGHT + 5 * mm
        # Rules, in the largest size that fits what is left.
        lines, size, leading = self._rules_fitted(y - (bottom + PAD) - 14)
        t.draw(c, left + PAD, y - 9, RULES_TITLE, 9.5)
        y -= 14
        for line in lines:
            y -= leading
            t.draw(c, left + PAD, y + leading - size, line, size)

    def _value(self, y: float, value: str, size: float) -> float:
        """A fact's value from baseline ``y``: on one line, shrunk down to 8 points; if
        still too long, on two lines (squeezed if need be). Returns the next baseline."""
        t, width = self.text, self.values_width
        if t.width(value, min(size, 8.0)) <= width:
            t.draw_fitted(self.canvas, self.values_x, y, value, size, width, minimum=8.0)
            return y - FIELD_LEADING
        lines = t.wrap(value, width, 7.5)
        if len(lines) > 2:
            lines = (lines[0], "".join(lines[1:]))
        for index, line in enumerate(lines):
            t.draw_fitted(
                self.canvas, self.values_x, y - index * 9.5, line, 7.5, width, minimum=7.5
            )
        return y - FIELD_LEADING - 9.5 * (len(lines) - 1)

    def _rules_fitted(self, height: float) -> tuple[tuple[str, ...], float, float]:
        """The rules wrapped in the largest size whose lines fit ``height``."""
        key = round(height, 1)
        found = self._rules.get(key)
        if found is None:
            for size in RULES_SIZES:
                leading = size * 1.42
                lines = _no_orphan_punctuation(self.text.wrap(RULES, self.inner - size, size))
                if len(lines) * leading <= height:
                    break
            found = self._rules[key] = (lines, size, leading)
        return found

    def _cell(self, centre: float, base: float, text: str, width: float) -> None:
        """A table cell centred on ``centre``, baseline ``base`` for one line: shrunk down
        to 7.5 points, else on two lines."""
        t = self.text
        if t.width(text, 7.5) <= width:
            t.draw_fitted(self.canvas, centre, base, text, TABLE_SIZE, width, align="centre")
            return
        # Two lines of about equal length, rather than a full line and one character.
        lines = t.wrap(text, t.width(text, 7.0) / 2 + 7.0, 7.0)
        if len(lines) > 2:
            lines = t.wrap(text, width, 7.0)
        if len(lines) > 2:
            lines = (lines[0], "".join(lines[1:]))
        for index, line in enumerate(lines):
            t.draw_fitted(
                self.canvas, centre, base + 4 - 8.5 * index, line, 7.0, width, align="centre"
            )

    def _table(self, top: float, rows: int) -> None:
        """The sessions table's grid and column titles (``rows`` with the title row)."""
        c, t = self.canvas, self.text
        left = SIDE + PAD
        right = left + self.inner
        bottom = top - rows * ROW_HEIGHT
        c.setLineWidth(0.5)
        for index in range(rows + 1):
            y = top - index * ROW_HEIGHT
            c.line(left, y, right, y)
        for _title, x, _width in self.columns:
            c.line(x, top, x, bottom)
        c.line(right, top, right, bottom)
        base = top - ROW_HEIGHT / 2 - 3
        for title, x, width in self.columns:
            t.draw(c, x + width / 2, base, title, TABLE_SIZE, align="centre")
