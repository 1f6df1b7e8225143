"""A SQLite database on a network share is refused before anything is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from examsite.errors import StorageError
from examsite.storage.db import Database
from network_share_helpers import mount_as_nfs


def _refused(path: Path) -> StorageError:
    with pytest.raises(StorageError) as caught:
        Database.open(path)
    return caught.value


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_new_database_on_a_share_is_refused_and_nothing_is_made(tmp_path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    mount_as_nfs(monkeypatch, share)
    error = _refused(share / "考点" / "site.db")
    assert error.code == "storage.network_share"
    assert error.exit_code == 2
    assert error.params["share"] == f"{share.resolve()}（nfs4）"
    assert "网络共享" in error.message and "连接到学校服务器" in error.message
    assert "--db postgresql://" in error.message and "本机" in error.message
    assert list(share.iterdir()) == []


@pytest.mark.sqlite_only  # a SQLite file on a share; a server has none
def test_an_existing_database_on_a_share_is_refused_and_left_as_it_was(
    db: Database, tmp_path, monkeypatch
):
    source = db.file_path
    assert source is not None
    db.close()
    share = tmp_path / "share"
    share.mkdir()
    shutil.copyfile(source, share / "site.db")
    before = _tree(share)
    mount_as_nfs(monkeypatch, share)
    assert _refused(share / "site.db").code == "storage.network_share"
    with pytest.raises(StorageError):
        Database(f"sqlite:///{(share / 'site.db').as_posix()}")
    assert _tree(share) == before  # no -wal, no -shm, not a byte changed


@pytest.mark.sqlite_only  # a SQLite file on a share; a server has none
def test_the_same_database_on_a_local_disk_opens(db: Database, tmp_path, monkeypatch):
    source = db.file_path
    assert source is not None
    db.close()
    share = tmp_path / "share"
    share.mkdir()
    mount_as_nfs(monkeypatch, share)
    local = tmp_path / "local" / "site.db"
    local.parent.mkdir()
    shutil.copyfile(source, local)
    opened = Database.open(local)
    assert "candidate" in opened.table_names()
    opened.close()
