"""``examsite-cli registration …`` with --json, as a coordinator's script runs it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run_cli
from sqlalchemy import text

from examsite import clock
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database

JUNIOR = "1630054223010588"


@pytest.fixture
def demo(demo_db_file: Callable[[int], Path]) -> Path:
    return demo_db_file(30)


def read_sql(where: Path | str, sql: str, **params: object) -> list[Any]:
    """The rows of ``sql`` on the database at ``where`` (a file or a server URL)."""
    db = Database.open(where)
    try:
        with db.read() as session:
            return list(session.execute(text(sql), params).all())
    finally:
        db.close()


def ready_ids(path: Path, n: int, kind: str = "school") -> list[str]:
    rows = read_sql(
        path,
        "SELECT id_number FROM candidate WHERE status = 'ready' AND kind = :kind"
        " ORDER BY id LIMIT :n",
        kind=kind,
        n=n,
    )
    return [r[0] for r in rows]


def cli_json(*args: str, db: Path, code: int = 0) -> Any:
    result = run_cli(*args, "--json", db=db)
    assert result.returncode == code, result.stderr
    return json.loads(result.stdout)


def test_add_list_check_fees_remove(demo: Path) -> None:
    ids = ready_ids(demo, 2)
    plan = ("--plan", DEMO_PLAN_CODE)
    added = cli_json("registration", "add", *plan, "--certificate", JUNIOR, "--ids", *ids, db=demo)
    assert [a["id_number"] for a in added["added"]] == ids
    assert added["refused"] == []
    listed = cli_json("registration", "list", *plan, db=demo)
    assert listed == [
        {
            "id_number": number,
            "certificate_code": JUNIOR,
            "level": "junior",
            "subjects": ["理论知识考试（初级）", "实操技能考试（初级）"],
            "status": "unarranged",
        }
        for number in ids
    ]
    check = cli_json("registration", "check", *plan, db=demo)
    assert (check["registrations"], check["records"], check["ok"]) == (2, 4, True)
    cli_json(
        "registration", "fee-override", "--certificate", JUNIOR, "--province", "广东省",
        "--fee", "300", db=demo,
    )  # fmt: skip
    fees = cli_json("registration", "fees", *plan, db=demo)
    junior = next(line for line in fees["lines"] if line["certificate_code"] == JUNIOR)
    # the demo site is in 湖北省: another province's fee does not apply
    assert (fees["province"], junior["candidates"], junior["fee"]) == ("湖北省", 2, 270)
    assert fees["total"] == 540
    removed = cli_json(
        "registration", "remove", *plan, "--certificate", JUNIOR, "--ids", ids[0], db=demo
    )
    assert (removed["removed"], removed["seats_removed"]) == ([ids[0]], 0)
    assert len(cli_json("registration", "list", *plan, db=demo)) == 1


def test_refusals_come_with_reasons_and_exit_2(demo: Path) -> None:
    ids = ready_ids(demo, 1)
    plan = ("--plan", DEMO_PLAN_CODE, "--certificate", JUNIOR)
    cli_json("registration", "add", *plan, "--ids", *ids, db=demo)
    again = cli_json("registration", "add", *plan, "--ids", *ids, db=demo, code=2)
    assert again["added"] == []
    refused = again["refused"][0]
    assert refused["codes"] == ["registration.duplicate"]
    assert "重复" in refused["reason"]


def test_all_ready_and_borrowed_candidates(demo: Path) -> None:
    social = ready_ids(demo, 1, "social")
    plan = ("--plan", DEMO_PLAN_CODE, "--certificate", JUNIOR)
    borrowed = cli_json(
        "registration", "add", *plan, "--ids", *social, "--home-school", "武汉示例职业学院", db=demo
    )
    assert borrowed["added"][0]["home_school"] == "武汉示例职业学院"
    everyone = cli_json("registration", "add", *plan, "--all-ready", db=demo)
    assert len(everyone["added"]) > 10
    assert social[0] not in {a["id_number"] for a in everyone["added"]}


def test_after_the_deadline_every_command_that_changes_is_refused(demo: Path) -> None:
    ids = ready_ids(demo, 1)
    plan = ("--plan", DEMO_PLAN_CODE, "--certificate", JUNIOR)
    cli_json("registration", "add", *plan, "--ids", *ids, db=demo)
    with clock.fixed(dt.datetime(2027, 1, 8, 8, 0)):
        for args in (
            ("registration", "add", *plan, "--ids", *ready_ids(demo, 2)[1:]),
            ("registration", "remove", *plan, "--ids", *ids),
        ):
            error = cli_json(*args, db=demo, code=2)["error"]
            assert error["code"] == "registration.closed"
        listed = cli_json("registration", "list", "--plan", DEMO_PLAN_CODE, db=demo)
    assert len(listed) == 1


def test_template_import_and_export(demo: Path, tmp_path: Path) -> None:
    import openpyxl

    template = tmp_path / "报考模板.xlsx"
    made = cli_json("registration", "template", "-o", str(template), db=demo)
    assert made["variant"] == "003"
    ids = ready_ids(demo, 2)
    names = dict(read_sql(demo, "SELECT id_number, name FROM candidate"))
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    for row, number in enumerate(ids, start=4):
        for col, value in enumerate(
            [names[number], number, "院校考生", JUNIOR, "数字营销技术应用职业技能等级证书", "初级"],
            start=1,
        ):
            sheet.cell(row, col, value)
    workbook.save(template)
    dry = cli_json(
        "registration", "import", str(template), "--plan", DEMO_PLAN_CODE, "--dry-run", db=demo
    )
    assert (dry["dry_run"], len(dry["added"])) == (True, 2)
    assert cli_json("registration", "list", "--plan", DEMO_PLAN_CODE, db=demo) == []
    done = cli_json("registration", "import", str(template), "--plan", DEMO_PLAN_CODE, db=demo)
    assert [a["id_number"] for a in done["added"]] == ids
    out = tmp_path / "导出.xlsx"
    exported = cli_json(
        "registration",
        "export",
        "--plan",
        DEMO_PLAN_CODE,
        "-o",
        str(out),
        "--variant",
        "001",
        db=demo,
    )
    assert exported["rows"] == 2
    variant_001 = tmp_path / "001.xlsx"
    cli_json("registration", "template", "-o", str(variant_001), "--variant", "001", db=demo)
    blank = cli_json(
        "registration", "import", str(variant_001), "--plan", DEMO_PLAN_CODE, "--dry-run", db=demo
    )
    assert (blank["variant"], blank["rows"], blank["added"]) == ("001", 0, [])


def test_human_output_is_chinese(demo: Path) -> None:
    result = run_cli("registration", "fees", "--plan", DEMO_PLAN_CODE, db=demo)
    assert result.returncode == 0
    assert "合计" in result.stdout
    unknown = run_cli("registration", "list", "--plan", "nope", db=demo)
    assert unknown.returncode == 2
    assert "没有代码为 nope 的考试计划" in unknown.stderr
