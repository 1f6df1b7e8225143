"""``export history`` as a coordinator's script runs it: the bundles written and read,
newest first, a refused one with its reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from cli_runner import run_cli


def test_history_lists_exports_imports_and_refusals_newest_first(
    demo_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    source = demo_db_file(30)
    target = tmp_path / "other-pc.db"
    bundle = tmp_path / "site.zip"

    empty = run_cli("export", "history", "--json", db=target)
    assert empty.returncode == 0, empty.stderr
    assert json.loads(empty.stdout) == {"bundles": []}

    assert run_cli("export", "transfer", "--out", str(bundle), db=source).returncode == 0
    assert run_cli("import", "bundle", str(bundle), "--dry-run", db=target).returncode == 0
    assert run_cli("import", "bundle", str(bundle), db=target).returncode == 0
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bundle.read_bytes()[:-300])
    assert run_cli("import", "bundle", str(damaged), db=target).returncode == 2

    listed = run_cli("export", "history", "--json", db=target)
    assert listed.returncode == 0, listed.stderr
    bundles = json.loads(listed.stdout)["bundles"]
    assert [(b["direction"], b["kind"], b["outcome"]) for b in bundles] == [
        ("import", "site-transfer", "refused"),
        ("import", "site-transfer", "merged"),
        ("import", "site-transfer", "dry_run"),
    ]
    refused, merged = bundles[0], bundles[1]
    assert refused["file"] == "damaged.zip" and refused["summary"]["reason"].startswith("bundle.")
    assert refused["content"] == refused["summary"]["message"]
    assert merged["counts"]["added"] > 0 and merged["size_bytes"] == bundle.stat().st_size
    assert bundles[0]["at"] >= bundles[1]["at"] >= bundles[2]["at"]

    one = json.loads(run_cli("export", "history", "--limit", "1", "--json", db=target).stdout)
    assert one["bundles"] == bundles[:1]

    exported = json.loads(run_cli("export", "history", "--json", db=source).stdout)["bundles"]
    assert [(b["direction"], b["outcome"], b["file"]) for b in exported] == [
        ("export", "written", "site.zip")
    ]

    text = run_cli("export", "history", db=target)
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["时间", "方向", "类型", "结果", "文件", "内容"]
    assert "被拒绝" in lines[1] and "damaged.zip" in lines[1]
    assert "已合并" in lines[2] and "试运行" in lines[3]

    bad = run_cli("export", "history", "--limit", "0", db=target)
    assert bad.returncode == 2
    assert "“0”不是正整数" in bad.stderr
    word = run_cli("export", "history", "--limit", "abc", db=target)
    assert word.returncode == 2 and "“abc”不是正整数" in word.stderr
    assert "_positive" not in word.stderr  # argparse would name the function
