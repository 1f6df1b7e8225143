"""``db copy``: a whole site between SQLite files and a PostgreSQL server, verified table
by table; refusals, the merge path, and a failure or a cancel that leaves the target as
it was."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db_copy_helpers import checksums, copy_server, new_server_database
from examsite.domain.id_number import synthetic_id
from examsite.errors import Cancelled, ExamsiteError, InputError
from examsite.progress import Progress
from examsite.services import db_copy_tables
from examsite.services.candidates import CandidateForm, save_candidate
from examsite.services.db_copy import copy_database
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Photo
from network_share_helpers import mount_as_nfs

__all__ = ["copy_server"]  # the fixture, used by name

NEW_ID = synthetic_id("110105", dt.date(2003, 5, 1), 3, "女")


def new_candidate(id_number: str = NEW_ID) -> CandidateForm:
    return CandidateForm(
        kind="school",
        name="曾小红",
        id_number=id_number,
        phone="13800138000",
        enrollment_year="2021",
        education_level="专科",
        major="电子商务",
        major_code="530701",
    )


@pytest.fixture
def arranged(tmp_path: Path, db_templates: Any) -> Path:
    """A SQLite file with the arranged demo site (12 candidates, photos, seats)."""
    path = tmp_path / "site.db"
    shutil.copyfile(db_templates.arranged(12), path)
    return path


@pytest.fixture
def source(arranged: Path) -> Any:
    database = Database.open(arranged)
    yield database
    database.close()


def test_a_copy_to_a_new_file_compares_equal_table_by_table(source: Database, tmp_path: Path):
    target = tmp_path / "exam-day.db"
    result = copy_database(source, target)
    assert result.mode == "copy"
    assert result.tables and all(check.equal for check in result.tables)
    assert result.photos > 0
    assert checksums(target) == checksums(source.url)
    assert [p.name for p in tmp_path.iterdir() if "copying" in p.name] == []


def test_sqlite_to_the_server_and_back_compares_equal(
    source: Database, copy_server: Any, tmp_path: Path
):
    url = new_server_database(copy_server)
    there = copy_database(source, url)
    assert all(check.equal for check in there.tables)
    server = Database.open(url)
    try:
        back = tmp_path / "back.db"
        home = copy_database(server, back)
    finally:
        server.close()
    # Each copy logs itself in its source first (services.disclosure): the server's log
    # holds one entry more than the source's, and the copy back carries it.
    original = checksums(source.url)
    log_rows = original.pop("audit_log")[0]
    server_tables, back_tables = checksums(url), checksums(back)
    assert server_tables.pop("audit_log") == back_tables.pop("audit_log")
    assert server_tables == original
    assert back_tables == original
    assert checksums(back)["audit_log"][0] == log_rows + 1
    assert {c.table: c.source_checksum for c in home.tables if c.table != "audit_log"} == {
        name: value[1] for name, value in original.items()
    }
    query = select(Photo.id, Photo.image).where(Photo.image.is_not(None)).order_by(Photo.id)
    copied = Database.open(back)
    try:
        with copied.read() as session:
            theirs = session.execute(query).all()
    finally:
        copied.close()
    with source.read() as session:
        assert theirs == session.execute(query).all()  # byte for byte


def test_after_a_copy_to_the_server_new_rows_get_new_ids(source: Database, copy_server: Any):
    url = new_server_database(copy_server, migrated=True)
    copy_database(source, url)
    server = Database.open(url)
    try:
        with server.read() as session:
            highest = session.scalar(select(func.max(Candidate.id)))
        added = save_candidate(server, new_candidate())
        with server.read() as session:
            new_id = session.scalar(select(Candidate.id).where(Candidate.id_number == NEW_ID))
        assert highest is not None and new_id is not None and new_id > highest
        assert added.id_number == NEW_ID
    finally:
        server.close()


def test_a_server_database_holding_only_the_catalog_counts_as_empty(
    source: Database, copy_server: Any
):
    url = new_server_database(copy_server, migrated=True)
    result = copy_database(source, url)
    assert all(check.equal for check in result.tables)
    assert checksums(url) == checksums(source.url)


def test_a_new_database_with_its_catalog_holds_no_site_data(db: Database, demo_site: Any):
    assert db_copy_tables.site_data_in(db) == []
    demo_site(db, 12)
    assert "candidate" in db_copy_tables.site_data_in(db)


def test_a_target_with_site_data_is_refused_and_left_as_it_was(
    source: Database, tmp_path: Path, db_templates: Any
):
    target = tmp_path / "other.db"
    shutil.copyfile(db_templates.demo(12), target)
    before = target.read_bytes()
    with pytest.raises(InputError) as refused:
        copy_database(source, target)
    assert refused.value.code == "db_copy.target_has_data"
    assert "--merge" in refused.value.message
    assert "考生" in refused.value.params["tables"]
    assert target.read_bytes() == before


def test_a_copy_onto_itself_is_refused(source: Database, arranged: Path):
    with pytest.raises(InputError) as refused:
        copy_database(source, str(arranged))
    assert refused.value.code == "db_copy.same_database"


def test_a_target_file_on_a_network_share_is_refused(
    source: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    share = tmp_path / "share"
    share.mkdir()
    mount_as_nfs(monkeypatch, share)
    with pytest.raises(ExamsiteError) as refused:
        copy_database(source, share / "site.db")
    assert refused.value.code == "storage.network_share"
    assert list(share.iterdir()) == []


def test_a_target_file_another_program_is_writing_is_refused(
    source: Database, tmp_path: Path, db_templates: Any
):
    target = tmp_path / "open.db"
    shutil.copyfile(db_templates.empty(), target)
    other = Database.open(target)  # another window, its last change still in the WAL
    try:
        with other.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
            connection.exec_driver_sql("UPDATE org SET name = name || ' '")
            connection.commit()
            with pytest.raises(ExamsiteError) as refused:
                copy_database(source, target)
    finally:
        other.close()
    assert refused.value.code == "db_copy.target_in_use"
    assert [p.name for p in tmp_path.iterdir() if "copying" in p.name] == []


def _fail_at(monkeypatch: pytest.MonkeyPatch, table_name: str) -> None:
    real = db_copy_tables.rows_to_insert

    def failing(table: Any, batch: Any) -> list[dict[str, Any]]:
        if table.name == table_name:
            raise RuntimeError("the network went away")
        return real(table, batch)

    monkeypatch.setattr(db_copy_tables, "rows_to_insert", failing)


def test_a_failure_mid_copy_leaves_the_server_database_as_it_was(
    source: Database, copy_server: Any, monkeypatch: pytest.MonkeyPatch
):
    url = new_server_database(copy_server, migrated=True)
    before = checksums(url)
    _fail_at(monkeypatch, "seat")
    with pytest.raises(RuntimeError):
        copy_database(source, url)
    assert checksums(url) == before


def test_a_failure_mid_copy_leaves_the_target_file_as_it_was(
    source: Database, tmp_path: Path, db_templates: Any, monkeypatch: pytest.MonkeyPatch
):
    target = tmp_path / "empty.db"
    shutil.copyfile(db_templates.empty(), target)
    before = target.read_bytes()
    _fail_at(monkeypatch, "photo")
    with pytest.raises(RuntimeError):
        copy_database(source, target)
    assert target.read_bytes() == before
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("site.db"))
    assert left == ["empty.db"]


def test_a_cancel_rolls_the_copy_back(source: Database, tmp_path: Path):
    progress = Progress()
    seen: list[str] = []

    def step(done: int, total: int, label: str) -> None:
        seen.append(label)
        if label.startswith("复制 candidate"):
            progress.cancel()

    progress._callback = step
    target = tmp_path / "cancelled.db"
    with pytest.raises(Cancelled):
        copy_database(source, target, progress=progress)
    assert not target.exists()
    assert any(label.startswith("复制 ") for label in seen)


def test_a_value_changed_on_the_way_is_caught_and_nothing_is_kept(
    source: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    real = db_copy_tables.rows_to_insert

    def changing(table: Any, batch: Any) -> list[dict[str, Any]]:
        rows = real(table, batch)
        if table.name == "candidate":
            rows[0]["phone"] = "13900000000"
        return rows

    monkeypatch.setattr(db_copy_tables, "rows_to_insert", changing)
    target = tmp_path / "changed.db"
    with pytest.raises(ExamsiteError) as refused:
        copy_database(source, target)
    assert refused.value.code == "db_copy.mismatch"
    assert refused.value.params["table"] == "candidate"
    assert not target.exists()


def test_a_changed_photo_byte_is_caught(
    source: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    real = db_copy_tables.rows_to_insert

    def flipping(table: Any, batch: Any) -> list[dict[str, Any]]:
        rows = real(table, batch)
        if table.name == "photo":
            row = next(r for r in rows if r["image"])
            row["image"] = row["image"][:-1] + bytes([row["image"][-1] ^ 1])
        return rows

    monkeypatch.setattr(db_copy_tables, "rows_to_insert", flipping)
    with pytest.raises(ExamsiteError) as refused:
        copy_database(source, tmp_path / "flipped.db")
    assert refused.value.code == "db_copy.photo_mismatch"
    with source.read() as session:
        first = session.scalar(select(Photo.id).where(Photo.image.is_not(None)).order_by(Photo.id))
    assert refused.value.params["ids"] == str(first)
    assert not (tmp_path / "flipped.db").exists()


def test_merge_adds_what_the_target_lacks_once_the_key_is_trusted(source: Database, tmp_path: Path):
    target = tmp_path / "office.db"
    copy_database(source, target)
    save_candidate(source, new_candidate())
    with pytest.raises(ExamsiteError) as untrusted:
        copy_database(source, target, merge=True)
    assert untrusted.value.code == "db_copy.merge_untrusted"
    assert untrusted.value.params["target"] == str(target)
    assert "--pair" in untrusted.value.message
    result = copy_database(source, target, merge=True, pair=True)
    assert result.mode == "merge" and result.merge is not None
    assert result.merge.applied and result.merge.paired
    assert result.merge.added.get("candidate") == 1
    assert "candidate" in result.holds
    merged = Database.open(target)
    try:
        with merged.read() as session:
            assert session.scalar(select(Candidate.id).where(Candidate.id_number == NEW_ID))
    finally:
        merged.close()
    again = copy_database(source, target, merge=True)  # trusted now: no --pair needed
    assert again.merge is not None and again.merge.applied
    assert sum(again.merge.added.values()) == 0


def test_merge_into_the_server(source: Database, copy_server: Any):
    url = new_server_database(copy_server, migrated=True)
    copy_database(source, url)
    save_candidate(source, new_candidate())
    result = copy_database(source, url, merge=True, pair=True)
    assert result.merge is not None and result.merge.added.get("candidate") == 1
