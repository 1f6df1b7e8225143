"""``demo score-sheet``: the demo's 科目成绩 export, in the platform's columns, that
``scores import`` takes whole; refused on a real site's database and before the
arrangement, writing nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from cli_runner import run_cli
from python_calamine import CalamineWorkbook

from examsite.formats.platform_templates import PLATFORM_SCORES
from examsite.services.demo import DEMO_PLAN_CODE as PLAN


def test_the_demo_score_sheet_imports_whole(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    db = arranged_db_file(30)
    out = tmp_path / "科目成绩.xlsx"
    made = run_cli("demo", "score-sheet", "--plan", PLAN, "-o", str(out), "--json", db=db)
    assert made.returncode == 0, made.stderr
    sheet = json.loads(made.stdout)
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.read_bytes()))
    cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert cells[2][: len(PLATFORM_SCORES.columns)] == [c.title for c in PLATFORM_SCORES.columns]
    assert len([row for row in cells[3:] if any(row)]) == sheet["rows"] > 0
    imported = run_cli("scores", "import", str(out), "--json", db=db)
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert report["matched"] == sheet["rows"]
    results = json.loads(run_cli("scores", "results", "--plan", PLAN, "--json", db=db).stdout)
    assert results and all(row["passed"] is not None for row in results)  # none pending
    absent = sum(1 for row in results if row["reason"] == "absent")
    assert 0 <= absent <= sheet["absent"]


def test_refused_on_a_real_site_and_before_the_arrangement(
    demo_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    out = tmp_path / "s.xlsx"
    real = run_cli(
        "demo", "score-sheet", "--plan", "2232100001", "-o", str(out), "--json",
        db=tmp_path / "real.db",
    )  # fmt: skip
    assert real.returncode == 2
    assert json.loads(real.stdout)["error"]["code"] == "demo.not_a_demo"
    early = run_cli(
        "demo", "score-sheet", "--plan", PLAN, "-o", str(out), "--json", db=demo_db_file(10)
    )
    assert early.returncode == 2
    assert json.loads(early.stdout)["error"]["code"] == "demo.nothing_seated"
    assert not out.exists()
