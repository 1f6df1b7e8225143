"""The valid files the property suites spoil are imported cleanly as they are: the
hostile examples start from input that reaches the importers' deepest paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hostile import write_xlsx
from valid_files import (
    arrangement_rows,
    registration_rows,
    result_rows,
    room_rows,
    score_rows,
    status_rows,
)

from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.platform_import import import_platform
from examsite.services.registration_sheets import import_registration_sheet
from examsite.services.room_import import import_rooms
from examsite.storage.db import Database


def test_the_platform_exports_match_every_row(
    arranged_db_file: Any, db_templates: Any, tmp_path: Path
) -> None:
    arranged = db_templates.arranged(20)
    db = Database.open(arranged_db_file(20))
    try:
        for kind, (rows, _header) in {
            "arrangement": arrangement_rows(arranged, DEMO_PLAN_CODE),
            "scores": score_rows(arranged),
            "results": result_rows(arranged, DEMO_PLAN_CODE),
            "statuses": status_rows(arranged),
        }.items():
            path = write_xlsx(tmp_path / f"{kind}.xlsx", [("Sheet1", rows)])
            result = import_platform(db, path, DEMO_PLAN_CODE, dry_run=True)
            assert result.kind == kind and not result.problems
            assert result.matched == result.rows > 0
    finally:
        db.close()


def test_the_room_and_registration_sheets_import_cleanly(
    demo_db_file: Any, db_templates: Any, tmp_path: Path
) -> None:
    arranged = db_templates.arranged(20)
    rooms, _ = room_rows(arranged)
    demo = Database.open(demo_db_file(20))
    try:
        path = write_xlsx(tmp_path / "rooms.xlsx", [("S", rooms)])
        report = import_rooms(demo, path, dry_run=True)
        assert report.rows == len(rooms) - 3 and report.created == report.rows
        for variant in ("003", "001"):
            rows, _ = registration_rows(arranged, variant)
            path = write_xlsx(tmp_path / f"reg{variant}.xlsx", [("S", rows)])
            result = import_registration_sheet(demo, path, plan_code=DEMO_PLAN_CODE, dry_run=True)
            assert result.rows == len(rows) - 3 and not result.refused
            assert len(result.added) == result.rows
    finally:
        demo.close()
