"""How fast the arrangement runs: 10,000 candidates (theory + practical: 20,000 subject
records) into 250 rooms of 40, in 20 classes, on the 003 plan 2232100001.

The setup writes the data directly (``storage.bulk.insert_rows`` for candidates,
registrations, subject records; the ORM for the site and the rooms), then copies the
database file for each round. Timed, as the median of ``--runs`` rounds:

- the pure rule (``domain.seating.arrange``) on data already in memory;
- reading what the rule needs (``services.seating_data.load_plan``);
- the whole service (``run_arrangement``: room sessions, read, rule, seats written with
  ``insert_rows``, tickets, audit, commit) on a fresh copy.

Each is printed with its ratio to the pure rule. Target: the whole service under 1 s.

    .venv/bin/python benchmarks/bench_arrangement.py [--count 10000] [--rooms 250] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, select

from examsite.domain.seating import arrange
from examsite.services.arrangement import run_arrangement
from examsite.services.catalog import ensure_catalog
from examsite.services.plans import find_plan
from examsite.services.seating_data import load_plan
from examsite.services.sessions import ensure_room_sessions
from examsite.storage.bulk import insert_rows
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Registration,
    RegistrationSubject,
    Room,
    School,
    Site,
)

PLAN = "2232100001"
CERTIFICATE = "1630054223010588"


def table(model: Any) -> Table:
    return cast(Table, model.__table__)


def build(path: Path | str, count: int, rooms: int, classes: int = 20) -> None:
    """The plan's data in the database at ``path`` (a SQLite file or a server URL)."""
    db = Database.open(path)
    ensure_catalog(db)
    with db.unit_of_work() as session:
        school = School(name="基准测试学院")
        session.add(school)
        session.flush()
        site = Site(school_id=school.id, code="110000009", name="基准测试学院考核站点")
        session.add(site)
        session.flush()
        plan = session.scalar(select(ExamPlan).where(ExamPlan.code == PLAN))
        cert = session.scalar(select(Certificate).where(Certificate.code == CERTIFICATE))
        assert plan is not None and cert is not None
        session.add_all(
            Room(
                plan_id=plan.id,
                site_id=site.id,
                certificate_id=cert.id,
                name=f"机房{n:03d}",
                seats=40,
            )
            for n in range(1, rooms + 1)
        )
        insert_rows(
            session,
            table(Candidate),
            [
                {
                    "kind": "school",
                    "name": f"考生{n:05d}",
                    "id_number": f"B{n:017d}",
                    "class_name": f"班级{n % classes:02d}",
                    "school_id": school.id,
                }
                for n in range(count)
            ],
            once=("created_at", "updated_at"),
        )
        ids = session.scalars(select(Candidate.id).order_by(Candidate.id)).all()
        insert_rows(
            session,
            table(Registration),
            [
                {
                    "candidate_id": c,
                    "plan_id": plan.id,
                    "certificate_id": cert.id,
                    "site_id": site.id,
                }
                for c in ids
            ],
            once=("created_at", "updated_at"),
        )
        regs = session.scalars(select(Registration.id)).all()
        insert_rows(
            session,
            table(RegistrationSubject),
            [{"registration_id": r, "subject_id": s.id} for r in regs for s in cert.subjects],
        )
        ensure_room_sessions(session, plan.id)
    if db.is_sqlite:  # one file to copy for each round
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def timed(fn: Any) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): on a loaded machine the CPU time says
    what the work costs, the wall time what the user waits."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=250)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.db"
        setup, _cpu = timed(lambda: build(base, args.count, args.rooms))
        print(f"setup: {args.count} candidates, {args.rooms} rooms of 40 written in {setup:.2f} s")

        db = Database.open(base)
        with db.read() as session:
            plan = find_plan(session, PLAN)
            data = load_plan(session, plan)
            pools, groups = data.pools(), data.groups()
            reads = [timed(lambda: load_plan(session, plan)) for _ in range(args.runs)]
        db.close()
        pure = [timed(lambda: arrange(pools, {}, groups)) for _ in range(args.runs)]
        result = arrange(pools, {}, groups)
        assert not result.shortages and len(result.placements) == 2 * args.count

        service = []
        for run in range(args.runs):
            copy = Path(folder) / f"run{run}.db"
            shutil.copyfile(base, copy)
            fresh = Database.open(copy)
            service.append(timed(lambda fresh=fresh: run_arrangement(fresh, PLAN)))
            again = timed(lambda fresh=fresh: run_arrangement(fresh, PLAN))
            fresh.close()

    p_wall, p_cpu = median(pure)
    rows = [
        ("pure rule (domain.seating.arrange)", (p_wall, p_cpu)),
        ("read the plan (load_plan)", median(reads)),
        ("whole service (run_arrangement)", median(service)),
        ("run again, nothing to seat", again),
    ]
    print(f"{'':38} {'wall s':>8} {'× pure':>7} {'CPU s':>8} {'× pure':>7}")
    for name, (wall, cpu) in rows:
        print(f"{name:38} {wall:8.3f} {wall / p_wall:7.1f} {cpu:8.3f} {cpu / p_cpu:7.1f}")
    wall, cpu = median(service)
    verdict = "met" if wall < 1.0 else "MISSED"
    print(
        f"target: the whole service under 1 s for {args.count} candidates: {verdict} "
        f"(wall {wall:.2f} s, CPU {cpu:.2f} s; a loaded machine shows in the wall time)"
    )


if __name__ == "__main__":
    main()
