"""Engine, connection pragmas, sessions and the schema upgrade.

``Database`` is the one object the services get: it knows the URL, hands out units of work
(one session per user action, committed at the end or rolled back on error) and keeps
SQLite to one writer at a time.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from examsite.errors import StorageError
from examsite.messages.system import reason
from examsite.paths import default_db_path
from examsite.storage import cipher
from examsite.storage.access import Access
from examsite.storage.change_feed import ChangeFeed
from examsite.storage.network_paths import refuse_network_share, refuse_unc_text
from examsite.storage.registration_freeze import add_sqlite_functions, refusal, set_moment
from examsite.storage.write_lock import (
    is_lock_timeout,
    lock_holder_error,
    take_write_lock,
)

log = logging.getLogger(__name__)


def to_url(path_or_url: str | Path | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL as it is, anything else a SQLite file path."""
    if path_or_url is None:
        path_or_url = default_db_path()
    text = str(path_or_url)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    return f"sqlite:///{path.as_posix()}"


def shown_location(path_or_url: str | Path) -> str:
    """``--db`` as a message may show it: a server URL without its password."""
    text = str(path_or_url)
    if "://" not in text:
        return text
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text.split("://", 1)[0] + "://…"


#: How long a writer waits for another program's write to end before giving up with
#: "locked" (an import of 10,000 rows holds the lock for a few seconds).
WRITE_WAIT_MS = 30_000
#: ``Session.info`` key set by ``unit_of_work`` once it holds the write lock.
WRITE_LOCK_HELD = "examsite.write_lock_held"
#: libpq's settings for a server connection (``create_db_engine``).
SERVER_KEEPALIVES: dict[str, int] = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 60_000,
}
#: The first bytes of every SQLite file.
SQLITE_HEADER = cipher.SQLITE_HEADER


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # SQLite leaves foreign keys off unless every connection turns them on.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={WRITE_WAIT_MS}")
    cursor.close()
    add_sqlite_functions(dbapi_connection)  # the registration freeze's clock


def _on_error(context: Any) -> BaseException | None:
    """A statement refused by the registration freeze's triggers: the service's own
    ``registration.closed`` (InputError), whichever path ran it."""
    return refusal(context.original_exception)


def count_rows(session: Session, model: Any) -> int:
    """How many rows the table of ``model`` holds."""
    return session.scalar(select(func.count()).select_from(model)) or 0


def check_database_file(path: Path) -> None:
    """Refuse, before SQLite touches it, what is not an empty file or a SQLite database:
    a file on a network share, a folder, a file that cannot be read, random bytes, a
    document; and a folder that cannot be made. Nothing is changed."""
    refuse_network_share(path)
    if path.is_dir():
        raise StorageError("storage.is_folder", path=str(path))
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                "storage.cannot_create_folder", folder=str(path.parent), reason=reason(exc)
            ) from exc
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StorageError("storage.cannot_open", path=str(path), reason=reason(exc)) from exc
    if head and head != SQLITE_HEADER:
        check_encrypted_file(path)  # an encrypted site, unlocked in this process
    if head:
        check_database_sound(path)


def check_encrypted_file(path: Path) -> None:
    """Refuse a file that is not plain SQLite unless it is an encrypted site whose data
    key this process holds: its sidecar missing or damaged, or the site still locked, is
    said as such (``crypt.*``); anything else is ``storage.not_a_database``."""
    from examsite.storage.keyfile import KeyFileError, missing_error, read_keyfile

    if cipher.keys_path(path).is_file():
        keys = read_keyfile(path)  # crypt.keys_damaged
        if cipher.remembered(keys.key_id) is None:
            raise KeyFileError("crypt.locked", path=str(path))
        return
    if cipher.looks_encrypted(path):
        raise missing_error(path)
    raise StorageError("storage.not_a_database", path=str(path))


def check_database_sound(path: Path) -> None:
    """Refuse a SQLite file that fails ``PRAGMA quick_check``: it is not opened (for
    writing or at all), and the error names the last good backup to restore."""
    from examsite.storage.backups import check_sqlite_file, last_good_backup

    problems = check_sqlite_file(path, quick=True)
    if not problems:
        return
    log.error("database %s fails its quick check: %s", path, problems[:5])
    found = last_good_backup(path.stem)
    if found is None:
        raise StorageError("storage.damaged_no_backup", path=str(path), detail=problems[0])
    backup, name = found
    raise StorageError(
        "storage.damaged",
        path=str(path),
        detail=problems[0],
        backup=str(backup),
        backup_time=name.created.strftime("%Y-%m-%d %H:%M"),
    )


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; for SQLite the file is checked, its folder made and the
    pragmas set on every connection."""
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    kwargs: dict[str, Any] = {}
    if is_sqlite:
        if parsed.database and parsed.database != ":memory:":
            check_database_file(Path(parsed.database))
        # Services run on a worker thread; each session stays in its own thread.
        kwargs["connect_args"] = {"check_same_thread": False}
        key = cipher.key_of_file(Path(parsed.database)) if parsed.database else None
        if key is not None:  # an encrypted site: SQLCipher, keyed before anything else
            file = str(parsed.database)
            kwargs["module"] = cipher.DRIVER
            kwargs["creator"] = lambda: cipher.connect_keyed(file, key, check_same_thread=False)
    elif parsed.get_backend_name() == "postgresql":
        # A server restarted while the window sat idle: a pooled connection is tested
        # before use and replaced, instead of failing the coordinator's next step.
        kwargs["pool_pre_ping"] = True
        # A pulled cable: noticed in about a minute (TCP keepalives, and unacknowledged
        # data given up after 60 s) instead of the system's TCP timeout of many minutes.
        kwargs["connect_args"] = SERVER_KEEPALIVES
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "handle_error", _on_error)
    return engine


class Database:
    """The site's database: an engine, a session factory and the single-writer lock."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.RLock()
        #: How long a unit of work waits for another program's write (a test shortens it).
        self.write_wait_ms = WRITE_WAIT_MS
        self.changes = ChangeFeed(self.engine, self._sessions)  # others' changes, ours told
        self.access = Access(self.engine)  # accounts: who is logged in, what they may do
        if upgrade:
            from examsite.storage.migrate import upgrade_to_head

            upgrade_to_head(self.engine, where=str(self.file_path or shown_location(url)))

    @classmethod
    def open(cls, path_or_url: str | Path | None = None) -> Database:
        """Open (and create or upgrade) the database named by ``--db`` or the default.

        Only an empty file, a new one or an ExamSite database is opened; anything else,
        and a file on a network share, is refused with ``StorageError`` and left as it was.
        """
        where = shown_location(path_or_url or default_db_path())
        if "://" not in where:
            refuse_unc_text(where)
        try:
            return cls(to_url(path_or_url))
        except DBAPIError as exc:
            lost = connection_error(exc, server=_server_of(str(path_or_url)))
            if lost is not None:
                raise lost from exc
            if not isinstance(exc, DatabaseError):
                raise
            text = str(exc.orig).lower()
            if "not a database" in text or "malformed" in text or "encrypted" in text:
                raise StorageError("storage.not_a_database", path=where) from exc
            raise StorageError(
                "storage.cannot_open", path=where, reason=reason(exc.orig or exc)
            ) from exc

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def file_path(self) -> Path | None:
        """The SQLite file, or None for another server."""
        database = make_url(self.url).database
        if not self.is_sqlite or not database or database == ":memory:":
            return None
        return Path(database)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        It holds the database's write lock from its first statement (``BEGIN IMMEDIATE``
        on SQLite, a transaction-level advisory lock on PostgreSQL), so what a use case
        reads is what it writes over: another program's import waits (up to
        ``WRITE_WAIT_MS``) instead of overwriting it. On PostgreSQL the unit of work names
        its computer and use case (``storage.write_lock``), and a writer that gives up
        waiting is told who holds the lock and what they are doing (``storage.locked_by``).
        """
        with self._write_lock, self._sessions() as session:
            try:
                self.access.check(session, write=True)  # before the lock: a refusal waits not
                if self.is_sqlite:
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                elif self.engine.dialect.name == "postgresql":
                    # The same rule on a server several PCs write to: one writer at a
                    # time, the others wait (reads never do), up to ``write_wait_ms``.
                    take_write_lock(session, self.write_wait_ms)
                    set_moment(session)  # the program's clock for the freeze's triggers
                session.info[WRITE_LOCK_HELD] = True  # services.audit chains under it
                yield session
                with self.changes.committing(session):  # tells other programs (change_feed)
                    session.commit()
            except OperationalError as exc:
                session.rollback()
                if is_lock_timeout(exc):
                    raise lock_holder_error(session, self.write_wait_ms) from exc
                raise _storage_error(exc) from exc
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only; never committed."""
        with self._sessions() as session:
            try:
                self.access.check(session, write=False)
                yield session
            finally:
                session.rollback()

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    def close(self) -> None:
        self.changes.close()
        self.engine.dispose()


def _storage_error(exc: DBAPIError) -> StorageError:
    lost = connection_error(exc)
    if lost is not None:
        return lost
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return StorageError("storage.locked")
    if "full" in text:
        return StorageError("storage.disk_full")
    return StorageError("storage.failed", reason=reason(exc.orig or exc))


#: SQLSTATEs of a server that went away: class 08 (connection exception), 57P01 admin
#: shutdown, 57P02 crash shutdown; 57P03 (cannot connect now: starting up, shutting down)
#: and 08001/08004 (could not connect, connection rejected) mean it was never reached.
_UNREACHABLE_STATES: Final = frozenset({"08001", "08004", "57P03"})
_LOST_STATES: Final = frozenset({"57P01", "57P02"})
#: libpq's words (it gives no SQLSTATE for what happens on the client's side).
_UNREACHABLE_WORDS: Final = (
    "connection failed",
    "connection refused",
    "could not connect",
    "timeout expired",
    "timed out",
    "could not translate host name",
    "no route to host",
    "network is unreachable",
    "the database system is starting up",
    "the database system is shutting down",
)
_LOST_WORDS: Final = (
    "server closed the connection",
    "consuming input failed",
    "terminating connection",
    "the connection is closed",
    "the connection is lost",
    "connection reset",
    "broken pipe",
    "ssl syscall error",
    "eof detected",
)
_SERVER_AT = re.compile(r'server at "([^"]+)"(?: \([^)]*\))?, port (\d+)')


class ServerUnreachableError(StorageError):
    """The database server cannot be reached: nothing was opened or written (the command
    line exits 2, as for refused input)."""

    exit_code = 2


def _server_of(url: str) -> str | None:
    """``host:port`` of a server URL (None for a file)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    return f"{parsed.host}:{parsed.port or 5432}" if parsed.host else None


def connection_error(exc: BaseException, server: str | None = None) -> StorageError | None:
    """``storage.connection_lost`` when the database server went away in the middle of
    the work (the transaction was rolled back, what was committed before is on the
    server), ``storage.server_unreachable`` when it could not be reached at all; None for
    any other error (and for SQLite, which has no connection to lose).

    ``server`` (``host:port``) names it when the error's text does not."""
    orig = getattr(exc, "orig", None) or exc
    if type(orig).__module__.split(".")[0] != "psycopg":
        return None
    text = str(orig).lower()
    found = _SERVER_AT.search(str(orig))
    where = f"{found[1]}:{found[2]}" if found else (server or "数据库服务器")
    state = getattr(orig, "sqlstate", None) or ""
    if state in _UNREACHABLE_STATES or (
        not getattr(exc, "connection_invalidated", False)
        and any(words in text for words in _UNREACHABLE_WORDS)
    ):
        log.warning("database server %s unreachable: %s", where, text.splitlines()[0])
        return ServerUnreachableError("storage.server_unreachable", server=where)
    if (
        state.startswith("08")
        or state in _LOST_STATES
        or getattr(exc, "connection_invalidated", False)
        or any(words in text for words in _LOST_WORDS)
    ):
        log.warning("connection to database server %s lost: %s", where, text.splitlines()[0])
        return StorageError("storage.connection_lost")
    return None
