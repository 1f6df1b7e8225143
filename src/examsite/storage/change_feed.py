"""Changes made by other programs: what lets a window notice another PC's (or another
process's) work and show it again.

Every ``Database`` has a ``ChangeFeed`` with a random ``instance_id``. Its ``committing``
block wraps the commit of each unit of work:

- on PostgreSQL it sends ``pg_notify(CHANNEL, payload)`` inside the transaction, so the
  notification is delivered when, and only when, the transaction commits; the payload
  names the writing instance and the tables it changed (see ``Notice``). A transaction that
  wrote nothing sends nothing.
- on SQLite (another process on the same file: a second window, the CLI) a kept connection
  answers ``PRAGMA data_version``, which changes whenever *another connection* commits; the
  block keeps it in step with this instance's own commits.

``ChangeFeed.watch()`` gives a ``Watch`` to ask "did someone else change the data?":
``PgListener`` (a dedicated autocommit connection that LISTENs; its socket, ``fileno()``,
becomes readable when a notification arrives, ``drain()`` reads them without waiting) or
``SqliteWatch`` (``drain()`` asks ``data_version``). No Qt here; the window polls.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from examsite.storage import cipher

log = logging.getLogger(__name__)

#: The channel every ExamSite program notifies and listens on.
CHANNEL: Final = "examsite_changes"
#: PostgreSQL refuses a payload of 8000 bytes or more; ours stays well below.
PAYLOAD_LIMIT: Final = 7000
#: Where a session collects the tables its flushes and DML statements touched.
_TABLES_KEY: Final = "examsite_changed_tables"
#: Sent only when the transaction has written something (it then holds a transaction id;
#: ``txid_current_if_assigned`` exists from PostgreSQL 10 on, below our least, 12).
_NOTIFY_SQL: Final = text(
    "SELECT pg_notify(:channel, :payload) WHERE txid_current_if_assigned() IS NOT NULL"
)
#: TCP keepalives for the listening connection: a server that vanishes (cable out, PC off)
#: is noticed in about a minute instead of never.
_KEEPALIVES: Final = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


class WatchLost(Exception):
    """The watch's connection is gone (the server went away); ``reconnect()`` may help."""


@dataclass(frozen=True)
class Notice:
    """What one committed unit of work says about itself: which instance wrote, and the
    tables it changed (None: not known, anything may have changed)."""

    source: str
    tables: frozenset[str] | None

    def payload(self) -> str:
        """The JSON sent with ``pg_notify``; the table list is dropped past the limit."""
        tables = sorted(self.tables) if self.tables is not None else None
        text_ = json.dumps({"from": self.source, "tables": tables}, separators=(",", ":"))
        if len(text_.encode()) > PAYLOAD_LIMIT:
            text_ = json.dumps({"from": self.source, "tables": None}, separators=(",", ":"))
        return text_

    @classmethod
    def parse(cls, payload: str) -> Notice:
        """A notice from a payload; one not ours (or damaged) reads as "from nobody,
        anything changed"."""
        try:
            raw = json.loads(payload)
            source = str(raw["from"])
            tables = raw.get("tables")
            found = None if tables is None else frozenset(str(t) for t in tables)
        except (ValueError, KeyError, TypeError):
            return cls("", None)
        return cls(source, found)


@dataclass(frozen=True)
class Changes:
    """What others changed since the last ``drain``: how many commits were seen, and the
    tables they named (None: at least one did not say, so anything may have changed);
    ``missed``: the watch was away (a lost connection), so anything may have changed."""

    commits: int
    tables: frozenset[str] | None
    missed: bool = False

    @staticmethod
    def merged(notices: Iterable[Notice]) -> Changes | None:
        commits, tables = 0, set[str]()
        known = True
        for notice in notices:
            commits += 1
            if notice.tables is None:
                known = False
            else:
                tables |= notice.tables
        if not commits:
            return None
        return Changes(commits, frozenset(tables) if known else None)


class Watch(Protocol):
    """Asks whether other programs committed changes since it last asked."""

    def fileno(self) -> int | None:
        """A socket that becomes readable when a change arrives (None: poll instead)."""

    def drain(self) -> Changes | None:
        """What others committed since the last call (None: nothing); never waits.
        ``WatchLost`` when the connection is gone."""

    def reconnect(self) -> None:
        """Connect again after ``WatchLost`` (may wait up to the connect timeout)."""

    def close(self) -> None: ...


class ChangeFeed:
    """The change announcements and watches of one ``Database`` (see the module's text)."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self.engine = engine
        self.instance_id = secrets.token_hex(8)
        self._sqlite_watch: SqliteWatch | None = None
        if self.dialect == "postgresql":  # the tables go into the notice; SQLite has none
            event.listen(sessions, "after_flush", _on_after_flush)
            event.listen(sessions, "do_orm_execute", _on_do_orm_execute)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def committing(self, session: Session) -> Iterator[None]:
        """Wraps ``session.commit()`` of a unit of work (which holds the write lock)."""
        if self.dialect == "postgresql":
            session.flush()  # what commit would flush, named before the notice is sent
            tables = session.info.pop(_TABLES_KEY, None)
            notice = Notice(self.instance_id, frozenset(tables) if tables else None)
            session.execute(_NOTIFY_SQL, {"channel": CHANNEL, "payload": notice.payload()})
            yield
            return
        watch = self._sqlite_watch
        if watch is None:
            yield
            return
        watch.before_own_commit()  # no one else can commit while we hold the lock
        yield
        watch.after_own_commit()

    def watch(self) -> Watch:
        """A new watch of this database (the caller closes it)."""
        if self.dialect == "postgresql":
            return PgListener(self.engine, self.instance_id)
        database = self.engine.url.database
        if not database or database == ":memory:":
            return NoWatch()
        watch = SqliteWatch(Path(database), on_close=self._forget_watch)
        self._sqlite_watch = watch
        return watch

    def _forget_watch(self, watch: SqliteWatch) -> None:
        if self._sqlite_watch is watch:
            self._sqlite_watch = None

    def close(self) -> None:
        if self._sqlite_watch is not None:
            self._sqlite_watch.close()


def _on_after_flush(session: Session, _flush: UOWTransaction) -> None:
    found: set[str] = session.info.setdefault(_TABLES_KEY, set())
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(instance), "__tablename__", None)
        if table:
            found.add(str(table))


def _on_do_orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name:
        state.session.info.setdefault(_TABLES_KEY, set()).add(str(name))


class NoWatch:
    """A database nobody else can reach (SQLite in memory): never anything new."""

    def fileno(self) -> int | None:
        return None

    def drain(self) -> Changes | None:
        return None

    def reconnect(self) -> None:
        pass

    def close(self) -> None:
        pass


class SqliteWatch:
    """``PRAGMA data_version`` on a connection of its own: it changes when another
    connection commits. This instance's own commits (through its other connections) are
    taken out by ``ChangeFeed.committing``."""

    def __init__(self, path: Path, on_close: Any = None) -> None:
        # Keyed with the site's data key when the file is encrypted (storage.cipher).
        self._connection: sqlite3.Connection | None = cipher.connect(
            path, isolation_level=None, check_same_thread=False
        )
        self._lock = threading.Lock()
        self._on_close = on_close
        self._seen = self._version()
        self._pending = 0  # others' commits noticed while this instance committed

    def _version(self) -> int:
        if self._connection is None:
            raise WatchLost("closed")
        try:
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except cipher.DRIVER_ERRORS as exc:
            raise WatchLost(str(exc)) from exc
        return int(row[0])

    def fileno(self) -> int | None:
        return None

    def drain(self) -> Changes | None:
        with self._lock:
            version = self._version()
            commits = self._pending + (version != self._seen)
            self._seen, self._pending = version, 0
        return Changes(commits, None) if commits else None

    def before_own_commit(self) -> None:
        with self._lock:
            version = self._version()
            if version != self._seen:
                self._pending += 1
                self._seen = version

    def after_own_commit(self) -> None:
        with self._lock:
            self._seen = self._version()

    def reconnect(self) -> None:
        pass

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
        if self._on_close is not None:
            self._on_close(self)


class PgListener:
    """A dedicated autocommit connection that ``LISTEN``s on ``CHANNEL``; notifications
    from this instance are dropped."""

    def __init__(self, engine: Engine, instance_id: str) -> None:
        self._engine = engine
        self._own = instance_id
        self._lock = threading.Lock()
        self._connection: Any = None
        self._lost = False  # something may have been missed while away
        self._connect()

    def _connect(self) -> None:
        import psycopg

        _args, kwargs = self._engine.dialect.create_connect_args(self._engine.url)
        kwargs = {**kwargs, **_KEEPALIVES, "autocommit": True}
        kwargs.setdefault("application_name", "ExamSite")
        try:
            connection = psycopg.connect(**kwargs)
            connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise WatchLost(str(exc)) from exc
        self._connection = connection

    @property
    def ssl_in_use(self) -> bool | None:
        """Whether the connection to the server is encrypted (None: not connected)."""
        connection = self._connection
        if connection is None or connection.closed:
            return None
        return bool(connection.pgconn.ssl_in_use)

    def fileno(self) -> int | None:
        connection = self._connection
        if connection is None or connection.closed:
            return None
        return int(connection.fileno())

    def drain(self) -> Changes | None:
        import psycopg

        with self._lock:
            connection = self._connection
            if connection is None:
                raise WatchLost("not connected")
            # libpq's own calls: read what the socket holds without waiting, and fail on
            # a closed connection (psycopg's ``notifies(timeout=0)`` does neither).
            notices: list[Notice] = []
            try:
                connection.pgconn.consume_input()
                while (found := connection.pgconn.notifies()) is not None:
                    notices.append(Notice.parse(found.extra.decode("utf-8", "replace")))
            except psycopg.Error as exc:
                self._drop()
                raise WatchLost(str(exc)) from exc
            missed, self._lost = self._lost, False
        others = [n for n in notices if n.source != self._own]
        found = Changes.merged(others)
        if missed:  # while away anything could have changed
            return Changes(found.commits if found else 0, None, missed=True)
        return found

    def reconnect(self) -> None:
        with self._lock:
            self._drop()
            self._connect()
            self._lost = True
        # The server went away and is back: the engine's idle pooled connections died
        # with it; new ones are made (one checked out now is dropped when returned).
        self._engine.dispose()

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # a broken connection may fail to close; it is gone anyway
                log.debug("closing the lost listener failed", exc_info=True)
            self._connection = None

    def close(self) -> None:
        with self._lock:
            self._drop()
