"""After the exam on the arranged demo: the papers' checklist (003's five papers and the
video, two copies each), ticks kept per plan and logged, an unknown key refused; the
monitoring videos' names in 003's pattern, one per room and day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from examsite.domain.after_exam import expand_tick, file_name_part, video_name
from examsite.errors import InputError
from examsite.services.after_exam import paper_checklist, tick_papers, video_names
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.site import show_site
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Setting
from incident_helpers import sittings


@pytest.fixture
def db(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(60))
    yield database
    database.close()


def test_003s_example_name():
    assert video_name(dt.date(2020, 6, 30), "某学院", "2号楼102") == "20200630某学院2号楼102"
    assert video_name(dt.date(2020, 6, 30), "某 学院", "2 号楼 102") == "20200630某学院2号楼102"
    assert file_name_part('a/b\\c:d*e?f"g<h>i|j k') == "abcdefghijk"


def test_tick_keys_expand():
    assert expand_tick("sign_in") == ("sign_in.sent", "sign_in.kept")
    assert expand_tick("sign_in.kept") == ("sign_in.kept",)
    assert expand_tick("all") is not None and len(expand_tick("all") or ()) == 12
    assert expand_tick("sign_in.lost") is None
    assert expand_tick("草稿纸") is None


def test_the_checklist_holds_003s_papers_with_their_copies(db: Database):
    checklist = paper_checklist(db, DEMO_PLAN_CODE)
    titles = [i.title for i in checklist.items]
    assert titles == [
        "巡考情况记录表",
        "考场封场确认单",
        "考务人员承诺书",
        "考场签到表",
        "考场情况记录表",
        "监控视频",
    ]
    room_sessions = len(sittings(db))
    assert checklist.room_sessions == room_sessions
    copies = {i.key: i.copies for i in checklist.items}
    assert copies["inspection_record"] == 2
    assert copies["sign_in"] == copies["room_record"] == 2 * room_sessions
    assert (checklist.done, checklist.total) == (0, 12)
    assert not any(i.sent or i.kept for i in checklist.items)


def test_ticks_are_kept_per_plan_and_logged(db: Database):
    checklist = tick_papers(db, DEMO_PLAN_CODE, ["sign_in", "考场情况记录表.sent"])
    items = {i.key: i for i in checklist.items}
    assert (items["sign_in"].sent, items["sign_in"].kept) == (True, True)
    assert (items["room_record"].sent, items["room_record"].kept) == (True, False)
    assert checklist.done == 3
    again = paper_checklist(db, DEMO_PLAN_CODE)
    assert again.done == 3
    with db.read() as s:
        stored = s.get(Setting, f"after_exam.{DEMO_PLAN_CODE}")
        assert stored is not None and "sign_in.kept" in stored.value
        logged = s.scalars(select(AuditLog).where(AuditLog.entity == "after_exam")).all()
    assert len(logged) == 1
    after = tick_papers(db, DEMO_PLAN_CODE, untick=["sign_in.kept"])
    assert after.done == 2
    assert tick_papers(db, DEMO_PLAN_CODE, ["all"]).done == 12


def test_an_unknown_key_is_refused_and_nothing_changes(db: Database):
    with pytest.raises(InputError) as caught:
        tick_papers(db, DEMO_PLAN_CODE, ["sign_in", "草稿纸"])
    assert caught.value.code == "afterexam.unknown_paper"
    assert caught.value.params["key"] == "草稿纸"
    assert paper_checklist(db, DEMO_PLAN_CODE).done == 0


def test_one_video_name_per_room_and_day_in_003s_pattern(db: Database):
    names = video_names(db, DEMO_PLAN_CODE)
    school = show_site(db).school
    rooms = {s.room for s in sittings(db)}
    days = {s.starts_at.date() for s in sittings(db)}
    assert {v.room for v in names} == rooms
    assert len(names) == len({(s.starts_at.date(), s.room) for s in sittings(db)})
    for video in names:
        assert video.day in days
        assert video.name == f"{video.day:%Y%m%d}{school}{video.room}".replace(" ", "")
        assert " " not in video.name
        assert video.sessions and all(s.starts_at.date() == video.day for s in video.sessions)
