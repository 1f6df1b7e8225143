"""A database per example for the importer property tests (the Hypothesis profiles are
in profiles.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import profiles  # registers and loads the Hypothesis profile
import pytest


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--engine") == "postgresql":
        profiles.ENGINE_DIVISOR = 4


class SiteDatabases:
    """One database of a template at a time for the examples of one test.

    An example that leaves the database as it found it (a refusal, a dry run) hands it on
    to the next one; one that changed it has it thrown away (``discard``), and the next
    example gets a fresh copy of the template: each example starts from the same state.
    """

    def __init__(self, request: pytest.FixtureRequest, tmp_path: Path, template: str) -> None:
        self.request = request
        self.tmp_path = tmp_path
        self.template = template
        self.count = 0
        self._db: Any = None
        self._pg_name: str | None = None
        self.snapshot: Any = None  # the checksums of the database as it is handed out
        self.source: str | Path = ""  # the current database's file or URL (for the CLI)

    def _source(self) -> str | Path:
        pg = self.request.getfixturevalue("pg_templates")
        kind, _, size = self.template.partition("-")
        if pg is not None:
            name = {"empty": pg.empty, "demo": pg.demo, "arranged": pg.arranged}
            template = name[kind]() if kind == "empty" else name[kind](int(size))
            url = pg.new(template)
            self._pg_name = pg.made.pop()
            return str(url)
        files = self.request.getfixturevalue("db_templates")
        source = files.empty() if kind == "empty" else getattr(files, kind)(int(size))
        self.count += 1
        path = self.tmp_path / f"{self.template}-example-{self.count}.db"
        path.write_bytes(Path(source).read_bytes())
        return path

    @property
    def db(self) -> Any:
        from examsite.storage.db import Database

        if self._db is None:
            self.source = self._source()
            self._db = Database.open(self.source)
            self.snapshot = None
        return self._db

    def discard(self) -> None:
        if self._db is None:
            return
        path = self._db.file_path
        self._db.close()
        self._db = None
        self.snapshot = None
        if self._pg_name is not None:
            self.request.getfixturevalue("pg_templates").server.drop(self._pg_name)
            self._pg_name = None
        elif path is not None:
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink(missing_ok=True)


@pytest.fixture
def site_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """``site_databases(template)``: a ``SiteDatabases`` of ``"empty"``, ``"demo-N"`` or
    ``"arranged-N"`` (the tests/conftest.py templates), closed and dropped at the end."""
    made: list[SiteDatabases] = []

    def make(template: str) -> SiteDatabases:
        databases = SiteDatabases(request, tmp_path, template)
        made.append(databases)
        return databases

    yield make
    for databases in made:
        databases.discard()
