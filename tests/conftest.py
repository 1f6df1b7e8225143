"""Shared fixtures: a migrated database with the catalog loaded, and demo sites.

Migrating a new file and loading the catalog costs ~0.1 s, creating a demo site up to a
second; hundreds of tests need one. So each test run builds a template once (shared by
its xdist workers), with the program's own code (``Database.open``, ``ensure_catalog``,
``create_demo``), and every test gets a copy of it. The templates follow the migrations
and the catalog wherever they go: nothing here knows the schema.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fixed_time import TEST_NOW

# Keep logs, backups and default databases of the tests out of the user's real data
# folder; one folder per xdist worker, so that parallel workers never share a log file, a
# database or a backup (the fixed clock gives two tests' backups the same name). Set, not
# defaulted: a worker inherits the controller's environment, "main" folder included.
os.environ["XDG_DATA_HOME"] = str(
    Path(__file__).parent.parent
    / ".pytest_cache"
    / "data"
    / os.environ.get("PYTEST_XDIST_WORKER", "main")
)

if TYPE_CHECKING:
    from examsite.storage.db import Database
    from pg_server import TestServer


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("EXAMSITE_TEST_ENGINE", "sqlite"),
        help="the database engine of the db fixtures: SQLite files (default) or a "
        "throwaway PostgreSQL server started for the run",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--engine") != "postgresql":
        return
    skip = pytest.mark.skip(reason="about the SQLite file itself")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> str:
    """The engine the database fixtures give: "sqlite" or "postgresql"."""
    return str(request.config.getoption("--engine"))


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> None:
    """Argon2 at its smallest for the suite: the real cost (64 MiB, ~90 ms a hash, more
    on a loaded 2-core runner) is the product's; the tests check what is hashed, not how
    hard. The hashes stay real Argon2id."""
    from argon2 import PasswordHasher

    from examsite.services import accounts

    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[dt.datetime]:
    """Business rules read a fixed clock; a test moves it with ``examsite.clock.fixed``."""
    from examsite import clock

    with clock.fixed(TEST_NOW):
        yield TEST_NOW


def _seal(database: Database) -> None:
    """Close a template so that its one file holds everything (no ``-wal`` left behind)."""
    path = database.file_path
    assert path is not None
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, f"{wal} still holds pages"


class Templates:
    """The database templates of one test run, each built on first use.

    The xdist workers of a run share the folder: a template is built in a file of the
    worker's own and renamed into place, so a worker finds either no template or a whole
    one (two workers that both find none both build it; either result is the same).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def empty(self) -> Path:
        """Migrated to head, catalog loaded."""
        return self._get("empty.db", self._build_empty)

    def demo(self, candidates: int) -> Path:
        """The demo site with this many candidates (``create_demo`` on the empty one)."""
        return self._get(f"demo-{candidates}.db", lambda path: self._build_demo(path, candidates))

    def arranged(self, candidates: int) -> Path:
        """The demo site after steps 4 to 7: every ready candidate registered for the two
        levels the site examines, rooms proposed, invigilators assigned, seats arranged."""
        return self._get(
            f"arranged-{candidates}.db", lambda path: self._build_arranged(path, candidates)
        )

    def _get(self, name: str, build: Callable[[Path], None]) -> Path:
        path = self.folder / name
        if not path.exists():
            private = self.folder / f"{name}.{os.getpid()}.building"
            build(private)
            try:
                os.replace(private, path)
            except OSError:  # Windows: another worker's copy is in place and in use
                if not path.exists():
                    raise
                private.unlink()
        return path

    @staticmethod
    def _build_empty(path: Path) -> None:
        # Imported here, not at the top: the xdist controller loads this file too, and
        # needs none of the program.
        from examsite.services.catalog import ensure_catalog
        from examsite.storage.db import Database

        database = Database.open(path)
        ensure_catalog(database)
        _seal(database)

    def _build_demo(self, path: Path, candidates: int) -> None:
        from examsite import clock
        from examsite.services.demo import create_demo
        from examsite.storage.db import Database

        shutil.copyfile(self.empty(), path)
        database = Database.open(path)
        with clock.fixed(TEST_NOW):
            create_demo(database, candidates=candidates)
        _seal(database)

    def _build_arranged(self, path: Path, candidates: int) -> None:
        from examsite.storage.db import Database

        shutil.copyfile(self.demo(candidates), path)
        database = Database.open(path)
        _arrange(database)
        _seal(database)


def _arrange(database: Database) -> None:
    """Steps 4 to 7 on the demo: every ready candidate registered for the two levels the
    site examines, rooms proposed, invigilators assigned, seats arranged."""
    from examsite import clock
    from examsite.services.arrangement import run_arrangement
    from examsite.services.demo import DEMO_PLAN_CODE
    from examsite.services.invigilation import assign_plan
    from examsite.services.labs import propose_rooms
    from examsite.services.registration import register_candidates
    from examsite.services.site import show_site

    with clock.fixed(TEST_NOW):
        for certificate in show_site(database).certificates:
            register_candidates(database, DEMO_PLAN_CODE, certificate.code, all_ready=True)
        propose_rooms(database, DEMO_PLAN_CODE)
        assign_plan(database, DEMO_PLAN_CODE)
        run_arrangement(database, DEMO_PLAN_CODE)


class PgTemplates:
    """The same templates as ``Templates``, as databases of the run's PostgreSQL server
    (this worker's own), each built on first use; a test's database is a copy of one
    (``CREATE DATABASE … TEMPLATE``)."""

    def __init__(self, server: TestServer) -> None:
        self.server = server
        self.built: set[str] = set()
        self.count = 0
        self.made: list[str] = []

    def new(self, template: str) -> str:
        """A fresh copy of ``template``; its URL (dropped after the test: ``drop_made``)."""
        self.count += 1
        name = f"t{os.getpid()}_{self.count}"
        self.made.append(name)
        return self.server.database(name, template=template)

    def drop_made(self) -> None:
        """Drop the databases of the test that ended (what still uses one is cut off):
        thousands of them would hold gigabytes and take minutes to delete at the end."""
        while self.made:
            self.server.drop(self.made.pop())

    def empty(self) -> str:
        return self._get("tpl_empty", None, self._build_empty)

    def demo(self, candidates: int) -> str:
        return self._get(
            f"tpl_demo_{candidates}",
            self.empty(),
            lambda url: self._fill_demo(url, candidates),
        )

    def arranged(self, candidates: int) -> str:
        return self._get(f"tpl_arranged_{candidates}", self.demo(candidates), self._fill_arranged)

    def _get(self, name: str, source: str | None, build: Callable[[str], None]) -> str:
        """The template ``name``, made (a copy of ``source``, then ``build``) on first use."""
        if name not in self.built:
            build(self.server.database(name, template=source))
            self.built.add(name)
        return name

    @staticmethod
    def _build_empty(url: str) -> None:
        from examsite.services.catalog import ensure_catalog
        from examsite.storage.db import Database

        database = Database.open(url)
        ensure_catalog(database)
        database.close()

    @staticmethod
    def _fill_demo(url: str, candidates: int) -> None:
        from examsite import clock
        from examsite.services.demo import create_demo
        from examsite.storage.db import Database

        database = Database.open(url)
        with clock.fixed(TEST_NOW):
            create_demo(database, candidates=candidates)
        database.close()

    @staticmethod
    def _fill_arranged(url: str) -> None:
        from examsite.storage.db import Database

        database = Database.open(url)
        _arrange(database)
        database.close()


@pytest.fixture(scope="session")
def pg_templates(engine: str) -> Iterator[PgTemplates | None]:
    """This worker's PostgreSQL server and its templates (None with SQLite)."""
    if engine != "postgresql":
        yield None
        return
    from pg_server import running_server

    with running_server() as server:
        yield PgTemplates(server)


@pytest.fixture(autouse=True)
def _drop_test_databases(request: pytest.FixtureRequest) -> Iterator[None]:
    """With PostgreSQL, each test's databases are dropped when it ends (set up before,
    so torn down after, the fixtures that opened them). A test without them starts no
    server."""
    yield
    if "pg_templates" in request.fixturenames:
        templates: PgTemplates | None = request.getfixturevalue("pg_templates")
        if templates is not None:
            templates.drop_made()


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above the workers' own (popen-gw0 …)
    folder = base / "db-templates"
    folder.mkdir(exist_ok=True)
    return Templates(folder)


@pytest.fixture
def db_file_name() -> str:
    """The name of the ``db`` fixture's file (a folder's conftest may choose another)."""
    return "site.db"


@pytest.fixture
def db(
    tmp_path: Path, db_templates: Templates, db_file_name: str, pg_templates: PgTemplates | None
) -> Iterator[Database]:
    """A migrated database with the catalog loaded, of this test alone."""
    from examsite.storage.db import Database

    if pg_templates is not None:
        database = Database.open(pg_templates.new(pg_templates.empty()))
    else:
        path = tmp_path / db_file_name
        shutil.copyfile(db_templates.empty(), path)
        database = Database.open(path)
    yield database
    database.close()


@pytest.fixture
def demo_site(
    db_templates: Templates, pg_templates: PgTemplates | None
) -> Callable[[Database, int], None]:
    """``demo_site(db, n)``: fill ``db`` with the demo site of ``n`` candidates, as
    ``create_demo(db, candidates=n)`` would on a new database, in milliseconds.

    For tests that need a demo site, not for tests of its creation. The template is copied
    in with SQLite's backup API, so ``db`` may already be open (by a window, say).
    """

    def fill(database: Database, candidates: int) -> None:
        if pg_templates is not None:  # a server database is filled as the program fills it
            from examsite import clock
            from examsite.services.demo import create_demo

            with clock.fixed(TEST_NOW):
                create_demo(database, candidates=candidates)
            return
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
def arranged_db_file(
    tmp_path: Path, db_templates: Templates, pg_templates: PgTemplates | None
) -> Callable[[int], Path]:
    """``arranged_db_file(n)``: a copy of the demo site of ``n`` candidates after steps 4
    to 7 (registered, rooms, invigilators, seats), as a closed file in ``tmp_path`` (with
    --engine postgresql: the URL of a server database holding it)."""

    def copy(candidates: int) -> Path:
        if pg_templates is not None:
            return pg_templates.new(pg_templates.arranged(candidates))  # type: ignore[return-value]
        path = tmp_path / f"arranged-{candidates}.db"
        shutil.copyfile(db_templates.arranged(candidates), path)
        return path

    return copy


@pytest.fixture
def demo_db_file(
    tmp_path: Path, db_templates: Templates, pg_templates: PgTemplates | None
) -> Callable[[int], Path]:
    """``demo_db_file(n)``: a copy of the demo site of ``n`` candidates, as a closed file
    in ``tmp_path`` (for the command line; with --engine postgresql: a server URL)."""

    def copy(candidates: int) -> Path:
        if pg_templates is not None:
            return pg_templates.new(pg_templates.demo(candidates))  # type: ignore[return-value]
        path = tmp_path / f"demo-{candidates}.db"
        shutil.copyfile(db_templates.demo(candidates), path)
        return path

    return copy
