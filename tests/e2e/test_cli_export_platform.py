"""``examsite-cli export platform`` with ``--json``: the dry run, the bundle, the diff on
a second run, and a refusal (exit 2, nothing written)."""

from __future__ import annotations

import json

from cli_runner import run_cli

from examsite.formats.bundle import read_bundle
from examsite.services.demo import DEMO_PLAN_CODE

PLAN = DEMO_PLAN_CODE


def test_export_platform_with_json(arranged_db_file, tmp_path) -> None:
    db = arranged_db_file(60)
    usb = tmp_path / "usb"
    usb.mkdir()
    dry = run_cli(
        "export", "platform", "--plan", PLAN, "--out", str(usb), "--dry-run", "--json", db=db
    )
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert planned["dry_run"] is True and planned["path"] is None
    assert list(usb.iterdir()) == []
    assert planned["counts"]["candidates"] > 0 and planned["diff"]["last_export"] is None

    ran = run_cli("export", "platform", "--plan", PLAN, "--out", str(usb), "--json", db=db)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["counts"] == planned["counts"]
    assert len(result["diff"]["added"]) == result["counts"]["candidates"]
    bundle = read_bundle(tmp_path / "usb" / result["path"].rsplit("/", 1)[-1])
    assert sorted(bundle.files) == sorted(result["files"])
    assert bundle.manifest.counts["photos"] == result["counts"]["photos"]

    again = run_cli("export", "platform", "--plan", PLAN, "--out", str(usb / "again.zip"), db=db)
    assert again.returncode == 0, again.stderr
    assert "已导出平台上传包" in again.stdout and "新增 0 人" in again.stdout


def test_a_refused_export_exits_2_and_writes_nothing(arranged_db_file, tmp_path) -> None:
    db = arranged_db_file(60)
    bad = run_cli(
        "export", "platform", "--plan", PLAN, "--out", str(tmp_path / "up.txt"), "--json", db=db
    )
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["error"]["code"] == "bundle.platform_out_not_zip"
    assert not (tmp_path / "up.txt").exists()
    unknown = run_cli("export", "platform", "--plan", "NOPE", "--out", str(tmp_path), db=db)
    assert unknown.returncode == 2
