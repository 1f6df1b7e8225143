"""How fast registering 10,000 candidates runs compared with the bare inserts underneath.

Makes a database with the catalog and N ready school candidates (inserted directly, no
photos), copies it once per round, and times, as the median of ``--runs`` rounds:

- raw: the driver's ``executemany`` of the same registration rows and their subject
  records (2 per candidate) in one transaction, with the ids read back, the registration
  freeze's triggers dropped: the floor;
- the same with the freeze's triggers (``storage.registration_freeze``: a plan lookup and
  the program's clock per row): what the database's own check costs;
- the service's decision alone (``register_in`` with ``write=False``: every rule, no write);
- ``register_candidates(..., all_ready=True)``: the whole use case (rules, bulk writes
  through ``storage.bulk.insert_rows``, the audit log, the commit).

Each is printed with its ratio to the raw inserts. The machine's load moves the absolute
times; the ratios move much less.

    uv run python benchmarks/bench_registration.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, select

from examsite import clock
from examsite.domain.id_number import synthetic_id
from examsite.services.catalog import ensure_catalog
from examsite.services.plans import find_plan
from examsite.services.registration import (
    RegisterRequest,
    register_candidates,
    register_in,
)
from examsite.storage.bulk import insert_rows
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Certificate, Subject
from examsite.storage.registration_freeze import SQLITE_DROP_TRIGGERS, add_sqlite_functions

PLAN = "2232100001"  # 003's plan, from the built-in catalog
CERTIFICATE = "1630054223010588"  # 数字营销技术应用 (初级), two subjects
MOMENT = dt.datetime(2026, 12, 20, 9, 0)  # inside the plan's registration window


def make_database(path: Path, count: int) -> list[str]:
    db = Database.open(path)
    ensure_catalog(db)
    rng = random.Random(11)
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    while len(rows) < count:
        gender = rng.choice(("男", "女"))
        birth = dt.date(2003, 1, 1) + dt.timedelta(days=rng.randrange(1500))
        number = synthetic_id("420102", birth, rng.randrange(500), gender)  # type: ignore[arg-type]
        if number in seen:
            continue
        seen.add(number)
        rows.append(
            {
                "kind": "school",
                "name": "考生",
                "id_number": number,
                "major": "电子商务",
                "major_code": "630801",
                "class_name": f"电商{len(rows) // 45:03d}",
                "status": "ready",
                "extra": {},
            }
        )
    with db.unit_of_work() as session:
        insert_rows(session, cast(Table, Candidate.__table__), rows)
    db.close()
    return [r["id_number"] for r in rows]


def raw_inserts(path: Path, count: int, *, triggers: bool = False) -> float:
    """The same registrations and subject records with sqlite3's executemany, with or
    without the registration freeze's triggers."""
    connection = sqlite3.connect(path)
    try:
        add_sqlite_functions(connection)  # the triggers' clock, as every connection has
        if not triggers:
            for statement in SQLITE_DROP_TRIGGERS:
                connection.execute(statement)
            connection.commit()
        plan_id = connection.execute("SELECT id FROM exam_plan WHERE code = ?", (PLAN,)).fetchone()[
            0
        ]
        cert_id = connection.execute(
            "SELECT id FROM certificate WHERE code = ?", (CERTIFICATE,)
        ).fetchone()[0]
        subjects = [
            r[0]
            for r in connection.execute(
                "SELECT id FROM subject WHERE certificate_id = ?", (cert_id,)
            )
        ]
        candidates = [
            r[0] for r in connection.execute("SELECT id FROM candidate LIMIT ?", (count,))
        ]
        now = dt.datetime.now().isoformat(sep=" ")
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO registration (uid, candidate_id, plan_id, certificate_id, fee, kind,"
            " home_school, source, ticket_official, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 270, 'school', '', 'page', 0, ?, ?)",
            [(str(uuid.uuid4()), c, plan_id, cert_id, now, now) for c in candidates],
        )
        ids = [
            r[0]
            for r in connection.execute("SELECT id FROM registration WHERE plan_id = ?", (plan_id,))
        ]
        connection.executemany(
            "INSERT INTO registration_subject (registration_id, subject_id, status)"
            " VALUES (?, ?, 'unarranged')",
            [(i, s) for i in ids for s in subjects],
        )
        connection.commit()
        return time.perf_counter() - started
    finally:
        connection.close()


def decide_only(path: Path, numbers: list[str]) -> float:
    db = Database.open(path)
    try:
        started = time.perf_counter()
        with db.read() as session:
            plan = find_plan(session, PLAN)
            requests = [RegisterRequest(n, CERTIFICATE) for n in numbers]
            result = register_in(session, plan, requests, write=False)
        elapsed = time.perf_counter() - started
        assert len(result.added) == len(numbers), result.refused[:3]
        return elapsed
    finally:
        db.close()


def service(path: Path, count: int) -> float:
    db = Database.open(path)
    try:
        started = time.perf_counter()
        result = register_candidates(db, PLAN, CERTIFICATE, all_ready=True)
        elapsed = time.perf_counter() - started
        assert len(result.added) == count, result.refused[:3]
        with db.read() as session:
            cert = session.scalars(select(Certificate).where(Certificate.code == CERTIFICATE)).one()
            assert (
                len(session.scalars(select(Subject).where(Subject.certificate_id == cert.id)).all())
                == 2
            )
        return elapsed
    finally:
        db.close()


def median(runs: int, base: Path, folder: Path, measure: Callable[[Path], float]) -> float:
    times = []
    for at in range(runs):
        copy = folder / f"run-{at}-{time.monotonic_ns()}.db"
        shutil.copyfile(base, copy)
        times.append(measure(copy))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name, clock.fixed(MOMENT):
        folder = Path(folder_name)
        base = folder / "base.db"
        numbers = make_database(base, args.count)
        raw = median(args.runs, base, folder, lambda p: raw_inserts(p, args.count))
        guarded = median(
            args.runs, base, folder, lambda p: raw_inserts(p, args.count, triggers=True)
        )
        decided = median(args.runs, base, folder, lambda p: decide_only(p, numbers))
        whole = median(args.runs, base, folder, lambda p: service(p, args.count))
    print(f"registering {args.count} candidates (2 subject records each), median of {args.runs}")
    print(f"  raw executemany (registrations + records)  {raw * 1000:8.0f} ms   1.0 ×")
    print(
        f"  raw, with the freeze's triggers            {guarded * 1000:8.0f} ms  {guarded / raw:4.1f} ×"
    )
    print(
        f"  service rules only (no write)              {decided * 1000:8.0f} ms  {decided / raw:4.1f} ×"
    )
    print(
        f"  register_candidates (rules, writes, audit) {whole * 1000:8.0f} ms  {whole / raw:4.1f} ×"
    )


if __name__ == "__main__":
    main()
