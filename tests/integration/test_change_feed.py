"""Changes made through another ``Database`` (another window, the CLI, another PC) are
seen by a watch; this instance's own commits are not (storage/change_feed.py). Runs on
both engines: ``--engine postgresql`` tries LISTEN/NOTIFY on a real server."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text, update

from examsite.storage.change_feed import Changes, Watch
from examsite.storage.db import Database
from examsite.storage.models import Certificate, Setting


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """A second program on the same database."""
    second = Database(db.url, upgrade=False)
    yield second
    second.close()


@pytest.fixture
def watch(db: Database) -> Iterator[Watch]:
    found = db.changes.watch()
    yield found
    found.close()


def write_setting(database: Database, key: str, value: str = "1") -> None:
    with database.unit_of_work() as session:
        session.merge(Setting(key=key, value=value))


def drained(watch: Watch, seconds: float = 5.0) -> Changes | None:
    """What the watch has, waiting (on its socket, when it has one) for a notification."""
    handle = watch.fileno()
    if handle is not None:
        select.select([handle], [], [], seconds)
        time.sleep(0.05)  # a second notification of the same moment
    return watch.drain()


def test_nothing_changed_says_nothing(watch: Watch) -> None:
    assert watch.drain() is None


def test_another_programs_commit_is_seen_once(
    db: Database, other: Database, watch: Watch, engine: str
) -> None:
    write_setting(other, "feed.test")
    changes = drained(watch)
    assert changes is not None and changes.commits == 1
    if engine == "postgresql":
        assert changes.tables == frozenset({"setting"})
    assert watch.drain() is None  # told once


def test_our_own_commits_are_not_news(db: Database, watch: Watch) -> None:
    write_setting(db, "feed.own")
    with db.unit_of_work() as session:
        session.execute(update(Certificate).values(name=Certificate.name))
    assert drained(watch, 0.5) is None


def test_another_commit_between_ours_is_still_seen(
    db: Database, other: Database, watch: Watch
) -> None:
    write_setting(other, "feed.theirs")
    write_setting(db, "feed.ours")  # commits after theirs, before the watch is asked
    changes = drained(watch)
    assert changes is not None and changes.commits >= 1


def test_a_rolled_back_change_is_not_announced(other: Database, watch: Watch) -> None:
    with pytest.raises(RuntimeError), other.unit_of_work() as session:
        session.merge(Setting(key="feed.never", value="1"))
        session.flush()
        raise RuntimeError("the use case failed")
    assert drained(watch, 0.5) is None


def test_a_unit_of_work_that_writes_nothing_is_not_announced(other: Database, watch: Watch) -> None:
    with other.unit_of_work() as session:
        session.get(Setting, "nothing")
    assert drained(watch, 0.5) is None


def test_orm_updates_name_their_table(other: Database, watch: Watch, engine: str) -> None:
    if engine != "postgresql":
        pytest.skip("SQLite's data_version says that, not what")
    with other.unit_of_work() as session:
        session.execute(update(Certificate).values(name=Certificate.name))
    changes = drained(watch)
    assert changes is not None and changes.tables == frozenset({"certificate"})


def test_a_lost_listener_says_so_and_reconnects(other: Database, watch: Watch, engine: str) -> None:
    if engine != "postgresql":
        pytest.skip("a server connection")
    from examsite.storage.change_feed import WatchLost

    with other.unit_of_work() as session:
        session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE query = 'LISTEN examsite_changes' AND pid <> pg_backend_pid()"
            )
        )
    with pytest.raises(WatchLost):  # the server's goodbye first, then the closed socket
        for _ in range(50):
            drained(watch, 0.1)
    watch.reconnect()
    changes = watch.drain()  # what happened while away is not known: anything
    assert changes is not None and changes.missed and changes.tables is None
    write_setting(other, "feed.after")
    again = drained(watch)
    assert again is not None and again.tables == frozenset({"setting"})
