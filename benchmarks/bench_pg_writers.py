"""Eight processes writing at once to one database, PostgreSQL next to SQLite: throughput,
refusals, latency, and lost updates counted (issue 12).

A throwaway PostgreSQL server is started (``tests/pg_server.py``: ``initdb`` + ``pg_ctl``
on a free local port, as in the tests), and the demo site of ``--candidates`` made on it
and in a SQLite file, each with half of the junior level's ready candidates registered and
arranged (``tests/writers_workload.py``: ``prepare``). Then ``--processes`` processes (each
its own interpreter and connection, as separate PCs would be) write for ``--seconds``:

- imports of small sheets (5 new candidates each),
- registrations (one ready candidate each),
- check-ins (one seated candidate scanned at the door),
- edits of the same 3 candidates (read as the form does, then saved with ``loaded=``: the
  processes collide; a save refused because another changed the candidate first counts
  as a refusal).

Every change a process believes it committed is then looked for in the database (each
imported ID number, each registration, each attendance row, each hot candidate's counter
against the increments committed to it, and the audit entries): "lost" is what is not
there. The figures of both engines are printed side by side, PostgreSQL as a ratio of
SQLite.

    uv run python benchmarks/bench_pg_writers.py [--seconds 60] [--processes 8]
        [--candidates 2000] [--engine both|postgresql|sqlite]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The automatic backups before each SQLite import go to a folder of this run, not the
# user's own (the processes inherit it).
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bench-writers-data-")
sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
import writers_workload as workload
from examsite.storage.db import Database
from pg_server import running_server


def measure(url: str, candidates: int, processes: int, seconds: float) -> dict[str, Any]:
    db = Database.open(url)
    try:
        started = time.perf_counter()
        site = workload.prepare(db, candidates)
        made = time.perf_counter() - started
        tallies = workload.run(db.url, site, processes, seconds)
        verdict = workload.verify(db, site, tallies)
    finally:
        db.close()
    errors = [e for t in tallies for e in t.errors]
    for error in errors[:5]:
        print("  error:", error.strip().splitlines()[-1])
    return {
        "made_s": made,
        "figures": workload.summary(tallies, seconds),
        "verdict": verdict,
        "errors": len(errors),
    }


def ratio(pg: float, lite: float) -> str:
    return f"{pg / lite:.2f}×" if lite else "–"


def report(results: dict[str, dict[str, Any]], processes: int, seconds: float) -> None:
    engines = list(results)
    print(f"\n{processes} processes writing for {seconds:.0f} s")
    header = f"{'':10}" + "".join(f"{e:>34}" for e in engines)
    if len(engines) == 2:
        header += f"{'postgresql / sqlite':>22}"
    print(header)
    for kind in (*workload.KINDS, "all"):
        cells = []
        for engine in engines:
            f = results[engine]["figures"][kind]
            cells.append(
                f"{f['per_second']:7.1f}/s {f['committed']:6.0f} ok {f['refused']:4.0f} refused"
            )
        line = f"{kind:10}" + "".join(f"{c:>34}" for c in cells)
        if len(engines) == 2:
            a, b = (results[e]["figures"][kind]["per_second"] for e in engines)
            line += f"{ratio(b, a):>22}"
        print(line)
    print("latency (ms, median / p95)")
    for kind in (*workload.KINDS, "all"):
        cells = []
        for engine in engines:
            f = results[engine]["figures"][kind]
            cells.append(f"{f['median_ms']:8.0f} / {f['p95_ms']:6.0f}")
        line = f"{kind:10}" + "".join(f"{c:>34}" for c in cells)
        if len(engines) == 2:
            a, b = (results[e]["figures"][kind]["median_ms"] for e in engines)
            line += f"{ratio(b, a):>22}"
        print(line)
    for engine in engines:
        verdict = results[engine]["verdict"]
        looked = ", ".join(
            f"{k} {verdict.found[k]}/{verdict.expected[k]}" for k in verdict.expected
        )
        print(f"{engine}: found/committed {looked}; lost updates: {verdict.lost}; "
              f"errors: {results[engine]['errors']}; site made in {results[engine]['made_s']:.0f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--engine", choices=("both", "postgresql", "sqlite"), default="both")
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    if args.engine in ("both", "sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-writers-") as folder:
            print("sqlite: making the site …", flush=True)
            results["sqlite"] = measure(
                str(Path(folder) / "site.db"), args.candidates, args.processes, args.seconds
            )
    if args.engine in ("both", "postgresql"):
        with running_server() as server:
            print("postgresql: making the site …", flush=True)
            results["postgresql"] = measure(
                server.database("site"), args.candidates, args.processes, args.seconds
            )
    report(results, args.processes, args.seconds)


if __name__ == "__main__":
    main()
