"""Plain regression tests for what the property suites found: the smallest failing input
of each, kept as an ordinary example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examsite.domain.catalog_check import check_catalog
from examsite.errors import InputError
from examsite.messages import render
from examsite.services.catalog import builtin_catalog, import_catalog_file
from examsite.storage.db import Database


def test_a_catalog_whose_level_is_a_list_is_refused_naming_the_field(
    db: Database, tmp_path: Path
) -> None:
    # Found by test_catalog_property: the list reached the database, which raised
    # sqlite3.ProgrammingError (程序内部错误) instead of a refusal.
    plain = builtin_catalog()
    plain["certificates"][0]["level"] = []
    code = plain["certificates"][0]["code"]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(plain, ensure_ascii=False), "utf-8")
    with pytest.raises(InputError) as refused:
        import_catalog_file(db, path)
    assert refused.value.code == "catalog.invalid"
    [problem] = refused.value.problems
    assert problem.code == "catalog.field_not_text"
    assert f"证书 {code} 的 level 应是文字" in render(problem)


def test_every_text_field_of_the_catalog_is_checked_for_text() -> None:
    plain = builtin_catalog()
    plain["orgs"][0]["name"] = 7
    plain["certificates"][0]["subjects"][0]["mode"] = {"a": 1}
    plain["plans"][0]["certificates"] = [["x"]]
    plain["plans"][0]["name"] = 1.5
    problems = check_catalog(plain).problems
    found = [(p.code, p.params["field"]) for p in problems if p.code == "catalog.field_not_text"]
    assert found == [
        ("catalog.field_not_text", "name"),
        ("catalog.field_not_text", "mode"),
        ("catalog.field_not_text", "name"),
        ("catalog.field_not_text", "certificates"),
    ]
