"""The audit log cannot be rewritten (issue 13): the database refuses UPDATE and DELETE on
it, each entry is chained to the one before, and ``verify_audit`` finds the first entry
changed or removed behind the program's back. On either engine (``--engine``)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import sqlalchemy as sa
from sqlalchemy import exc, select

from audit_tamper import tamper
from candidate_forms import A, B, form
from examsite.services import audit
from examsite.services.audit import AuditEntry
from examsite.services.audit_verify import (
    ALTERED,
    ANCHOR_CHANGED,
    ANCHOR_MISSING,
    UNLINKED,
    AuditFilter,
    list_audit,
    verify_audit,
)
from examsite.services.candidates import delete_candidate, save_candidate
from examsite.storage.audit_chain import APPEND_ONLY, GENESIS, entry_hash
from examsite.storage.db import Database
from examsite.storage.migrate import HEAD_REVISION, current_revision, downgrade, upgrade_to_head
from examsite.storage.models import AuditLog


def log_some(db: Database, count: int, *, actor: str = "user") -> None:
    """``count`` entries in one import-like batch, awkward values included."""
    entries = [
        AuditEntry(
            "import",
            "score",
            f"{A}/S{n}",
            {"score": 59.5, "at": dt.date(2027, 1, 10), 3: "键为数字"},
            {"score": n + 0.1, "note": "「引号」\t\\ é", "nested": {"b": [1, "二"], "a": None}},
            actor,
        )
        for n in range(count)
    ]
    with db.unit_of_work() as session:
        audit.record_many(session, entries)


def ids(db: Database) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(AuditLog.id).order_by(AuditLog.id)))


def test_the_database_refuses_update_delete_of_the_log(db: Database, engine: str) -> None:
    log_some(db, 3)
    refused = [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log WHERE id = (SELECT MIN(id) FROM audit_log)",
        "DELETE FROM audit_log",
    ]
    if engine == "postgresql":
        refused.append("TRUNCATE audit_log")
    for statement in refused:
        with pytest.raises(exc.DBAPIError, match=APPEND_ONLY), db.engine.begin() as connection:
            connection.exec_driver_sql(statement)
    with db.read() as session:
        assert session.scalar(select(sa.func.count()).select_from(AuditLog)) == 3
        assert set(session.scalars(select(AuditLog.actor))) == {"user"}
    # The ORM goes through the same triggers.
    with pytest.raises(exc.DBAPIError, match=APPEND_ONLY), db.unit_of_work() as session:
        session.scalars(select(AuditLog)).first().actor = "x"  # type: ignore[union-attr]
    assert verify_audit(db).ok


def test_the_chain_holds_after_imports_and_edits(db: Database) -> None:
    assert verify_audit(db).entries == 0
    log_some(db, 50)
    save_candidate(db, form(A))
    save_candidate(db, form(A, name="曾小兰"), original_id_number=A)
    save_candidate(db, form(B))
    delete_candidate(db, B)
    log_some(db, 5, actor="王老师")
    check = verify_audit(db)
    assert (check.ok, check.entries, check.first_broken, check.reason) == (True, 59, None, "")
    with db.read() as session:
        rows = session.execute(
            select(AuditLog.id, AuditLog.prev_hash, AuditLog.hash).order_by(AuditLog.id)
        ).all()
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert len({r.hash for r in rows}) == len(rows)
    assert (check.last_id, check.last_hash) == (rows[-1].id, rows[-1].hash)


def test_a_changed_entry_is_found(db: Database) -> None:
    log_some(db, 10)
    third = ids(db)[2]
    tamper(db, [f"UPDATE audit_log SET after = '{{\"score\": 100}}' WHERE id = {third}"])
    check = verify_audit(db)
    assert (check.ok, check.first_broken, check.reason) == (False, third, ALTERED)
    assert check.entries == 3  # stopped at the broken one


def test_a_removed_entry_is_found_at_the_next(db: Database) -> None:
    log_some(db, 10)
    every = ids(db)
    tamper(db, [f"DELETE FROM audit_log WHERE id = {every[4]}"])
    check = verify_audit(db)
    assert (check.ok, check.first_broken, check.reason) == (False, every[5], UNLINKED)


def test_a_changed_hash_breaks_the_next_link(db: Database) -> None:
    log_some(db, 4)
    every = ids(db)
    # Content and its own hash rewritten consistently, the rest left alone.
    with db.read() as session:
        row = session.execute(select(AuditLog).where(AuditLog.id == every[1])).scalar_one()
        forged = entry_hash(
            row.prev_hash, row.at, "forger", row.action, row.entity, row.entity_id, None, None
        )
    tamper(
        db,
        [
            f"UPDATE audit_log SET actor = 'forger', before = 'null', after = 'null', "
            f"hash = '{forged}' WHERE id = {every[1]}"
        ],
    )
    check = verify_audit(db)
    assert (check.ok, check.first_broken, check.reason) == (False, every[2], UNLINKED)


def test_a_rechained_tail_is_found_only_with_an_anchor(db: Database) -> None:
    log_some(db, 6)
    noted = verify_audit(db)
    assert noted.ok and noted.last_id is not None
    anchor = (noted.last_id, noted.last_hash)
    every = ids(db)
    # Remove an entry and re-chain everything after it: the chain alone holds together.
    with db.read() as session:
        rows = session.execute(select(AuditLog).order_by(AuditLog.id)).scalars().all()
        kept = [r for r in rows if r.id != every[2]]
        statements = [f"DELETE FROM audit_log WHERE id = {every[2]}"]
        previous = kept[1].hash
        for r in kept[2:]:
            digest = entry_hash(
                previous, r.at, r.actor, r.action, r.entity, r.entity_id, r.before, r.after
            )
            statements.append(
                f"UPDATE audit_log SET prev_hash = '{previous}', hash = '{digest}' "
                f"WHERE id = {r.id}"
            )
            previous = digest
    tamper(db, statements)
    assert verify_audit(db).ok  # what a chain inside the file cannot show
    check = verify_audit(db, anchor)
    assert (check.ok, check.first_broken, check.reason) == (False, anchor[0], ANCHOR_CHANGED)
    tamper(db, [f"DELETE FROM audit_log WHERE id = {anchor[0]}"])
    check = verify_audit(db, anchor)
    assert (check.ok, check.first_broken, check.reason) == (False, anchor[0], ANCHOR_MISSING)


def test_the_migration_chains_the_entries_already_there(db: Database) -> None:
    downgrade(db.engine, "0006")
    table = sa.table(
        "audit_log",
        sa.column("at", sa.DateTime()),
        sa.column("actor", sa.String()),
        sa.column("action", sa.String()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.String()),
        sa.column("before", sa.JSON()),
        sa.column("after", sa.JSON()),
    )
    at = dt.datetime(2026, 9, 1, 8, 0, 0, 123456)
    rows = [
        {
            "at": at + dt.timedelta(minutes=n),
            "actor": "user",
            "action": "update",
            "entity": "candidate",
            "entity_id": A,
            "before": {"phone": "13800138000", "n": n},
            "after": None if n % 3 else {"phone": "13900139000", "姓名": "曾小红"},
        }
        for n in range(12)
    ]
    with db.engine.begin() as connection:
        connection.execute(sa.insert(table), rows)
    upgrade_to_head(db.engine)
    assert current_revision(db.engine) == HEAD_REVISION
    check = verify_audit(db)
    assert (check.ok, check.entries) == (True, 12)
    with db.read() as session:
        kept = session.execute(select(AuditLog.before, AuditLog.after).order_by(AuditLog.id)).all()
    assert [(r.before, r.after) for r in kept] == [(r["before"], r["after"]) for r in rows]
    log_some(db, 2)  # new entries chain on to the migrated ones
    assert verify_audit(db).entries == 14 and verify_audit(db).ok
    with pytest.raises(exc.DBAPIError, match=APPEND_ONLY), db.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_log")


def test_list_filters_newest_first(db: Database) -> None:
    log_some(db, 3)
    save_candidate(db, form(A))
    save_candidate(db, form(B))
    log_some(db, 2, actor="王老师")
    everything = list_audit(db, AuditFilter(limit=100))
    assert [r.id for r in everything] == sorted((r.id for r in everything), reverse=True)
    assert len(everything) == 7
    assert {r.actor for r in list_audit(db, AuditFilter(person="王老师"))} == {"王老师"}
    assert len(list_audit(db, AuditFilter(person="王老师"))) == 2
    by_b = list_audit(db, AuditFilter(candidate=B))
    assert [(r.entity, r.entity_id) for r in by_b] == [("candidate", B)]
    assert len(list_audit(db, AuditFilter(candidate=A[:10]))) == 6  # 5 scores + the candidate
    assert len(list_audit(db, AuditFilter(entity="candidate"))) == 2
    assert len(list_audit(db, AuditFilter(limit=3))) == 3
    today = everything[0].at.date()
    assert len(list_audit(db, AuditFilter(since=today, until=today))) == 7
    assert list_audit(db, AuditFilter(until=today - dt.timedelta(days=1))) == []
    assert list_audit(db, AuditFilter(since=today + dt.timedelta(days=1))) == []
    assert list_audit(db, AuditFilter(candidate="%")) == []


def test_entries_are_written_under_the_write_lock_only(db: Database) -> None:
    """The chain reads the last hash and appends after it: safe only while the unit of
    work holds the database's write lock, so the writer refuses any other session."""
    with pytest.raises(RuntimeError, match="unit_of_work"), db.read() as session:
        audit.record(session, "update", "candidate", A, None, None, "user")
