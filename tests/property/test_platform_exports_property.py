"""What the platform gives back — the 排考明细 (arrangement detail), 科目成绩 (subject
scores), 考证结果 (certificate results) and 考生信息 statuses — against hostile files,
through ``import arrangement`` and ``import platform`` (which recognises the sheet by its
header), onto the arranged demo: a report or a refusal, nothing changed by a refusal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hostile import HostileFile, Rows, hostile_sheet, import_survives
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples
from valid_files import arrangement_rows, result_rows, score_rows, status_rows

from examsite.services.arrangement_import import import_arrangement
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.platform_import import RESULTS, SCORES, import_platform

PLAN = DEMO_PLAN_CODE

SHEETS: dict[str, Callable[[Path], tuple[Rows, int]]] = {
    "arrangement": lambda a: arrangement_rows(a, PLAN),
    "scores": score_rows,
    "results": lambda a: result_rows(a, PLAN),
    "statuses": status_rows,
}


@pytest.fixture
def arranged(site_databases: Any) -> Any:
    return site_databases("arranged-20")


@pytest.mark.parametrize("sheet", list(SHEETS))
@settings(max_examples=examples(20))
@given(
    data=st.data(),
    dry_run=st.booleans(),
    plan=st.sampled_from([None, PLAN, PLAN, "NO-SUCH-PLAN"]),
    only=st.sampled_from([(), (), (SCORES, RESULTS)]),
)
def test_a_hostile_platform_export_gets_a_report_or_a_refusal(
    arranged: Any,
    db_templates: Any,
    tmp_path: Path,
    sheet: str,
    data: st.DataObject,
    dry_run: bool,
    plan: str | None,
    only: tuple[str, ...],
) -> None:
    rows, header_at = SHEETS[sheet](db_templates.arranged(20))
    file: HostileFile = data.draw(hostile_sheet(rows, header_at), label="file")
    path = file.write(tmp_path / "in", "平台导出")
    import_survives(
        arranged,
        lambda db: import_platform(db, path, plan, dry_run=dry_run, only=only),
        writes=not dry_run,
    )


@settings(max_examples=examples(20))
@given(data=st.data(), plan=st.sampled_from([None, PLAN, "NO-SUCH-PLAN"]))
def test_a_hostile_arrangement_detail_gets_a_report_or_a_refusal(
    arranged: Any, db_templates: Any, tmp_path: Path, data: st.DataObject, plan: str | None
) -> None:
    rows, header_at = arrangement_rows(db_templates.arranged(20), PLAN)
    file: HostileFile = data.draw(hostile_sheet(rows, header_at), label="file")
    path = file.write(tmp_path / "in", "排考明细")
    import_survives(arranged, lambda db: import_arrangement(db, path, plan))
