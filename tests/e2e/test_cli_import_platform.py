"""``examsite-cli import platform FILE --json`` as a script would use it: a score sheet
imported with its reconciliation, a dry run, an unknown sheet refused with exit 2."""

from __future__ import annotations

import json

import openpyxl
from cli_runner import run_cli
from sqlalchemy import func, select

from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Registration, Score


def _first_tickets(path, n: int) -> list[tuple[str, str]]:
    database = Database.open(path)
    try:
        with database.read() as session:
            return [
                (ticket, idn)
                for ticket, idn in session.execute(
                    select(Registration.ticket_number, Candidate.id_number)
                    .join(Candidate, Candidate.id == Registration.candidate_id)
                    .order_by(Registration.id)
                    .limit(n)
                )
            ]
    finally:
        database.close()


def _scores(path) -> int:
    database = Database.open(path)
    try:
        with database.read() as session:
            return session.scalar(select(func.count()).select_from(Score)) or 0
    finally:
        database.close()


def test_import_platform_scores_with_json(arranged_db_file, tmp_path) -> None:
    db = arranged_db_file(60)
    (t1, _i1), (t2, _i2) = _first_tickets(db, 2)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["科目成绩导出"])
    sheet.append(["序号", "考生姓名", "准考证号", "考试科目", "考试成绩"])
    sheet.append([1, "", t1, "理论", 81])
    sheet.append([2, "", t1, "实操", 77])
    sheet.append([3, "", t2, "理论", 64])
    sheet.append([4, "", "NO-SUCH", "理论", 50])
    path = tmp_path / "科目成绩.xlsx"
    book.save(path)

    dry = run_cli(
        "import", "platform", str(path), "--plan", DEMO_PLAN_CODE, "--dry-run", "--json", db=db
    )
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["dry_run"] is True
    assert _scores(db) == 0

    done = run_cli("import", "platform", str(path), "--plan", DEMO_PLAN_CODE, "--json", db=db)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert {k: document[k] for k in ("kind", "template", "rows", "matched", "changed")} == {
        "kind": "scores",
        "template": "platform.scores",
        "rows": 4,
        "matched": 3,
        "changed": 3,
    }
    assert [p["code"] for p in document["problems"]] == ["platform.unknown_ticket"]
    assert document["problems"][0]["row"] == 6 and document["problems"][0]["message"]
    (rec,) = document["reconciliation"]
    assert rec["plan"] == DEMO_PLAN_CODE and rec["scored"] == 3
    assert rec["unknown"] == ["NO-SUCH"]
    assert [g["ticket"] for g in rec["theory_only"]] == [t2]
    assert set(rec["missing"][0]) == {"id_number", "name", "ticket", "certificate", "subject"}
    assert _scores(db) == 3

    human = run_cli("import", "platform", str(path), "--plan", DEMO_PLAN_CODE, db=db)
    assert human.returncode == 0 and "成绩核对" in human.stdout and "未变 3 条" in human.stdout


def test_import_platform_refuses_an_unknown_sheet(arranged_db_file, tmp_path) -> None:
    db = arranged_db_file(60)
    book = openpyxl.Workbook()
    book.active.append(["姓名", "班级", "备注"])
    book.active.append(["张三", "一班", ""])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    refused = run_cli("import", "platform", str(path), "--json", db=db)
    assert refused.returncode == 2
    error = json.loads(refused.stdout or refused.stderr)
    assert "platform.unknown_sheet" in json.dumps(error)
