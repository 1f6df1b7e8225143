"""``examsite-cli`` end to end, as a coordinator's script would run it."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_cli

from examsite.services.demo import DEMO_PLAN_CODE


def test_demo_then_status_json(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    created = run_cli("demo", "create", db=db)
    assert created.returncode == 0, created.stderr
    assert "200" in created.stdout
    again = run_cli("demo", "create", "--json", db=db)
    assert json.loads(again.stdout)["created"] is False

    status = run_cli("status", "--json", db=db)
    assert status.returncode == 0, status.stderr
    document = json.loads(status.stdout)
    assert document["candidates"] == 200
    assert document["rooms"] == 0  # the demo leaves rooms to ``rooms propose``
    demo = next(p for p in document["plans"] if p["code"] == DEMO_PLAN_CODE)
    assert demo["days_left"] > 0  # live: its registration is open
    plan = next(p for p in document["plans"] if p["code"] == "2232100001")
    assert plan["registration_deadline"] == "2027-01-07T23:59:00"
    assert isinstance(plan["days_left"], int)
    assert {s["step"] for s in document["steps"]} >= {"site", "candidates", "photos", "results"}
    assert all(set(s) >= {"step", "state", "problems"} for s in document["steps"])


def test_catalog_show_json(tmp_path: Path) -> None:
    result = run_cli("catalog", "show", "--json", db=tmp_path / "c.db")
    document = json.loads(result.stdout)
    codes = {c["code"] for c in document["certificates"]}
    assert {"1630054223010588", "1630054223020943", "1630054223031298"} <= codes
    assert all(len(c["subjects"]) == 2 for c in document["certificates"])
    plan = next(p for p in document["plans"] if p["code"] == "2232100001")
    assert len(plan["certificate_codes"]) == 3


def test_human_status_speaks_chinese(tmp_path: Path) -> None:
    result = run_cli("status", db=tmp_path / "h.db")
    assert result.returncode == 0
    assert "考试计划" in result.stdout and "报考截止" in result.stdout


def test_refused_input_exits_2_and_says_why_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run_cli("catalog", "import", str(bad), db=tmp_path / "r.db")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "JSON" in result.stderr
