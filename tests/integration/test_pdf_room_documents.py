"""The room documents drawn for the arranged demo (60 candidates, 4 rooms) and for a
hand-made room of 60 seats with long names: the text they print, masked ID numbers only,
the font embedded, the page counts, a room's pages with only that room's people, the
same bytes twice, and nothing off the page or out of its box."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from reportlab.lib.units import mm

from examsite.domain.masking import mask_id
from examsite.domain.materials import (
    MaterialsData,
    PlanFacts,
    PrintSettings,
    RoomFacts,
    RoomSessionFacts,
    SeatFacts,
    SiteFacts,
)
from examsite.errors import Cancelled
from examsite.formats.pdf import desk_labels, seating_plan
from examsite.formats.pdf.drawing import pdf_canvas
from examsite.formats.pdf.job import PrintJob
from examsite.progress import Progress
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.materials_data import load_materials
from examsite.services.print_documents import DOCUMENTS, document
from examsite.storage.db import Database

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils not installed",
)

ROOM_KEYS = ("door_signs", "desk_labels", "room_record", "seating_plan", "duty_list", "seal_strips")


@pytest.fixture
def demo_data(arranged_db_file: Callable[[int], Path]) -> MaterialsData:
    db = Database.open(arranged_db_file(60))
    try:
        with db.read() as s:
            return load_materials(s, DEMO_PLAN_CODE)
    finally:
        db.close()


def render(
    path: Path,
    key: str,
    data: MaterialsData,
    room: RoomFacts | None,
    settings: PrintSettings | None = None,
) -> int:
    kind = document(key)
    with pdf_canvas(path, title=kind.title) as canvas:
        pages = kind.draw(canvas, PrintJob(data, settings or PrintSettings()), room)
    return pages


def text_of(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_count(path: Path) -> int:
    text = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", text).group(1))  # type: ignore[union-attr]


def test_registered_in_kit_order() -> None:
    keys = [kind.key for kind in DOCUMENTS]
    positions = [keys.index(key) for key in ROOM_KEYS]
    assert positions == sorted(positions)
    assert all(document(key).scope == "room" for key in ROOM_KEYS)
    assert document("alignment").scope == "plan"


@pytest.mark.parametrize("key", [*ROOM_KEYS, "alignment"])
def test_each_document_for_the_demo(tmp_path: Path, demo_data: MaterialsData, key: str) -> None:
    data = demo_data
    path = tmp_path / f"{key}.pdf"
    pages = render(path, key, data, None)
    assert pages == page_count(path)
    text = text_of(path)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    font_lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert font_lines and all(" yes " in line for line in font_lines), fonts
    sessions = list(data.room_sessions())
    # never a full ID number on a posted paper
    flat = text.replace(" ", "")
    assert not [s.id_number for _r, rs in sessions for s in rs.seats if s.id_number in flat]
    if key in ("door_signs", "seating_plan"):
        assert pages == len(sessions)
    if key == "room_record":  # 003: one copy handed in, one kept
        assert pages == 2 * len(sessions)
        assert flat.count("（上交联）") == flat.count("（留档联）") == len(sessions)
    if key == "desk_labels":
        assert pages == sum(math.ceil(len(rs.seats) / 8) for _r, rs in sessions)
    if key == "seal_strips":
        assert pages == sum(math.ceil((1 + len(r.sessions)) / 4) for r in data.rooms)
    if key == "alignment":
        assert pages == 1 and "100" in text
    if key != "alignment":
        for room in data.rooms:
            assert room.name.replace(" ", "") in flat
    if key in ("desk_labels", "seating_plan"):
        for _room, rs in sessions:
            for seat in rs.seats:
                assert seat.name in flat and seat.ticket in flat
    if key == "desk_labels":
        seat = sessions[0][1].seats[0]
        assert mask_id(seat.id_number) in flat
    if key in ("duty_list", "room_record"):
        for _room, rs in sessions:
            for name in rs.invigilators:
                assert name in flat
    if key == "door_signs":
        _room, rs = sessions[0]
        assert f"座位号1–{len(rs.seats)}" in flat and f"考生{len(rs.seats)}人" in flat
        assert "理论知识考试（初级）" in flat


@pytest.mark.parametrize("key", ROOM_KEYS)
def test_a_room_draws_only_its_own_people(
    tmp_path: Path, demo_data: MaterialsData, key: str
) -> None:
    data = demo_data
    room = data.rooms[0]
    others = {
        s.name for r in data.rooms if r.uid != room.uid for rs in r.sessions for s in rs.seats
    }
    own = {s.name for rs in room.sessions for s in rs.seats}
    path = tmp_path / f"{key}.pdf"
    render(path, key, data, room)
    flat = text_of(path).replace(" ", "")
    # (a room of another certificate may share the room's name: another RoomFacts)
    for other in data.rooms:
        if other.name != room.name:
            assert other.name.replace(" ", "") not in flat
    assert not {name for name in others - own if name in flat}
    if key in ("desk_labels", "seating_plan"):
        assert all(name in flat for name in own)


@pytest.mark.parametrize("key", [*ROOM_KEYS, "alignment"])
def test_same_data_same_bytes(tmp_path: Path, demo_data: MaterialsData, key: str) -> None:
    room = demo_data.rooms[-1] if key != "alignment" else None
    render(tmp_path / "a.pdf", key, demo_data, room)
    render(tmp_path / "b.pdf", key, demo_data, room)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


# -- a room of 60 seats with long names -------------------------------------------------

LONG_NAMES = ("欧阳娜娜娜娜", "阿卜杜热合曼·买买提", "司马相如", "张三")
LONG_SITE = "新疆维吾尔自治区乌鲁木齐市某某职业技术学院（示例长名称） - 数字营销技术应用职业技能等级证书（初级、中级、高级）考核站点"


def long_data() -> MaterialsData:
    start = dt.datetime(2026, 12, 19, 8, 30)
    seats = tuple(
        SeatFacts(
            seat=n,
            ticket=f"2026121900010010{n:02d}",
            candidate_id=n,
            name=LONG_NAMES[n % len(LONG_NAMES)],
            id_number=f"6501022005010{n:04d}1",
            gender="女",
            kind="school",
            class_name="营销2301",
            major="市场营销",
            school="某某职业技术学院",
        )
        for n in range(1, 61)
    )
    session = RoomSessionFacts(
        uid="rs1",
        certificate_code="1630054223010588",
        certificate_name="数字营销技术应用职业技能等级证书",
        level="intermediate",
        subject_name="实操技能考试（中级）",
        subject_kind="practical",
        mode="机考+实操",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        invigilators=("欧阳娜娜娜娜", "阿卜杜热合曼·买买提", "司马相如"),
        seats=seats,
    )
    room = RoomFacts(
        uid="r1",
        name="综合实训楼 A 座 1201 大型计算机实训室",
        seats=60,
        capacity=60,
        room_type="机考+实操",
        address="新疆维吾尔自治区乌鲁木齐市沙依巴克区某某路 88 号 综合实训楼 A 座 12 层",
        sessions=(session,),
    )
    return MaterialsData(
        site=SiteFacts(LONG_SITE, "S1", "某某职业技术学院", "地址", "主任", "1", "新疆"),
        plan=PlanFacts(
            "P1", "2026年数字营销技术应用全国统考（长名称测试计划）", "中教畅享", start, start
        ),
        rooms=(room,),
        staff=(),
    )


def words(
    path: Path,
) -> tuple[list[tuple[float, float]], list[tuple[str, float, float, float, float, int]]]:
    """Page sizes and every word as (text, xmin, ymin, xmax, ymax, page) in points from
    the top left (``pdftotext -bbox``)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ElementTree.fromstring(
        re.sub(r"<!DOCTYPE[^>]*>", "", html).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    )
    sizes, found = [], []
    for index, page in enumerate(root.iter("page")):
        sizes.append((float(page.get("width", 0)), float(page.get("height", 0))))
        for word in page.iter("word"):
            box = [float(word.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")]
            found.append((word.text or "", *box, index))  # type: ignore[arg-type]
    return sizes, found


@pytest.mark.parametrize(
    ("key", "per_page"), [*((key, 8) for key in (*ROOM_KEYS, "alignment")), ("desk_labels", 12)]
)
def test_long_names_stay_on_the_page(tmp_path: Path, key: str, per_page: int) -> None:
    data = long_data()
    path = tmp_path / f"{key}.pdf"
    render(path, key, data, data.rooms[0], PrintSettings(labels_per_page=per_page))
    sizes, found = words(path)
    edge = 5 * mm  # nothing nearer the paper's edge than a printer can print
    for text, x0, y0, x1, y1, page in found:
        width, height = sizes[page]
        assert x0 >= edge and y0 >= edge and x1 <= width - edge and y1 <= height - edge, (key, text)
    flat = "".join(w[0] for w in found)
    if key in ("desk_labels", "seating_plan"):
        for name in LONG_NAMES:
            assert name in flat


def test_long_names_inside_their_desk_label(tmp_path: Path) -> None:
    data = long_data()
    for per_page in (8, 10, 12):
        path = tmp_path / f"labels-{per_page}.pdf"
        pages = render(path, "desk_labels", data, None, PrintSettings(labels_per_page=per_page))
        assert pages == math.ceil(60 / per_page)
        sizes, found = words(path)
        height = sizes[0][1]
        boxes = desk_labels.label_boxes(per_page)
        names = [w for w in found if w[0] in LONG_NAMES]
        assert len(names) == 60
        for text, x0, y0, x1, y1, _page in names:
            # into reportlab's coordinates (from the bottom), then inside one label
            bottom, top = height - y1, height - y0
            assert any(
                x0 >= bx - 0.5
                and x1 <= bx + bw + 0.5
                and bottom >= by - 0.5
                and top <= by + bh + 0.5
                for bx, by, bw, bh in boxes
            ), (per_page, text)


def test_plan_wide_duty_list_repeats_its_header(tmp_path: Path) -> None:
    data = long_data()
    room = data.rooms[0]
    first = room.sessions[0]
    sessions = tuple(
        dataclasses.replace(
            first,
            uid=f"rs{n}",
            starts_at=first.starts_at + dt.timedelta(days=n),
            ends_at=first.ends_at + dt.timedelta(days=n),
        )
        for n in range(12)
    )
    data = dataclasses.replace(data, rooms=(dataclasses.replace(room, sessions=sessions),))
    path = tmp_path / "duty.pdf"
    pages = render(path, "duty_list", data, None)
    assert pages == page_count(path) == 2  # 36 lines
    text = text_of(path)
    assert text.count("签到（签字）") == pages  # the header row on every page
    flat = text.replace(" ", "")
    assert flat.count("欧阳娜娜娜娜") == 12 and "2026年12月30日" in flat


def test_door_signs_then_portrait_pages_in_one_kit(
    tmp_path: Path, demo_data: MaterialsData
) -> None:
    """A room kit draws documents one after another into one PDF: the door signs are
    landscape, what follows is portrait again."""
    room = demo_data.rooms[0]
    path = tmp_path / "kit.pdf"
    with pdf_canvas(path, title="kit") as canvas:
        job = PrintJob(demo_data)
        signs = document("door_signs").draw(canvas, job, room)
        labels = document("desk_labels").draw(canvas, job, room)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(signs + labels), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = re.findall(r"size:\s+([\d.]+) x ([\d.]+)", info)
    assert len(sizes) == signs + labels
    assert all(float(w) > float(h) for w, h in sizes[:signs])
    assert all(float(w) < float(h) for w, h in sizes[signs:])


def test_empty_room_and_session_still_draw(tmp_path: Path) -> None:
    """A session nobody sits in and nobody invigilates, a room with no session: every
    document draws without an error (and prints the gap rather than hiding it)."""
    data = long_data()
    room = data.rooms[0]
    empty = dataclasses.replace(room.sessions[0], seats=(), invigilators=())
    bare = dataclasses.replace(room, uid="r2", name="空考场", sessions=())
    data = dataclasses.replace(data, rooms=(dataclasses.replace(room, sessions=(empty,)), bare))
    for key in (*ROOM_KEYS, "alignment"):
        path = tmp_path / f"{key}.pdf"
        pages = render(path, key, data, None)
        if key == "desk_labels":
            assert pages == 0  # nobody to label
        else:
            assert pages == page_count(path)
    assert "（未安排）" in text_of(tmp_path / "duty_list.pdf")
    assert "空考场" in text_of(tmp_path / "seal_strips.pdf")


def test_a_cancelled_run_stops(tmp_path: Path, demo_data: MaterialsData) -> None:
    progress = Progress()
    progress.cancel()
    for key in (*ROOM_KEYS, "alignment"):
        with pytest.raises(Cancelled), pdf_canvas(tmp_path / f"{key}.pdf", title=key) as canvas:
            document(key).draw(canvas, PrintJob(demo_data, progress=progress), None)
        assert not (tmp_path / f"{key}.pdf").exists()


def test_long_names_inside_their_seat(tmp_path: Path) -> None:
    data = long_data()
    path = tmp_path / "seating.pdf"
    render(path, "seating_plan", data, None)
    sizes, found = words(path)
    height = sizes[0][1]
    boxes = seating_plan.seat_boxes(60)
    seats = data.rooms[0].sessions[0].seats
    names = [w for w in found if w[0] in LONG_NAMES]
    assert len(names) == 60
    for (text, x0, y0, x1, y1, _page), seat in zip(names, seats, strict=True):
        # pdftotext reads row by row, left to right: the seats' own order
        assert text == seat.name
        bx, by, bw, bh = boxes[seat.seat - 1]
        assert x0 >= bx - 0.5 and x1 <= bx + bw + 0.5
        assert height - y1 >= by - 0.5 and height - y0 <= by + bh + 0.5
