"""Shared fixtures: a migrated database with the catalog loaded, and demo sites.

Migrating a new file and loading the catalog costs ~0.1 s, creating a demo site up to a
second; hundreds of tests need one. So each test process (each xdist worker) builds a
template once, with the program's own code (``Database.open``, ``ensure_catalog``,
``create_demo``), and every test gets a copy of it. The templates follow the migrations
and the catalog wherever they go: nothing here knows the schema.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Keep logs and default databases of the tests out of the user's real data folder; one
# folder per xdist worker, so that parallel workers never share a log file or a database.
os.environ.setdefault(
    "XDG_DATA_HOME",
    str(
        Path(__file__).parent.parent
        / ".pytest_cache"
        / "data"
        / os.environ.get("PYTEST_XDIST_WORKER", "main")
    ),
)

from examsite.services.catalog import ensure_catalog
from examsite.services.demo import create_demo
from examsite.storage.db import Database


def _seal(database: Database) -> Path:
    """Close a template so that its one file holds everything (no ``-wal`` left behind)."""
    path = database.file_path
    assert path is not None
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, f"{wal} still holds pages"
    return path


class Templates:
    """The database templates of one test process, each built on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._empty: Path | None = None
        self._demos: dict[int, Path] = {}

    def empty(self) -> Path:
        """Migrated to head, catalog loaded."""
        if self._empty is None:
            database = Database.open(self.folder / "empty.db")
            ensure_catalog(database)
            self._empty = _seal(database)
        return self._empty

    def demo(self, candidates: int) -> Path:
        """The demo site with this many candidates (``create_demo`` on the empty one)."""
        if candidates not in self._demos:
            path = self.folder / f"demo-{candidates}.db"
            shutil.copyfile(self.empty(), path)
            database = Database.open(path)
            create_demo(database, candidates=candidates)
            self._demos[candidates] = _seal(database)
        return self._demos[candidates]


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(tmp_path_factory.mktemp("db-templates"))


@pytest.fixture
def db_file_name() -> str:
    """The name of the ``db`` fixture's file (a folder's conftest may choose another)."""
    return "site.db"


@pytest.fixture
def db(tmp_path: Path, db_templates: Templates, db_file_name: str) -> Iterator[Database]:
    """A migrated database with the catalog loaded, of this test alone."""
    path = tmp_path / db_file_name
    shutil.copyfile(db_templates.empty(), path)
    database = Database.open(path)
    yield database
    database.close()


@pytest.fixture
def demo_site(db_templates: Templates) -> Callable[[Database, int], None]:
    """``demo_site(db, n)``: fill ``db`` with the demo site of ``n`` candidates, as
    ``create_demo(db, candidates=n)`` would on a new database, in milliseconds.

    For tests that need a demo site, not for tests of its creation. The template is copied
    in with SQLite's backup API, so ``db`` may already be open (by a window, say).
    """

    def fill(database: Database, candidates: int) -> None:
        source = sqlite3.connect(db_templates.demo(candidates))
        try:
            with database.engine.connect() as connection:
                target = connection.connection.dbapi_connection
                assert isinstance(target, sqlite3.Connection)
                source.backup(target)
        finally:
            source.close()

    return fill


@pytest.fixture
def demo_db_file(tmp_path: Path, db_templates: Templates) -> Callable[[int], Path]:
    """``demo_db_file(n)``: a copy of the demo site of ``n`` candidates, as a closed file
    in ``tmp_path`` (for the command line)."""

    def copy(candidates: int) -> Path:
        path = tmp_path / f"demo-{candidates}.db"
        shutil.copyfile(db_templates.demo(candidates), path)
        return path

    return copy
