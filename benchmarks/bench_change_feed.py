"""What telling other programs about each commit costs (storage/change_feed.py), and how
soon they hear of it.

On a throwaway PostgreSQL server (tests/pg_server.py; or ``--url``) and on a SQLite file:

- a small unit of work (one row merged) as the program runs it, next to the same unit of
  work with the announcement switched off: the ratio is what the feed adds to a commit
  (PostgreSQL: the flush it does first and one ``pg_notify``; SQLite: two
  ``PRAGMA data_version`` reads, only while a window watches);
- the delay from a commit in one ``Database`` until another's watch has drained it
  (PostgreSQL: the LISTEN socket becomes readable; SQLite: the next ``data_version``).

Medians of ``--runs`` rounds of ``--count`` units of work.

    .venv/bin/python benchmarks/bench_change_feed.py [--count 200] [--runs 5] [--url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import select
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from examsite.storage.change_feed import ChangeFeed
from examsite.storage.db import Database
from examsite.storage.models import Setting

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))


@contextlib.contextmanager
def silent(db: Database) -> Iterator[None]:
    """The feed switched off for ``db``: its commits announce nothing."""
    feed = db.changes

    @contextlib.contextmanager
    def nothing(_session: object) -> Iterator[None]:
        yield

    db.changes = type("Off", (), {"committing": staticmethod(nothing)})()  # type: ignore[assignment]
    try:
        yield
    finally:
        db.changes = feed


def units_of_work(db: Database, count: int) -> float:
    started = time.perf_counter()
    for n in range(count):
        with db.unit_of_work() as session:
            session.merge(Setting(key=f"bench.{n % 10}", value=str(n)))
    return (time.perf_counter() - started) / count


def delay(writer: Database, reader: Database, count: int) -> float:
    watch = reader.changes.watch()
    try:
        delays = []
        for n in range(count):
            started = time.perf_counter()
            with writer.unit_of_work() as session:
                session.merge(Setting(key="bench.delay", value=str(n)))
            handle = watch.fileno()
            while True:
                if handle is not None:
                    select.select([handle], [], [], 1.0)
                if watch.drain() is not None:
                    break
            delays.append(time.perf_counter() - started)
        return statistics.median(delays)
    finally:
        watch.close()


def measure(name: str, url: str, count: int, runs: int) -> None:
    writer = Database.open(url)
    reader = Database(writer.url, upgrade=False)
    try:
        watch = writer.changes.watch()  # as in a window: SQLite then reads data_version
        fed = statistics.median(units_of_work(writer, count) for _ in range(runs))
        with silent(writer):
            bare = statistics.median(units_of_work(writer, count) for _ in range(runs))
        watch.close()
        told = statistics.median(delay(writer, reader, count // 4 or 1) for _ in range(runs))
    finally:
        writer.close()
        reader.close()
    print(f"{name:<11} unit of work {fed * 1000:7.3f} ms  without the feed "
          f"{bare * 1000:7.3f} ms  ratio {fed / bare:5.2f}   commit → another watch "
          f"{told * 1000:7.3f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--url", help="a PostgreSQL database to use (default: a throwaway server)")
    args = parser.parse_args()
    assert ChangeFeed  # the module under measure
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite", str(Path(folder) / "bench.db"), args.count, args.runs)
    if args.url:
        measure("PostgreSQL", args.url, args.count, args.runs)
        return
    from pg_server import find_binaries, running_server

    if find_binaries() is None:
        print("PostgreSQL is not installed: no server figures")
        return
    with running_server() as server:
        measure("PostgreSQL", server.database("bench"), args.count, args.runs)


if __name__ == "__main__":
    main()
