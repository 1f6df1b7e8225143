"""准考证 and 考场签到表 rendered for the arranged demo site and for a hand-made 60-seat
room of long names: text, fonts, page counts, QR codes, same bytes, nothing off the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from tickets_helpers import (
    POPPLER,
    ZBAR,
    fonts_embedded,
    page_count,
    qr_codes,
    render,
    text_of,
    word_boxes,
)

from examsite.domain.masking import mask_id
from examsite.domain.materials import (
    MaterialsData,
    PrintSettings,
    RoomFacts,
    SeatFacts,
)
from examsite.formats.pdf import sign_in, tickets
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.materials_data import load_materials, photos_of
from examsite.storage.db import Database

pytestmark = POPPLER

LONG_NAMES = ("欧阳娜娜娜娜", "阿卜杜热合曼·买买提")


@pytest.fixture
def demo(arranged_db_file: Callable[[int], Path]) -> tuple[MaterialsData, dict[int, bytes]]:
    db = Database.open(arranged_db_file(60))
    try:
        with db.read() as session:
            data = load_materials(session, DEMO_PLAN_CODE)
            ids = {seat.candidate_id for _r, rs in data.room_sessions() for seat in rs.seats}
            photos = photos_of(session, sorted(ids))
    finally:
        db.close()
    return data, photos


def _seats(data: MaterialsData) -> list[SeatFacts]:
    return [seat for _room, rs in data.room_sessions() for seat in rs.seats]


def test_tickets_for_the_demo(demo: tuple[MaterialsData, dict[int, bytes]], tmp_path: Path) -> None:
    data, photos = demo
    registrations = {seat.ticket for seat in _seats(data)}
    path = tmp_path / "tickets.pdf"
    pages = render(path, tickets.draw, data, photos)
    assert pages == page_count(path) == -(-len(registrations) // tickets.TICKETS_PER_PAGE)
    assert len(tickets.tickets(data)) == len(registrations)
    text = text_of(path)
    for seat in _seats(data):
        assert seat.name in text
        assert seat.ticket in text
        assert mask_id(seat.id_number) in text
        assert seat.id_number not in text
    assert "考生须知" in text and data.site.address in text
    assert all(fonts_embedded(path))
    # The same data gives the same bytes (one room's tickets, to keep the test short).
    room = data.rooms[0]
    one, again = tmp_path / "one.pdf", tmp_path / "again.pdf"
    render(one, tickets.draw, data, photos, room=room)
    render(again, tickets.draw, data, photos, room=room)
    assert again.read_bytes() == one.read_bytes()


@ZBAR
def test_ticket_qr_codes_decode_to_the_ticket_number(
    demo: tuple[MaterialsData, dict[int, bytes]], tmp_path: Path
) -> None:
    data, photos = demo
    room = data.rooms[0]
    path = tmp_path / "tickets.pdf"
    render(path, tickets.draw, data, photos, room=room)
    of_room = [t for t in tickets.tickets(data) if t.first.room.uid == room.uid]
    first_two = sorted(t.ticket for t in of_room[:2])
    assert qr_codes(path, 1, tmp_path) == first_two


def test_tickets_per_subject(demo: tuple[MaterialsData, dict[int, bytes]], tmp_path: Path) -> None:
    data, photos = demo
    path = tmp_path / "per-subject.pdf"
    pages = render(path, tickets.draw, data, photos, PrintSettings(ticket_layout="per_subject"))
    sittings = len(_seats(data))
    assert len(tickets.tickets(data, "per_subject")) == sittings
    assert pages == page_count(path) == -(-sittings // tickets.TICKETS_PER_PAGE)


def test_tickets_are_in_room_then_seat_order(demo: tuple[MaterialsData, dict[int, bytes]]) -> None:
    data, _photos = demo
    made = tickets.tickets(data)
    keys = [(t.first.room.name, t.first.session.starts_at, t.first.seat.seat) for t in made]
    assert keys == sorted(keys)
    assert all(len(t.sittings) == 2 for t in made)  # theory and practical on one ticket


def test_sign_in_sheets_for_the_demo(
    demo: tuple[MaterialsData, dict[int, bytes]], tmp_path: Path
) -> None:
    data, photos = demo
    path = tmp_path / "sign-in.pdf"
    pages = render(path, sign_in.draw, data, photos)
    expected = sum(2 * sign_in.pages_per_session(len(rs.seats)) for _r, rs in data.room_sessions())
    assert pages == page_count(path) == expected
    text = text_of(path)
    for seat in _seats(data):
        assert seat.name in text and seat.ticket in text
        assert mask_id(seat.id_number) in text
        assert seat.id_number not in text  # never the full number on a passed-around sheet
    assert re.search(r"第\s*1\s*份", text) and re.search(r"第\s*2\s*份", text)
    for _room, rs in data.room_sessions():
        assert re.search(rf"应到\s*{len(rs.seats)}\s*人", text)
        for name in rs.invigilators:
            assert name in text
    assert all(fonts_embedded(path))
    room = data.rooms[0]
    one, again = tmp_path / "one.pdf", tmp_path / "again.pdf"
    render(one, sign_in.draw, data, photos, room=room)
    render(again, sign_in.draw, data, photos, room=room)
    assert again.read_bytes() == one.read_bytes()


def test_sign_in_one_room_and_three_copies(
    demo: tuple[MaterialsData, dict[int, bytes]], tmp_path: Path
) -> None:
    data, photos = demo
    room = data.rooms[0]
    path = tmp_path / "room.pdf"
    pages = render(path, sign_in.draw, data, photos, PrintSettings(sign_in_copies=3), room=room)
    expected = sum(3 * sign_in.pages_per_session(len(rs.seats)) for rs in room.sessions)
    assert pages == page_count(path) == expected
    assert re.search(r"第\s*3\s*份", text_of(path))


def _long_room(data: MaterialsData) -> MaterialsData:
    """The demo's first room made a 60-seat room of long names."""
    room = data.rooms[0]
    session = room.sessions[0]
    seats = tuple(
        SeatFacts(
            number, f"2026121900099{number:03d}", 10_000 + number, LONG_NAMES[number % 2],
            f"42010220050101{number:04d}", "女", "school", "营销2301", "市场营销",
            "江汉职业技术学院",
        )
        for number in range(1, 61)
    )  # fmt: skip
    long_session = dataclasses.replace(
        session,
        seats=seats,
        subject_name="理论知识考试（初级）" * 3,
        invigilators=("阿卜杜热合曼·买买提", "欧阳娜娜娜娜", "司马一"),
        starts_at=dt.datetime(2026, 12, 19, 8, 30),
    )
    long_room = RoomFacts(
        "long", "实训楼第二教学区 201 多媒体计算机实训室（东侧）", 60, 60, "机考",
        "湖北省武汉市洪山区示例大道 1 号 实训楼第二教学区 2 层东侧走廊尽头", (long_session,),
    )  # fmt: skip
    site = dataclasses.replace(data.site, name=data.site.name * 2)
    return dataclasses.replace(data, rooms=(long_room,), site=site)


def _inside(path: Path, margin: float = 2.0) -> None:
    for page, word, x0, y0, x1, y1, width, height in word_boxes(path):
        assert x0 >= margin and x1 <= width - margin, (page, word, x0, x1)
        assert y0 >= margin and y1 <= height - margin, (page, word, y0, y1)


def test_sixty_long_names_stay_on_the_page(
    demo: tuple[MaterialsData, dict[int, bytes]], tmp_path: Path
) -> None:
    data = _long_room(demo[0])
    path = tmp_path / "long-sign-in.pdf"
    pages = render(path, sign_in.draw, data, settings=PrintSettings(sign_in_copies=1))
    assert pages == page_count(path) == sign_in.pages_per_session(60)
    _inside(path)
    text = text_of(path)
    assert all(name in text for name in LONG_NAMES)
    assert re.search(rf"本场第\s*{pages}/{pages}\s*页", text)
    # Each name stays inside its column.
    left = sign_in.SIDE + sum(w for _t, w in sign_in.COLUMNS[:2])
    right = left + sign_in.COLUMNS[2][1]
    table_end = sign_in.PAGE_HEIGHT - sign_in.BOTTOM - sign_in.FOOTER_HEIGHT  # from the top
    names = [b for b in word_boxes(path) if b[1] in LONG_NAMES and b[5] < table_end]
    assert len(names) == 60
    assert all(left <= b[2] and b[4] <= right for b in names)

    path = tmp_path / "long-tickets.pdf"
    render(path, tickets.draw, data)
    _inside(path)
    assert all(name in text_of(path) for name in LONG_NAMES)
