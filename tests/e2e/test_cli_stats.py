"""``stats --plan P [--out FILE.xlsx] --json`` end to end on the arranged demo with scores."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli_runner import run_cli
from python_calamine import CalamineWorkbook

from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from statistics_data import seed_scores


def _scored(arranged_db_file: Callable[[int], Path]) -> Path:
    path = arranged_db_file(24)
    db = Database.open(path)
    seed_scores(db, seed=5, absent_share=0.1)
    db.close()
    return path


def test_stats_prints_the_tables_and_writes_the_workbook(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    path = _scored(arranged_db_file)
    out = tmp_path / "统计表.xlsx"
    done = run_cli("stats", "--plan", DEMO_PLAN_CODE, "--out", str(out), "--json", db=path)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["plan"] == DEMO_PLAN_CODE
    overall = document["overall"]
    assert overall["registered"] == overall["passed"] + overall["failed"] + overall["pending"]
    assert overall["pass_rate"] == round(overall["passed"] / overall["decided"], 4)
    assert {"by_level", "by_major", "by_class", "by_class_name", "subjects", "sessions"} <= set(
        document
    )
    assert sum(g["registered"] for g in document["by_class"]) == overall["registered"]
    subject = document["subjects"][0]
    assert [b["band"] for b in subject["bands"]][-1] == "90–100"
    assert sum(b["count"] for b in subject["bands"]) == subject["scored"]
    assert document["sessions"][0]["seats"] > 0
    assert document["workbook"]["path"] == str(out)
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == document["workbook"]["sheets"]
    assert book.get_sheet_by_name("概况").to_python()[1][2] == overall["registered"]


def test_stats_without_out_writes_nothing_and_reads_as_text(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    path = _scored(arranged_db_file)
    done = run_cli("stats", "--plan", DEMO_PLAN_CODE, db=path)
    assert done.returncode == 0, done.stderr
    assert "通过率" in done.stdout and "各科成绩：" in done.stdout and "场次缺考：" in done.stdout
    plain = json.loads(run_cli("stats", "--plan", DEMO_PLAN_CODE, "--json", db=path).stdout)
    assert plain["workbook"] is None


def test_stats_refuses_a_bad_place_or_plan_with_exit_2(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    path = _scored(arranged_db_file)
    bad = tmp_path / "no-such-folder" / "统计表.xlsx"
    done = run_cli("stats", "--plan", DEMO_PLAN_CODE, "--out", str(bad), "--json", db=path)
    assert done.returncode == 2
    assert json.loads(done.stdout)["error"]["code"] == "statistics.out_folder_missing"
    assert not bad.parent.exists()
    unknown = run_cli("stats", "--plan", "NO-SUCH", "--json", db=path)
    assert unknown.returncode == 2
    assert json.loads(unknown.stdout)["error"]["code"] == "catalog.plan_not_found"
