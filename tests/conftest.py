"""Shared fixtures: a migrated database in a temporary folder, with the catalog loaded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Keep logs and default databases of the tests out of the user's real data folder.
os.environ.setdefault("XDG_DATA_HOME", str(Path(__file__).parent.parent / ".pytest_cache" / "data"))

from examsite.services.catalog import ensure_catalog
from examsite.storage.db import Database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "site.db")
    ensure_catalog(database)
    yield database
    database.close()
