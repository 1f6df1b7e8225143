"""``backup create / list / restore`` end to end, with --json; a damaged database on start."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from backup_helpers import flip_pages
from e2e.cli_runner import run_cli

pytestmark = pytest.mark.sqlite_only  # backups copy the SQLite file itself


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _candidates(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM candidate").fetchone()[0])
    finally:
        connection.close()


def test_create_list_restore_with_json(demo_db_file, tmp_path: Path):
    db = demo_db_file(30)
    made = run_cli("backup", "create", "--json", db=db)
    assert made.returncode == 0, made.stderr
    backup = json.loads(made.stdout)["backup"]
    assert backup["kind"] == "manual"
    assert backup["counts"] == {"candidates": 30, "registrations": 0, "seats": 0}
    assert Path(backup["file"]).name.startswith("demo-30-2026")

    out = tmp_path / "copy.db"
    assert run_cli("backup", "create", "--out", str(out), db=db).returncode == 0
    again = run_cli("backup", "create", "--out", str(out), "--json", db=db)
    assert again.returncode == 2
    assert json.loads(again.stdout)["error"]["code"] == "backup.target_exists"

    listed = json.loads(run_cli("backup", "list", "--json", db=db).stdout)["backups"]
    assert [b["file"] for b in listed] == [backup["file"]]  # --out files are not in the folder
    human = run_cli("backup", "list", db=db)
    assert "考生 30 人" in human.stdout and "手动" in human.stdout

    connection = sqlite3.connect(db)
    with connection:
        connection.execute("DELETE FROM candidate WHERE id % 3 = 0")
    connection.close()
    left = _candidates(db)

    asked = run_cli("backup", "restore", backup["file"], "--json", db=db)
    assert asked.returncode == 2  # no --yes and no terminal to ask on
    assert json.loads(asked.stdout)["error"]["code"] == "backup.needs_yes"
    assert _candidates(db) == left

    restored = run_cli("backup", "restore", backup["file"], "--yes", "--json", db=db)
    assert restored.returncode == 0, restored.stderr
    document = json.loads(restored.stdout)
    assert document["restored"]["counts"]["candidates"] == 30
    assert document["replaced"]["kind"] == "before-restore"
    assert document["replaced"]["counts"]["candidates"] == left
    assert _candidates(db) == 30
    assert _candidates(Path(document["replaced"]["file"])) == left

    said = run_cli("backup", "restore", str(out), "--yes", db=db)
    assert said.returncode == 0
    assert "考生 30 人" in said.stdout and "另存为" in said.stdout


def test_restore_refuses_a_damaged_backup(demo_db_file, tmp_path: Path):
    db = demo_db_file(30)
    out = tmp_path / "copy.db"
    assert run_cli("backup", "create", "--out", str(out), db=db).returncode == 0
    flip_pages(out)
    before = db.read_bytes()
    refused = run_cli("backup", "restore", str(out), "--yes", "--json", db=db)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "backup.damaged"
    assert "已损坏" in refused.stderr
    assert db.read_bytes() == before


def test_a_damaged_database_is_refused_and_its_backup_restores_it(demo_db_file):
    db = demo_db_file(30)
    made = json.loads(run_cli("backup", "create", "--json", db=db).stdout)["backup"]
    flip_pages(db)
    refused = run_cli("status", "--json", db=db)
    assert refused.returncode == 1
    error = json.loads(refused.stdout)["error"]
    assert error["code"] == "storage.damaged"
    assert error["params"]["backup"] == made["file"]
    assert "未通过完整性检查" in refused.stderr

    # the backups of a damaged database can be listed and restored without opening it
    listed = json.loads(run_cli("backup", "list", "--json", db=db).stdout)["backups"]
    assert [b["file"] for b in listed] == [made["file"]]
    restored = run_cli("backup", "restore", made["file"], "--yes", "--json", db=db)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["replaced"]["kind"] == "before-restore"
    assert run_cli("status", db=db).returncode == 0
    assert _candidates(db) == 30
