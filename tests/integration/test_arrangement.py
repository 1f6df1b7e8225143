"""The arrangement services on a real database: the run, what ``arrange show`` prints, the
step's status, and the refusal when seats run out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from arrangement_data import INTERMEDIATE, PLAN, add_registrations, add_rooms
from examsite.errors import InputError
from examsite.messages import render
from examsite.services.arrangement import (
    arrangement_rows,
    arrangement_status,
    room_plans,
    run_arrangement,
)
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Registration, RegistrationSubject, Room, Seat


def seats_of(db: Database) -> dict[int, tuple[int, int]]:
    with db.read() as session:
        return {
            r: (s, n)
            for r, s, n in session.execute(
                select(Seat.registration_subject_id, Seat.room_session_id, Seat.seat_number)
            )
        }


def test_run_seats_everyone_with_one_ticket_for_both_subjects(db: Database) -> None:
    add_rooms(db, [20, (30, 12)])
    ids = add_registrations(db, [("电商1班", 14), ("电商2班", 12), ("", 3)])
    result = run_arrangement(db, PLAN)
    assert (result.seated, result.kept, result.tickets, result.total) == (58, 0, 29, 58)
    rows = arrangement_rows(db, PLAN)
    assert len(rows) == 58
    by_person: dict[str, list] = {}
    for row in rows:
        by_person.setdefault(row.id_number, []).append(row)
    assert set(by_person) == set(ids)
    for person_rows in by_person.values():
        assert len(person_rows) == 2
        assert len({r.ticket for r in person_rows}) == 1  # theory and practical
        assert len({r.room for r in person_rows}) == 1
    assert len({r.ticket for r in rows}) == 29  # unique in the plan
    # the exam capacity (12), not the 30 physical seats, bounds room 2
    assert max(r.seat for r in rows if r.room == "第2考场") <= 12
    assert min(r.seat for r in rows) == 1
    with db.read() as session:
        statuses = set(session.scalars(select(RegistrationSubject.status)))
        assert statuses == {"arranged"}
        assert session.scalar(select(AuditLog).where(AuditLog.entity == "arrangement"))


def test_run_again_moves_nobody_and_a_late_registrant_moves_no_one(db: Database) -> None:
    add_rooms(db, [20, 20])
    add_registrations(db, [("A", 15), ("B", 10)])
    run_arrangement(db, PLAN)
    before = seats_of(db)
    with db.read() as session:
        tickets = dict(session.execute(select(Registration.id, Registration.ticket_number)).all())
    again = run_arrangement(db, PLAN)
    assert (again.seated, again.kept, again.tickets) == (0, 50, 0)
    assert seats_of(db) == before
    add_registrations(db, [("B", 1)], first=500)
    late = run_arrangement(db, PLAN)
    assert (late.seated, late.tickets) == (2, 1)
    after = seats_of(db)
    assert {k: v for k, v in after.items() if k in before} == before
    with db.read() as session:
        for reg, ticket in session.execute(select(Registration.id, Registration.ticket_number)):
            assert ticket and tickets.get(reg, ticket) == ticket


def test_seats_running_out_are_refused_per_session_and_nothing_written(db: Database) -> None:
    add_rooms(db, [(40, 10)])
    add_registrations(db, [("A", 13)])
    add_registrations(db, [("C", 2)], certificate=INTERMEDIATE, first=300)  # no rooms
    with pytest.raises(InputError) as caught:
        run_arrangement(db, PLAN)
    error = caught.value
    assert error.code == "arrange.seats_short"
    assert error.params["count"] == 3 + 3 + 2 + 2
    assert len(error.problems) == 4  # theory and practical of each certificate
    texts = [render(p) for p in error.problems]
    assert any("3 名考生没有考位" in t for t in texts)
    assert any("还没有考场" in t for t in texts)
    assert seats_of(db) == {}


def test_room_plans_and_unseated_and_status(db: Database) -> None:
    add_rooms(db, [12])
    add_registrations(db, [("A", 6), ("B", 6)])
    plans, unseated = room_plans(db, PLAN)
    assert {p.room for p in plans} == {"第1考场"} and all(not p.seats for p in plans)
    assert len(unseated) == 24
    run_arrangement(db, PLAN)
    plans, unseated = room_plans(db, PLAN)
    assert not unseated
    assert [len(p.seats) for p in plans] == [12, 12]
    assert plans[0].seats[0].seat == 1 and plans[0].seats[0].ticket
    with db.read() as session:
        status = arrangement_status(session, None)  # type: ignore[arg-type]
        assert status.summary["seats"] == 24 and not status.problems
        # the coordinator lowers the room's exam capacity afterwards
        room = session.scalar(select(Room))
        assert room is not None
        room.exam_capacity = 10
        session.flush()
        crowded = arrangement_status(session, None)  # type: ignore[arg-type]
        assert [p.code for p in crowded.problems] == ["arrange.status_over_capacity"]
    assert render(status.figure) == "已排 24/24 个考位"


def test_unknown_plan_and_strategy(db: Database) -> None:
    with pytest.raises(InputError) as caught:
        run_arrangement(db, "nope")
    assert caught.value.code == "catalog.plan_not_found"
    with pytest.raises(InputError) as caught:
        run_arrangement(db, PLAN, "random")
    assert caught.value.code == "arrange.unknown_strategy"
