"""``examsite-cli retention status|preview|purge|set`` end to end, with ``--json``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run_cli
from sqlalchemy import select

from examsite import clock
from examsite.domain.retention import add_months, is_purged
from examsite.services.accounts import add_user, create_first_director, log_in
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import Candidate, ExamPlan

PLAN = DEMO_PLAN_CODE


def _due_moment(db: Path | str) -> dt.datetime:
    database = Database.open(db)
    try:
        with database.read() as session:
            end = session.scalar(select(ExamPlan.publication_end).where(ExamPlan.code == PLAN))
    finally:
        database.close()
    assert end is not None
    return add_months(end, 12) + dt.timedelta(days=1)


def _json(*args: str, db: Path | str, code: int = 0) -> Any:
    done = run_cli(*args, "--json", db=db)
    assert done.returncode == code, done.stdout + done.stderr
    return json.loads(done.stdout)


def _id_numbers(db: Path | str) -> set[str]:
    database = Database.open(db)
    try:
        with database.read() as session:
            return set(session.scalars(select(Candidate.id_number)))
    finally:
        database.close()


def test_status_preview_and_purge_with_json(
    arranged_db_file: Callable[[int], Path], tmp_path: Path, engine: str
) -> None:
    db = arranged_db_file(12)
    status = _json("retention", "status", db=db)
    (demo,) = status["rounds"]
    assert status["default_months"] == 12
    assert demo["plan"] == PLAN and demo["due"] is False and demo["purged_at"] is None
    assert demo["days_past"] is None
    refused = _json("retention", "preview", "--plan", PLAN, db=db, code=2)
    assert refused["error"]["code"] == "retention.not_due"

    set_plan = _json("retention", "set", "--months", "6", "--plan", PLAN, db=db)
    assert set_plan["rounds"][0]["months"] == 6 and set_plan["rounds"][0]["own_months"]
    reset = _json("retention", "set", "--reset", "--plan", PLAN, db=db)
    assert reset["rounds"][0]["months"] == 12 and not reset["rounds"][0]["own_months"]
    bad = _json("retention", "set", "--months", "0", db=db, code=2)
    assert bad["error"]["code"] == "retention.bad_months"
    for args in (["--plan", PLAN], ["--reset"]):  # no period given: nothing changes
        unclear = _json("retention", "set", *args, db=db, code=2)
        assert unclear["error"]["code"] == "retention.default_needed"

    before = _id_numbers(db)
    with clock.fixed(_due_moment(db)):
        assert _json("retention", "status", db=db)["rounds"][0]["due"] is True
        preview = _json("retention", "preview", "--plan", PLAN, db=db)
        gone = {c["id_number"] for c in preview["candidates"]}
        assert preview["counts"]["candidates"] == len(gone) > 0 and preview["kept"] == []
        assert any("操作记录" in note for note in preview["notes"])  # the audit log stays
        unconfirmed = _json("retention", "purge", "--plan", PLAN, db=db, code=2)
        assert unconfirmed["error"]["code"] == "retention.confirm_needed"
        assert _id_numbers(db) == before
        args = ["retention", "purge", "--plan", PLAN, "--yes"]
        args += ["--backup-dir", str(tmp_path / "b")]
        if engine == "postgresql":
            refused = _json(*args, db=db, code=2)
            assert refused["error"]["code"] == "retention.server_backup"
            assert _id_numbers(db) == before
            args.append("--server-backup-done")
        purged = _json(*args, db=db)
        assert purged["plan"] == PLAN and purged["counts"] == preview["counts"]
        assert purged["audit_logged"] is True
        if engine == "postgresql":
            assert purged["backup"] is None
        else:
            assert Path(purged["backup"]).is_file()
        assert _json("retention", "status", db=db)["rounds"][0]["purged_at"]
    after = _id_numbers(db)
    assert not gone & after and len(after) == len(before)
    assert sum(is_purged(n) for n in after) == len(gone)
    audit = _json("audit", "list", "--entity", "plan", db=db)
    assert audit["entries"][0]["action"] == "purge"


@pytest.mark.parametrize("role", ["staff", "invigilator"])
def test_refused_for_staff_and_invigilators(
    arranged_db_file: Callable[[int], Path], monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    db = arranged_db_file(12)
    database = Database.open(db)
    try:
        create_first_director(database, "boss", "director-pass-1")
        log_in(database, "boss", "director-pass-1")
        with database.read() as session:
            from examsite.storage.models import Staff

            staff = session.scalars(select(Staff.name).order_by(Staff.id)).first()
        add_user(database, "someone", role, "someone-pass-1", staff=staff)
    finally:
        database.close()
    monkeypatch.setenv("EXAMSITE_USER", "someone")
    monkeypatch.setenv("EXAMSITE_PASSWORD", "someone-pass-1")
    before = _id_numbers_as(db, "boss", "director-pass-1")
    with clock.fixed(_due_moment_as(db)):
        for args in (
            ["status"],
            ["preview", "--plan", PLAN],
            ["purge", "--plan", PLAN, "--yes", "--server-backup-done"],
            ["set", "--months", "1"],
        ):
            refused = _json("retention", *args, db=db, code=2)
            assert refused["error"]["code"] == "auth.forbidden", args
    assert _id_numbers_as(db, "boss", "director-pass-1") == before


def _id_numbers_as(db: Path | str, name: str, password: str) -> set[str]:
    database = Database.open(db)
    try:
        log_in(database, name, password)
        with database.read() as session:
            return set(session.scalars(select(Candidate.id_number)))
    finally:
        database.close()


def _due_moment_as(db: Path | str) -> dt.datetime:
    database = Database.open(db)
    try:
        log_in(database, "boss", "director-pass-1")
        with database.read() as session:
            end = session.scalar(select(ExamPlan.publication_end).where(ExamPlan.code == PLAN))
    finally:
        database.close()
    assert end is not None
    return add_months(end, 12) + dt.timedelta(days=1)
