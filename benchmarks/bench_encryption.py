"""What encryption at rest costs: the candidate import and the candidates page's list on
an encrypted database (SQLCipher 4, raw 32-byte key) next to a plain one.

Writes the candidate sheet of ``bench_candidate_import`` (N rows), then, as the median of
``--runs`` rounds, on a fresh plain database and a fresh encrypted one (each with a
director logged in, so that both pass the same access checks):

- ``import_candidates`` of the N rows;
- ``list_candidates`` over them (what the candidates page shows), and with a search;
- opening the site (``open_site``: on the encrypted one, the key's unwrap is one Argon2id).

Printed side by side with the ratio encrypted / plain. Target: each ratio at most 1.3.
The machine's load moves the absolute times; the ratios move much less. ``--page-size``
tries another SQLCipher page size (``PRAGMA cipher_page_size``; 4096 is the default).

    uv run python benchmarks/bench_encryption.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_candidate_import import make_workbook
from examsite.services import accounts, encryption
from examsite.services.candidate_import import import_candidates
from examsite.services.candidates import list_candidates
from examsite.services.catalog import ensure_catalog
from examsite.storage import cipher
from examsite.storage.db import Database

NAME, PASSWORD = "director", "bench-password"


def fresh_site(path: Path, encrypted: bool) -> Database:
    db = Database.open(path)
    ensure_catalog(db)
    accounts.create_first_director(db, NAME, PASSWORD)
    if not encrypted:
        return db
    return encryption.encrypt_site(db, PASSWORD).database


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        sheet = folder / "candidates.xlsx"
        make_workbook(sheet, args.count)
        print(
            f"{args.count} candidates, median of {args.runs} rounds; SQLCipher "
            f"{cipher_version()}, stdlib SQLite {sqlite3.sqlite_version}"
        )
        times: dict[str, dict[bool, list[float]]] = {}
        scans: dict[bool, Path] = {}

        def note(label: str, encrypted: bool, seconds: float) -> None:
            times.setdefault(label, {True: [], False: []})[encrypted].append(seconds)

        for run in range(args.runs):
            # Alternated, so that neither always runs on a warmer (or busier) machine.
            for encrypted in (False, True) if run % 2 == 0 else (True, False):
                path = folder / f"{'enc' if encrypted else 'plain'}{run}.db"
                db = fresh_site(path, encrypted)
                seconds, report = timed(lambda db=db: import_candidates(db, sheet, "school"))
                assert report.imported == args.count, report
                note("import_candidates", encrypted, seconds)
                seconds, rows = timed(lambda db=db: list_candidates(db))
                assert len(rows) == args.count
                note("list_candidates (all)", encrypted, seconds)
                seconds, _ = timed(lambda db=db: list_candidates(db, search="王"))
                note("list_candidates (search)", encrypted, seconds)
                db.close()
                cipher.forget_all()
                seconds, db = timed(lambda path=path: encryption.open_site(path, NAME, PASSWORD))
                note("open_site + log in", encrypted, seconds)
                db.close()
                size = path.stat().st_size
                note("file size (MB)", encrypted, size / 1e6)
                scans.setdefault(encrypted, path)

        print(f"{'':<28}{'plain':>9}{'encrypted':>12}{'ratio':>8}")
        worst = 0.0
        for label, pair in times.items():
            plain, sealed = statistics.median(pair[False]), statistics.median(pair[True])
            ratio = sealed / plain if plain else float("nan")
            unit = "" if "MB" in label else " s"
            print(f"{label:<28}{plain:8.3f}{unit:<2}{sealed:9.3f}{unit:<2}{ratio:7.2f} ×")
            if label.startswith(("import", "list")):
                worst = max(worst, ratio)
        library_underneath(scans[False], scans[True], args.runs)
        verdict = "OK" if worst <= 1.3 else "SLOWER THAN TARGET"
        print(f"target import and list ≤ 1.3 × plain: {verdict} (worst {worst:.2f} ×)")


def library_underneath(plain: Path, sealed: Path, runs: int) -> None:
    """The same full scan of the candidates (every column) through the standard library
    on the plain file, through sqlcipher3 on the plain file (no key: its newer SQLite
    alone) and through sqlcipher3 on the encrypted file: what the cipher itself costs."""
    key = cipher.key_of_file(sealed)
    if key is None:
        encryption.unlock(sealed, NAME, PASSWORD)
        key = cipher.key_of_file(sealed)
    assert key is not None

    def scan(connect: Callable[[], Any]) -> float:
        def once() -> int:
            connection = connect()
            try:
                return len(connection.execute("SELECT * FROM candidate").fetchall())
            finally:
                connection.close()

        return statistics.median(timed(once)[0] for _ in range(max(runs, 3)))

    base = scan(lambda: sqlite3.connect(plain))
    print("library underneath: SELECT * FROM candidate")
    for label, seconds in (
        ("stdlib sqlite3, plain file", base),
        ("sqlcipher3, plain file", scan(lambda: cipher.DRIVER.connect(str(plain)))),
        ("sqlcipher3, encrypted file", scan(lambda: cipher.connect_keyed(sealed, key))),
    ):
        print(f"  {label:<28}{seconds:8.3f} s{seconds / base:9.2f} × stdlib")


def cipher_version() -> str:
    connection = cipher.DRIVER.connect(":memory:")
    try:
        return str(connection.execute("PRAGMA cipher_version").fetchone()[0])
    finally:
        connection.close()


if __name__ == "__main__":
    main()
