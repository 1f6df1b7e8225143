"""``audit verify`` and ``audit list`` from the command line, on an arranged demo site
(whose registrations, rooms and seats wrote the audit log), on either engine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli_runner import run_cli

from audit_tamper import tamper
from examsite.storage.db import Database


def cli(db: Path, *args: str, code: int = 0) -> Any:
    done = run_cli(*args, "--json", db=db)
    assert done.returncode == code, done.stderr
    return json.loads(done.stdout)


def test_verify_ok_then_broken(arranged_db_file: Callable[[int], Path]) -> None:
    path = arranged_db_file(12)
    check = cli(path, "audit", "verify")
    assert check["ok"] is True and check["first_broken"] is None
    assert check["entries"] > 10
    entries = cli(path, "audit", "list", "--limit", "100000")["entries"]
    assert len(entries) == check["entries"]
    assert check["last_id"] == entries[0]["id"]
    anchored = cli(path, "audit", "verify", "--anchor", f"{check['last_id']}:{check['last_hash']}")
    assert anchored["ok"] is True

    victim = sorted(e["id"] for e in entries)[3]
    db = Database.open(path)
    try:
        tamper(db, [f"UPDATE audit_log SET actor = 'nobody' WHERE id = {victim}"])
    finally:
        db.close()
    broken = cli(path, "audit", "verify", code=1)
    assert (broken["ok"], broken["first_broken"], broken["reason"]) == (False, victim, "altered")
    assert f"第 {victim} 条" in broken["message"] and "考点负责人" in broken["message"]
    plain = run_cli("audit", "verify", db=path)
    assert plain.returncode == 1 and f"第 {victim} 条" in plain.stdout


def test_list_filters(arranged_db_file: Callable[[int], Path]) -> None:
    path = arranged_db_file(12)
    entries = cli(path, "audit", "list", "--limit", "100000")["entries"]
    assert set(entries[0]) == {
        "id",
        "at",
        "actor",
        "action",
        "entity",
        "entity_id",
        "before",
        "after",
    }
    assert [e["id"] for e in entries] == sorted((e["id"] for e in entries), reverse=True)
    two = cli(path, "audit", "list", "--limit", "2")["entries"]
    assert [e["id"] for e in two] == [e["id"] for e in entries[:2]]
    registration = next(e for e in entries if e["entity"] == "registration")
    id_number = registration["entity_id"].split("/")[0]
    mine = cli(path, "audit", "list", "--candidate", id_number)["entries"]
    assert mine and all(id_number in e["entity_id"] for e in mine)
    assert registration["id"] in {e["id"] for e in mine}
    kinds = cli(path, "audit", "list", "--entity", "registration", "--limit", "100000")
    assert {e["entity"] for e in kinds["entries"]} == {"registration"}
    day = entries[0]["at"][:10]
    same_day = cli(path, "audit", "list", "--since", day, "--until", day, "--limit", "100000")
    assert len(same_day["entries"]) == len(entries)
    assert cli(path, "audit", "list", "--until", "2000-01-01")["entries"] == []
    actor = entries[0]["actor"]
    by_actor = cli(path, "audit", "list", "--person", actor, "--limit", "100000")["entries"]
    assert by_actor and {e["actor"] for e in by_actor} == {actor}
    assert cli(path, "audit", "list", "--person", "没有这个人")["entries"] == []


def test_bad_input_is_refused(arranged_db_file: Callable[[int], Path]) -> None:
    path = arranged_db_file(12)
    for args in (
        ("audit", "list", "--since", "2027-13-01"),
        ("audit", "list", "--limit", "0"),
        ("audit", "verify", "--anchor", "12:nothex"),
    ):
        done = run_cli(*args, "--json", db=path)
        assert done.returncode == 2, args
        assert "不对" in done.stderr


def test_the_chain_survives_db_copy_and_merge(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    """``db copy`` carries the entries with their hashes (the target verifies); a merge
    into the copy appends its own entries chained to the target's last."""
    source = arranged_db_file(12)
    entries = cli(source, "audit", "verify")["entries"]
    target = tmp_path / "copy.db"
    assert run_cli("db", "copy", "--to", str(target), db=source).returncode == 0
    copied = cli(target, "audit", "verify")
    # The copy carries every entry, and the one of its own making (services.disclosure).
    assert copied["ok"] is True and copied["entries"] == entries + 1
    merged = run_cli("db", "copy", "--to", str(target), "--merge", "--pair", db=source)
    assert merged.returncode == 0, merged.stderr
    after = cli(target, "audit", "verify")
    assert after["ok"] is True and after["entries"] >= entries
