"""The platform's room sheet (批量导入考场表) against hostile files, onto the arranged
demo (whose rooms already hold seats): a report or a refusal, nothing changed by one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile import HostileFile, hostile_sheet, import_survives
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples
from valid_files import room_rows

from examsite.services.room_import import import_rooms


@pytest.fixture
def arranged(site_databases: Any) -> Any:
    return site_databases("arranged-20")


@settings(max_examples=examples(30))
@given(data=st.data(), dry_run=st.booleans())
def test_a_hostile_room_sheet_gets_a_report_or_a_refusal(
    arranged: Any, db_templates: Any, tmp_path: Path, data: st.DataObject, dry_run: bool
) -> None:
    rows, header_at = room_rows(db_templates.arranged(20))
    file: HostileFile = data.draw(hostile_sheet(rows, header_at), label="file")
    path = file.write(tmp_path / "in", "考场")
    import_survives(
        arranged, lambda db: import_rooms(db, path, dry_run=dry_run), writes=not dry_run
    )
