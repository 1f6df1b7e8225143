"""What backups cost on a site of 10,000 candidates (the demo site, photos included):

- the integrity check on start (``PRAGMA quick_check``) against opening the database
  without it, and the full ``integrity_check`` for comparison;
- ``create_backup`` (online backup API + integrity_check of the copy + rename) and
  ``restore_backup``.

    uv run python benchmarks/bench_backup.py [--count 10000] [--runs 3] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from examsite.services.backup import create_backup, restore_backup
from examsite.services.catalog import ensure_catalog
from examsite.services.demo import create_demo
from examsite.storage import db as storage_db
from examsite.storage.backups import check_sqlite_file
from examsite.storage.db import Database


def median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--db", type=Path, help="the database to time (a demo is built there when it is missing)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_DATA_HOME"] = folder  # the backups go to a throw-away folder
        path = args.db or Path(folder) / "bench.db"
        if not path.exists():
            start = time.perf_counter()
            db = Database.open(path)
            ensure_catalog(db)
            create_demo(db, candidates=args.count)
            db.close()
            print(f"demo site of {args.count} built in {time.perf_counter() - start:.1f} s")
        print(f"database: {path.stat().st_size / 1_048_576:.1f} MB")

        quick = median(lambda: check_sqlite_file(path, quick=True), args.runs)
        full = median(lambda: check_sqlite_file(path), args.runs)
        opened = median(lambda: Database.open(path).close(), args.runs)
        sound = storage_db.check_database_sound
        storage_db.check_database_sound = lambda _path: None  # type: ignore[assignment]
        try:
            unchecked = median(lambda: Database.open(path).close(), args.runs)
        finally:
            storage_db.check_database_sound = sound
        print(f"PRAGMA quick_check:      {quick * 1000:7.0f} ms")
        print(f"PRAGMA integrity_check:  {full * 1000:7.0f} ms")
        print(f"Database.open, checked:  {opened * 1000:7.0f} ms")
        print(f"Database.open, no check: {unchecked * 1000:7.0f} ms")

        db = Database.open(path)
        made = []
        backup = median(lambda: made.append(create_backup(db)), args.runs)
        db.close()
        print(f"create_backup:           {backup * 1000:7.0f} ms")
        if args.db is None:  # a database of the caller's is not replaced
            restore = median(lambda: restore_backup(path, made[0].path), 1)
            print(f"restore_backup:          {restore * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
