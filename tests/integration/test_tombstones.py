"""``services.tombstones``: a deletion kept by its stable key, the later time of a key
kept, records made again left out of the export, the bundle's tombstones checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from examsite.services import tombstones
from examsite.storage.db import Database
from examsite.storage.models import Seat
from fixed_time import TEST_NOW


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(30))
    yield database
    database.close()


def test_the_later_deletion_of_a_key_is_kept(db: Database) -> None:
    later = TEST_NOW + dt.timedelta(hours=1)
    with db.unit_of_work() as session:
        tombstones.bury(session, "room", ["r1", "r2"], later)
        tombstones.bury(session, "room", ["r1"])  # now: earlier than ``later``
        tombstones.bury(session, "lab", ["r1"])
    with db.read() as session:
        assert tombstones.buried(session) == {
            "room": {"r1": later.isoformat(), "r2": later.isoformat()},
            "lab": {"r1": TEST_NOW.isoformat()},
        }
    with db.unit_of_work() as session:
        tombstones.unbury(session, "room", ["r2"])
    with db.read() as session:
        assert set(tombstones.buried(session)["room"]) == {"r1"}
    with db.unit_of_work() as session, pytest.raises(ValueError):
        tombstones.bury(session, "photo", ["x"])


def test_a_seat_made_again_is_not_exported_as_deleted(arranged: Database) -> None:
    with arranged.read() as session:
        seat_ids = list(session.scalars(select(Seat.registration_subject_id).limit(2)))
        keys = tombstones.seat_keys(session, seat_ids)
    assert len(keys) == 2 and all("|" in k and ":" in k for k in keys)
    with arranged.unit_of_work() as session:
        tombstones.bury(session, "seat", [*keys, "gone-uid|1630054223010588:theory"])
        tombstones.bury(session, "registration", ["gone-uid"])
    with arranged.read() as session:  # the two seats exist: only the others travel
        assert tombstones.to_export(session) == {
            "seat": {"gone-uid|1630054223010588:theory": TEST_NOW.isoformat()},
            "registration": {"gone-uid": TEST_NOW.isoformat()},
        }


@pytest.mark.parametrize(
    "value",
    [
        ["registration"],
        {"photo": {"x": "2026-12-20T09:00:00"}},
        {"room": ["x"]},
        {"room": {"x": "yesterday"}},
    ],
)
def test_odd_tombstones_in_a_bundle_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        tombstones.parse(value)


def test_the_bundle_tombstones_as_they_come() -> None:
    assert tombstones.parse(None) == {}
    assert tombstones.parse({"room": {"x": "2026-12-20T09:00:00"}}) == {
        "room": {"x": "2026-12-20T09:00:00"}
    }
