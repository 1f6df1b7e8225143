"""``examsite-cli site …`` and ``staff …`` with ``--json``: the chain a script runs on the
demo site (registrations made straight in the database: registration is another step)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_cli

import staff_world as w
from examsite.services.demo import STAFF_TEAM
from examsite.storage.db import Database


def cli_json(*args: str, db: Path, code: int = 0):
    done = run_cli(*args, "--json", db=db)
    assert done.returncode == code, done.stderr
    return json.loads(done.stdout)


def registered_demo(demo_db_file, count: int = 40) -> Path:
    path = demo_db_file(20)
    database = Database.open(path)
    w.rooms(database, [45, 45])  # the demo makes none: rooms come from registrations
    w.register(database, [w.Group(count)])
    database.close()
    return path


def test_site_show_set_certificates_check_tick(demo_db_file):
    db = demo_db_file(20)
    shown = cli_json("site", "show", db=db)
    assert shown["name"].endswith("（初级、中级）考核站点") and len(shown["certificates"]) == 2
    changed = cli_json("site", "set", "--province", "湖北省", "--code", "S-9", db=db)
    assert (changed["province"], changed["code"]) == ("湖北省", "S-9")
    added = cli_json("site", "certificates", "add", "1630054223031298", db=db)
    assert added["name"].endswith("（初级、中级、高级）考核站点")
    check = cli_json("site", "check", db=db)
    assert set(check) == {"items", "done", "total", "readiness", "missing"}
    assert check["readiness"] == round(100 * check["done"] / check["total"])
    assert all(m["reasons"] for m in check["missing"])
    ticked = cli_json("site", "tick", "servers", db=db)
    assert ticked["done"] == check["done"] + 1
    undone = cli_json("site", "tick", "servers", "--undo", db=db)
    assert undone["done"] == check["done"]
    refused = run_cli("site", "tick", "staff_team", "--json", db=db)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "site.not_tickable"
    human = run_cli("site", "check", db=db)
    assert "达标" in human.stdout and "缺少" in human.stdout


def test_staff_roster_commands(demo_db_file):
    db = demo_db_file(20)
    listed = cli_json("staff", "list", db=db)
    assert (
        len(listed["staff"]) == len(STAFF_TEAM) and listed["team"]["ok"] and listed["duty_cap"] == 3
    )
    added = cli_json(
        "staff",
        "add",
        "--name",
        "新老师",
        "--department",
        "经济管理学院",
        "--roles",
        "监考员,后勤",
        "--majors",
        "530605:市场营销",
        "--classes",
        "营销2101",
        "--certified",
        "--phone",
        "13900001111",
        db=db,
    )
    assert added["roles"] == ["logistics", "invigilator"] and added["certified"]
    edited = cli_json("staff", "edit", "新老师", "--cap", "2", "--not-certified", db=db)
    assert edited["daily_duty_cap"] == 2 and not edited["certified"]
    assert edited["majors_taught"] == [{"code": "530605", "name": "市场营销"}]
    bad = run_cli("staff", "add", "--name", "新老师", "--json", db=db)
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["error"]["problems"][0]["code"] == "staff.duplicate_name"
    assert cli_json("staff", "set-cap", "4", db=db) == {"duty_cap": 4}
    assert cli_json("staff", "remove", "新老师", db=db)["removed"]["name"] == "新老师"


def test_assign_then_assignments_explain_by_hand_and_sheet(demo_db_file, tmp_path: Path):
    db = registered_demo(demo_db_file, 40)
    report = cli_json("staff", "assign", "--plan", w.PLAN, db=db)
    assert report["complete"] and report["added"] > 0
    rows = cli_json("staff", "assignments", "--plan", w.PLAN, db=db)
    assert rows and all(
        set(r) == {"room", "session_start", "candidates", "invigilators"} for r in rows
    )
    busy = [r for r in rows if r["candidates"]]
    assert busy and all(len(r["invigilators"]) == 2 for r in busy)  # 40: 003 asks 2
    assert busy[0]["session_start"].startswith("2027-01-10T")
    details = cli_json("staff", "assignments", "--plan", w.PLAN, "--details", db=db)
    room, session = details[0]["room"], details[0]["session"]
    explained = cli_json(
        "staff", "explain", "--plan", w.PLAN, "--room", room, "--session", session, db=db
    )
    teacher = next(
        p
        for p in explained["people"]
        if not p["assigned"]
        and any(r["code"] == "staff.reason_teaches_major" for r in p["reasons"]) is False
        and any(r["code"] == "staff.reason_not_invigilator" for r in p["reasons"])
    )
    assert teacher["allowed"] is False
    # a hand-made assignment of someone who is not an invigilator: allowed, with a warning
    hand = cli_json(
        "staff",
        "assign-one",
        "--plan",
        w.PLAN,
        "--room",
        room,
        "--session",
        session,
        "--staff",
        teacher["name"],
        db=db,
    )
    assert hand["warnings"][0]["code"] == "staff.reason_not_invigilator"
    after = cli_json("staff", "assignments", "--plan", w.PLAN, "--details", db=db)
    row = next(r for r in after if r["room"] == room and r["session"] == session)
    assert teacher["name"] in row["invigilators"] and row["warnings"]
    again = cli_json("staff", "assign", "--plan", w.PLAN, db=db)
    assert again["kept_manual"] == 1
    removed = cli_json(
        "staff",
        "unassign",
        "--plan",
        w.PLAN,
        "--room",
        room,
        "--session",
        session,
        "--staff",
        teacher["name"],
        db=db,
    )
    assert removed["removed"] == teacher["name"]
    sheet = cli_json("staff", "sheet", "--plan", w.PLAN, "-o", str(tmp_path / "s.xlsx"), db=db)
    now = cli_json("staff", "assignments", "--plan", w.PLAN, db=db)
    assert sheet["rows"] == sum(len(r["invigilators"]) for r in now)


def test_a_short_assignment_exits_2_and_says_where(demo_db_file):
    db = registered_demo(demo_db_file, 40)
    people = cli_json("staff", "list", db=db)["staff"]
    for person in [p for p in people if "invigilator" in p["roles"]][1:]:
        cli_json("staff", "edit", person["name"], "--roles", "后勤保障", db=db)
    report = cli_json("staff", "assign", "--plan", w.PLAN, db=db, code=2)
    assert not report["complete"] and report["short"]
    first = report["short"][0]
    assert first["found"] < first["needed"] and first["why"]
    human = run_cli("staff", "assign", "--plan", w.PLAN, db=db)
    assert human.returncode == 2 and "监考员不足" in human.stderr and "不足：" in human.stdout


def test_unknown_plan_and_room_are_refused(demo_db_file):
    db = demo_db_file(20)
    plan = run_cli("staff", "assign", "--plan", "NOPE", "--json", db=db)
    assert plan.returncode == 2
    assert json.loads(plan.stdout)["error"]["code"] == "catalog.plan_not_found"
    room = run_cli(
        "staff", "explain", "--plan", w.PLAN, "--room", "X", "--session", "Y", "--json", db=db
    )
    assert json.loads(room.stdout)["error"]["code"] == "staff.room_session_not_found"
