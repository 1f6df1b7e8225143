"""``export transfer`` and ``import bundle`` as a coordinator's script runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli_runner import run_cli


def test_export_then_import_pairs_merges_and_refuses_a_replay(
    demo_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    source = demo_db_file(30)
    target = tmp_path / "other-pc.db"
    bundle = tmp_path / "usb" / "site.zip"

    exported = run_cli("export", "transfer", "--out", str(bundle), "--json", db=source)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert document["counts"]["candidate"] == 30 and document["sequence"] >= 1
    assert bundle.exists()

    dry = run_cli("import", "bundle", str(bundle), "--dry-run", "--json", db=target)
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert planned["dry_run"] and not planned["applied"] and planned["added"]["candidate"] == 30

    merged = run_cli("import", "bundle", str(bundle), db=target)
    assert merged.returncode == 0, merged.stderr
    assert "已与考点" in merged.stdout and "配对" in merged.stdout
    listed = json.loads(run_cli("candidates", "list", "--json", db=target).stdout)
    assert len(listed["candidates"] if isinstance(listed, dict) else listed) == 30

    replay = run_cli("import", "bundle", str(bundle), "--json", db=target)
    assert replay.returncode == 2
    assert "旧的包" in replay.stdout + replay.stderr


def test_a_damaged_bundle_exits_2_with_a_chinese_message(
    demo_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    source = demo_db_file(30)
    bundle = tmp_path / "site.zip"
    assert run_cli("export", "transfer", "--out", str(bundle), db=source).returncode == 0
    bundle.write_bytes(bundle.read_bytes()[:-200])
    refused = run_cli("import", "bundle", str(bundle), db=tmp_path / "other.db")
    assert refused.returncode == 2
    assert "数据包" in refused.stdout + refused.stderr


def _set_class(path: Path, id_number: str, class_name: str) -> None:
    from sqlalchemy import select

    from examsite.storage.db import Database
    from examsite.storage.models import Candidate

    database = Database.open(path)
    try:
        with database.unit_of_work() as session:
            candidate = session.scalars(
                select(Candidate).where(Candidate.id_number == id_number)
            ).one()
            candidate.class_name = class_name
    finally:
        database.close()


def test_a_conflict_is_listed_then_resolved(
    demo_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    source, target = demo_db_file(30), tmp_path / "other-pc.db"
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    assert run_cli("export", "transfer", "--out", str(first), db=source).returncode == 0
    assert run_cli("import", "bundle", str(first), db=target).returncode == 0
    listed = json.loads(run_cli("candidates", "list", "--json", db=target).stdout)
    rows = listed["candidates"] if isinstance(listed, dict) else listed
    id_number = rows[0]["id_number"]
    _set_class(source, id_number, "甲班")
    _set_class(target, id_number, "乙班")
    assert run_cli("export", "transfer", "--out", str(second), db=source).returncode == 0

    waiting = run_cli("import", "bundle", str(second), db=target)
    assert waiting.returncode == 0
    assert f"candidate:{id_number}" in waiting.stdout and "没有写入" in waiting.stdout

    resolved = run_cli(
        "import",
        "bundle",
        str(second),
        "--resolve",
        f"candidate:{id_number}=theirs",
        "--json",
        db=target,
    )
    assert resolved.returncode == 0, resolved.stderr
    document = json.loads(resolved.stdout)
    assert document["applied"] and document["conflicts"][0]["resolution"] == "theirs"
    assert document["conflicts"][0]["fields"] == [
        {"field": "class_name", "mine": "乙班", "theirs": "甲班"}
    ]
