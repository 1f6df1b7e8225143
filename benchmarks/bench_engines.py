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

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from bench_arrangement import PLAN
from bench_arrangement import build as build_arrangement
from bench_candidate_import import make_workbook
from examsite.services.arrangement import run_arrangement
from examsite.services.candidate_import import import_candidates
from examsite.services.candidates import list_candidates
from examsite.services.catalog import ensure_catalog
from examsite.storage.db import Database
from pg_server import TestServer, running_server

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


@dataclass(frozen=True)
class Figure:
    """One task's median on one engine: wall seconds, and CPU seconds of this process
    plus, on PostgreSQL, the server's processes (the work, whatever the machine's load)."""

    wall: float
    cpu: float


def server_cpu(server: TestServer | None) -> float:
    """CPU seconds the server's processes have used (the postmaster's own and its reaped
    children's, plus the live backends'); 0 without a server or a /proc."""
    if server is None:
        return 0.0
    try:
        pid = int((server.folder / "data" / "postmaster.pid").read_text().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if entry.name == str(pid):
                total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
            elif fields[1] == str(pid):
                total += int(fields[11]) + int(fields[12])
        return total / ticks
    except (OSError, ValueError, IndexError):
        return 0.0


def measured(side: Side, action: Callable[[], Any]) -> tuple[Figure, Any]:
    wall, cpu, served = time.perf_counter(), time.process_time(), server_cpu(side.server)
    result = action()
    cpu = time.process_time() - cpu + server_cpu(side.server) - served
    return Figure(time.perf_counter() - wall, cpu), result


def median(figures: list[Figure]) -> Figure:
    return Figure(
        statistics.median(f.wall for f in figures), statistics.median(f.cpu for f in figures)
    )


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


def import_round(side: Side, sheet: Path, count: int) -> Figure:
    with opened(side.copy("catalog")) as db:
        figure, report = measured(side, lambda: import_candidates(db, sheet, "school"))
        assert report.imported == count and report.rejected == 0, report
        side.templates["imported"] = str(db.url if side.server else db.file_path)
    return figure


def arrangement_round(side: Side) -> Figure:
    with opened(side.copy("arrangement")) as db:
        figure, _ = measured(side, lambda: run_arrangement(db, PLAN))
    return figure


def query_figures(side: Side, count: int, runs: int) -> dict[str, Figure]:
    with opened(side.templates["imported"]) as db:
        everyone = [measured(side, lambda: list_candidates(db)) for _ in range(runs)]
        assert len(everyone[0][1]) == count
        search = [measured(side, lambda: list_candidates(db, search="王")) for _ in range(runs)]
    return {
        "page query: list_candidates": median([f for f, _ in everyone]),
        "search: list_candidates(search=王)": median([f for f, _ in search]),
    }


def rounds(sides: tuple[Side, ...], runs: int, action: Callable[[Side], Figure]) -> list[Figure]:
    """The medians of ``runs`` rounds, the engines taking turns in each round (so a burst
    of load elsewhere falls on both)."""
    figures: dict[str, list[Figure]] = {side.name: [] for side in sides}
    for _ in range(runs):
        for side in sides:
            figures[side.name].append(action(side))
    return [median(figures[side.name]) for side in sides]


def bench_window(location: str, clicks: int) -> Figure:
    """Median of the later clicks on 考生: the click to the first painted screenful."""
    from PySide6.QtWidgets import QApplication

    from bench_candidates_page import PaintWatch, click, pause, wait_until
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
    return Figure(statistics.median(totals), 0.0)  # two threads and Qt: no CPU figure


def report(rows: list[tuple[str, Figure, Figure]]) -> None:
    print(
        f"\n{'task':40} {'SQLite s':>9} {'PostgreSQL s':>13} {'ratio':>7}  target within 2×"
        f"   CPU: {'SQLite':>7} {'PG+server':>9} {'ratio':>6}"
    )
    for task, lite, pg in rows:
        ratio = pg.wall / lite.wall
        verdict = "met" if ratio <= TARGET else "NOT met"
        cpu = f"{lite.cpu:7.3f} {pg.cpu:9.3f} {pg.cpu / lite.cpu:5.2f}×" if lite.cpu else ""
        print(f"{task:40} {lite.wall:9.3f} {pg.wall:13.3f} {ratio:6.2f}×  {verdict:<16} {cpu}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=250)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=3, help="later clicks on 考生 timed")
    parser.add_argument("--only", nargs="+", choices=TASKS, default=list(TASKS))
    args = parser.parse_args()
    print(f"load average at the start {load()}; median of {args.runs} rounds")
    rows: list[tuple[str, Figure, Figure]] = []
    with tempfile.TemporaryDirectory() as folder, running_server() as server:
        sheet = Path(folder) / "candidates.xlsx"
        make_workbook(sheet, args.count)
        sides = (Side("sqlite", Path(folder)), Side("postgresql", Path(folder), server))
        for side in sides:
            catalog_template(side)
        if "import" in args.only or "page" in args.only:
            lite, pg = rounds(sides, args.runs, lambda s: import_round(s, sheet, args.count))
            if "import" in args.only:
                rows.append((f"import {args.count} candidates", lite, pg))
        if "arrangement" in args.only:
            for side in sides:
                base = side.location("arrangement")
                build_arrangement(base, args.count, args.rooms)
                side.keep_as_template("arrangement", base)
            lite, pg = rounds(sides, args.runs, arrangement_round)
            rows.append((f"arrange {args.count} into {args.rooms} rooms", lite, pg))
        if "page" in args.only:
            queries = [query_figures(side, args.count, args.runs) for side in sides]
            rows += [(label, queries[0][label], queries[1][label]) for label in queries[0]]
            from examsite.ui.app import create_application

            create_application([])
            clicks = [bench_window(s.templates["imported"], args.clicks) for s in sides]
            rows.append(("page: click 考生 to painted table", *clicks))
        report(rows)
    print(f"load average at the end {load()} (2 cores; other work moves the wall times)")


if __name__ == "__main__":
    main()
