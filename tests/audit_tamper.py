"""Changing the audit log behind the program's back, as someone holding the file (or the
server's owner account) could: the append-only triggers switched off, then raw SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlalchemy import create_engine

from examsite.storage.db import Database


def tamper(db: Database, statements: Sequence[str]) -> None:
    """Run ``statements`` on ``db``'s audit log with its triggers out of the way: on SQLite
    the triggers dropped with the sqlite3 module on the file, on PostgreSQL disabled by
    the table's owner (``ALTER TABLE … DISABLE TRIGGER ALL``) and enabled again."""
    path = db.file_path
    if path is not None:
        connection = sqlite3.connect(path)
        try:
            connection.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
            connection.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
            for statement in statements:
                connection.execute(statement)
            connection.commit()
        finally:
            connection.close()
        return
    engine = create_engine(db.url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER ALL")
            for statement in statements:
                connection.exec_driver_sql(statement.replace("%", "%%"))
            connection.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER ALL")
    finally:
        engine.dispose()
