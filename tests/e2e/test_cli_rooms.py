"""``rooms`` and ``sessions check`` end to end with --json, on a copy of the demo site."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from cli_runner import run_cli
from sqlalchemy import select

from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Registration,
    RegistrationSubject,
    Subject,
)

PLAN = DEMO_PLAN_CODE
JUNIOR = "1630054223010588"


def register_all(where: Path | str, certificate: str, count: int) -> None:
    """Register the demo's first ``count`` candidates straight in the database (not through
    the registration command), one record per subject; ``where`` a file or a server URL."""
    db = Database.open(where)
    try:
        with db.unit_of_work() as session:
            plan = session.scalars(select(ExamPlan).where(ExamPlan.code == PLAN)).one()
            cert = session.scalars(select(Certificate).where(Certificate.code == certificate)).one()
            subjects = session.scalars(
                select(Subject.id).where(Subject.certificate_id == cert.id)
            ).all()
            candidates = session.scalars(select(Candidate.id).order_by(Candidate.id).limit(count))
            for candidate in candidates.all():
                session.add(
                    Registration(
                        candidate_id=candidate,
                        plan_id=plan.id,
                        certificate_id=cert.id,
                        subjects=[RegistrationSubject(subject_id=s) for s in subjects],
                    )
                )
    finally:
        db.close()


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
