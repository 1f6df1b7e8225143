"""``checkin scan|mark|list`` as a script would run them on the arranged demo: the list's
exact shape, a scan accepted (exit 0) and refused (exit 2, the Chinese reason on stderr,
nothing written), a mark by hand, the door given by --room and --session."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_runner import run_cli

from examsite import clock
from examsite.services.demo import DEMO_PLAN_CODE as PLAN

LIST_KEYS = [
    "ticket",
    "id_number",
    "name",
    "subject",
    "session_start",
    "room",
    "seat",
    "status",
    "checked_in_at",
]


@pytest.fixture
def db(arranged_db_file) -> Path:
    return arranged_db_file(60)


def listing(db: Path, *args: str) -> list[dict]:
    result = run_cli("checkin", "list", "--plan", PLAN, *args, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sessions(db: Path) -> dict[str, dict]:
    result = run_cli("sessions", "list", "--plan", PLAN, "--json", db=db)
    return {s["start"]: s for s in json.loads(result.stdout)["sessions"] if s["rooms"]}


def test_list_prints_exactly_the_fields(db: Path) -> None:
    rows = listing(db)
    assert rows and all(list(row) == LIST_KEYS for row in rows)
    assert all(row["status"] is None and row["checked_in_at"] is None for row in rows)
    starts = [row["session_start"] for row in rows]
    assert starts == sorted(starts)
    room = rows[0]["room"]
    first = rows[0]["session_start"]
    uid = sessions(db)[first]["uid"]
    door = listing(db, "--room", room, "--session", uid)
    assert {(r["room"], r["session_start"]) for r in door} == {(room, first)}
    assert [r["seat"] for r in door] == sorted(r["seat"] for r in door)
    assert len(listing(db, "--session", uid)) > len(door)


def test_scan_accepted_then_refused_as_already(db: Path) -> None:
    row = listing(db)[0]
    start = dt.datetime.fromisoformat(row["session_start"])
    with clock.fixed(start - dt.timedelta(minutes=5)):
        ok = run_cli("checkin", "scan", "--plan", PLAN, row["ticket"], "--json", db=db)
        again = run_cli("checkin", "scan", "--plan", PLAN, row["id_number"].lower(), db=db)
    assert ok.returncode == 0, ok.stderr
    scanned = json.loads(ok.stdout)
    assert scanned["verdict"] == "checked_in" and scanned["accepted"] is True
    assert scanned["candidate"]["seat"] == row["seat"]
    assert scanned["candidate"]["id_number_masked"].endswith(row["id_number"][-4:])
    assert again.returncode == 2
    assert "请勿重复签到" in again.stderr
    (after,) = [r for r in listing(db) if r["ticket"] == row["ticket"] and r["seat"] == row["seat"]
                and r["session_start"] == row["session_start"]]  # fmt: skip
    assert after["status"] == "present"
    assert after["checked_in_at"] == (start - dt.timedelta(minutes=5)).isoformat()


def test_scan_at_the_wrong_door_exits_2_naming_the_room_and_writes_nothing(db: Path) -> None:
    rows = listing(db)
    first = rows[0]
    other = next(
        r
        for r in rows
        if r["session_start"] == first["session_start"] and r["room"] != first["room"]
    )
    uid = sessions(db)[first["session_start"]]["uid"]
    start = dt.datetime.fromisoformat(first["session_start"])
    with clock.fixed(start - dt.timedelta(minutes=5)):
        result = run_cli(
            "checkin", "scan", "--plan", PLAN, "--room", first["room"], "--session", uid,
            other["ticket"], db=db,
        )  # fmt: skip
    assert result.returncode == 2
    assert f"{other['room']} {other['seat']} 号座位" in result.stderr
    assert all(r["status"] is None for r in listing(db))


def test_scan_after_entry_closed_is_refused_and_recorded(db: Path) -> None:
    row = listing(db)[0]
    start = dt.datetime.fromisoformat(row["session_start"])
    with clock.fixed(start + dt.timedelta(minutes=30, seconds=1)):
        result = run_cli("checkin", "scan", "--plan", PLAN, row["ticket"], "--json", db=db)
    assert result.returncode == 2
    assert json.loads(result.stdout)["verdict"] == "refused_late"
    assert "不能入场" in result.stderr
    statuses = {(r["ticket"], r["session_start"]): r["status"] for r in listing(db)}
    assert statuses[(row["ticket"], row["session_start"])] == "refused_late"


def test_unknown_code_and_half_a_door_are_refused(db: Path) -> None:
    unknown = run_cli("checkin", "scan", "--plan", PLAN, "123456789", db=db)
    assert unknown.returncode == 2 and "查无此人" in unknown.stderr
    half = run_cli("checkin", "scan", "--plan", PLAN, "--room", "X", "123456789", db=db)
    assert half.returncode == 2 and "--session" in half.stderr


def test_mark_by_hand_with_subject_note_and_clear(db: Path) -> None:
    row = listing(db)[0]
    ticket = row["ticket"]
    start = dt.datetime.fromisoformat(row["session_start"])
    with clock.fixed(start - dt.timedelta(days=1)):
        which = run_cli(
            "checkin", "mark", "--plan", PLAN, "--ticket", ticket, "--status", "缺考", db=db
        )
        marked = run_cli(
            "checkin", "mark", "--plan", PLAN, "--ticket", ticket, "--status", "misconduct",
            "--subject", "理论", "--note", "携带手机", "--json", db=db,
        )  # fmt: skip
    assert which.returncode == 2 and "--subject" in which.stderr
    assert marked.returncode == 0, marked.stderr
    done = json.loads(marked.stdout)
    assert (done["status"], done["note"]) == ("misconduct", "携带手机")
    with clock.fixed(start + dt.timedelta(minutes=40)):
        left = run_cli(
            "checkin", "mark", "--plan", PLAN, "--ticket", ticket, "--status", "提前离场",
            "--left-at", f"{start + dt.timedelta(minutes=35):%H:%M}", "--json", db=db,
        )  # fmt: skip
        bad = run_cli(
            "checkin", "mark", "--plan", PLAN, "--ticket", ticket, "--status", "left_early",
            "--left-at", "9点", db=db,
        )  # fmt: skip
        cleared = run_cli(
            "checkin", "mark", "--plan", PLAN, "--ticket", ticket, "--status", "unmarked", db=db
        )
    assert left.returncode == 0, left.stderr
    assert json.loads(left.stdout)["left_at"] == (start + dt.timedelta(minutes=35)).isoformat()
    assert bad.returncode == 2 and "HH:MM" in bad.stderr
    assert cleared.returncode == 0
    assert all(r["status"] is None for r in listing(db) if r["ticket"] == ticket)
    wrong = run_cli(
        "checkin", "mark", "--plan", PLAN, "--ticket", ticket, "--status", "gone", db=db
    )
    assert wrong.returncode == 2
