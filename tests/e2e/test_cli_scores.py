"""``scores import / reconcile / results / review`` end to end with ``--json``: a dry run
writing nothing, the import, the reconciliation's lists, the results' shape, the review
refused before publication (exit 2, nothing written) and printed inside the window."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
from cli_runner import run_cli
from sqlalchemy import select

from examsite import clock
from examsite.services.demo import DEMO_PLAN_CODE as PLAN
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Registration, RegistrationSubject, Subject


class Reg(NamedTuple):
    ticket: str
    id_number: str
    name: str
    theory: str
    practical: str


def registrations(db: Database) -> list[Reg]:
    with db.read() as session:
        rows = session.execute(
            select(
                Registration.id, Registration.ticket_number, Candidate.id_number,
                Candidate.name, Subject.name, Subject.kind,
            )
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Subject, Subject.id == RegistrationSubject.subject_id)
            .order_by(Registration.id)
        ).all()  # fmt: skip
    found: dict[int, dict[str, str]] = {}
    for reg_id, ticket, idn, name, subject, kind in rows:
        found.setdefault(reg_id, {"ticket": ticket, "id": idn, "name": name})[kind] = subject
    return [
        Reg(e["ticket"], e["id"], e["name"], e["theory"], e["practical"]) for e in found.values()
    ]


def write_xlsx(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], title: str
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([title])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_scores_from_the_sheet_to_the_review_form(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    path = arranged_db_file(12)
    database = Database.open(path)
    regs = registrations(database)
    database.close()
    a, b = regs[0], regs[2]
    sheet = write_xlsx(
        tmp_path / "科目成绩.xlsx",
        ["考生姓名", "身份证号", "准考证号", "考试科目", "考试成绩", "考试状态"],
        [
            [a.name, a.id_number, a.ticket, a.theory, 60, "已登记"],
            [a.name, a.id_number, a.ticket, a.practical, 60, "已登记"],
            [b.name, b.id_number, b.ticket, b.theory, 59.9, "已登记"],
            [b.name, b.id_number, b.ticket, b.practical, 59.9, "已登记"],
            ["某某", "", "NO-SUCH", "理论", 50, ""],
        ],
        title="科目成绩",
    )
    dry = run_cli("scores", "import", str(sheet), "--dry-run", "--json", db=path)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["changed"] == 4
    before = json.loads(run_cli("scores", "reconcile", "--plan", PLAN, "--json", db=path).stdout)
    assert before["scored"] == 0
    done = run_cli("scores", "import", str(sheet), "--json", db=path)
    report = json.loads(done.stdout)
    assert (report["kind"], report["matched"], report["changed"]) == ("scores", 4, 4)
    assert [p["code"] for p in report["problems"]] == ["platform.unknown_ticket"]
    rec = json.loads(run_cli("scores", "reconcile", "--plan", PLAN, "--json", db=path).stdout)
    assert rec["scored"] == 4 and rec["unknown"] == ["NO-SUCH"]
    assert set(rec) >= {"missing", "theory_only", "practical_only", "absent_scored", "changed"}
    results = json.loads(run_cli("scores", "results", "--plan", PLAN, "--json", db=path).stdout)
    by_ticket = {r["ticket"]: r for r in results}
    first, second = by_ticket[a.ticket], by_ticket[b.ticket]
    assert set(first) >= {
        "id_number", "name", "certificate_code", "level", "subjects", "total", "passed", "reason",
    }  # fmt: skip
    assert set(first["subjects"][0]) >= {"subject", "score", "status"}
    assert (first["total"], first["passed"], first["reason"]) == (60.0, True, "passed")
    assert (second["total"], second["passed"], second["reason"]) == (59.9, False, "below_pass_mark")

    out = tmp_path / "复查表.pdf"
    refused = run_cli(
        "scores", "review", "--plan", PLAN, "--ids", b.id_number, "--out", str(out), "--json",
        db=path,
    )  # fmt: skip
    assert refused.returncode == 2 and not out.exists()
    status = json.loads(
        run_cli("scores", "review", "--plan", PLAN, "--status", "--json", db=path).stdout
    )
    assert status["state"] == "not_open"
    with clock.fixed(dt.datetime.fromisoformat(status["start"]) + dt.timedelta(days=1)):
        printed = run_cli(
            "scores", "review", "--plan", PLAN, "--ids", b.id_number, "--out", str(out), "--json",
            db=path,
        )  # fmt: skip
    assert printed.returncode == 0, printed.stdout + printed.stderr
    assert json.loads(printed.stdout)["pages"] == 1 and out.stat().st_size > 1000
