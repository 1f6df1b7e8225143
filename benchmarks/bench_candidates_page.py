"""From the click on 考生 in the sidebar to the candidates table painted, on N candidates.

Starts the real window (offscreen, a worker thread as in the program) on a database of N
imported candidates, clicks 概览 then 考生 a few times, and prints for each click the time
to the first painted screenful of the table, with its parts: ``list_candidates`` on the
worker, the model taking the rows on the GUI thread, and the rest (queueing, layout,
painting). The first click also builds the page. Target: at most 0.3 s.

    uv run python benchmarks/bench_candidates_page.py [--count 10000] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))
from bench_candidate_import import make_workbook
from examsite.domain.workflow import Step
from examsite.services.candidate_import import import_candidates
from examsite.services.catalog import ensure_catalog
from examsite.storage.db import Database
from examsite.ui.app import create_application


def build(path: Path, count: int) -> None:
    sheet = path.with_suffix(".xlsx")
    make_workbook(sheet, count)
    db = Database.open(path)
    ensure_catalog(db)
    import_candidates(db, sheet, "school")
    db.close()


class PaintWatch(QObject):
    """Notes the moment after the table's viewport first paints rows."""

    def __init__(self, ready: Callable[[], bool]) -> None:
        super().__init__()
        self.ready = ready
        self.painted: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted is None and self.ready():
            QTimer.singleShot(0, self._after_paint)
        return False

    def _after_paint(self) -> None:
        if self.painted is None:
            self.painted = time.perf_counter()


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 60) -> None:
    """Run the event loop until ``condition()``; it sleeps between rounds, which lets the
    worker thread have the GIL (``QTest.qWait`` would keep it)."""
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.001)


def pause(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    wait_until(app, lambda: time.perf_counter() >= end)


def click(window: Any, step: Step | None) -> None:
    steps = window.sidebar.list
    rect = steps.visualItemRect(window.sidebar.item(step))
    QTest.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="a database to use (else one is built)")
    parser.add_argument("--clicks", type=int, default=5)
    parser.add_argument(
        "--pause", type=float, default=0.3, help="seconds on 概览 before each click on 考生"
    )
    args = parser.parse_args()

    app = create_application([])
    from examsite.ui.main_window import MainWindow
    from examsite.ui.pages import candidates as page_module

    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.db"
        if args.db is None:
            build(path, args.count)
        window = MainWindow()
        window.resize(1366, 697)
        window.show()
        window.open_database(path)
        wait_until(app, lambda: window.context is not None and window.context.status.current)
        pause(app, 2)  # the first status read and the preloading on the worker

        # The parts: the worker's query, the model taking the rows.
        parts: dict[str, float] = {}
        real_list = page_module.list_candidates

        def list_candidates(*a: Any, **k: Any) -> Any:
            started = time.perf_counter()
            rows = real_list(*a, **k)
            parts["list_candidates"] = time.perf_counter() - started
            return rows

        page_module.list_candidates = list_candidates  # type: ignore[assignment]
        real_finished = page_module.CandidatesPage._on_load_job_finished

        def finished(self: Any, rows: Any) -> None:
            started = time.perf_counter()
            real_finished(self, rows)
            parts["model + page"] = time.perf_counter() - started

        page_module.CandidatesPage._on_load_job_finished = finished  # type: ignore[method-assign]

        totals: list[float] = []
        cpus: list[float] = []
        print(f"{args.count} candidates, window 1366×697, {args.pause} s on 概览 before each click")
        for n in range(args.clicks):
            click(window, None)
            wait_until(app, lambda: window.current_page() is window.pages.get(None))
            pause(app, args.pause)
            built = Step.CANDIDATES in window.pages
            watch: PaintWatch | None = None
            if built:
                page = window.pages[Step.CANDIDATES]
                page.loaded = False  # type: ignore[attr-defined]
                watch = PaintWatch(lambda p=page: p.loaded and p.model.rowCount() > 0)  # type: ignore[attr-defined]
                page.table.viewport().installEventFilter(watch)  # type: ignore[attr-defined]
            parts.clear()
            started, cpu = time.perf_counter(), time.process_time()
            click(window, Step.CANDIDATES)
            if watch is None:  # the first click builds the page: watch it from now on
                page = window.pages[Step.CANDIDATES]
                watch = PaintWatch(lambda p=page: p.loaded and p.model.rowCount() > 0)  # type: ignore[attr-defined]
                page.table.viewport().installEventFilter(watch)  # type: ignore[attr-defined]
            wait_until(app, lambda w=watch: w.painted is not None)
            assert watch.painted is not None
            total = watch.painted - started
            cpu = time.process_time() - cpu  # both threads; less at the mercy of the load
            page.table.viewport().removeEventFilter(watch)  # type: ignore[attr-defined]
            rest = total - sum(parts.values())
            detail = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in parts.items())
            kind = "first (builds the page)" if n == 0 else "again"
            print(
                f"  click {n + 1} {kind:<24}{total * 1000:6.0f} ms, cpu {cpu * 1000:4.0f} ms"
                f"  ({detail}, rest {rest * 1000:.0f} ms)"
            )
            if n:
                totals.append(total)
                cpus.append(cpu)
        if totals:
            print(
                f"  median of the later clicks  {statistics.median(totals) * 1000:.0f} ms, "
                f"cpu {statistics.median(cpus) * 1000:.0f} ms (target ≤ 300 ms)"
            )
        window.close()


if __name__ == "__main__":
    main()
