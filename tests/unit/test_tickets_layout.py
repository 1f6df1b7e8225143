"""Pure parts of the ticket and sign-in layouts: grouping, order, pages, the preflight."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from examsite.domain.materials import (
    MaterialsData,
    PlanFacts,
    RoomFacts,
    RoomSessionFacts,
    SeatFacts,
    SiteFacts,
)
from examsite.formats.pdf import sign_in, tickets
from examsite.formats.pdf.drawing import pdf_canvas
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.preflight import missing_characters

DAY = dt.datetime(2026, 12, 19)


def _seat(seat: int, ticket: str, name: str) -> SeatFacts:
    return SeatFacts(seat, ticket, seat, name, "420102200501011234", "女", "school", "", "", "")


def _session(uid: str, kind: str, hour: float, seats: tuple[SeatFacts, ...]) -> RoomSessionFacts:
    start = DAY + dt.timedelta(hours=hour)
    return RoomSessionFacts(
        uid, "C1", "数字营销技术应用职业技能等级证书", "junior", f"{kind}科目", kind, "机考",
        start, start + dt.timedelta(hours=1), ("甲",), seats,
    )  # fmt: skip


def _data(name: str = "王芳") -> MaterialsData:
    a = (_seat(1, "T2", "李四"), _seat(2, "T1", name))
    b = (_seat(1, "T3", "张三"),)
    room_b = RoomFacts("b", "B 机房", 40, 40, "机考", "地址", (_session("b1", "theory", 8, b),))
    room_a = RoomFacts(
        "a", "A 机房", 40, 40, "机考", "地址",
        (_session("a1", "theory", 8, a), _session("a2", "practical", 10, a)),
    )  # fmt: skip
    site = SiteFacts("考点", "S", "学校", "地址", "", "", "")
    plan = PlanFacts("P", "计划", "机构", DAY, DAY)
    return MaterialsData(site, plan, (room_a, room_b), ())


def test_one_ticket_per_registration_in_room_then_seat_order() -> None:
    made = tickets.tickets(_data())
    assert [t.ticket for t in made] == ["T2", "T1", "T3"]
    assert [len(t.sittings) for t in made] == [2, 2, 1]
    assert [s.session.subject_kind for s in made[0].sittings] == ["theory", "practical"]


def test_one_ticket_per_session_when_asked() -> None:
    made = tickets.tickets(_data(), "per_subject")
    assert [(t.ticket, t.first.session.uid) for t in made] == [
        ("T2", "a1"), ("T1", "a1"), ("T2", "a2"), ("T1", "a2"), ("T3", "b1"),
    ]  # fmt: skip


def test_pages() -> None:
    assert [tickets.pages_for(n) for n in (0, 1, 2, 3)] == [0, 1, 1, 2]
    rows = sign_in.ROWS_PER_PAGE
    assert rows >= 14
    assert sign_in.pages_per_session(0) == 0
    assert sign_in.pages_per_session(rows) == 1
    assert sign_in.pages_per_session(rows + 1) == 2
    assert sign_in.pages_per_session(60) == -(-60 // rows)


def test_time_span() -> None:
    start = DAY + dt.timedelta(hours=8.5)
    assert tickets.time_span(start, start + dt.timedelta(hours=1)) == "2026-12-19 08:30—09:30"


def test_rules_never_start_a_line_with_closing_punctuation() -> None:
    lines = tickets._no_orphan_punctuation(("核对无误后签字", "。下一条", "，", "末行"))
    assert lines == ("核对无误后签字。", "下一条，", "末行")


def test_preflight_names_what_no_font_has() -> None:
    assert missing_characters(_data()) == []
    odd = "王\U000f0001芳"  # a private-use character: in no font
    assert missing_characters(_data(odd), header="计划") == [(odd, "\U000f0001")]


def test_both_documents_twice_into_one_pdf(tmp_path: Path) -> None:
    data = _data()
    empty = dataclasses.replace(data.rooms[1].sessions[0], seats=())
    rooms = (data.rooms[0], dataclasses.replace(data.rooms[1], sessions=(empty,)))
    job = PrintJob(dataclasses.replace(data, rooms=rooms))
    with pdf_canvas(tmp_path / "kit.pdf", title="kit") as canvas:
        first = tickets.draw(canvas, job, None)
        sheets = sign_in.draw(canvas, job, None)
        again = tickets.draw(canvas, job, None)  # its forms are reused, not redefined
    assert (first, again) == (1, 1)  # two tickets on one page
    assert sheets == 2 * 2  # two sessions with seats, two copies; none for the empty one
    assert (tmp_path / "kit.pdf").stat().st_size > 0
