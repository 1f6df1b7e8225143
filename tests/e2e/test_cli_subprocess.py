"""Smoke tests of ``python -m examsite.cli`` in a fresh interpreter, one per area.

The other end-to-end tests call ``examsite.cli.main`` in the test process (cli_runner);
these check what only a real process shows: the ``__main__`` entry and its exit status,
UTF-8 output on a pipe, and imports that work from a cold start (the CLI loads its
libraries only when a command needs them).
"""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import pytest
from cli_runner import run_cli, run_cli_subprocess

from examsite.services.demo import RED, demo_photo

pytestmark = pytest.mark.subprocess


def test_help_from_a_fresh_interpreter(tmp_path: Path) -> None:
    result = run_cli_subprocess("--help", db=tmp_path / "help.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：examsite-cli")
    assert "考点助手" in result.stdout
    for command in ("demo", "status", "candidates", "photos", "catalog"):
        assert command in result.stdout
    assert not (tmp_path / "help.db").exists()  # --help opens no database


def test_demo_create_then_status_json(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    created = run_cli_subprocess("demo", "create", "--candidates", "12", "--json", db=db)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["candidates"] == 12
    status = run_cli_subprocess("status", "--json", db=db)
    assert status.returncode == 0, status.stderr
    document = json.loads(status.stdout)
    assert document["candidates"] == 12
    assert any(p["code"] == "2232100001" for p in document["plans"])


def test_refused_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "坏.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run_cli_subprocess("catalog", "import", str(bad), db=tmp_path / "r.db")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "JSON" in result.stderr


def test_photo_import_from_a_fresh_interpreter(tmp_path: Path, demo_db_file) -> None:
    """Pillow and the photo check load in a process that starts with ``photos import``."""
    db = demo_db_file(20)
    listing = run_cli("candidates", "list", "--json", db=db)  # in-process: only the setup
    ids = [c["id_number"] for c in json.loads(listing.stdout)][:3]
    rng = random.Random(11)
    source = tmp_path / "照片.zip"
    with zipfile.ZipFile(source, "w") as archive:
        for id_number in ids:
            archive.writestr(f"{id_number}.jpg", demo_photo(rng, RED))
    result = run_cli_subprocess("photos", "import", str(source), "--json", db=db)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert sorted(r["id_number"] for r in document["results"]) == sorted(ids)
    assert {r["verdict"] for r in document["results"]} == {"pass"}
