"""Which driver errors mean the school server went away (``storage.connection_lost``) or
cannot be reached (``storage.server_unreachable``): by SQLSTATE where the server sent one,
by libpq's words where the client found out alone. The real thing is in
tests/e2e/test_server_connection_lost.py (a server stopped mid-work)."""

from __future__ import annotations

import sqlite3

import psycopg
import psycopg.errors
import pytest
from sqlalchemy.exc import InterfaceError, OperationalError

from examsite.storage.db import ServerUnreachableError, _storage_error, connection_error


def wrapped(orig: Exception, *, invalidated: bool = False) -> OperationalError:
    """The driver's error as SQLAlchemy hands it over."""
    return OperationalError("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    ("orig", "invalidated"),
    [
        (psycopg.OperationalError("consuming input failed: server closed the connection "
                                  "unexpectedly"), True),
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
         False),
        (psycopg.errors.CrashShutdown("terminating connection because of crash of another "
                                      "server process"), False),
        (psycopg.errors.ConnectionFailure("sonst etwas"), False),  # class 08, any language
        (psycopg.OperationalError("the connection is closed"), False),
        (psycopg.OperationalError("SSL SYSCALL error: EOF detected"), False),
        (psycopg.OperationalError("anything at all"), True),  # SQLAlchemy saw a disconnect
    ],
)  # fmt: skip
def test_a_server_gone_mid_work_is_connection_lost(orig: Exception, invalidated: bool) -> None:
    lost = connection_error(wrapped(orig, invalidated=invalidated))
    assert lost is not None and lost.code == "storage.connection_lost"
    assert lost.exit_code == 1
    assert "没有丢失" in lost.message and "重做" in lost.message
    assert _storage_error(wrapped(orig, invalidated=invalidated)).code == lost.code


@pytest.mark.parametrize(
    "orig",
    [
        psycopg.OperationalError('connection failed: connection to server at "10.0.0.5", '
                                 "port 5433 failed: Connection refused"),
        psycopg.OperationalError('connection failed: connection to server at "10.0.0.5", '
                                 "port 5433 failed: timeout expired"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
        psycopg.errors.SqlclientUnableToEstablishSqlconnection("x"),
    ],
)  # fmt: skip
def test_a_server_never_reached_is_unreachable_with_exit_2(orig: Exception) -> None:
    down = connection_error(wrapped(orig), server="10.0.0.5:5433")
    assert isinstance(down, ServerUnreachableError)
    assert down.code == "storage.server_unreachable" and down.exit_code == 2
    assert "10.0.0.5:5433" in down.message and "没有丢失" in down.message


def test_the_server_named_by_the_error_wins_over_the_guess() -> None:
    orig = psycopg.OperationalError(
        'connection failed: connection to server at "192.168.1.10", port 6000 failed: '
        "Connection refused"
    )
    down = connection_error(orig, server="elsewhere:1")
    assert down is not None and "192.168.1.10:6000" in down.message


def test_other_errors_are_left_as_they_are() -> None:
    assert connection_error(ValueError("connection refused")) is None
    assert connection_error(wrapped(sqlite3.OperationalError("database is locked"))) is None
    assert connection_error(wrapped(psycopg.errors.UniqueViolation("duplicate key"))) is None
    assert connection_error(InterfaceError("x", {}, ValueError("y"))) is None
    locked = _storage_error(wrapped(sqlite3.OperationalError("database is locked")))
    assert locked.code == "storage.locked"
