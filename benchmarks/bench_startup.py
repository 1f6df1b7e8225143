"""How fast the window comes up, each figure the median of N runs in fresh processes:

(a) importing the window's modules (``examsite.ui.app`` + ``examsite.ui.main_window``),
    against the bare interpreter and against ``import PySide6.QtWidgets`` alone;
(b) process start to the window's first paint, and to the opened database's status on
    screen, for ``examsite --db <fresh file>`` (``EXAMSITE_FIRST_PAINT`` makes it print
    both moments and quit), against a bare QMainWindow's first paint;
(c) for context, ``examsite-cli --help`` and ``examsite-cli --db X status --json``.

Target: the first paint under 3 s. Runs offscreen, or on the display when DISPLAY is set
(xcb, e.g. under Xvfb). ``--dist build/dist/examsite`` times a PyInstaller build instead.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5] [--dist FOLDER]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TARGET_FIRST_PAINT = 3.0

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            app.removeEventFilter(self)
            QTimer.singleShot(0, done)
        return False

def done():
    print(f"first-paint {time.perf_counter():.6f}", flush=True)
    app.quit()

app = QApplication(sys.argv)
probe = Probe()
app.installEventFilter(probe)
window = QMainWindow()
window.setCentralWidget(QLabel("考点助手"))
window.resize(1280, 800)
window.show()
app.exec()
"""


def scripts_dir() -> Path:
    """Where the venv's entry points live (bin/ or Scripts/)."""
    return Path(sys.executable).parent


def program(dist: Path | None, name: str) -> list[str]:
    folder = dist if dist is not None else scripts_dir()
    suffix = ".exe" if sys.platform == "win32" else ""
    return [str(folder / f"{name}{suffix}")]


def environment(data: Path) -> dict[str, str]:
    env = {**os.environ, "XDG_DATA_HOME": str(data), "LOCALAPPDATA": str(data)}
    env["QT_QPA_PLATFORM"] = "xcb" if os.environ.get("DISPLAY") else "offscreen"
    return env


def wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    return time.perf_counter() - start


def moments(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from starting ``command`` to each ``<moment> <perf_counter>`` line it prints.

    ``perf_counter`` is the system's monotonic clock on Linux and Windows, so the child's
    readings compare with ours.
    """
    env = {**env, "EXAMSITE_FIRST_PAINT": "1"}
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr}")
    found = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("first-paint", "status-shown"):
            found[name] = float(value) - start
    return found


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dist", type=Path, help="a PyInstaller folder to time instead")
    args = parser.parse_args()
    runs, dist = args.runs, args.dist
    python = [sys.executable]

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = environment(tmp_path / "data")
        print(f"platform {env['QT_QPA_PLATFORM']}, median of {runs} runs, fresh processes")

        print("\n(a) imports")
        bare = median_of(runs, lambda: wall([*python, "-c", "pass"], env))
        qt = median_of(runs, lambda: wall([*python, "-c", "import PySide6.QtWidgets"], env))
        window_code = "import examsite.ui.app, examsite.ui.main_window"
        window = median_of(runs, lambda: wall([*python, "-c", window_code], env))
        print(f"  python -c pass                      {bare:6.3f} s")
        print(f"  import PySide6.QtWidgets            {qt:6.3f} s")
        print(
            f"  import the window's modules         {window:6.3f} s"
            f"  ({window / qt:.2f} x Qt alone; {window - qt:.3f} s of our own)"
        )

        print("\n(b) process start to the window on screen")
        qt_paint = statistics.median(
            moments([*python, "-c", BARE_WINDOW], env)["first-paint"] for _ in range(runs)
        )
        samples = []
        for n in range(runs):
            db = tmp_path / f"fresh{n}.db"
            samples.append(moments([*program(dist, "examsite"), "--db", str(db)], env))
        paint = statistics.median(s["first-paint"] for s in samples)
        shown = statistics.median(s["status-shown"] for s in samples)
        target = "under" if paint < TARGET_FIRST_PAINT else "OVER"
        print(f"  bare QMainWindow, first paint       {qt_paint:6.3f} s")
        print(
            f"  examsite, first paint               {paint:6.3f} s"
            f"  ({paint / qt_paint:.2f} x bare; {target} the {TARGET_FIRST_PAINT:.0f} s target)"
        )
        print(f"  examsite, new database's status     {shown:6.3f} s  (migrations, catalog)")

        print("\n(c) the command line, for context")
        cli = program(dist, "examsite-cli")
        db = tmp_path / "cli.db"
        subprocess.run([*cli, "--db", str(db), "status"], env=env, capture_output=True)
        help_ = median_of(runs, lambda: wall([*cli, "--help"], env))
        status = median_of(runs, lambda: wall([*cli, "--db", str(db), "status", "--json"], env))
        print(f"  examsite-cli --help                 {help_:6.3f} s  ({help_ / bare:.1f} x bare)")
        print(
            f"  examsite-cli --db X status --json   {status:6.3f} s  ({status / bare:.1f} x bare)"
        )


if __name__ == "__main__":
    main()
