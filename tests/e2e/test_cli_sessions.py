"""``examsite-cli sessions list|set``: the timetable of a plan and a coordinator's change."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_cli


def test_list_then_move_a_session(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    listed = run_cli("sessions", "list", "--plan", "2232100001", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    sessions = json.loads(listed.stdout)["sessions"]
    assert len(sessions) == 6
    theory = next(
        s for s in sessions if s["certificate"] == "1630054223010588" and s["subject"] == "theory"
    )
    assert (theory["start"], theory["end"]) == ("2027-01-10T08:30:00", "2027-01-10T09:30:00")

    moved = run_cli("sessions", "set", theory["uid"], "--start", "2027-01-10T09:00", db=db)
    assert moved.returncode == 0, moved.stderr
    assert "09:00 ~ 10:00" in moved.stdout and "已手动调整" in moved.stdout

    human = run_cli("sessions", "list", "--plan", "2232100001", db=db)
    assert "数字营销技术应用职业技能等级证书（中级）实操" in human.stdout

    refused = run_cli(
        "sessions", "set", theory["uid"], "--start", "2027-01-10T07:00", "--json", db=db
    )
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "sessions.outside_exam_window"
    assert "考试时间" in refused.stderr

    backwards = run_cli(
        "sessions", "set", theory["uid"], "--start", "2027-01-10T10:00", "--end", "09:00", db=db
    )
    assert backwards.returncode == 2 and "有效的时间" in backwards.stderr
