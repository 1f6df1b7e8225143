"""``examsite-cli --db`` on a network share: refused with exit 2, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from e2e.cli_runner import run_cli
from network_share_helpers import mount_as_nfs


@pytest.mark.sqlite_only  # a SQLite file on a share; a server has none
def test_a_database_on_an_nfs_share_is_refused(demo_db_file, tmp_path: Path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    db = share / "site.db"
    shutil.copyfile(demo_db_file(10), db)
    before = db.read_bytes()
    mount_as_nfs(monkeypatch, share)
    said = run_cli("status", "--json", db=db)
    assert said.returncode == 2
    error = json.loads(said.stdout)["error"]
    assert error["code"] == "storage.network_share"
    assert error["params"]["path"] == str(db.resolve())
    assert "网络共享" in said.stderr and "连接到学校服务器" in said.stderr
    assert sorted(p.name for p in share.iterdir()) == ["site.db"]
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", [("status",), ("demo", "create")])
def test_a_pasted_unc_path_is_refused_and_no_file_is_made(
    command: tuple[str, ...], tmp_path: Path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    said = run_cli(*command, "--json", db=Path(r"\\server\exams\site.db"))
    assert said.returncode == 2
    error = json.loads(said.stdout)["error"]
    assert error["code"] == "storage.network_share"
    assert error["params"]["share"] == r"\\server\exams"
    assert list(tmp_path.iterdir()) == []
