"""The catalog file (证书目录, ``catalog import``) against hostile JSON: the built-in
catalog with values of the wrong type deep inside, keys gone, records doubled, and its
bytes spoilt — onto a database with the catalog loaded: the counts, or a refusal that
changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bundle_making import spoiled_json
from hostile import import_survives, spoiled_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples

from examsite.services.catalog import builtin_catalog, import_catalog_file


@pytest.fixture
def empty(site_databases: Any) -> Any:
    return site_databases("empty")


@settings(max_examples=examples(25))
@given(data=st.data())
def test_a_hostile_catalog_gets_counts_or_a_refusal(
    empty: Any, tmp_path: Path, data: st.DataObject
) -> None:
    plain = builtin_catalog()
    text = json.dumps(
        data.draw(spoiled_json(plain, max_edits=4), label="catalog"), ensure_ascii=False
    )
    raw = text.encode("utf-8")
    if data.draw(st.integers(0, 4), label="bytes spoilt?") == 0:
        raw = data.draw(spoiled_bytes(raw), label="bytes")
    path = tmp_path / "in" / "catalog.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    import_survives(empty, lambda db: import_catalog_file(db, path))
