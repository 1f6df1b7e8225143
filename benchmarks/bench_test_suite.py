"""How long the whole test suite takes: serial, and with the default options.

Runs the suite in a subprocess the way the README does (the ``pytest`` next to this
interpreter, from the project folder), first serial (``-n 0``), then with the options of
``[tool.pytest.ini_options]`` alone (the README's ``uv run pytest``), and prints for each
the wall time, the CPU time of pytest and everything it started (workers, the CLI smoke
tests' interpreters, photo-check processes), the outcome and the 10 slowest tests (setup,
call and teardown together, from a JUnit report). The load average is printed with each
run: on a shared machine the wall time says as much about the neighbours as about the
tests, the CPU time much less so.

Target: the default run under 3 minutes on a 2-core machine.

    uv run python benchmarks/bench_test_suite.py [--only serial|default] [--rounds N]
        [-- EXTRA PYTEST ARGS]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = {"serial": ["-n", "0"], "default": []}


@dataclass
class Outcome:
    name: str
    wall: float
    cpu: float
    load_before: float
    load_after: float
    returncode: int
    summary: str
    slowest: list[tuple[float, str]]


def pytest_command() -> list[str]:
    """The ``pytest`` script ``uv run pytest`` starts (``python -m pytest`` would also put
    the current folder on ``sys.path``)."""
    script = Path(sys.executable).parent / ("pytest.exe" if os.name == "nt" else "pytest")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pytest"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def run(name: str, options: list[str], extra: list[str]) -> Outcome:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "junit.xml"
        command = [*pytest_command(), "-q", *options, f"--junitxml={report}", *extra]
        print(f"\n$ {' '.join(command)}", flush=True)
        load_before, cpu_before = load_average(), children_cpu()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        cpu = children_cpu() - cpu_before
        slowest = slowest_tests(report) if report.exists() else []
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else done.stderr.strip()[-300:]
    if done.returncode != 0:
        print(done.stdout[-4000:], done.stderr[-2000:], sep="\n")
    return Outcome(name, wall, cpu, load_before, load_average(), done.returncode, summary, slowest)


def slowest_tests(report: Path, count: int = 10) -> list[tuple[float, str]]:
    times = []
    for case in ET.parse(report).iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        times.append((float(case.get("time", 0)), f"{module}.py::{case.get('name')}"))
    return sorted(times, reverse=True)[:count]


def show(outcome: Outcome, *, slowest: bool = True) -> None:
    minutes, seconds = divmod(outcome.wall, 60)
    print(
        f"{outcome.name:>8}: wall {outcome.wall:6.1f} s ({int(minutes)}m{seconds:04.1f}s), "
        f"CPU {outcome.cpu:6.1f} s, load {outcome.load_before:.1f} -> {outcome.load_after:.1f}; "
        f"{outcome.summary}"
    )
    if slowest:
        print("          the 10 slowest tests:")
        for test_seconds, test in outcome.slowest:
            print(f"          {test_seconds:6.2f} s  {test}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(RUNS), help="run one configuration only")
    parser.add_argument("--rounds", type=int, default=1, help="repeat each configuration")
    parser.add_argument("extra", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args()

    print(
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}"
    )
    outcomes = []
    for _ in range(args.rounds):
        for name, options in RUNS.items():
            if args.only in (None, name):
                outcome = run(name, options, args.extra)
                show(outcome)
                outcomes.append(outcome)
    print("\nSummary:")
    for outcome in outcomes:
        show(outcome, slowest=False)
    return 0 if all(o.returncode == 0 for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
