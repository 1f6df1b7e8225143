"""``examsite-cli db copy`` as a script runs it: the ``--json`` document, the refusals'
exit codes and errors, the merge, a plain ``postgresql://`` URL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run_cli

from db_copy_helpers import checksums, copy_server, new_server_database
from examsite.storage.models import Base

__all__ = ["copy_server"]

TABLE_KEYS = {
    "table",
    "source_rows",
    "target_rows",
    "source_checksum",
    "target_checksum",
    "equal",
}


@pytest.fixture
def site(tmp_path: Path, db_templates: Any) -> Path:
    path = tmp_path / "site.db"
    shutil.copyfile(db_templates.arranged(12), path)
    return path


def test_the_json_lists_every_table_with_both_counts_and_checksums(site: Path, tmp_path: Path):
    target = tmp_path / "exam-day.db"
    done = run_cli("db", "copy", "--to", str(target), "--json", db=site)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["mode"] == "copy"
    assert document["merge"] is None
    assert document["target_file"] == str(target)
    tables = document["tables"]
    assert [t["table"] for t in tables] == [t.name for t in Base.metadata.sorted_tables]
    assert all(set(t) == TABLE_KEYS and t["equal"] for t in tables)
    expected = checksums(site)
    assert {t["table"]: (t["target_rows"], t["target_checksum"]) for t in tables} == expected
    assert document["rows"] == sum(rows for rows, _ in expected.values())
    assert document["photos"]["count"] == expected["photo"][0] > 0
    assert document["photos"]["equal"] is True


def test_the_text_output_shows_each_table(site: Path, tmp_path: Path):
    done = run_cli("db", "copy", "--to", str(tmp_path / "copy.db"), db=site)
    assert done.returncode == 0, done.stderr
    assert "已把" in done.stdout and "candidate" in done.stdout and "一致" in done.stdout
    assert "不一致" not in done.stdout


def test_a_target_with_data_exits_2_and_names_merge(site: Path, tmp_path: Path):
    target = tmp_path / "copy.db"
    assert run_cli("db", "copy", "--to", str(target), db=site).returncode == 0
    before = target.read_bytes()
    refused = run_cli("db", "copy", "--to", str(target), "--json", db=site)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "db_copy.target_has_data"
    assert "--merge" in refused.stderr
    assert target.read_bytes() == before


def test_merge_with_pair_reports_what_the_merge_did(site: Path, tmp_path: Path):
    target = tmp_path / "copy.db"
    assert run_cli("db", "copy", "--to", str(target), db=site).returncode == 0
    untrusted = run_cli("db", "copy", "--to", str(target), "--merge", "--json", db=site)
    assert untrusted.returncode == 2
    assert json.loads(untrusted.stdout)["error"]["code"] == "db_copy.merge_untrusted"
    done = run_cli("db", "copy", "--to", str(target), "--merge", "--pair", "--json", db=site)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["mode"] == "merge" and document["tables"] == []
    assert document["merge"]["applied"] is True and document["merge"]["paired"] is True
    assert "candidate" in document["target_held"]
    text = run_cli("db", "copy", "--to", str(target), "--merge", db=site)
    assert text.returncode == 0 and "新增" in text.stdout


def test_a_plain_postgresql_url_copies_to_the_server(site: Path, copy_server: Any):
    url = new_server_database(copy_server).replace("postgresql+psycopg://", "postgresql://")
    done = run_cli("db", "copy", "--to", url, "--json", db=site)
    assert done.returncode == 0, done.stderr
    assert all(t["equal"] for t in json.loads(done.stdout)["tables"])


def test_a_copy_onto_itself_exits_2(site: Path):
    done = run_cli("db", "copy", "--to", str(site), db=site)
    assert done.returncode == 2
    assert "同一个数据库" in done.stderr
