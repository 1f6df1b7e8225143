"""``examsite-cli arrange …`` and ``import arrangement`` with ``--json``, as a script would
use them: the run, the printed arrangement, each late change and what they refuse."""

from __future__ import annotations

import json

import openpyxl
from cli_runner import run_cli

from arrangement_data import PLAN, add_registrations, add_rooms, session_uid
from examsite.storage.db import Database

KEYS = {"ticket", "id_number", "name", "subject", "session_start", "room", "seat"}


def test_the_whole_arrangement_from_the_command_line(db: Database, tmp_path) -> None:
    add_rooms(db, [8, 8])
    ids = add_registrations(db, [("A", 6), ("B", 6)])
    path = db.url

    ran = run_cli("arrange", "run", "--plan", PLAN, "--json", db=path)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {
        "plan": PLAN,
        "strategy": "class-spread",
        "seated": 24,
        "kept": 0,
        "tickets": 12,
        "total": 24,
    }
    shown = run_cli("arrange", "show", "--plan", PLAN, "--json", db=path)
    rows = json.loads(shown.stdout)
    assert len(rows) == 24 and all(set(r) == KEYS for r in rows)
    assert rows[0]["session_start"] == "2027-01-10T08:30:00" and rows[0]["seat"] == 1

    theory = session_uid(db, "theory")
    moved = run_cli(
        "arrange", "move", "--plan", PLAN, "--id", ids[0], "--session", theory,
        "--room", "第2考场", "--json", db=path,
    )  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    change = json.loads(moved.stdout)["changes"][0]
    assert change["room"] == "第2考场" and change["seat"] >= 5  # after the 4 seated there

    refused = run_cli(
        "arrange", "move", "--plan", PLAN, "--id", ids[1], "--session", theory,
        "--room", "第2考场", "--seat", "1", "--json", db=path,
    )  # fmt: skip
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "arrange.seat_taken"

    swapped = run_cli(
        "arrange", "swap", "--plan", PLAN, "--ids", ids[1], ids[2], "--session", theory,
        "--json", db=path,
    )  # fmt: skip
    assert swapped.returncode == 0 and len(json.loads(swapped.stdout)["changes"]) == 2

    out = run_cli("arrange", "withdraw", "--plan", PLAN, "--id", ids[3], "--json", db=path)
    assert [c["seat"] for c in json.loads(out.stdout)["changes"]] == [0, 0]
    back = run_cli("arrange", "seat", "--plan", PLAN, "--id", ids[3], "--json", db=path)
    assert back.returncode == 0 and len(json.loads(back.stdout)["changes"]) == 2
    unknown = run_cli("arrange", "seat", "--plan", PLAN, "--id", "X1", "--json", db=path)
    assert unknown.returncode == 2
    assert json.loads(unknown.stdout)["error"]["code"] == "arrange.candidate_not_registered"

    human = run_cli("arrange", "show", "--plan", PLAN, db=path)
    assert "准考证号" in human.stdout and "第2考场" in human.stdout

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["学生姓名", "身份证号", "准考证号", "考场名称", "考位号"])
    sheet.append(["考生004", ids[4], "OFFICIAL-4", "第1考场", 8])
    book.save(tmp_path / "明细.xlsx")
    imported = run_cli("import", "arrangement", str(tmp_path / "明细.xlsx"), "--json", db=path)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["tickets"] == 1
    rows = json.loads(run_cli("arrange", "show", "--plan", PLAN, "--json", db=path).stdout)
    assert {(r["room"], r["seat"], r["ticket"]) for r in rows if r["id_number"] == ids[4]} == {
        ("第1考场", 8, "OFFICIAL-4")
    }


def test_seats_running_out_exit_2_with_the_count_per_session(db: Database) -> None:
    add_rooms(db, [5])
    add_registrations(db, [("A", 7)])
    ran = run_cli("arrange", "run", "--plan", PLAN, "--json", db=db.url)
    assert ran.returncode == 2
    error = json.loads(ran.stdout)["error"]
    assert error["code"] == "arrange.seats_short" and error["params"]["count"] == "4"
    assert [p["params"]["count"] for p in error["problems"]] == [2, 2]
    assert json.loads(run_cli("arrange", "show", "--plan", PLAN, "--json", db=db.url).stdout) == []
