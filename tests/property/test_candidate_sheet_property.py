"""The candidate sheet (考生导入, school and social) against hostile files: a report with
row-by-row problems or a clear refusal, never another exception; a refusal or a dry run
changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile import HostileFile, hostile_sheet, import_survives
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples
from valid_files import candidate_rows, sqlite_ids

from examsite.services.candidate_import import import_candidates


@pytest.fixture
def demo(site_databases: Any) -> Any:
    return site_databases("demo-20")


@pytest.fixture
def existing(db_templates: Any) -> list[str]:
    return sqlite_ids(db_templates.demo(20))


@pytest.mark.parametrize("kind", ["school", "social"])
@settings(max_examples=examples(20))
@given(data=st.data(), dry_run=st.booleans(), update=st.booleans())
def test_a_hostile_candidate_sheet_gets_a_report_or_a_refusal(
    demo: Any,
    existing: list[str],
    tmp_path: Path,
    kind: str,
    data: st.DataObject,
    dry_run: bool,
    update: bool,
) -> None:
    file: HostileFile = data.draw(hostile_sheet(candidate_rows(kind, existing), 2), label="file")
    path = file.write(tmp_path / "in")
    import_survives(
        demo,
        lambda db: import_candidates(db, path, kind, dry_run=dry_run, update=update),
        writes=not dry_run,
    )
