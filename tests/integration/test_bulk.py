"""``insert_rows`` stores what SQLAlchemy's own insert stores, defaults included."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Table, insert, select

from examsite.storage.bulk import insert_rows
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Candidate, Staff

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
