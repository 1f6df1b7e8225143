"""How fast the statistics of 10,000 registrations (2 subject scores each) are worked out
and written, compared with the certificate results underneath.

Makes a database with N candidates registered for one certificate (as
``bench_registration`` does) and a score for every subject record (inserted directly),
then times, as the median of ``--runs`` rounds:

- ``results_in``: the one query and the scoring rule for every registration: the floor
  the statistics stand on;
- ``plan_statistics``: the results, the attendance query and every table;
- ``write_statistics``: the workbook (openpyxl) from statistics already worked out.

Each is printed with its ratio to ``results_in``. The machine's load moves the absolute
times; the ratios move much less.

    uv run python benchmarks/bench_statistics.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_registration import CERTIFICATE, MOMENT, PLAN, make_database
from examsite import clock
from examsite.services.plans import find_plan
from examsite.services.registration import register_candidates
from examsite.services.results import results_in
from examsite.services.statistics import plan_statistics
from examsite.services.statistics_workbook import write_statistics
from examsite.storage.db import Database


def add_scores(path: Path) -> int:
    rng = random.Random(5)
    connection = sqlite3.connect(path)
    try:
        records = [r[0] for r in connection.execute("SELECT id FROM registration_subject")]
        connection.executemany(
            "INSERT INTO score (registration_subject_id, score, status, imported_at,"
            " exam_status, previous_status, source_file) VALUES (?, ?, 'scored',"
            " datetime('now'), '', '', '')",
            [(r, min(100.0, max(0.0, round(rng.gauss(70, 15), 1)))) for r in records],
        )
        connection.commit()
        return len(records)
    finally:
        connection.close()


def timed(runs: int, measure: object) -> float:
    assert callable(measure)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        measure()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name, clock.fixed(MOMENT):
        folder = Path(folder_name)
        path = folder / "base.db"
        make_database(path, args.count)
        db = Database.open(path)
        register_candidates(db, PLAN, CERTIFICATE, all_ready=True)
        db.close()
        scores = add_scores(path)
        db = Database.open(path)

        def results() -> None:
            with db.read() as session:
                assert len(results_in(session, find_plan(session, PLAN))) == args.count

        def tables() -> None:
            assert plan_statistics(db, PLAN).overall.registered == args.count

        worked_out = plan_statistics(db, PLAN)

        def workbook() -> None:
            write_statistics(worked_out, folder / "统计表.xlsx")

        floor = timed(args.runs, results)
        whole = timed(args.runs, tables)
        written = timed(args.runs, workbook)
        db.close()
    print(f"statistics of {args.count} registrations ({scores} scores), median of {args.runs}")
    print(f"  results_in (query + scoring rule)        {floor * 1000:8.0f} ms   1.0 ×")
    print(
        f"  plan_statistics (results + all tables)   {whole * 1000:8.0f} ms  {whole / floor:4.1f} ×"
    )
    print(
        f"  write_statistics (the workbook)          {written * 1000:8.0f} ms  {written / floor:4.1f} ×"
    )


if __name__ == "__main__":
    main()
