"""Incidents on the arranged demo (60 candidates): recorded in a room session or for the
whole site, candidates checked against the plan and the room session, the room session
found from the candidates, edits and removals, every change in the audit log, and a
refused incident writing nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from examsite import clock
from examsite.errors import InputError, NotFoundError
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.incidents import (
    IncidentForm,
    add_incident,
    edit_incident,
    incident_day,
    list_incidents,
    remove_incident,
    room_session_choices,
)
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Incident
from incident_helpers import Sitting, sittings


@pytest.fixture
def db(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(60))
    yield database
    database.close()


@pytest.fixture
def first(db: Database) -> Sitting:
    return sittings(db)[0]


@pytest.fixture(autouse=True)
def exam_day(db: Database) -> Iterator[None]:
    """The clock at the end of the demo's exam day."""
    last = max(s.ends_at for s in sittings(db))
    with clock.fixed(last + dt.timedelta(hours=1)):
        yield


def form(sitting: Sitting, **changes: object) -> IncidentForm:
    base = IncidentForm(
        code="extension",
        occurred_at=sitting.starts_at + dt.timedelta(minutes=20),
        action="延时处理",
        room=sitting.room,
        session_uid=sitting.session_uid,
        minutes=10,
        recorded_by="王老师",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def count(db: Database, model: type, **where: object) -> int:
    with db.read() as s:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(s.scalar(query) or 0)


def test_an_extension_in_a_room_session_is_recorded_listed_and_logged(db: Database, first: Sitting):
    result = add_incident(db, DEMO_PLAN_CODE, form(first))
    row = result.incident
    assert (row.code, row.room, row.session_uid, row.minutes) == (
        "extension",
        first.room,
        first.session_uid,
        10,
    )
    assert row.room_session_uid == first.room_session_uid
    assert [p.code for p in result.notices] == ["incident.extension_on_site"]
    assert [r.uid for r in list_incidents(db, DEMO_PLAN_CODE)] == [row.uid]
    assert count(db, AuditLog, entity="incident", action="create", entity_id=row.uid) == 1


def test_a_long_extension_is_recorded_with_the_organisation_warning(db: Database, first: Sitting):
    result = add_incident(db, DEMO_PLAN_CODE, form(first, minutes=25))
    assert result.incident.minutes == 25
    assert [(p.code, p.level.value) for p in result.notices] == [
        ("incident.extension_needs_org", "warning")
    ]


@pytest.mark.parametrize("minutes", [0, -5])
def test_nonsense_minutes_are_refused_and_nothing_is_written(
    db: Database, first: Sitting, minutes: int
):
    with pytest.raises(InputError) as caught:
        add_incident(db, DEMO_PLAN_CODE, form(first, minutes=minutes))
    assert caught.value.code == "incident.refused"
    assert [p.code for p in caught.value.problems] == ["incident.minutes_not_positive"]
    assert count(db, Incident) == 0
    assert count(db, AuditLog, entity="incident") == 0


def test_candidates_are_named_by_id_number_and_shown_with_name_ticket_and_seat(
    db: Database, first: Sitting
):
    seat, id_number, name, ticket = first.seats[1]
    result = add_incident(
        db,
        DEMO_PLAN_CODE,
        form(first, code="违纪", minutes=None, candidates=(id_number.lower(),), action="警告"),
    )
    assert result.incident.code == "misconduct"
    [ref] = result.incident.candidates
    assert (ref.id_number, ref.name, ref.ticket, ref.seat) == (id_number, name, ticket, seat)


def test_a_candidate_not_in_the_plan_is_refused(db: Database, first: Sitting):
    with pytest.raises(InputError) as caught:
        add_incident(
            db,
            DEMO_PLAN_CODE,
            form(first, code="late", minutes=None, candidates=("110101199003077777",)),
        )
    assert [p.code for p in caught.value.problems] == ["incident.candidate_not_in_plan"]


def test_a_candidate_of_another_room_is_refused(db: Database, first: Sitting):
    other = next(s for s in sittings(db) if s.session_uid == first.session_uid and s != first)
    stranger = other.seats[0][1]
    with pytest.raises(InputError) as caught:
        add_incident(
            db, DEMO_PLAN_CODE, form(first, code="illness", minutes=None, candidates=(stranger,))
        )
    [problem] = caught.value.problems
    assert problem.code == "incident.candidate_not_in_room"
    assert problem.params["room"] == first.room


def test_the_room_session_is_found_from_the_candidate_and_the_time(db: Database, first: Sitting):
    id_number = first.seats[0][1]
    result = add_incident(
        db,
        DEMO_PLAN_CODE,
        form(first, room="", session_uid="", code="换机", minutes=None, candidates=(id_number,)),
    )
    assert result.incident.room_session_uid == first.room_session_uid


def test_candidates_in_different_rooms_need_the_room_named(db: Database, first: Sitting):
    other = next(s for s in sittings(db) if s.session_uid == first.session_uid and s != first)
    ids = (first.seats[0][1], other.seats[0][1])
    with pytest.raises(InputError) as caught:
        add_incident(
            db,
            DEMO_PLAN_CODE,
            form(first, room="", session_uid="", code="late", minutes=None, candidates=ids),
        )
    assert [p.code for p in caught.value.problems] == ["incident.room_needed"]


def test_a_site_wide_power_cut_has_no_room(db: Database, first: Sitting):
    result = add_incident(
        db, DEMO_PLAN_CODE, form(first, room="", session_uid="", code="停电", minutes=None)
    )
    assert result.incident.room == ""
    assert [p.code for p in result.notices] == ["incident.power_cut_wait"]


def test_a_room_without_its_session_or_an_unknown_one_is_refused(db: Database, first: Sitting):
    with pytest.raises(InputError) as caught:
        add_incident(db, DEMO_PLAN_CODE, form(first, session_uid=""))
    assert caught.value.code == "incident.room_and_session"
    with pytest.raises(NotFoundError) as missing:
        add_incident(db, DEMO_PLAN_CODE, form(first, room="没有这个考场"))
    assert missing.value.code == "incident.room_not_found"
    with pytest.raises(NotFoundError) as unknown:
        add_incident(db, DEMO_PLAN_CODE, form(first, session_uid="zzzzzzzz"))
    assert unknown.value.code == "incident.session_not_found"


def test_an_unknown_code_is_refused(db: Database, first: Sitting):
    with pytest.raises(InputError) as caught:
        add_incident(db, DEMO_PLAN_CODE, form(first, code="火灾"))
    assert caught.value.code == "incident.unknown_code"


def test_an_incident_before_it_happened_is_refused(db: Database, first: Sitting):
    with clock.fixed(first.starts_at), pytest.raises(InputError) as caught:
        add_incident(db, DEMO_PLAN_CODE, form(first))
    assert [p.code for p in caught.value.problems] == ["incident.time_in_future"]


def test_edit_and_remove_are_logged(db: Database, first: Sitting):
    row = add_incident(db, DEMO_PLAN_CODE, form(first)).incident
    edited = edit_incident(db, DEMO_PLAN_CODE, row.uid[:8], form(first, minutes=15, action="改"))
    assert (edited.incident.uid, edited.incident.minutes, edited.incident.action) == (
        row.uid,
        15,
        "改",
    )
    removed = remove_incident(db, DEMO_PLAN_CODE, row.uid)
    assert removed.uid == row.uid
    assert list_incidents(db, DEMO_PLAN_CODE) == ()
    for action in ("create", "update", "delete"):
        assert count(db, AuditLog, entity="incident", action=action) == 1
    with pytest.raises(NotFoundError):
        remove_incident(db, DEMO_PLAN_CODE, row.uid)


def test_a_refused_edit_keeps_the_incident_as_it_was(db: Database, first: Sitting):
    row = add_incident(db, DEMO_PLAN_CODE, form(first)).incident
    with pytest.raises(InputError):
        edit_incident(db, DEMO_PLAN_CODE, row.uid, form(first, minutes=-1))
    [kept] = list_incidents(db, DEMO_PLAN_CODE)
    assert kept.minutes == 10


def test_list_per_room_session(db: Database):
    all_sittings = sittings(db)
    a, b = all_sittings[0], all_sittings[1]
    add_incident(db, DEMO_PLAN_CODE, form(a))
    add_incident(db, DEMO_PLAN_CODE, form(b, minutes=5))
    assert len(list_incidents(db, DEMO_PLAN_CODE)) == 2
    only_a = list_incidents(db, DEMO_PLAN_CODE, a.room, a.session_uid)
    assert [r.room_session_uid for r in only_a] == [a.room_session_uid]
    assert len(list_incidents(db, DEMO_PLAN_CODE, session_uid=a.session_uid)) == (
        2 if a.session_uid == b.session_uid else 1
    )


def test_the_choices_and_the_day_of_a_bare_time(db: Database, first: Sitting):
    choices = room_session_choices(db, DEMO_PLAN_CODE)
    assert (choices[0].room, choices[0].session_uid) == (first.room, first.session_uid)
    assert incident_day(db, DEMO_PLAN_CODE, first.session_uid) == first.starts_at.date()
    assert incident_day(db, DEMO_PLAN_CODE) == first.starts_at.date()
