"""``insert_rows`` stores what SQLAlchemy's own insert stores, defaults included (through
``COPY`` on PostgreSQL); ``update_rows`` and ``among`` select and change exactly the rows
given, on either engine (``--engine postgresql``)."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from sqlalchemy import Table, insert, select

from examsite.storage.bulk import insert_rows, update_rows
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Candidate, Photo, Staff
from examsite.storage.sql import among

ROWS = [  # the same keys in each row, as SQLAlchemy's executemany wants
    {
        "kind": "social",
        "name": "张三",
        "id_number": "11010519491231002X",
        "extra": {"employer": "某公司"},
        "enrollment_year": None,
    },
    {
        "kind": "school",
        "name": "李四",
        "id_number": "110105199003070033",
        "extra": {},
        "enrollment_year": 2024,
    },
]


def stored(db: Database, table: Table, key: str) -> list[dict]:
    with db.read() as session:
        rows = session.execute(select(table).order_by(table.c[key])).mappings()
        return [
            {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at", "uid")}
            for row in rows
        ]


def test_the_same_values_as_sqlalchemys_insert(db: Database, tmp_path) -> None:
    table = cast(Table, Candidate.__table__)
    with db.unit_of_work() as session:
        assert insert_rows(session, table, ROWS, once=("created_at", "updated_at")) == 2
    other = Database.open(tmp_path / "other.db")
    with other.unit_of_work() as session:
        session.execute(insert(table), ROWS)
    assert stored(db, table, "id_number") == stored(other, table, "id_number")
    with db.read() as session:
        times = session.execute(select(Candidate.created_at, Candidate.updated_at)).all()
        assert all(isinstance(t, dt.datetime) for row in times for t in row)
        assert len({row[0] for row in times}) == 1  # one moment for the batch
    other.close()


def test_json_none_dates_and_uids(db: Database) -> None:
    audit = cast(Table, AuditLog.__table__)
    at = dt.datetime(2027, 1, 10, 9, 30)
    with db.unit_of_work() as session:
        insert_rows(
            session,
            audit,
            [
                {
                    "at": at,
                    "actor": "import",
                    "action": "create",
                    "entity": "candidate",
                    "entity_id": "1",
                    "before": None,
                    "after": {"a": [1, "二"]},
                }
            ],
        )
        insert_rows(session, cast(Table, Staff.__table__), [{"name": "王老师"}, {"name": "李老师"}])
    with db.read() as session:
        entry = session.scalars(select(AuditLog)).one()
        assert (entry.at, entry.before, entry.after) == (at, None, {"a": [1, "二"]})
        uids = session.scalars(select(Staff.uid)).all()
        assert len(set(uids)) == 2 and all(len(u) == 36 for u in uids)


def test_awkward_text_bytes_and_json_arrive_unchanged(db: Database) -> None:
    """What a ``COPY`` stream must escape (tabs, newlines, backslashes, ``\\N``, NUL-free
    bytes of every value) arrives as given, on either engine."""
    name = "王\t老师\n\\N \\ 「引号」'"
    blob = bytes(range(1, 256)) * 3
    with db.unit_of_work() as session:
        insert_rows(
            session,
            cast(Table, Candidate.__table__),
            [{"kind": "social", "name": name, "id_number": "ID-1", "extra": {"k": name}}],
        )
        candidate = session.scalars(select(Candidate.id)).one()
        insert_rows(
            session,
            cast(Table, Photo.__table__),
            [{"candidate_id": candidate, "verdict": "pass", "image": blob, "original": None}],
        )
    with db.read() as session:
        row = session.execute(select(Candidate.name, Candidate.extra)).one()
        assert (row.name, row.extra) == (name, {"k": name})
        photo = session.execute(select(Photo.image, Photo.original, Photo.problems)).one()
        assert (photo.image, photo.original, photo.problems) == (blob, None, [])


def test_update_rows_sets_the_columns_and_the_update_stamp(db: Database) -> None:
    table = cast(Table, Candidate.__table__)
    long_ago = dt.datetime(2020, 1, 1, 8, 0)
    with db.unit_of_work() as session:
        insert_rows(session, table, [{**r, "updated_at": long_ago} for r in ROWS])
        ids = dict(session.execute(select(Candidate.id_number, Candidate.id)).all())
    with db.unit_of_work() as session:
        given = [
            {"id": ids["11010519491231002X"], "name": "张三丰", "enrollment_year": 2020},
            {"id": ids["110105199003070033"], "name": "李四光", "enrollment_year": None},
        ]
        assert update_rows(session, table, "id", given) == 2
        assert update_rows(session, table, "id", []) == 0
    with db.read() as session:
        rows = session.execute(
            select(
                Candidate.name, Candidate.enrollment_year, Candidate.kind, Candidate.updated_at
            ).order_by(Candidate.id_number)
        ).all()
    assert [tuple(r[:3]) for r in rows] == [("张三丰", 2020, "social"), ("李四光", None, "school")]
    assert all(r.updated_at > long_ago for r in rows)


def test_update_rows_json_column(db: Database) -> None:
    table = cast(Table, Candidate.__table__)
    with db.unit_of_work() as session:
        insert_rows(session, table, ROWS)
        first = session.scalars(select(Candidate.id).order_by(Candidate.id)).first()
        update_rows(session, table, "id", [{"id": first, "extra": {"employer": "新公司"}}])
    with db.read() as session:
        assert session.scalar(select(Candidate.extra).where(Candidate.id == first)) == {
            "employer": "新公司"
        }


@pytest.mark.parametrize("count", [0, 1, 499, 500, 501, 1203])
def test_among_selects_exactly_the_values(db: Database, count: int) -> None:
    table = cast(Table, Staff.__table__)
    with db.unit_of_work() as session:
        insert_rows(session, table, [{"name": f"老师{n}"} for n in range(1300)])
        every = session.scalars(select(Staff.id).order_by(Staff.id)).all()
        wanted = set(every[::-1][:count])
        conditions = list(among(session, Staff.id, wanted))
        found = {i for c in conditions for i in session.scalars(select(Staff.id).where(c))}
        assert found == wanted
        assert len(conditions) == (
            0 if not count else 1 if db.engine.name == "postgresql" else -(-count // 500)
        )
