"""Backups of a school server's database (issue 12): the program does not copy a server
database; the CLI and the services say, in Chinese, that the IT staff back the server up
with pg_dump, and refuse (exit 2) without writing anything."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import run_cli

from examsite.errors import InputError
from examsite.services.backup import auto_backup, create_backup, daily_backup_if_due
from examsite.storage.backups import backups_dir
from examsite.storage.db import Database


@pytest.fixture(autouse=True)
def on_a_server(engine: str) -> None:
    if engine != "postgresql":
        pytest.skip("about a server database (run with --engine postgresql)")


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


@pytest.mark.parametrize(
    "args",
    [("backup", "create"), ("backup", "list"), ("backup", "restore", "x.db", "--yes")],
    ids=["create", "list", "restore"],
)
def test_the_cli_says_the_server_is_backed_up_with_pg_dump(
    demo_db_file: Callable[[int], Path], args: tuple[str, ...]
) -> None:
    url = demo_db_file(5)
    result = run_cli(*args, "--json", db=url)
    assert result.returncode == 2, result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "backup.on_server"
    assert "pg_dump" in result.stderr and "信息中心" in result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    assert not backups_dir().exists() or not any(backups_dir().iterdir())


def test_the_services_refuse_and_skip_the_automatic_copies(db: Database) -> None:
    with pytest.raises(InputError) as refused:
        create_backup(db)
    assert refused.value.code == "backup.on_server"
    assert "127.0.0.1" in refused.value.message  # which server: user@host:port/database
    assert auto_backup(db, "import") is None
    assert daily_backup_if_due(db) is None
