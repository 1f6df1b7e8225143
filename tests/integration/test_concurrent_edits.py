"""Two computers editing the same record: the second save is refused with a message
naming the record and what the other computer changed, never a silent overwrite.

Each test opens the same database twice (two ``Database`` objects, as two PCs would on a
server or on one SQLite file): one loads what its form shows, the other saves first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from candidate_forms import A, B, form
from examsite.errors import InputError
from examsite.services.candidates import (
    delete_candidate,
    get_candidate,
    list_candidates,
    save_candidate,
)
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.rooms import RoomForm, add_room, edit_room, list_rooms, remove_room
from examsite.services.seating_changes import move, swap
from examsite.storage.db import Database
from examsite.storage.models import (
    AuditLog,
    Candidate,
    ExamSession,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
)

JUNIOR = "1630054223010588"


@pytest.fixture
def other_pc(db: Database) -> Iterator[Database]:
    """The same database opened a second time, as another computer would."""
    other = Database(db.url, upgrade=False)
    yield other
    other.close()


def updates(db: Database) -> int:
    with db.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.action == "update")
            )
            or 0
        )


def test_a_candidate_changed_on_another_pc_is_not_overwritten(
    db: Database, other_pc: Database
) -> None:
    save_candidate(db, form())
    shown_here = get_candidate(db, A)
    save_candidate(
        other_pc, form(phone="13900139000"), original_id_number=A, loaded=get_candidate(other_pc, A)
    )
    with pytest.raises(InputError) as caught:
        save_candidate(db, form(major="会计"), original_id_number=A, loaded=shown_here)
    assert caught.value.code == "candidate.changed_elsewhere"
    message = caught.value.message
    assert "曾小红" in message and A in message and "其他电脑" in message
    assert "手机号码现为“13900139000”" in message and "就读专业" not in message
    kept = get_candidate(db, A)
    assert (kept.phone, kept.major) == ("13900139000", "电子商务")
    assert updates(db) == 1
    # Refreshed, the same change goes through.
    saved = save_candidate(
        db, form(phone="13900139000", major="会计"), original_id_number=A, loaded=kept
    )
    assert (saved.phone, saved.major) == ("13900139000", "会计")


def test_a_change_of_id_number_or_extras_is_named(db: Database, other_pc: Database) -> None:
    save_candidate(db, form())
    shown_here = get_candidate(db, A)
    save_candidate(other_pc, form(B), original_id_number=A, loaded=get_candidate(other_pc, A))
    with pytest.raises(InputError) as caught:
        save_candidate(db, form(major="会计"), original_id_number=A, loaded=shown_here)
    assert caught.value.code == "candidate.changed_elsewhere"
    assert f"证件号码现为“{B}”" in caught.value.message
    assert get_candidate(db, B).major == "电子商务"
    shown_here = get_candidate(db, B)
    save_candidate(
        other_pc,
        form(B, kind="social", extra={"employer": "某公司"}),
        original_id_number=B,
        loaded=get_candidate(other_pc, B),
    )
    with pytest.raises(InputError) as extra:
        save_candidate(db, form(B, major="会计"), original_id_number=B, loaded=shown_here)
    assert "工作单位现为“某公司”" in extra.value.message


def test_a_candidate_deleted_on_another_pc_is_not_added_back(
    db: Database, other_pc: Database
) -> None:
    save_candidate(db, form())
    shown_here = get_candidate(db, A)
    delete_candidate(other_pc, A)
    with pytest.raises(InputError) as caught:
        save_candidate(db, form(major="会计"), original_id_number=A, loaded=shown_here)
    assert caught.value.code == "candidate.deleted_elsewhere"
    assert "曾小红" in caught.value.message and "删除" in caught.value.message
    assert list_candidates(db) == []


def test_saving_what_was_loaded_twice_is_no_conflict(db: Database) -> None:
    save_candidate(db, form())
    loaded = get_candidate(db, A)
    first = save_candidate(db, form(phone="13900139000"), original_id_number=A, loaded=loaded)
    with pytest.raises(InputError):  # the form still holds the old values: refused
        save_candidate(db, form(phone="13700137000"), original_id_number=A, loaded=loaded)
    save_candidate(db, form(phone="13700137000"), original_id_number=A, loaded=first)
    assert get_candidate(db, A).phone == "13700137000"


def test_without_what_was_loaded_the_save_is_as_before(db: Database, other_pc: Database) -> None:
    """The command line reads and writes in one unit of work: nothing to compare."""
    save_candidate(db, form())
    save_candidate(other_pc, form(phone="13900139000"), original_id_number=A)
    save_candidate(db, form(major="会计"), original_id_number=A)
    assert get_candidate(db, A).major == "会计"


# -- rooms ---------------------------------------------------------------------------------

ROOM = RoomForm("信息楼 501 机房", 45, 40, "湖北省", "武汉市", "洪山区", "示例大道 1 号")


def test_a_room_changed_on_another_pc_is_not_overwritten(
    db: Database, other_pc: Database, demo_site
) -> None:
    demo_site(db, 40)
    add_room(db, DEMO_PLAN_CODE, JUNIOR, ROOM)
    shown_here = ROOM  # what this PC's form loaded
    edit_room(
        other_pc, DEMO_PLAN_CODE, ROOM.name, {"seats": 30, "exam_capacity": None}, loaded=ROOM
    )
    with pytest.raises(InputError) as caught:
        edit_room(db, DEMO_PLAN_CODE, ROOM.name, {"address": "新地址"}, loaded=shown_here)
    assert caught.value.code == "rooms.changed_elsewhere"
    message = caught.value.message
    assert ROOM.name in message and "其他电脑" in message
    assert "考位数现为“30”" in message and "考试容量现为“空”" in message
    assert "地址" not in message
    [room] = list_rooms(db, DEMO_PLAN_CODE)
    assert (room.seats, room.exam_capacity, room.address) == (30, None, ROOM.address)
    # Deleted on the other PC: named, not re-created.
    remove_room(other_pc, DEMO_PLAN_CODE, ROOM.name)
    with pytest.raises(InputError) as gone:
        edit_room(db, DEMO_PLAN_CODE, room.uid, {"seats": 45}, loaded=replace(ROOM, seats=30))
    assert gone.value.code == "rooms.deleted_elsewhere" and ROOM.name in gone.value.message


def test_a_room_saved_as_loaded_is_saved(db: Database, demo_site) -> None:
    demo_site(db, 40)
    add_room(db, DEMO_PLAN_CODE, JUNIOR, ROOM)
    changed = edit_room(db, DEMO_PLAN_CODE, ROOM.name, {"seats": 50}, loaded=ROOM)
    assert changed.seats == 50


# -- seats ---------------------------------------------------------------------------------


def seated(db: Database) -> dict[tuple[str, str], tuple[str, int]]:
    """(ID number, session uid) → (room, seat) of every seat."""
    statement = (
        select(Candidate.id_number, ExamSession.uid, Room.name, Seat.seat_number)
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .join(Room, Room.id == RoomSession.room_id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .order_by(Room.name, Seat.seat_number)
    )
    with db.read() as session:
        return {(i, s): (room, n) for i, s, room, n in session.execute(statement)}


def test_a_seat_moved_on_another_pc_is_not_moved_back(arranged_db_file, engine: str) -> None:
    first = Database.open(arranged_db_file(40))
    second = Database(first.url, upgrade=False)
    try:
        places = seated(first)
        (a, session_uid), (room_a, seat_a) = next(iter(places.items()))
        b = next(i for (i, s), (room, _n) in places.items() if s == session_uid and i != a)
        place_b = places[(b, session_uid)]
        taken = {n for (_i, s), (room, n) in places.items() if s == session_uid and room == room_a}
        free = next(n for n in range(1, 100) if n not in taken)
        # The other PC moves A to a free seat of the same room.
        move(second, DEMO_PLAN_CODE, a, session_uid, room_a, free, shown=(room_a, seat_a))
        # This PC, still showing A at the old seat, tries to move and to swap A.
        with pytest.raises(InputError) as moved:
            move(first, DEMO_PLAN_CODE, a, session_uid, room_a, seat_a, shown=(room_a, seat_a))
        assert moved.value.code == "arrange.seat_changed_elsewhere"
        assert f"{room_a} {seat_a} 号" in moved.value.message
        assert f"{room_a} {free} 号" in moved.value.message and a in moved.value.message
        with pytest.raises(InputError) as swapped:
            swap(first, DEMO_PLAN_CODE, a, b, session_uid, shown=((room_a, seat_a), place_b))
        assert swapped.value.code == "arrange.seat_changed_elsewhere"
        assert seated(first)[(a, session_uid)] == (room_a, free)
        assert seated(first)[(b, session_uid)] == place_b
        # Refreshed, the swap goes through.
        swap(first, DEMO_PLAN_CODE, a, b, session_uid, shown=((room_a, free), place_b))
        assert seated(first)[(a, session_uid)] == place_b
    finally:
        second.close()
        first.close()
