"""The same work on a SQLite file and on a PostgreSQL server on localhost (issue 12).

Starts a throwaway PostgreSQL server (``tests/pg_server.py``: ``initdb`` + ``pg_ctl`` on a
free port, ``fsync=off`` as for the tests; SQLite runs as the program runs it, WAL with
``synchronous=NORMAL``, which does not sync each commit either) and times, as the median
of ``--runs`` rounds on each engine:

- the 10,000-candidate import (``import_candidates`` of the school sheet of
  ``bench_candidate_import``) into a fresh database holding the catalog;
- the arrangement of 10,000 candidates into 250 rooms (``run_arrangement`` on a fresh copy
  of the data ``bench_arrangement.build`` writes);
- the candidates page: its worker's query (``list_candidates`` of every candidate), a
  search (``list_candidates(search=…)``, what ``candidates list --search`` runs) and, in
  the real window (offscreen), the click on 考生 to the first painted screenful as
  ``bench_candidates_page`` measures it (the filters and sorting of the page work in
  memory, on either engine the same).

Each line shows both times and the ratio PostgreSQL / SQLite against the target of issue
12: within 2 ×. A fresh database is a copy: of a file on SQLite, ``CREATE DATABASE …
TEMPLATE`` on the server; the copying is not timed.

    uv run python benchmarks/bench_engines.py [--count 10000] [--rooms 250] [--runs 3]
        [--only import arrangement page]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from bench_arrangement import PLAN
from bench_arrangement import build as build_arrangement
from bench_candidate_import import make_workbook
from pg_server import TestServer, running_server

from examsite.services.arrangement import run_arrangement
from examsite.services.candidate_import import import_candidates
from examsite.services.candidates import list_candidates
from examsite.services.catalog import ensure_catalog
from examsite.storage.db import Database

TASKS = ("import", "arrangement", "page")
TARGET = 2.0


@dataclass
class Side:
    """One engine: where its fresh databases come from."""

    name: str
    folder: Path
    server: TestServer | None = None
    made: int = 0
    templates: dict[str, str] = field(default_factory=dict)

    def location(self, label: str) -> str:
        """A new, empty database's path or URL."""
        self.made += 1
        name = f"{label}{self.made}"
        if self.server is None:
            return str(self.folder / f"{name}.db")
        return self.server.database(name)

    def keep_as_template(self, label: str, location: str) -> None:
        self.templates[label] = location

    def copy(self, label: str) -> str:
        """A fresh copy of the template ``label`` (not timed)."""
        source = self.templates[label]
        self.made += 1
        name = f"{label}_copy{self.made}"
        if self.server is None:
            target = self.folder / f"{name}.db"
            shutil.copyfile(source, target)
            return str(target)
        return self.server.database(name, template=source.rsplit("/", 1)[1])


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "n/a"


@contextmanager
def opened(location: str) -> Iterator[Database]:
    db = Database.open(location)
    try:
        yield db
    finally:
        db.close()


def catalog_template(side: Side) -> None:
    location = side.location("catalog")
    with opened(location) as db:
        ensure_catalog(db)
    side.keep_as_template("catalog", location)


def bench_import(side: Side, sheet: Path, count: int, runs: int) -> float:
    times = []
    for _ in range(runs):
        with opened(side.copy("catalog")) as db:
            seconds, report = timed(lambda db=db: import_candidates(db, sheet, "school"))
            assert report.imported == count and report.rejected == 0, report
            times.append(seconds)
            side.templates["imported"] = str(db.url if side.server else db.file_path)
    return statistics.median(times)


def bench_arrangement(side: Side, count: int, rooms: int, runs: int) -> float:
    base = side.location("arrangement")
    build_arrangement(base, count, rooms)
    side.keep_as_template("arrangement", base)
    times = []
    for _ in range(runs):
        with opened(side.copy("arrangement")) as db:
            seconds, result = timed(lambda db=db: run_arrangement(db, PLAN))
            times.append(seconds)
    return statistics.median(times)


def bench_queries(side: Side, count: int, runs: int) -> dict[str, float]:
    with opened(side.templates["imported"]) as db:
        everyone = [timed(lambda: list_candidates(db)) for _ in range(runs)]
        assert len(everyone[0][1]) == count
        search = [timed(lambda: list_candidates(db, search="王")) for _ in range(runs)]
    return {
        "page query: list_candidates": statistics.median(t for t, _ in everyone),
        "search: list_candidates(search=王)": statistics.median(t for t, _ in search),
    }


def bench_window(location: str, clicks: int) -> float:
    """Median of the later clicks on 考生: the click to the first painted screenful."""
    from bench_candidates_page import PaintWatch, click, pause, wait_until
    from PySide6.QtWidgets import QApplication

    from examsite.domain.workflow import Step
    from examsite.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow()
    window.resize(1366, 697)
    window.show()
    window.open_database(location)
    wait_until(app, lambda: window.context is not None and window.context.status.current)
    pause(app, 2)
    totals = []
    for n in range(clicks + 1):
        click(window, None)
        wait_until(app, lambda: window.current_page() is window.pages.get(None))
        pause(app, 0.3)
        page = window.pages.get(Step.CANDIDATES)
        watch: PaintWatch | None = None
        if page is not None:
            page.loaded = False  # type: ignore[attr-defined]
            watch = PaintWatch(lambda p=page: p.loaded and p.model.rowCount() > 0)  # type: ignore[attr-defined]
            page.table.viewport().installEventFilter(watch)  # type: ignore[attr-defined]
        started = time.perf_counter()
        click(window, Step.CANDIDATES)
        if watch is None:
            page = window.pages[Step.CANDIDATES]
            watch = PaintWatch(lambda p=page: p.loaded and p.model.rowCount() > 0)  # type: ignore[attr-defined]
            page.table.viewport().installEventFilter(watch)  # type: ignore[attr-defined]
        wait_until(app, lambda w=watch: w.painted is not None)
        assert watch.painted is not None and page is not None
        page.table.viewport().removeEventFilter(watch)  # type: ignore[attr-defined]
        if n:  # the first click builds the page
            totals.append(watch.painted - started)
    window.close()
    window.deleteLater()
    app.processEvents()
    return statistics.median(totals)


def report(rows: list[tuple[str, float, float]]) -> None:
    print(f"\n{'task':44} {'SQLite s':>9} {'PostgreSQL s':>13} {'ratio':>7}  target within 2×")
    for task, lite, pg in rows:
        ratio = pg / lite
        verdict = "met" if ratio <= TARGET else "NOT met"
        print(f"{task:44} {lite:9.3f} {pg:13.3f} {ratio:6.2f}×  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=250)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=3, help="later clicks on 考生 timed")
    parser.add_argument("--only", nargs="+", choices=TASKS, default=list(TASKS))
    args = parser.parse_args()
    print(f"load average at the start {load()}; median of {args.runs} rounds")
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as folder, running_server() as server:
        sheet = Path(folder) / "candidates.xlsx"
        make_workbook(sheet, args.count)
        lite = Side("sqlite", Path(folder))
        pg = Side("postgresql", Path(folder), server)
        sides = (lite, pg)
        figures: dict[str, dict[str, float]] = {s.name: {} for s in sides}
        for side in sides:
            catalog_template(side)
        if "import" in args.only or "page" in args.only:
            for side in sides:
                seconds = bench_import(side, sheet, args.count, args.runs)
                figures[side.name][f"import {args.count} candidates"] = seconds
            if "import" in args.only:
                label = f"import {args.count} candidates"
                rows.append((label, figures["sqlite"][label], figures["postgresql"][label]))
        if "arrangement" in args.only:
            label = f"arrange {args.count} into {args.rooms} rooms"
            for side in sides:
                figures[side.name][label] = bench_arrangement(
                    side, args.count, args.rooms, args.runs
                )
            rows.append((label, figures["sqlite"][label], figures["postgresql"][label]))
        if "page" in args.only:
            for side in sides:
                figures[side.name].update(bench_queries(side, args.count, args.runs))
            for label in figures["sqlite"]:
                if label.startswith(("page", "search")):
                    rows.append((label, figures["sqlite"][label], figures["postgresql"][label]))
            from examsite.ui.app import create_application

            create_application([])
            label = "page: click 考生 to painted table"
            clicks = {s.name: bench_window(s.templates["imported"], args.clicks) for s in sides}
            rows.append((label, clicks["sqlite"], clicks["postgresql"]))
        report(rows)
    print(f"load average at the end {load()} (2 cores; other work moves the absolute times)")


if __name__ == "__main__":
    main()
