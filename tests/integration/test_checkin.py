"""Check-in at the door on the arranged demo: every verdict of a scan (and what it writes),
the 30-minute rule at its edges, the refusals naming where the candidate should be, marks
by hand, the lists, the rest marked absent, extensions moving the clock, the sidebar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, select

from examsite import clock
from examsite.domain.attendance import AttendanceStatus, Phase
from examsite.domain.workflow import Step, StepState
from examsite.errors import InputError, NotFoundError
from examsite.services.checkin import (
    Verdict,
    attendance_rows,
    door_by_names,
    door_choices,
    door_list,
    scan,
)
from examsite.services.checkin_data import Door, SeatInfo
from examsite.services.checkin_marks import mark, mark_rest_absent
from examsite.services.demo import DEMO_PLAN_CODE as PLAN
from examsite.services.status import round_status
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    AuditLog,
    Candidate,
    Incident,
    Registration,
    RoomSession,
    Seat,
)


@dataclass
class Site:
    db: Database
    doors: tuple[Door, ...]

    @property
    def first(self) -> Door:
        return self.doors[0]

    def seats(self, door: Door) -> tuple[SeatInfo, ...]:
        return door_list(self.db, PLAN, door.room_session_uid).seats

    def scan_at(self, moment: dt.datetime, code: str, door: Door | None = None):
        with clock.fixed(moment):
            return scan(
                self.db, PLAN, code, door.room_session_uid if door else None, recorded_by="门口"
            )


@pytest.fixture
def site(arranged_db_file) -> Iterator[Site]:
    db = Database.open(arranged_db_file(60))
    yield Site(db, door_choices(db, PLAN).doors)
    db.close()


def at(door: Door, minutes: int, seconds: int = 0) -> dt.datetime:
    return door.starts + dt.timedelta(minutes=minutes, seconds=seconds)


def stored(db: Database, seat: SeatInfo) -> Attendance | None:
    with db.read() as session:
        row = session.scalar(select(Attendance).where(Attendance.seat_id == seat.seat_id))
        if row is not None:
            session.expunge(row)
        return row


def audit(db: Database) -> list[AuditLog]:
    with db.read() as session:
        rows = list(session.scalars(select(AuditLog).where(AuditLog.entity == "attendance")))
        session.expunge_all()
        return rows


# --- what a scan means ---------------------------------------------------------------------


def test_the_doors_and_the_one_on_now(site: Site) -> None:
    assert site.doors == tuple(sorted(site.doors, key=lambda d: (d.starts, d.room)))
    assert all(len(site.seats(d)) > 0 for d in site.doors)
    first = site.first
    with clock.fixed(at(first, -10)):
        assert door_choices(site.db, PLAN).current == first.room_session_uid
    last = site.doors[-1]
    with clock.fixed(last.ends + dt.timedelta(days=1)):
        assert door_choices(site.db, PLAN).current == last.room_session_uid


def test_a_scan_in_time_checks_in_and_logs_who_and_when(site: Site) -> None:
    door = site.first
    seat = site.seats(door)[0]
    moment = at(door, -10)
    result = site.scan_at(moment, seat.ticket, door)
    assert result.verdict is Verdict.CHECKED_IN and result.accepted and result.tone == "ok"
    assert seat.name in result.message and seat.room in result.message
    assert result.seat is not None and result.seat.status == "present"
    assert (
        result.seat.masked_id != seat.id_number
        and result.seat.masked_id[-4:] == seat.id_number[-4:]
    )
    assert result.photo is None or result.photo[:2] == b"\xff\xd8"  # a JPEG
    row = stored(site.db, seat)
    assert row is not None
    assert (row.status, row.checked_in_at, row.recorded_by, row.updated_at) == (
        "present",
        moment,
        "门口",
        moment,
    )
    (entry,) = audit(site.db)
    assert (entry.action, entry.entity_id, entry.actor) == (
        "create",
        f"{seat.ticket}/{seat.session_uid}",
        "门口",
    )
    assert entry.after is not None and entry.after["status"] == "present"


def test_the_30_minute_rule_at_its_edges(site: Site) -> None:
    door = site.first
    seats = site.seats(door)
    cases = [
        (at(door, 0), Verdict.CHECKED_IN, "present"),
        (at(door, 0, 1), Verdict.LATE, "late"),
        (at(door, 29, 59), Verdict.LATE, "late"),
        (at(door, 30), Verdict.LATE, "late"),
        (at(door, 30, 1), Verdict.REFUSED_LATE, "refused_late"),
    ]
    for seat, (moment, verdict, status) in zip(seats, cases, strict=False):
        result = site.scan_at(moment, seat.ticket, door)
        assert result.verdict is verdict, moment
        assert stored(site.db, seat).status == status  # type: ignore[union-attr]
    first_second = site.scan_at(at(door, 0, 1), seats[7].ticket, door)
    assert "迟到 1 分钟" in first_second.message
    late = site.scan_at(at(door, 12, 30), seats[5].ticket, door)
    assert "迟到 12 分钟" in late.message and late.tone == "warn"
    refused = site.scan_at(at(door, 31), seats[6].ticket, door)
    assert not refused.accepted and refused.tone == "bad"
    assert (
        "不能入场" in refused.message and f"{door.timeline.entry_closes:%H:%M}" in refused.message
    )


def test_too_early_is_refused_and_writes_nothing(site: Site) -> None:
    door = site.first
    seat = site.seats(door)[0]
    result = site.scan_at(at(door, -30, -1), seat.ticket, door)
    assert result.verdict is Verdict.TOO_EARLY and not result.accepted
    assert f"{door.timeline.entry_opens:%H:%M}" in result.message
    assert stored(site.db, seat) is None and audit(site.db) == []
    assert site.scan_at(at(door, -30), seat.ticket, door).verdict is Verdict.CHECKED_IN


def test_a_second_scan_says_when_and_changes_nothing(site: Site) -> None:
    door = site.first
    seat = site.seats(door)[0]
    site.scan_at(at(door, -5), seat.ticket, door)
    again = site.scan_at(at(door, 3), seat.ticket, door)
    assert again.verdict is Verdict.ALREADY and not again.accepted
    assert f"{at(door, -5):%H:%M}" in again.message and "已签到" in again.message
    assert stored(site.db, seat).status == "present"  # type: ignore[union-attr]
    assert len(audit(site.db)) == 1
    refused = site.seats(door)[1]
    site.scan_at(at(door, 40), refused.ticket, door)
    assert site.scan_at(at(door, 41), refused.ticket, door).verdict is Verdict.ALREADY


def test_marked_absent_then_coming_in_time_checks_in(site: Site) -> None:
    door = site.first
    seat = site.seats(door)[0]
    with clock.fixed(at(door, -20)):
        mark(
            site.db,
            PLAN,
            seat.ticket,
            AttendanceStatus.ABSENT,
            room_session_uid=door.room_session_uid,
        )
    assert site.scan_at(at(door, 10), seat.ticket, door).verdict is Verdict.LATE


def test_an_id_number_typed_with_spaces_lower_x_or_full_width_finds_the_seat(site: Site) -> None:
    door = site.first
    seats = site.seats(door)
    typed = []
    for seat in seats[:3]:
        number = seat.id_number
        typed.append(" ".join([number[:6], number[6:14], number[14:].lower()]))
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in seats[3].id_number)
    typed.append(full_width)
    for seat, code in zip(seats, typed, strict=False):
        result = site.scan_at(at(door, -1), code, door)
        assert result.verdict is Verdict.CHECKED_IN, code
        assert result.seat is not None and result.seat.seat_id == seat.seat_id


def _other_room_same_time(site: Site, door: Door) -> Door:
    return next(d for d in site.doors if d.starts == door.starts and d.room != door.room)


def test_the_wrong_room_is_refused_naming_the_right_one(site: Site) -> None:
    door = site.first
    other = _other_room_same_time(site, door)
    seat = site.seats(other)[0]
    result = site.scan_at(at(door, -5), seat.ticket, door)
    assert result.verdict is Verdict.WRONG_ROOM and result.tone == "bad"
    assert f"{other.room} {seat.seat} 号" in result.message
    assert result.seat is not None and result.seat.room == other.room
    assert stored(site.db, seat) is None and audit(site.db) == []


def test_wrong_session_names_the_next_of_their_sessions(site: Site) -> None:
    # Everyone of the demo sits all four sessions; a candidate without a seat at 13:00
    # scanned at a 13:00 door is in the wrong session: their next one is named.
    afternoon = next(d for d in site.doors if d.starts.hour == 13)
    seat = site.seats(afternoon)[0]
    with site.db.unit_of_work() as session:
        session.execute(delete(Seat).where(Seat.id == seat.seat_id))
    result = site.scan_at(at(afternoon, -5), seat.ticket, afternoon)
    assert result.verdict is Verdict.WRONG_SESSION and result.tone == "bad"
    assert result.seat is not None and result.seat.session_start.hour == 14
    assert result.seat.subject in result.message
    assert f"{result.seat.session_start:%H:%M}" in result.message
    assert f"{result.seat.room} {result.seat.seat} 号" in result.message
    assert audit(site.db) == []
    # Late in the day, after every session: the last one is named.
    evening = site.scan_at(at(afternoon, 5 * 60), seat.ticket, afternoon)
    assert evening.seat is not None and evening.seat.session_start.hour == 14


def test_unknown_empty_and_not_seated(site: Site) -> None:
    door = site.first
    unknown = site.scan_at(at(door, -5), "999999999999999999", door)
    assert unknown.verdict is Verdict.UNKNOWN and "999999999999999999" in unknown.message
    assert unknown.seat is None
    empty = site.scan_at(at(door, -5), "  \r\n", door)
    assert empty.verdict is Verdict.UNKNOWN and empty.code == "checkin.empty_code"
    with site.db.read() as session:
        loner = session.scalar(
            select(Candidate)
            .outerjoin(Registration, Registration.candidate_id == Candidate.id)
            .where(Registration.id.is_(None))
        )
        assert loner is not None
        name, number = loner.name, loner.id_number
    not_seated = site.scan_at(at(door, -5), number, door)
    assert not_seated.verdict is Verdict.NOT_SEATED and name in not_seated.message
    assert audit(site.db) == []


def test_without_a_door_the_session_on_now_is_taken(site: Site) -> None:
    door = site.first
    seat = site.seats(door)[0]
    result = site.scan_at(at(door, 5), seat.ticket)
    assert result.verdict is Verdict.LATE
    assert result.seat is not None and result.seat.session_uid == seat.session_uid


# --- marks, lists, the rest absent ------------------------------------------------------------


def test_marks_by_hand_each_status_with_note_and_left_at(site: Site) -> None:
    door = site.first
    seat = site.seats(door)[0]
    uid = door.room_session_uid
    with clock.fixed(at(door, 1)):
        for status in AttendanceStatus:
            marked = mark(
                site.db, PLAN, seat.ticket, status, room_session_uid=uid, recorded_by="主考"
            )
            assert marked.status == status.value
            assert marked.recorded_by == "主考" and marked.updated_at == at(door, 1)
    with clock.fixed(at(door, 40)):
        left = mark(
            site.db,
            PLAN,
            seat.ticket,
            AttendanceStatus.LEFT_EARLY,
            note="身体不适",
            room_session_uid=uid,
            left_at=at(door, 38),
        )
    assert (left.left_at, left.note) == (at(door, 38), "身体不适")
    with clock.fixed(at(door, 41)):
        cleared = mark(site.db, PLAN, seat.ticket, None, room_session_uid=uid)
    assert cleared.status is None and stored(site.db, seat) is None
    actions = [e.action for e in audit(site.db)]
    assert actions[0] == "create" and actions[-1] == "delete" and len(actions) == 8


def test_a_mark_refuses_a_bad_left_time_and_asks_which_subject(site: Site) -> None:
    door = site.first
    seat = site.seats(door)[0]
    uid = door.room_session_uid
    with clock.fixed(at(door, 10)), pytest.raises(InputError) as outside:
        mark(
            site.db,
            PLAN,
            seat.ticket,
            AttendanceStatus.LEFT_EARLY,
            room_session_uid=uid,
            left_at=at(door, -5),
        )
    assert outside.value.code == "checkin.left_at_outside"
    with clock.fixed(at(door, 10)), pytest.raises(InputError) as not_left:
        mark(
            site.db,
            PLAN,
            seat.ticket,
            AttendanceStatus.ABSENT,
            room_session_uid=uid,
            left_at=at(door, 5),
        )
    assert not_left.value.code == "checkin.left_at_not_left_early"
    # Theory and practical under one ticket: on the day before, which one is unclear.
    with clock.fixed(at(door, -24 * 60)), pytest.raises(InputError) as which:
        mark(site.db, PLAN, seat.ticket, AttendanceStatus.ABSENT)
    assert which.value.code == "checkin.which_subject"
    with clock.fixed(at(door, -24 * 60)):
        marked = mark(site.db, PLAN, seat.ticket, AttendanceStatus.ABSENT, subject="理论")
    assert marked.subject_kind == "theory"
    with clock.fixed(at(door, 5)):  # during the theory session: that one
        assert (
            mark(site.db, PLAN, seat.ticket, AttendanceStatus.LATE).session_uid == seat.session_uid
        )
    with pytest.raises(NotFoundError):
        mark(site.db, PLAN, "000", AttendanceStatus.ABSENT)


def test_the_lists_by_room_session_and_door(site: Site) -> None:
    door = site.first
    seats = site.seats(door)
    site.scan_at(at(door, -3), seats[0].ticket, door)
    session_uid = seats[0].session_uid
    by_door = attendance_rows(site.db, PLAN, room=door.room, session_uid=session_uid)
    assert [r.seat for r in by_door] == [s.seat for s in seats]
    assert by_door[0].status == "present" and by_door[1].status is None
    whole = attendance_rows(site.db, PLAN)
    assert len(whole) > len(by_door)
    by_room = attendance_rows(site.db, PLAN, room=door.room)
    assert {r.room for r in by_room} == {door.room}
    assert door_by_names(site.db, PLAN, door.room, session_uid) == door.room_session_uid
    with pytest.raises(NotFoundError):
        attendance_rows(site.db, PLAN, room="没有的考场", session_uid=session_uid)


def test_the_rest_absent_only_after_entry_closed(site: Site) -> None:
    door = site.first
    seats = site.seats(door)
    site.scan_at(at(door, -3), seats[0].ticket, door)
    with clock.fixed(at(door, 30)), pytest.raises(InputError):
        mark_rest_absent(site.db, PLAN, door.room_session_uid)
    with clock.fixed(at(door, 30, 1)):
        assert mark_rest_absent(site.db, PLAN, door.room_session_uid) == len(seats) - 1
    listing = door_list(site.db, PLAN, door.room_session_uid)
    assert listing.counts.present == 1 and listing.counts.absent == len(seats) - 1
    assert listing.counts.unmarked == 0


# --- the clock's extension, the sidebar --------------------------------------------------------


def test_an_extension_of_the_room_or_the_site_moves_the_door_s_end(site: Site) -> None:
    door = site.first
    with site.db.unit_of_work() as session:
        rs_id = session.scalar(
            select(RoomSession.id).where(RoomSession.uid == door.room_session_uid)
        )
        plan_id = session.scalar(select(Registration.plan_id).limit(1))
        assert plan_id is not None
        session.add_all(
            [
                Incident(plan_id=plan_id, room_session_id=rs_id, code="extension", occurred_at=at(door, 20), extension_minutes=10),
                Incident(plan_id=plan_id, room_session_id=None, code="extension", occurred_at=at(door, 25), extension_minutes=5),
                # one candidate's extra minutes leave the room's clock alone
                Incident(plan_id=plan_id, room_session_id=rs_id, code="extension", occurred_at=at(door, 26), extension_minutes=7, candidates=["x"]),
            ]
        )  # fmt: skip
    moved = door_list(site.db, PLAN, door.room_session_uid).door
    assert moved.extension_minutes == 15
    assert moved.timeline.ends == door.ends + dt.timedelta(minutes=15)
    assert moved.phase(door.ends).phase is Phase.ENDING_SOON


def test_the_sidebar_counts_today_and_warns_of_ended_sessions_left_unmarked(site: Site) -> None:
    door = site.first
    seats = site.seats(door)
    site.scan_at(at(door, -3), seats[0].ticket, door)
    with clock.fixed(at(door, 10)):
        status = round_status(site.db).step(Step.EXAM_DAY)
    assert status.state is StepState.IN_PROGRESS
    assert status.summary["today_present"] == 1
    assert status.summary["today_seats"] >= len(seats)
    assert status.figure.code == "checkin.figure_today"
    with clock.fixed(door.ends + dt.timedelta(minutes=1)):
        ended = round_status(site.db).step(Step.EXAM_DAY)
    assert [p.code for p in ended.problems] == ["checkin.status_unmarked"]
    # Every room of a session where check-in was used: the room record form needs them.
    same_session = sum(len(site.seats(d)) for d in site.doors if d.starts == door.starts)
    assert ended.problems[0].params["count"] == same_session - 1
    assert door.room in ended.problems[0].params["rooms"]
    with clock.fixed(door.starts - dt.timedelta(days=3)):
        before = round_status(site.db).step(Step.EXAM_DAY)
    assert before.figure.code == "checkin.figure_recorded"


# --- one physical room, two certificates at once -----------------------------------------------


SENIOR = "1630054223031298"


def test_two_certificates_sharing_a_room_at_one_time_are_one_door(db: Database) -> None:
    from arrangement_data import PLAN as CATALOG_PLAN
    from arrangement_data import add_registrations, add_rooms
    from examsite.services.arrangement import run_arrangement

    add_rooms(db, [10])  # 第1考场 of the junior level
    add_rooms(db, [10], certificate=SENIOR)  # 第1考场 of the senior level: the same lab
    junior = add_registrations(db, [("A", 4)])
    senior = add_registrations(db, [("B", 3)], certificate=SENIOR, first=100)
    run_arrangement(db, CATALOG_PLAN)
    doors = door_choices(db, CATALOG_PLAN).doors
    shared = [d for d in doors if len(d.room_session_uids) == 2]
    assert shared, [d.label for d in doors]
    door = shared[0]
    assert door.room == "第1考场" and len(door.subjects) == 2
    listing = door_list(db, CATALOG_PLAN, door.room_session_uid)
    assert {s.id_number for s in listing.seats} == set(junior) | set(senior)
    # Either room session names the same door; a senior candidate checks in there.
    assert door_list(db, CATALOG_PLAN, door.room_session_uids[1]).door == listing.door
    someone = next(s for s in listing.seats if s.id_number == senior[0])
    with clock.fixed(door.starts - dt.timedelta(minutes=5)):
        result = scan(db, CATALOG_PLAN, someone.ticket, door.room_session_uid)
    assert result.verdict is Verdict.CHECKED_IN
