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
