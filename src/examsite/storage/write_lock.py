"""The write lock on a PostgreSQL server: one writer at a time, a bounded wait, and a
message that names who holds it.

Every unit of work takes a transaction-level advisory lock (``WRITE_LOCK_KEY``) before its
first statement, so the rule of the SQLite file holds with several PCs writing at once:
what a use case reads is what it writes over. A writer waits for the lock in PostgreSQL's
own queue (first come, first served) up to ``lock_timeout``; when it gives up, the holder
is read from ``pg_locks`` and ``pg_stat_activity`` (each unit of work names its computer
and use case in ``application_name``, see ``storage.activity``) and the error says
"另一台电脑（办公室-PC2）正在导入考生" instead of a bare "locked".
"""

from __future__ import annotations

import logging

from sqlalchemy import text as sql_text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from examsite.errors import StorageError
from examsite.storage.activity import (
    Writer,
    application_name,
    current_activity,
    parse_application_name,
)

log = logging.getLogger(__name__)

#: The advisory lock a unit of work holds on PostgreSQL (any number; ours alone).
WRITE_LOCK_KEY = 0x4558414D  # "EXAM"
#: SQLSTATE lock_not_available: ``lock_timeout`` ran out.
LOCK_NOT_AVAILABLE = "55P03"

_NAME_AND_WAIT = sql_text(
    "SELECT set_config('application_name', :name, true), set_config('lock_timeout', :wait, true)"
)
_HOLDER = sql_text(
    "SELECT a.application_name, a.client_addr::text FROM pg_locks l"
    " JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = :key"
    " AND l.objsubid = 1 AND l.pid <> pg_backend_pid()"
)


def take_write_lock(session: Session, wait_ms: int) -> None:
    """Name this unit of work (computer, use case) and take the write lock, waiting up
    to ``wait_ms`` for another writer (then ``OperationalError``, see ``is_lock_timeout``)."""
    connection = session.connection()
    name = application_name(current_activity())
    connection.execute(_NAME_AND_WAIT, {"name": name, "wait": f"{max(wait_ms, 1)}ms"})
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def is_lock_timeout(exc: OperationalError) -> bool:
    """Whether ``exc`` is PostgreSQL giving up waiting for a lock."""
    return getattr(exc.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE


def write_lock_holder(session: Session) -> Writer | None:
    """The other ExamSite holding the write lock now (None: nobody, or not ours). The
    session must not be in a failed transaction; what this reads is rolled back."""
    try:
        row = session.execute(_HOLDER, {"key": WRITE_LOCK_KEY}).first()
    except SQLAlchemyError:
        log.warning("could not read the write lock's holder", exc_info=True)
        return None
    finally:
        session.rollback()
    if row is None:
        return None
    writer = parse_application_name(row[0])
    if writer is None:  # another program (psql, a script) under our lock number
        return Writer(row[1] or "?", "writing")
    return writer


def lock_holder_error(session: Session, wait_ms: int) -> StorageError:
    """The error for a writer that waited too long: who holds the lock and what it does,
    when that can be read; the plain "locked" message otherwise."""
    writer = write_lock_holder(session)
    if writer is None:
        return StorageError("storage.locked")
    return StorageError(
        "storage.locked_by",
        computer=writer.computer,
        doing=writer.doing,
        seconds=max(1, round(wait_ms / 1000)),
    )
