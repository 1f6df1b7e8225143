"""The filled room record form and inspection record on the arranged demo: the counts
present / absent from the attendance, the absent names and tickets, the incidents, the
invigilators; blank counts where nothing was recorded; the font embedded; the print run's
entries."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2
import pytest

from examsite import clock
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.exam_day_papers import write_filled_form
from examsite.services.exam_day_record import exam_day_record
from examsite.services.incidents import IncidentForm, add_incident
from examsite.services.materials_data import load_materials
from examsite.services.print_run import print_run
from examsite.storage.db import Database
from incident_helpers import Sitting, mark, sittings


@pytest.fixture
def db(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(60))
    yield database
    database.close()


@pytest.fixture
def first(db: Database) -> Sitting:
    return sittings(db)[0]


def after(sitting: Sitting, minutes: int = 60) -> dt.datetime:
    return sitting.ends_at + dt.timedelta(minutes=minutes)


def text_of(path: Path) -> str:
    document = pypdfium2.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pages_of(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def squeeze(text: str) -> str:
    return "".join(text.split())


def record_some(db: Database, sitting: Sitting) -> None:
    """Seats 1..n: 2 absent, 3 refused late, 4 late, 5 left early, 6 misconduct, 7 not
    recorded, the rest present; an extension, a changed PC, a misconduct incident."""
    statuses = {n: "present" for n, *_ in sitting.seats}
    statuses.update({2: "absent", 3: "refused_late", 4: "late", 5: "left_early", 6: "misconduct"})
    del statuses[7]
    mark(db, sitting.room_session_uid, statuses)
    at = sitting.starts_at + dt.timedelta(minutes=25)
    base = dict(room=sitting.room, session_uid=sitting.session_uid, recorded_by="王老师")
    add_incident(
        db, DEMO_PLAN_CODE, IncidentForm("延时", at, "经巡考员同意延时", minutes=12, **base)
    )
    add_incident(
        db,
        DEMO_PLAN_CODE,
        IncidentForm("换机", at, "换到备用机 46 号", candidates=(sitting.seats[0][1],), **base),
    )
    add_incident(
        db,
        DEMO_PLAN_CODE,
        IncidentForm(
            "misconduct",
            at,
            "警告并记录",
            candidates=(sitting.seats[5][1],),
            description="携带手机",
            **base,
        ),
    )


def test_the_room_record_form_is_filled_from_the_attendance(
    db: Database, first: Sitting, tmp_path: Path
):
    with clock.fixed(after(first)):
        record_some(db, first)
        written = write_filled_form(
            db, DEMO_PLAN_CODE, tmp_path / "r.pdf", "room", first.room, first.session_uid
        )
    assert (written.pages, written.room_sessions) == (2, 1)  # 上交联 and 留档联
    first_page, second_page = pages_of(written.path)
    text = squeeze(first_page)
    expected = len(first.seats)
    # present: everyone but 2, 3 (absent, refused) and 7 (never recorded: absent after the end)
    assert f"应考{expected}人" in text
    assert f"实考{expected - 3}人" in text
    assert "缺考3人" in text
    for seat, _id, name, ticket in (first.seats[1], first.seats[2], first.seats[6]):
        assert squeeze(f"{seat} 号 {name} {ticket}") in text
    assert "迟到禁入" in text and "未签到" in text
    assert "延时12分钟" in text
    assert "换到备用机46号" in text
    assert "携带手机" in text and "警告并记录" in text
    assert squeeze(f"迟到入场：{first.seats[3][2]}") in text
    assert squeeze(f"提前离场：{first.seats[4][2]}") in text
    assert "考试结束时仍未签到的考生按缺考计" in text
    with db.read() as s:
        data = load_materials(s, DEMO_PLAN_CODE)
    invigilators = next(
        rs.invigilators
        for room in data.rooms
        for rs in room.sessions
        if rs.uid == first.room_session_uid
    )
    assert invigilators
    for name in invigilators:
        assert name in text
    assert "上交联" in first_page and "留档联" in second_page


def test_while_the_session_runs_unrecorded_seats_are_not_counted_absent(
    db: Database, first: Sitting, tmp_path: Path
):
    mark(db, first.room_session_uid, {1: "present", 2: "absent"})
    with clock.fixed(first.starts_at + dt.timedelta(minutes=40)):
        written = write_filled_form(
            db, DEMO_PLAN_CODE, tmp_path / "r.pdf", "room", first.room, first.session_uid
        )
    text = squeeze(pages_of(written.path)[0])
    assert "实考1人" in text and "缺考1人" in text
    assert f"另有{len(first.seats) - 2}人未登记" in text
    assert "未签到" not in text


def test_a_room_session_with_nothing_recorded_prints_blank_counts(
    db: Database, first: Sitting, tmp_path: Path
):
    with clock.fixed(after(first)):
        written = write_filled_form(
            db, DEMO_PLAN_CODE, tmp_path / "r.pdf", "room", first.room, first.session_uid
        )
        record = exam_day_record(db, DEMO_PLAN_CODE).of(first.room_session_uid)
    assert record is not None and not record.counts.recorded and record.ended
    text = squeeze(pages_of(written.path)[0])
    assert f"应考{len(first.seats)}人" in text
    assert "实考______人" in text and "缺考______人" in text
    assert "没有电子签到记录" in text


def test_the_extension_moves_the_end(db: Database, first: Sitting):
    mark(db, first.room_session_uid, {1: "present"})
    with clock.fixed(first.starts_at + dt.timedelta(minutes=20)):
        add_incident(
            db,
            DEMO_PLAN_CODE,
            IncidentForm(
                "extension",
                first.starts_at + dt.timedelta(minutes=10),
                "延时",
                first.room,
                first.session_uid,
                minutes=10,
            ),
        )
    with clock.fixed(first.ends_at + dt.timedelta(minutes=5)):
        record = exam_day_record(db, DEMO_PLAN_CODE).of(first.room_session_uid)
        assert record is not None and not record.ended and record.counts.absent == 0
    with clock.fixed(first.ends_at + dt.timedelta(minutes=10)):
        record = exam_day_record(db, DEMO_PLAN_CODE).of(first.room_session_uid)
        assert record is not None and record.ended
        assert record.counts.absent == len(first.seats) - 1


def test_the_inspection_record_has_each_rooms_counts_and_the_site_incidents(
    db: Database, first: Sitting, tmp_path: Path
):
    with clock.fixed(after(first)):
        record_some(db, first)
        add_incident(
            db,
            DEMO_PLAN_CODE,
            IncidentForm("停电", first.starts_at + dt.timedelta(minutes=30), "静坐等待 10 分钟"),
        )
        written = write_filled_form(db, DEMO_PLAN_CODE, tmp_path / "i.pdf", "inspection")
    text = squeeze(text_of(written.path))
    assert "巡考情况记录表" in text
    expected = len(first.seats)
    assert squeeze(f"{first.room} {expected} {expected - 3} 3") in text
    assert "延时12分钟" in text and "违纪/作弊1起" in text and "换机1起" in text
    assert "全考点的突发情况" in text and "静坐等待10分钟" in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_the_font_is_embedded(db: Database, first: Sitting, tmp_path: Path):
    with clock.fixed(after(first)):
        record_some(db, first)
        for form in ("room", "inspection"):
            written = write_filled_form(db, DEMO_PLAN_CODE, tmp_path / f"{form}.pdf", form)
            fonts = subprocess.run(
                ["pdffonts", str(written.path)], capture_output=True, text=True, check=True
            ).stdout
            lines = fonts.splitlines()[2:]
            assert lines and all(" yes " in line for line in lines)


def test_the_print_run_makes_both_filled_forms(db: Database, first: Sitting, tmp_path: Path):
    with clock.fixed(after(first)):
        record_some(db, first)
        manifest = print_run(
            db,
            DEMO_PLAN_CODE,
            tmp_path,
            only=["room_record_filled", "inspection_record_filled"],
        )
    keys = {e.key: e for e in manifest.entries}
    assert set(keys) == {"room_record_filled", "inspection_record_filled"}
    room_pdf = manifest.folder / keys["room_record_filled"].file
    assert keys["room_record_filled"].pages == 2 * len(sittings(db))
    assert "缺考3人" in squeeze(text_of(room_pdf))
