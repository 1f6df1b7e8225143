"""How fast the candidate import runs compared with merely reading the same file.

Writes a blank school template, fills N rows (valid synthetic IDs, realistic names, the
columns filled as a class teacher would; ``--blank-pinyin`` leaves 姓名拼音 empty so the
program makes it) and times, as the median of ``--runs`` rounds:

- python-calamine reading every cell of the sheet (what the import itself reads with);
- openpyxl read-only reading every cell;
- ``import_candidates`` as a dry run, and for real into a fresh temporary database;
- ``list_candidates`` over the N imported candidates.

Each is printed as a ratio to the calamine read and to the openpyxl read, and the size of
the database with its audit log. Target: the real import at most 6 × the calamine read.
The machine's load moves the absolute times; the ratios move much less.

    .venv/bin/python benchmarks/bench_candidate_import.py [--count 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from examsite.domain.id_number import synthetic_id
from examsite.domain.pinyin import name_to_pinyin
from examsite.formats.template_workbook import write_template
from examsite.services.candidate_import import import_candidates
from examsite.services.candidates import list_candidates
from examsite.services.catalog import ensure_catalog
from examsite.storage.db import Database
from examsite.storage.models import AuditLog

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然子涵欣怡梓轩一诺思远雨彤晨阳嘉怡"
REGIONS = ("110105", "310104", "440106", "420102", "510107", "370102", "330106", "610113")
MAJORS = (("市场营销", "530605"), ("电子商务", "530701"), ("网络营销与直播电商", "530703"))


def make_workbook(path: Path, count: int, seed: int = 7, *, blank_pinyin: bool = False) -> None:
    rng = random.Random(seed)
    write_template("school", path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    seen: set[str] = set()
    row = 4
    while row < count + 4:
        gender = rng.choice(("男", "女"))
        birth = date(2001, 1, 1) + timedelta(days=rng.randrange(1500))
        number = synthetic_id(rng.choice(REGIONS), birth, rng.randrange(500), gender)  # type: ignore[arg-type]
        if number in seen:
            continue
        seen.add(number)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        major, code = rng.choice(MAJORS)
        values = (
            name,
            None if blank_pinyin else name_to_pinyin(name),
            gender,
            "身份证",
            number,
            f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            str(rng.choice((2019, 2020, 2021, 2022))),
            rng.choice(("专科", "本科")),
            major,
            code,
        )
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value)
        row += 1
    workbook.save(path)


def openpyxl_read(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for sheet_row in workbook.worksheets[0].iter_rows(values_only=True):
        cells += len(sheet_row)
    workbook.close()
    return cells


def calamine_read(path: Path) -> int:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return sum(len(row) for row in rows)


def median_of(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    times: list[float] = []
    result: Any = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--blank-pinyin", action="store_true", help="leave 姓名拼音 empty")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "candidates.xlsx"
        start = time.perf_counter()
        make_workbook(path, args.count, blank_pinyin=args.blank_pinyin)
        print(
            f"wrote {args.count} rows in {time.perf_counter() - start:.2f} s "
            f"({path.stat().st_size / 1e6:.2f} MB), median of {args.runs} rounds"
        )
        calamine_time, _ = median_of(args.runs, lambda: calamine_read(path))
        openpyxl_time, _ = median_of(args.runs, lambda: openpyxl_read(path))

        def line(label: str, seconds: float) -> None:
            print(
                f"{label:<28}{seconds:7.3f} s  {seconds / calamine_time:6.1f} × calamine"
                f"  {seconds / openpyxl_time:5.2f} × openpyxl"
            )

        line("python-calamine read", calamine_time)
        line("openpyxl read-only read", openpyxl_time)

        db = Database.open(Path(folder) / "dry.db")
        ensure_catalog(db)
        dry_time, report = median_of(
            args.runs, lambda: import_candidates(db, path, "school", dry_run=True)
        )
        db.close()
        assert report.imported == args.count and report.rejected == 0, report
        line("import, dry run", dry_time)

        real: list[float] = []
        for run in range(args.runs):
            db_path = Path(folder) / f"real{run}.db"
            db = Database.open(db_path)
            ensure_catalog(db)
            start = time.perf_counter()
            report = import_candidates(db, path, "school")
            real.append(time.perf_counter() - start)
            assert report.imported == args.count, report
            if run < args.runs - 1:
                db.close()
        real_time = statistics.median(real)
        line("import into a fresh DB", real_time)

        list_time, rows = median_of(args.runs, lambda: list_candidates(db))
        assert len(rows) == args.count
        line(f"list_candidates ({len(rows)})", list_time)
        with db.read() as session:
            audit_bytes = session.scalar(
                select(
                    func.sum(
                        func.length(func.coalesce(AuditLog.before, ""))
                        + func.length(func.coalesce(AuditLog.after, ""))
                    )
                )
            )
            entries = session.scalar(select(func.count()).select_from(AuditLog))
        db.close()
        print(
            f"database {db_path.stat().st_size / 1e6:.2f} MB; audit log {entries} entries, "
            f"{(audit_bytes or 0) / 1e6:.2f} MB of before/after copies"
        )
        verdict = "OK" if real_time <= 6 * calamine_time else "SLOWER THAN TARGET"
        print(f"target import ≤ 6 × calamine read: {verdict}")


if __name__ == "__main__":
    main()
