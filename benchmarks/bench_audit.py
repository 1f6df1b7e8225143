"""How much the audit log's hash chain (issue 13) costs, next to the JSON and SHA-256 work
it cannot avoid:

- write: ``record_many`` of 20,000 import entries (one score import's log), rolled back;
  beside it hashlib + json alone over the same entries (the floor of any chained log);
- verify: ``verify_audit`` walking ``--count`` entries (default 100,000);
- migrate: migration 0007 chaining ``--count`` entries written at revision 0006.

Median of ``--runs`` rounds, SQLite files in a temporary folder.

    uv run python benchmarks/bench_audit.py [--count 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from examsite.services import audit
from examsite.services.audit_verify import verify_audit
from examsite.storage.db import Database
from examsite.storage.migrate import alembic_config, upgrade_to_head

WRITE = 20_000


def entries(count: int) -> list[audit.AuditEntry]:
    return [
        audit.AuditEntry(
            "import",
            "score",
            f"11010520030501003X/2232100001/16300542230105{n:05d}",
            None,
            {"score": 80.5, "exam_status": "正常", "ticket": f"2232{n:010d}"},
            "import",
        )
        for n in range(count)
    ]


def median(runs: int, work: Callable[[], float]) -> float:
    return statistics.median(work() for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_audit_"))
    some = entries(WRITE)

    def floor() -> float:
        start = time.perf_counter()
        previous = "0" * 64
        for e in some:
            text = json.dumps([e.actor, e.action, e.entity, e.entity_id, e.before, e.after])
            previous = hashlib.sha256((previous + text).encode()).hexdigest()
        return time.perf_counter() - start

    db = Database.open(folder / "write.db")

    def write() -> float:
        with db.unit_of_work() as session:
            start = time.perf_counter()
            audit.record_many(session, some)
            taken = time.perf_counter() - start
            session.rollback()
        return taken

    hashed, written = median(args.runs, floor), median(args.runs, write)
    print(f"json + sha256 alone, {WRITE} entries : {hashed:6.3f} s")
    print(f"record_many, {WRITE} entries         : {written:6.3f} s  ({written / hashed:.1f}x)")

    with db.unit_of_work() as session:
        many = entries(args.count)
        for at in range(0, len(many), WRITE):
            audit.record_many(session, many[at : at + WRITE])

    def verify() -> float:
        start = time.perf_counter()
        check = verify_audit(db)
        assert check.ok and check.entries == args.count, check
        return time.perf_counter() - start

    print(f"verify_audit, {args.count} entries      : {median(args.runs, verify):6.3f} s")
    db.close()

    def migrate() -> float:
        path = folder / f"old-{time.monotonic_ns()}.db"
        engine = sa.create_engine(f"sqlite:///{path}")
        command.upgrade(alembic_config(engine), "0006")
        log = sa.table(
            "audit_log",
            *(sa.column(c) for c in ("at", "actor", "action", "entity", "entity_id")),
            sa.column("before", sa.JSON()),
            sa.column("after", sa.JSON()),
        )
        at = dt.datetime(2026, 9, 1)
        rows = [
            {
                "at": at,
                "actor": e.actor,
                "action": e.action,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "before": e.before,
                "after": e.after,
            }
            for e in entries(args.count)
        ]
        with engine.begin() as connection:
            connection.execute(sa.insert(log), rows)
        start = time.perf_counter()
        upgrade_to_head(engine)
        taken = time.perf_counter() - start
        engine.dispose()
        return taken

    print(f"migration 0007, {args.count} entries    : {median(args.runs, migrate):6.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
