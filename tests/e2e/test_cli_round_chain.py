"""The whole chain of steps 4 to 7 on the demo site, from the command line, as a
coordinator's script runs it: register → propose rooms → assign invigilators → arrange,
then read it all back in the shapes the issue fixes."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli_runner import run_cli

from examsite.services.demo import DEMO_PLAN_CODE


def _json(*args: str, db: Path, code: int = 0) -> Any:
    result = run_cli(*args, "--json", db=db)
    assert result.returncode == code, (args, result.stdout, result.stderr)
    return json.loads(result.stdout)


def test_register_propose_assign_arrange_on_the_demo(
    demo_db_file: Callable[[int], Path],
) -> None:
    db = demo_db_file(120)
    plan = DEMO_PLAN_CODE
    # the levels the demo site examines (junior and intermediate); every ready candidate,
    # the rest (quota full, no photo …) refused with a reason while the others register
    for certificate in _json("site", "show", db=db)["certificates"]:
        added = _json(
            "registration", "add", "--plan", plan, "--certificate", certificate["code"],
            "--all-ready", db=db,
        )  # fmt: skip
        assert added["added"]
        assert all(r["reason"] for r in added["refused"])
    registered = _json("registration", "list", "--plan", plan, db=db)
    assert registered, "the demo's ready candidates register"
    for row in registered:
        assert set(row) == {"id_number", "certificate_code", "level", "subjects", "status"}
        assert len(row["subjects"]) == 2  # theory + practical: the 2-records check
    # nobody twice for one certificate
    assert len({(r["id_number"], r["certificate_code"]) for r in registered}) == len(registered)

    _json("rooms", "propose", "--plan", plan, db=db)
    _json("staff", "assign", "--plan", plan, db=db)
    _json("arrange", "run", "--plan", plan, db=db)

    seats = _json("arrange", "show", "--plan", plan, db=db)
    for row in seats:
        assert set(row) == {
            "ticket",
            "id_number",
            "name",
            "subject",
            "session_start",
            "room",
            "seat",
        }
    # one row per candidate per session; one ticket per registration, the same on its
    # theory and its practical session, and never another candidate's
    assert len(seats) == 2 * len(registered)
    by_ticket: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in seats:
        by_ticket[row["ticket"]].append(row)
    assert len(by_ticket) == len(registered)
    for rows in by_ticket.values():
        assert len(rows) == 2 and len({r["id_number"] for r in rows}) == 1
        assert len({r["session_start"] for r in rows}) == 2
    # seats numbered from 1 and unique within each room session
    by_room_session = Counter((r["room"], r["session_start"], r["seat"]) for r in seats)
    assert max(by_room_session.values()) == 1
    assert min(r["seat"] for r in seats) == 1

    rooms = _json("staff", "assignments", "--plan", plan, db=db)
    assert rooms
    for room in rooms:
        assert set(room) == {"room", "session_start", "candidates", "invigilators"}
        if room["candidates"]:
            assert len(room["invigilators"]) >= 2
    # nobody invigilates two rooms at the same start
    duty = Counter((name, r["session_start"]) for r in rooms for name in r["invigilators"])
    assert max(duty.values()) == 1

    # running it again moves nobody
    _json("arrange", "run", "--plan", plan, db=db)
    assert _json("arrange", "show", "--plan", plan, db=db) == seats
