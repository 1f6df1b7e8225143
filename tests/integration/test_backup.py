"""Backups: consistent copies while another connection writes, verified before kept,
listed with what they hold, restored with a copy of what they replace, pruned, daily."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest

from backup_helpers import flip_pages
from examsite import clock
from examsite.errors import InputError, StorageError
from examsite.services import backup as backups
from examsite.services.backup import (
    auto_backup,
    create_backup,
    daily_backup_if_due,
    list_backups,
    restore_backup,
    set_keep_auto,
    verify_backup,
)
from examsite.storage.backups import backups_dir, parse_backup_name
from examsite.storage.db import Database

pytestmark = pytest.mark.sqlite_only  # backups copy the SQLite file itself


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default backup folder of this test alone."""
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _counts(path: Path) -> tuple[int, int, int]:
    connection = sqlite3.connect(path)
    try:
        return tuple(  # type: ignore[return-value]
            connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("candidate", "registration", "seat")
        )
    finally:
        connection.close()


def test_a_backup_lands_in_the_backup_folder_named_after_the_database_and_time(db: Database):
    info = create_backup(db)
    assert info.path.parent == backups_dir()
    assert info.path.name == "site-20261220-090000-manual.db"
    assert info.kind == "manual"
    assert info.created == clock.now()
    assert info.size == info.path.stat().st_size
    assert not list(info.path.parent.glob("*.partial"))
    # a second one in the same second gets its own name
    assert create_backup(db).path.name == "site-20261220-090000-1-manual.db"


def test_out_names_the_file_and_an_existing_one_is_refused(db: Database, tmp_path: Path):
    out = tmp_path / "u盘" / "备份.db"
    info = create_backup(db, out)
    assert info.path == out.resolve()
    assert verify_backup(out).counts == info.counts
    with pytest.raises(InputError) as refused:
        create_backup(db, out)
    assert refused.value.code == "backup.target_exists"


def test_a_backup_while_another_connection_writes_is_consistent(db: Database):
    """A writer adds pairs of rows in one transaction each; every copy holds whole pairs."""
    path = db.file_path
    assert path is not None
    stop = threading.Event()
    written = [0]

    def write() -> None:
        connection = sqlite3.connect(path, timeout=30)
        try:
            n = 0
            while not stop.is_set():
                with connection:
                    connection.execute(
                        "INSERT INTO setting (key, value) VALUES (?, ?)", (f"a{n}", "x" * 500)
                    )
                    connection.execute(
                        "INSERT INTO setting (key, value) VALUES (?, ?)", (f"b{n}", "y" * 500)
                    )
                n += 1
                written[0] = n
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    copies = []
    try:
        while written[0] < 20:
            pass
        for _ in range(5):
            copies.append(create_backup(db))
    finally:
        stop.set()
        writer.join()
    assert written[0] > 20
    seen = []
    for info in copies:
        assert verify_backup(info.path)
        connection = sqlite3.connect(info.path)
        a = connection.execute("SELECT count(*) FROM setting WHERE key LIKE 'a%'").fetchone()[0]
        b = connection.execute("SELECT count(*) FROM setting WHERE key LIKE 'b%'").fetchone()[0]
        connection.close()
        assert a == b  # never half a transaction
        seen.append(a)
    assert seen == sorted(seen)


def test_a_copy_that_fails_its_integrity_check_is_deleted_and_refused(
    db: Database, demo_site, monkeypatch: pytest.MonkeyPatch
):
    demo_site(db, 30)
    copy = backups._copy_database

    def damaging_copy(source: Path, target: Path) -> None:
        copy(source, target)
        flip_pages(target)

    monkeypatch.setattr(backups, "_copy_database", damaging_copy)
    with pytest.raises(StorageError) as refused:
        create_backup(db)
    assert refused.value.code == "backup.copy_damaged"
    assert "完整性检查" in refused.value.message
    assert not backups_dir().exists() or list(backups_dir().iterdir()) == []


def test_list_backups_newest_first_with_what_each_copy_holds(arranged_db_file):
    db = Database.open(arranged_db_file(20))
    try:
        first = create_backup(db)
        with clock.fixed(dt.datetime(2026, 12, 21, 8, 0)):
            second = auto_backup(db, "import")
        assert second is not None
        listed = list_backups(db)
        assert [b.path for b in listed] == [second.path, first.path]
        candidates, registrations, seats = _counts(db.file_path)  # type: ignore[arg-type]
        assert registrations > 0 and seats > 0
        for info in listed:
            assert info.counts is not None
            assert (info.counts.candidates, info.counts.registrations, info.counts.seats) == (
                candidates,
                registrations,
                seats,
            )
        assert listed[0].kind == "auto" and listed[0].reason == "import"
        assert listed[1].kind == "manual" and listed[1].reason is None
        # by its file too (a damaged database can list its backups without being opened)
        assert [b.path for b in list_backups(db.file_path)] == [second.path, first.path]  # type: ignore[arg-type]
    finally:
        db.close()


def test_restore_brings_back_the_data_and_keeps_what_it_replaced(db: Database, demo_site):
    demo_site(db, 30)
    saved = create_backup(db)
    path = db.file_path
    assert path is not None
    with db.unit_of_work() as session:
        session.connection().exec_driver_sql("DELETE FROM candidate WHERE id % 2 = 0")
    changed = _counts(path)
    assert changed[0] < 30
    db.close()

    with clock.fixed(dt.datetime(2026, 12, 20, 10, 0)):
        result = restore_backup(path, saved.path)
    assert _counts(path) == (30, 0, 0)
    assert result.backup.counts is not None and result.backup.counts.candidates == 30
    assert result.backup.created == saved.created
    assert result.replaced is not None
    assert result.replaced.kind == "before-restore"
    assert _counts(result.replaced.path) == changed
    reopened = Database.open(path)
    reopened.close()
    text = backups.restored_text(result)
    assert "2026-12-20 09:00" in text and "考生 30 人" in text and "另存为" in text


def test_a_damaged_backup_is_refused_and_the_database_is_left_as_it_was(
    db: Database, demo_site, tmp_path: Path
):
    demo_site(db, 30)
    saved = create_backup(db)
    flip_pages(saved.path)
    path = db.file_path
    assert path is not None
    db.close()
    before = path.read_bytes()
    with pytest.raises(InputError) as refused:
        restore_backup(path, saved.path)
    assert refused.value.code == "backup.damaged"
    assert path.read_bytes() == before
    assert [p.name for p in backups_dir().iterdir()] == [saved.path.name]  # no copy made
    not_sqlite = tmp_path / "x.db"
    not_sqlite.write_text("hello")
    with pytest.raises(InputError) as refused:
        restore_backup(path, not_sqlite)
    assert refused.value.code == "backup.not_a_backup"


def test_pruning_keeps_the_last_n_automatic_and_every_hand_made_backup(db: Database):
    set_keep_auto(db, 3)
    manual = [create_backup(db).path]
    autos = []
    for hour in range(10, 16):
        with clock.fixed(dt.datetime(2026, 12, 20, hour, 0)):
            info = auto_backup(db, "merge")
            assert info is not None
            autos.append(info.path)
            if hour == 12:
                manual.append(create_backup(db).path)
    left = sorted(p for p in backups_dir().iterdir())
    assert sorted(manual + autos[-3:]) == left
    with pytest.raises(InputError):
        set_keep_auto(db, 0)


def test_the_default_keeps_ten_automatic_backups(db: Database):
    assert backups.keep_auto(db) == 10
    for minute in range(12):
        with clock.fixed(dt.datetime(2026, 12, 20, 10, minute)):
            auto_backup(db, "import")
    assert len(list(backups_dir().iterdir())) == 10


def test_the_daily_backup_is_made_once_a_day(db: Database):
    with clock.fixed(dt.datetime(2026, 12, 20, 8, 0)):
        first = daily_backup_if_due(db)
    assert first is not None and first.reason == "daily"
    with clock.fixed(dt.datetime(2026, 12, 20, 18, 0)):
        assert daily_backup_if_due(db) is None
        auto_backup(db, "import")  # another reason does not count as the day's
        assert daily_backup_if_due(db) is None
    with clock.fixed(dt.datetime(2026, 12, 21, 7, 0)):
        second = daily_backup_if_due(db)
    assert second is not None
    names = [parse_backup_name(p.name) for p in backups_dir().iterdir()]
    assert sorted((n.created.date(), n.reason) for n in names if n) == [
        (dt.date(2026, 12, 20), "daily"),
        (dt.date(2026, 12, 20), "import"),
        (dt.date(2026, 12, 21), "daily"),
    ]


def test_an_unknown_reason_is_a_bug(db: Database):
    with pytest.raises(ValueError):
        auto_backup(db, "whenever")


def test_a_damaged_database_is_refused_on_start_and_names_the_last_good_backup(
    db: Database, demo_site
):
    demo_site(db, 30)
    with clock.fixed(dt.datetime(2026, 12, 19, 9, 0)):
        older = create_backup(db)
    newest = create_backup(db)
    flip_pages(newest.path)  # a damaged backup is passed over
    path = db.file_path
    assert path is not None
    db.close()
    flip_pages(path)
    with pytest.raises(StorageError) as refused:
        Database.open(path)
    error = refused.value
    assert error.code == "storage.damaged"
    assert error.params["backup"] == str(older.path)
    assert "完整性检查" in error.message and older.path.name in error.message
    assert "2026-12-19 09:00" in error.message


def test_a_damaged_database_without_backups_says_so(db: Database, demo_site):
    demo_site(db, 30)
    path = db.file_path
    assert path is not None
    db.close()
    flip_pages(path)
    with pytest.raises(StorageError) as refused:
        Database.open(path)
    assert refused.value.code == "storage.damaged_no_backup"
    assert "没有找到完好的备份" in refused.value.message


def test_restore_over_a_crashed_database_keeps_its_log_and_drops_it_from_the_new_file(
    db: Database, demo_site, tmp_path: Path
):
    """A database left with a write-ahead log (the program was killed): the copy kept of it
    holds the log's changes, and the log is not applied to the restored file."""
    saved = create_backup(db)  # empty
    demo_site(db, 30)
    path = db.file_path
    assert path is not None
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    crashed = tmp_path / "crashed.db"
    crashed.write_bytes(path.read_bytes())
    crashed.with_name("crashed.db-wal").write_bytes(wal.read_bytes())

    result = restore_backup(crashed, saved.path)
    assert not crashed.with_name("crashed.db-wal").exists()
    assert _counts(crashed) == (0, 0, 0)
    assert result.replaced is not None
    assert _counts(result.replaced.path) == (30, 0, 0)
