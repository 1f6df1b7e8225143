"""How fast ``db copy`` moves a whole site between a SQLite file and a PostgreSQL server,
next to reading the source's tables alone (the floor: a copy reads every row once).

Makes the database of ``bench_platform_export`` (the catalog and N school candidates, each
with a 295 × 413 photo and a registration with its two subject records), starts a
throwaway PostgreSQL server (``tests/pg_server.py``: ``initdb`` + ``pg_ctl`` on a free
local port), then times, as the median of ``--runs`` rounds:

- read alone: every table of the source read in primary-key order through the models'
  column types, as the copy reads it (SQLite, then the server);
- checksums alone: the same read with every row hashed (``services.db_checksum``), what
  the verification adds per side;
- SQLite → PostgreSQL: ``copy_database`` into a new, empty server database (migrated to
  head, copied in one transaction, sequences reset, read back and compared);
- PostgreSQL → SQLite: ``copy_database`` from that server database to a new file (built
  in a temporary file beside it, verified, renamed).

    uv run python benchmarks/bench_db_copy.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from bench_platform_export import MOMENT, make_database
from examsite import clock
from examsite.services.db_checksum import ordered_rows, table_checksum
from examsite.services.db_copy import copy_database
from examsite.storage.db import Database
from examsite.storage.models import Base
from pg_server import find_binaries, running_server


def read_alone(database: Database) -> float:
    """Seconds to read every table as the copy reads it."""
    started = time.perf_counter()
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for _row in ordered_rows(connection, table):
                pass
    return time.perf_counter() - started


def checksums_alone(database: Database) -> float:
    started = time.perf_counter()
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            table_checksum(connection, table)
    return time.perf_counter() - started


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if find_binaries() is None:
        sys.exit("PostgreSQL is not installed (initdb, pg_ctl not found)")
    times: dict[str, list[float]] = {
        k: [] for k in ("read_sqlite", "read_pg", "sum_sqlite", "sum_pg", "to_pg", "to_sqlite")
    }
    with (
        tempfile.TemporaryDirectory() as folder_name,
        clock.fixed(MOMENT),
        running_server() as server,
    ):
        folder = Path(folder_name)
        started = time.perf_counter()
        make_database(folder / "source.db", args.count)
        print(f"{args.count} candidates with photos made in {time.perf_counter() - started:.1f} s")
        source = Database.open(folder / "source.db")
        size = (folder / "source.db").stat().st_size
        rows = 0
        for run in range(args.runs):
            url = server.database(f"bench_{run}")
            result = None

            def there(url: str = url) -> None:
                nonlocal result
                result = copy_database(source, url)

            times["to_pg"].append(timed(there))
            assert result is not None and all(c.equal for c in result.tables)
            rows = result.rows
            copied = Database.open(url)
            times["read_sqlite"].append(read_alone(source))
            times["read_pg"].append(read_alone(copied))
            times["sum_sqlite"].append(checksums_alone(source))
            times["sum_pg"].append(checksums_alone(copied))
            back = folder / f"back-{run}.db"
            times["to_sqlite"].append(
                timed(lambda copied=copied, back=back: copy_database(copied, back))
            )
            copied.close()
        source.close()
    m = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"{rows} rows in {len(Base.metadata.sorted_tables)} tables, source file {size / 2**20:.0f} MB"
    )
    print(f"read alone, SQLite      : {m['read_sqlite']:6.2f} s")
    print(f"read alone, PostgreSQL  : {m['read_pg']:6.2f} s")
    print(
        f"checksums, SQLite       : {m['sum_sqlite']:6.2f} s  ({m['sum_sqlite'] / m['read_sqlite']:.2f}x its read)"
    )
    print(
        f"checksums, PostgreSQL   : {m['sum_pg']:6.2f} s  ({m['sum_pg'] / m['read_pg']:.2f}x its read)"
    )
    print(
        f"copy SQLite -> PostgreSQL: {m['to_pg']:6.2f} s  ({m['to_pg'] / m['read_sqlite']:.2f}x reading "
        f"the SQLite source alone)"
    )
    print(
        f"copy PostgreSQL -> SQLite: {m['to_sqlite']:6.2f} s  ({m['to_sqlite'] / m['read_pg']:.2f}x "
        f"reading the PostgreSQL source alone)"
    )


if __name__ == "__main__":
    main()
