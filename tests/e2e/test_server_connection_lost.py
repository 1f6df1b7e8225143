"""A school server that goes away (issue 12): a lost connection mid-work says so, in
Chinese, and loses nothing that was committed; an unreachable server is named (host:port)
and the command line exits 2 with its message, not a traceback.

Each test here starts its own throwaway server (tests/pg_server.py) and stops it with
``pg_ctl stop -m immediate``, as a crash or a pulled cable would, whatever ``--engine``
the run uses; skipped when PostgreSQL is not installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cli_runner import run_cli
from sqlalchemy import select

from examsite.errors import StorageError
from examsite.storage.db import Database, ServerUnreachableError, connection_error
from examsite.storage.models import Setting
from pg_server import TestServer, _free_port, find_binaries, running_server

pytestmark = pytest.mark.skipif(find_binaries() is None, reason="PostgreSQL is not installed")


@pytest.fixture(scope="module")
def server() -> Iterator[TestServer]:
    with running_server() as started:
        yield started


@pytest.fixture
def site(server: TestServer) -> Iterator[Database]:
    name = f"lost_{_free_port()}"
    database = Database.open(server.database(name))
    yield database
    database.close()
    server.drop(name)


def saved(database: Database) -> dict[str, str]:
    with database.read() as session:
        rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.like("t.%")))
        return {key: value for key, value in rows}


def test_a_server_stopped_mid_work_says_so_and_keeps_what_was_committed(
    server: TestServer, site: Database
) -> None:
    with site.unit_of_work() as session:
        session.add(Setting(key="t.committed", value="1"))
    where = f"127.0.0.1:{server.port}"

    try:
        with pytest.raises(StorageError) as lost, site.unit_of_work() as session:
            session.add(Setting(key="t.half_done", value="2"))
            session.flush()  # on the server, not yet committed
            server.stop("immediate")
            session.add(Setting(key="t.after", value="3"))
            session.flush()
        assert lost.value.code == "storage.connection_lost"
        assert "没有丢失" in lost.value.message and "网络" in lost.value.message
        assert lost.value.exit_code == 1

        # While it is down: the next write says it cannot be reached; so does a read
        # (through the command line's and the window's net, connection_error).
        with pytest.raises(ServerUnreachableError) as down, site.unit_of_work():
            pass
        assert down.value.code == "storage.server_unreachable"
        assert where in down.value.message
        with pytest.raises(Exception) as read_down:
            saved(site)
        mapped = connection_error(read_down.value)
        assert mapped is not None and mapped.code == "storage.server_unreachable"
    finally:
        server.start()

    # Back up: what was committed is there, the half-done unit of work is not, and the
    # same Database works again without being reopened.
    assert saved(site) == {"t.committed": "1"}
    with site.unit_of_work() as session:
        session.add(Setting(key="t.again", value="4"))
    assert saved(site) == {"t.committed": "1", "t.again": "4"}


def test_a_server_stopped_between_two_commands_is_a_message_with_exit_2(
    server: TestServer, site: Database
) -> None:
    url = site.url
    site.close()
    assert run_cli("site", "set", "--school", "测试学校", "--json", db=url).returncode == 0
    server.stop("fast")
    try:
        down = run_cli("site", "show", "--json", db=url)
    finally:
        server.start()
    assert down.returncode == 2
    error = json.loads(down.stdout)["error"]
    assert error["code"] == "storage.server_unreachable"
    assert f"127.0.0.1:{server.port}" in down.stderr
    assert "Traceback" not in down.stderr and "内部错误" not in down.stderr
    again = run_cli("site", "show", "--json", db=url)
    assert again.returncode == 0, again.stderr
    assert "测试学校" in again.stdout


def test_opening_a_server_nobody_listens_on_names_it() -> None:
    port = _free_port()  # nothing listens there
    url = f"postgresql+psycopg://examsite@127.0.0.1:{port}/site?connect_timeout=5"
    with pytest.raises(ServerUnreachableError) as refused:
        Database.open(url)
    assert f"127.0.0.1:{port}" in refused.value.message

    result = run_cli("candidates", "list", "--json", db=url)
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == "storage.server_unreachable"
    assert f"127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_errors_of_other_kinds_are_left_alone() -> None:
    import sqlite3

    assert connection_error(ValueError("connection refused")) is None
    assert connection_error(sqlite3.OperationalError("database is locked")) is None
