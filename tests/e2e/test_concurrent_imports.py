"""Two coordinators' imports at once on one database: neither loses the other's changes.

Each update reads the existing candidates under the database's write lock, so the second
import waits for the first and applies its own changes on top; both report what they
really changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from cli_runner import run_cli

from examsite.domain.id_number import synthetic_id

COUNT = 1500
HEADER = [
    "学生姓名",
    "性别",
    "证件类型",
    "证件号码",
    "手机号码",
    "入学年份",
    "专业层次",
    "就读专业",
    "专业代码",
]


def ids() -> list[str]:
    return [
        synthetic_id("420102", dt.date(2004, 1, 1) + dt.timedelta(days=i // 400), i % 400, "男")
        for i in range(COUNT)
    ]


def name(number: int) -> str:
    return "王" + "".join("零一二三四五六七八九"[int(d)] for d in f"{number:04d}")


def write_csv(path: Path, *, phone: str, major: str) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, id_number in enumerate(ids()):
            writer.writerow(
                [
                    name(number),
                    "男",
                    "身份证",
                    id_number,
                    phone and f"{phone}{number:04d}",
                    2024,
                    "专科",
                    major,
                    major and "530605",
                ]
            )
    return path


def cli(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "examsite.cli", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def test_two_updates_at_once_keep_both_changes(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    base = write_csv(tmp_path / "base.csv", phone="1380000", major="电子商务")
    # The setup and the check run in this process; the two updates are two programs.
    first = run_cli("candidates", "import", str(base), "--kind", "school", "--json", db=db)
    assert first.returncode == 0, first.stderr

    # One file changes the phones (major left blank), the other the majors (phone blank).
    phones = write_csv(tmp_path / "phones.csv", phone="1390000", major="")
    majors = write_csv(tmp_path / "majors.csv", phone="", major="市场营销")
    runs = [
        cli(db, "candidates", "import", str(path), "--kind", "school", "--update", "--json")
        for path in (phones, majors)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (stdout, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr
        assert "程序内部错误" not in stderr
        assert json.loads(stdout)["updated"] == COUNT

    listed = run_cli("candidates", "list", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == COUNT
    assert all(r["phone"].startswith("1390000") for r in rows), "the phone import was lost"
    assert all(r["major"] == "市场营销" for r in rows), "the major import was lost"
