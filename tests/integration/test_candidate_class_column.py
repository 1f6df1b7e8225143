"""The optional 班级 column of the candidate import (read, never in the blank template)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from test_candidate_import import HEADERS, row, sheet

from examsite.formats.templates import candidate_template
from examsite.services.candidate_import import import_candidates
from examsite.storage.db import Database
from examsite.storage.models import Candidate


def classes(db: Database) -> dict[str, str]:
    with db.read() as session:
        return dict(session.execute(select(Candidate.id_number, Candidate.class_name)).all())


@pytest.mark.parametrize("header", ["班级", "班级名称", "行政班", "＊班级（选填）"])
def test_the_class_column_is_read_under_any_of_its_names(
    db: Database, tmp_path: Path, header: str
) -> None:
    path = sheet(tmp_path / "c.xlsx", [[*row(1), "电商2201"], [*row(2), None]], [*HEADERS, header])
    report = import_candidates(db, path, "school")
    assert report.imported == 2
    assert "import.ignored_columns" not in [p.code for p in report.problems]
    assert sorted(classes(db).values()) == ["", "电商2201"]


def test_an_update_fills_the_class_in(db: Database, tmp_path: Path) -> None:
    import_candidates(db, sheet(tmp_path / "a.xlsx", [row(1)]), "school")
    assert list(classes(db).values()) == [""]
    again = sheet(tmp_path / "b.xlsx", [[*row(1), "营销2301"]], [*HEADERS, "班级"])
    report = import_candidates(db, again, "school", update=True)
    assert report.updated == 1
    assert list(classes(db).values()) == ["营销2301"]


def test_other_unknown_columns_are_still_named(db: Database, tmp_path: Path) -> None:
    path = sheet(tmp_path / "c.xlsx", [[*row(1), "x", "y"]], [*HEADERS, "班级", "备注"])
    report = import_candidates(db, path, "school")
    ignored = [p for p in report.problems if p.code == "import.ignored_columns"]
    assert len(ignored) == 1 and "备注" in ignored[0].params["columns"]
    assert "班级" not in ignored[0].params["columns"]


def test_the_blank_template_keeps_the_platform_columns() -> None:
    assert [c.title for c in candidate_template("school").columns] == HEADERS
