"""A PostgreSQL server for the ``db copy`` tests in any run: the run's own server with
``--engine postgresql``, else one started for these tests alone (skipped, with the reason,
where PostgreSQL is not installed); and the checksums of a whole database."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from examsite.services.db_checksum import table_checksum
from examsite.storage.db import Database
from examsite.storage.models import Base

if TYPE_CHECKING:
    from pg_server import TestServer

_names = itertools.count(1)


@pytest.fixture(scope="session")
def copy_server(pg_templates: Any) -> Iterator[TestServer]:
    if pg_templates is not None:
        yield pg_templates.server
        return
    from pg_server import find_binaries, running_server

    if find_binaries() is None:
        pytest.skip("PostgreSQL is not installed (no initdb / pg_ctl): the copy to a server")
    with running_server() as server:
        yield server


#: The template of ``new_server_database(server, migrated=True)``, made on first use.
MIGRATED_TEMPLATE = "copy_tpl_migrated"
_made: set[int] = set()


def new_server_database(server: TestServer, *, migrated: bool = False) -> str:
    """A new database on ``server``, its URL: empty (not even migrated), or ``migrated``
    to head with the catalog loaded (as the window leaves a server database it opened)."""
    name = f"copy_{os.getpid()}_{next(_names)}"
    if not migrated:
        return server.database(name)
    if server.port not in _made:
        from examsite.services.catalog import ensure_catalog

        opened = Database.open(server.database(MIGRATED_TEMPLATE))
        ensure_catalog(opened)
        opened.close()
        _made.add(server.port)
    return server.database(name, template=MIGRATED_TEMPLATE)


def checksums(location: Any) -> dict[str, tuple[int, str]]:
    """Every table's (rows, checksum) of the database at ``location``, read anew."""
    database = Database.open(location)
    try:
        with database.engine.connect() as connection:
            found = {}
            for table in Base.metadata.sorted_tables:
                hasher = table_checksum(connection, table)
                found[table.name] = (hasher.count, hasher.checksum)
            return found
    finally:
        database.close()
