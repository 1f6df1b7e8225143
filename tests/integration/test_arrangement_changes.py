"""Late changes (seat, move, swap, withdraw), each logged and moving no one else; and the
platform's official arrangement replacing the program's tickets and seats."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from arrangement_data import (
    INTERMEDIATE,
    PLAN,
    add_registrations,
    add_rooms,
    session_uid,
)
from examsite.errors import InputError
from examsite.services.arrangement import arrangement_rows, run_arrangement
from examsite.services.arrangement_import import import_arrangement
from examsite.services.seating_changes import move, seat_late, swap, withdraw
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Registration, RegistrationSubject


def places(db: Database) -> dict[tuple[str, str], tuple[str, int, str]]:
    """(ID number, subject) → (room, seat, ticket)."""
    return {
        (r.id_number, r.subject): (r.room, r.seat, r.ticket) for r in arrangement_rows(db, PLAN)
    }


def audit_count(db: Database, entity: str = "seat") -> int:
    with db.read() as session:
        return len(session.scalars(select(AuditLog).where(AuditLog.entity == entity)).all())


@pytest.fixture
def arranged(db: Database) -> tuple[Database, tuple[str, ...]]:
    add_rooms(db, [10, 10])
    add_rooms(db, [10], certificate=INTERMEDIATE, prefix="中级")
    ids = add_registrations(db, [("A", 8), ("B", 6)])
    run_arrangement(db, PLAN)
    return db, ids


def others_unchanged(before: dict, after: dict, ids: set[str]) -> None:
    for key, value in before.items():
        if key[0] not in ids:
            assert after[key] == value


def test_move_to_a_free_seat_and_refusals(arranged) -> None:
    db, ids = arranged
    theory = session_uid(db, "theory")
    before = places(db)
    subject = next(s for (i, s) in before if i == ids[0] and "理论" in s)
    result = move(db, PLAN, ids[0], theory, "第2考场", 9)
    assert [(c.room, c.seat) for c in result.changes] == [("第2考场", 9)]
    after = places(db)
    assert after[(ids[0], subject)] == ("第2考场", 9, before[(ids[0], subject)][2])  # same ticket
    others_unchanged(before, after, {ids[0]})
    assert audit_count(db) == 1
    taken = next(
        seat
        for (i, s), (room, seat, _t) in after.items()
        if room == "第1考场" and s == subject and i != ids[1]
    )
    codes = []
    for args in (
        (ids[1], theory, "第1考场", taken),
        (ids[1], theory, "第1考场", 11),
        (ids[1], theory, "中级1考场", None),
        (ids[1], theory, "第9考场", None),
        ("110101199001011234", theory, "第1考场", None),
    ):
        with pytest.raises(InputError) as caught:
            move(db, PLAN, *args)
        codes.append(caught.value.code)
    assert codes == [
        "arrange.seat_taken",
        "arrange.seat_out_of_range",
        "arrange.room_other_certificate",
        "arrange.room_not_found",
        "arrange.candidate_not_registered",
    ]
    assert places(db) == after and audit_count(db) == 1


def test_move_into_a_full_room_is_refused(db: Database) -> None:
    add_rooms(db, [4, 4])
    ids = add_registrations(db, [("A", 8)])
    run_arrangement(db, PLAN)
    rows = places(db)
    in_room_1 = next(i for (i, s), (room, _seat, _t) in rows.items() if room == "第2考场")
    with pytest.raises(InputError) as caught:
        move(db, PLAN, in_room_1, session_uid(db, "theory"), "第1考场")
    assert caught.value.code == "arrange.room_full"
    assert len(ids) == 8


def test_swap_two_and_only_them(arranged) -> None:
    db, ids = arranged
    theory = session_uid(db, "theory")
    before = places(db)
    subject = next(s for (i, s) in before if "理论" in s)
    swap(db, PLAN, ids[0], ids[9], theory)
    after = places(db)
    assert after[(ids[0], subject)][:2] == before[(ids[9], subject)][:2]
    assert after[(ids[9], subject)][:2] == before[(ids[0], subject)][:2]
    others_unchanged(before, after, {ids[0], ids[9]})
    assert audit_count(db) == 2
    with pytest.raises(InputError) as caught:
        swap(db, PLAN, ids[0], ids[0], theory)
    assert caught.value.code == "arrange.swap_same"


def test_withdraw_frees_seats_keeps_registration_and_a_run_leaves_them_out(arranged) -> None:
    db, ids = arranged
    before = places(db)
    withdraw(db, PLAN, ids[3])
    after = places(db)
    assert not [k for k in after if k[0] == ids[3]]
    others_unchanged(before, after, {ids[3]})
    with db.read() as session:
        statuses = session.scalars(
            select(RegistrationSubject.status)
            .join(Registration)
            .where(
                Registration.ticket_number == before[next(k for k in before if k[0] == ids[3])][2]
            )
        ).all()
        assert statuses == ["withdrawn", "withdrawn"]
    assert run_arrangement(db, PLAN).seated == 0  # the run leaves them out
    with pytest.raises(InputError) as caught:
        withdraw(db, PLAN, ids[3])
    assert caught.value.code == "arrange.already_withdrawn"
    assert audit_count(db) == 2


def test_seat_a_late_registrant_and_give_back_a_withdrawn_one_their_ticket(arranged) -> None:
    db, ids = arranged
    late = add_registrations(db, [("B", 1)], first=700)[0]
    before = places(db)
    result = seat_late(db, PLAN, late)
    assert len(result.changes) == 2 and len({c.room for c in result.changes}) == 1
    after = places(db)
    others_unchanged(before, after, {late})
    with pytest.raises(InputError) as caught:
        seat_late(db, PLAN, late)
    assert caught.value.code == "arrange.already_seated"
    ticket = next(v[2] for k, v in after.items() if k[0] == ids[2])
    withdraw(db, PLAN, ids[2])
    back = seat_late(db, PLAN, ids[2])
    assert {c.ticket for c in back.changes} == {ticket}


def write_sheet(
    path: Path, rows: list[list[object]], header: list[str], title: bool = True
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append(["考场编排 排考明细"])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_official_import_replaces_tickets_and_seats_and_moves_the_displaced(
    arranged, tmp_path
) -> None:
    db, ids = arranged
    before = places(db)
    subjects = sorted({s for (_i, s) in before})
    holder = next(
        i for (i, s), (room, seat, _t) in before.items() if (room, seat) == ("第1考场", 2)
    )
    # messy: title rows, other headers, extra column, full-width digits, seat "5号"
    sheet = write_sheet(
        tmp_path / "排考明细.xlsx",
        [
            [
                1,
                "考生000",
                ids[0],
                "20210916002611000000700009",
                "测试职业技术学院",
                "第1考场",
                2,
                "",
                "备注",
            ],
            [
                2,
                "考生001",
                " " + ids[1],
                "２０２１０９１６００２６１１００００００７０００１０",
                "",
                "第2考场",
                "5号",
                "",
                "",
            ],
        ],
        ["序号", "姓名", "身份证号", "准考证号", "所属院校", "考场", "座位号", "考试科目", "其他"],
    )
    result = import_arrangement(db, sheet, PLAN)
    assert (result.rows, result.tickets, result.seats) == (2, 2, 4)
    assert result.displaced >= 1 and result.left_unseated == 0
    after = places(db)
    for subject in subjects:
        assert after[(ids[0], subject)] == ("第1考场", 2, "20210916002611000000700009")
        assert after[(ids[1], subject)] == ("第2考场", 5, "20210916002611000000700010")
        assert (holder, subject) in after and after[(holder, subject)][:2] != ("第1考场", 2)
    with db.read() as session:
        official = session.scalars(select(Registration).where(Registration.ticket_official)).all()
        assert len(official) == 2
    # the program's run never replaces official tickets or seats
    run_arrangement(db, PLAN)
    assert places(db)[(ids[0], subjects[0])][2] == "20210916002611000000700009"
    assert audit_count(db, "arrangement") >= 2


def test_official_import_by_subject_from_a_gbk_csv(arranged, tmp_path) -> None:
    db, ids = arranged
    before = places(db)
    theory = next(s for (_i, s) in before if "理论" in s)
    practical = next(s for (_i, s) in before if "实操" in s)
    path = tmp_path / "明细.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["学生姓名", "证件号码", "准考证号", "考场名称", "考位号", "考试科目", "考试时间"]
        )
        writer.writerow(
            ["考生003", ids[3], "T-0001", "第2考场", "10", "理论知识考试", "2027-01-10 08:30-09:30"]
        )
    result = import_arrangement(db, path)
    assert result.seats == 1
    after = places(db)
    assert after[(ids[3], theory)] == ("第2考场", 10, "T-0001")
    assert after[(ids[3], practical)][:2] == before[(ids[3], practical)][:2]
    assert after[(ids[3], practical)][2] == "T-0001"


def test_official_import_refuses_bad_rows_and_writes_nothing(arranged, tmp_path) -> None:
    db, ids = arranged
    before = places(db)
    sheet = write_sheet(
        tmp_path / "bad.xlsx",
        [
            ["考生", "110101199001011234", "T1", "第1考场", 1],
            ["考生", ids[0], "T2", "没有的考场", 1],
            ["考生", ids[1], "T3", "第1考场", "三"],
            ["考生", ids[2], "T4", "第1考场", 7],
            ["考生", ids[4], "T5", "第1考场", 7],
            ["考生", ids[5], "", "第1考场", 8],
        ],
        ["姓名", "证件号码", "准考证号", "考场名称", "座位号"],
        title=False,
    )
    with pytest.raises(InputError) as caught:
        import_arrangement(db, sheet, PLAN)
    error = caught.value
    assert error.code == "arrange.import_refused"
    rows = {(p.code, p.row) for p in error.problems}
    assert rows == {
        ("arrange.import_unknown_candidate", 2),
        ("arrange.import_unknown_room", 3),
        ("arrange.import_bad_seat", 4),
        ("arrange.import_seat_twice", 6),
        ("arrange.import_missing_value", 7),
    }
    assert places(db) == before
    missing = write_sheet(
        tmp_path / "cols.xlsx", [["x", ids[0]]], ["姓名", "证件号码"], title=False
    )
    with pytest.raises(InputError) as caught:
        import_arrangement(db, missing, PLAN)
    assert caught.value.code in {"import.missing_columns", "import.no_header"}


def test_after_the_exams_nothing_changes(arranged) -> None:
    import datetime as dt

    from examsite import clock

    db, ids = arranged
    before = places(db)
    with clock.fixed(dt.datetime(2027, 2, 1, 9, 0)):
        for change in (
            lambda: run_arrangement(db, PLAN),
            lambda: withdraw(db, PLAN, ids[0]),
            lambda: seat_late(db, PLAN, ids[0]),
            lambda: swap(db, PLAN, ids[0], ids[1], session_uid(db, "theory")),
        ):
            with pytest.raises(InputError) as caught:
                change()
            assert caught.value.code == "arrange.plan_closed"
    assert places(db) == before
