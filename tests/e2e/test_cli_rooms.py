"""``rooms`` and ``sessions check`` end to end with --json, on a copy of the demo site."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
from cli_runner import run_cli

from examsite.services.demo import DEMO_PLAN_CODE

PLAN = DEMO_PLAN_CODE
JUNIOR = "1630054223010588"


def register_all(path: Path, certificate: str, count: int) -> None:
    """Register the demo's first ``count`` candidates straight in SQL (the registration
    command is built elsewhere), one record per subject."""
    with sqlite3.connect(path) as con:
        plan = con.execute("select id from exam_plan where code = ?", (PLAN,)).fetchone()[0]
        cert = con.execute("select id from certificate where code = ?", (certificate,)).fetchone()[
            0
        ]
        subjects = [
            r[0] for r in con.execute("select id from subject where certificate_id = ?", (cert,))
        ]
        for (candidate,) in con.execute(
            "select id from candidate order by id limit ?", (count,)
        ).fetchall():
            cursor = con.execute(
                "insert into registration (uid, candidate_id, plan_id, certificate_id, fee, kind,"
                " home_school, source, ticket_official, created_at, updated_at)"
                " values (lower(hex(randomblob(16))), ?, ?, ?, 0, 'school', '', 'page', 0,"
                " datetime('now'), datetime('now'))",
                (candidate, plan, cert),
            )
            for subject in subjects:
                con.execute(
                    "insert into registration_subject (registration_id, subject_id, status)"
                    " values (?, ?, 'unarranged')",
                    (cursor.lastrowid, subject),
                )  # fmt: skip


def cli_json(*args: str, db: Path) -> object:
    result = run_cli(*args, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_rooms_add_list_edit_remove(demo_db_file) -> None:
    db = demo_db_file(20)
    added = cli_json("rooms", "add", "--plan", PLAN, "--certificate", JUNIOR, "--name",
                     "信息楼 501 机房", "--seats", "45", "--exam-capacity", "40",
                     "--province", "湖北省", db=db)  # fmt: skip
    assert added["room_type"] == "机考+实操" and added["capacity"] == 40
    listed = cli_json("rooms", "list", "--plan", PLAN, db=db)
    assert [r["name"] for r in listed["rooms"]] == ["信息楼 501 机房"]
    edited = cli_json("rooms", "edit", "信息楼 501 机房", "--plan", PLAN, "--seats", "50", db=db)
    assert edited["seats"] == 50
    again = run_cli("rooms", "add", "--plan", PLAN, "--certificate", JUNIOR, "--name",
                    "信息楼 501 机房", "--seats", "45", "--json", db=db)  # fmt: skip
    assert again.returncode == 2
    assert json.loads(again.stdout)["error"]["code"] == "rooms.name_taken"
    cli_json("rooms", "remove", "信息楼 501 机房", "--plan", PLAN, db=db)
    assert cli_json("rooms", "list", "--plan", PLAN, db=db)["rooms"] == []


def test_rooms_propose_check_and_sessions_check(demo_db_file) -> None:
    db = demo_db_file(100)
    register_all(db, JUNIOR, 90)
    before = cli_json("rooms", "check", "--plan", PLAN, db=db)
    assert before["short_sessions"] == 2
    assert {s["short_by"] for s in before["sessions"]} == {90}
    proposed = cli_json("rooms", "propose", "--plan", PLAN, db=db)
    (cert,) = proposed["certificates"]
    assert cert["candidates"] == 90 and cert["short_by"] == 0 and len(cert["added"]) == 3
    after = cli_json("rooms", "check", "--plan", PLAN, db=db)
    assert after["short_sessions"] == 0
    split = after["sessions"][0]["split"]
    assert sum(s["candidates"] for s in split) == 90 and {s["candidates"] for s in split} == {30}
    clashes = cli_json("sessions", "check", "--plan", PLAN, db=db)
    assert clashes == {"plan": PLAN, "ok": True, "clashes": []}
    human = run_cli("rooms", "check", "--plan", PLAN, db=db)
    assert "30 + 30 + 30" in human.stdout


def test_rooms_template_import_export(demo_db_file, tmp_path: Path) -> None:
    db = demo_db_file(20)
    template = tmp_path / "t.xlsx"
    assert cli_json("rooms", "template", "-o", str(template), db=db)["file"] == str(template)
    book = openpyxl.load_workbook(template)
    ws = book.worksheets[0]
    ws.append([PLAN, "计划", "S1", "站点", "A 机房", 45, "湖北省", "武汉市", "洪山区", "一号楼",
               JUNIOR, "数字营销技术应用职业技能等级证书", "初级", "理论,实操", "机考+实操"])  # fmt: skip
    book.save(template)
    report = cli_json("rooms", "import", str(template), db=db)
    assert report["created"] == 1
    out = tmp_path / "out.xlsx"
    assert cli_json("rooms", "export", "--plan", PLAN, "-o", str(out), db=db)["rooms"] == 1
    bad = tmp_path / "bad.xlsx"
    ws.append([PLAN, "计划", "S1", "站点", "A 机房", "很多"])
    book.save(bad)
    refused = run_cli("rooms", "import", str(bad), "--json", db=db)
    assert refused.returncode == 2
    problems = json.loads(refused.stdout)["error"]["problems"]
    assert any(p["row"] and "不是整数" in p["message"] for p in problems)


def test_rooms_labs(demo_db_file) -> None:
    db = demo_db_file(20)
    assert len(cli_json("rooms", "labs", "list", db=db)["labs"]) == 9
    lab = cli_json("rooms", "labs", "add", "--name", "新机房", "--seats", "50", db=db)
    assert lab["capacity"] == 50
    assert (
        cli_json("rooms", "labs", "edit", "新机房", "--exam-capacity", "40", db=db)["capacity"]
        == 40
    )
    cli_json("rooms", "labs", "remove", "新机房", db=db)
    missing = run_cli("rooms", "labs", "remove", "新机房", "--json", db=db)
    assert missing.returncode == 2


def test_rooms_export_planned_seats(demo_db_file, tmp_path: Path) -> None:
    db = demo_db_file(100)
    register_all(db, JUNIOR, 90)
    cli_json("rooms", "propose", "--plan", PLAN, db=db)
    out = tmp_path / "planned.xlsx"
    cli_json("rooms", "export", "--plan", PLAN, "--planned-seats", "-o", str(out), db=db)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert sorted(ws.cell(r, 6).value for r in range(4, ws.max_row + 1)) == [30, 30, 30]
