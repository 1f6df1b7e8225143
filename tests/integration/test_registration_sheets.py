"""The by-certificate registration sheet: both variants (003 and 001 with its example row),
messy sheets, the template and the export read back by a second reader (calamine)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select, update

from examsite import clock
from examsite.errors import InputError
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.registration_query import list_registrations
from examsite.services.registration_sheets import (
    export_registrations,
    import_registration_sheet,
    write_registration_template,
)
from examsite.storage.db import Database
from examsite.storage.models import Candidate, ExamPlan, Site

JUNIOR = "1630054223010588"
CERT = "数字营销技术应用职业技能等级证书"


@pytest.fixture
def site(db: Database, demo_site: Callable[[Database, int], None]) -> Database:
    demo_site(db, 30)
    return db


def people(db: Database, n: int, kind: str = "school") -> list[tuple[str, str]]:
    with db.read() as session:
        return [
            (row.name, row.id_number)
            for row in session.execute(
                select(Candidate.name, Candidate.id_number)
                .where(Candidate.status == "ready", Candidate.kind == kind)
                .order_by(Candidate.id)
                .limit(n)
            )
        ]


def read_back(path: Path) -> list[list[object]]:
    """The first sheet as calamine reads it (not the openpyxl that wrote it)."""
    workbook = CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)


def fill(path: Path, rows: list[list[object]], start: int) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            sheet.cell(start + offset, col, value)
    workbook.save(path)


def test_the_003_sheet_registers_its_rows(site: Database, tmp_path: Path) -> None:
    path = write_registration_template(tmp_path / "003.xlsx")
    assert [c for c in read_back(path)[2] if c] == [
        "*考生姓名",
        "*证件号码",
        "*考生类型",
        "*证书编号",
        "*报考证书",
        "*证书等级",
        "*考核站点编号",
    ]
    (a_name, a_id), (b_name, b_id) = people(site, 2)
    fill(
        path,
        [
            [a_name, a_id, "院校考生", JUNIOR, CERT, "初级", "EX-SITE-001"],
            [b_name, b_id, "院校考生", JUNIOR, CERT, "中级", "EX-SITE-001"],  # wrong level
            ["无名", "110105200201010021", "院校考生", JUNIOR, CERT, "初级", "EX-SITE-001"],
        ],
        start=4,
    )
    result = import_registration_sheet(site, path, plan_code=DEMO_PLAN_CODE)
    assert result.variant == "003"
    assert [a.id_number for a in result.added] == [a_id]
    assert [(r.row, r.problems[0].code) for r in result.refused] == [
        (5, "registration.sheet_level_mismatch"),
        (6, "registration.candidate_not_found"),
    ]
    rows = list_registrations(site, DEMO_PLAN_CODE)
    assert [(r.id_number, len(r.subjects)) for r in rows] == [(a_id, 2)]


def test_the_001_sheet_skips_its_example_row_and_names_the_home_school(
    site: Database, tmp_path: Path
) -> None:
    path = write_registration_template(tmp_path / "001.xlsx", "001")
    cells = read_back(path)
    assert cells[2][:8] == [
        "*学生姓名",
        "*身份证号",
        "*学生类型",
        "*所属院校",
        "*考核站点",
        "*考试计划名称",
        "*报考证书",
        "*证书等级",
    ]
    assert "学校全称" in cells[3]  # the example row, as in 001
    # the blank template alone registers no one
    blank = import_registration_sheet(site, path, plan_code=DEMO_PLAN_CODE, dry_run=True)
    assert (blank.rows, blank.added, blank.refused) == (0, (), ())
    assert [p.code for p in blank.notices] == [
        "registration.sheet_example_row",
        "registration.sheet_no_rows",
    ]
    with site.read() as session:
        plan_name = session.scalars(
            select(ExamPlan.name).where(ExamPlan.code == DEMO_PLAN_CODE)
        ).one()
        site_name = session.scalars(select(Site.name)).one()
    (a_name, a_id), (b_name, b_id) = people(site, 1) + people(site, 1, "social")
    fill(
        path,
        [
            [
                a_name,
                a_id,
                "院校考生",
                "江汉职业技术学院（示例）",
                site_name,
                plan_name,
                CERT,
                "初级",
            ],
            [b_name, b_id, "社会考生", "武汉示例职业学院", site_name, plan_name, CERT, "初级"],
        ],
        start=5,
    )
    result = import_registration_sheet(site, path)  # the plan comes from the sheet
    assert result.variant == "001"
    assert [(a.id_number, a.home_school) for a in result.added] == [
        (a_id, ""),
        (b_id, "武汉示例职业学院"),
    ]


def test_a_messy_csv_in_gbk_with_full_width_headers(site: Database, tmp_path: Path) -> None:
    (a_name, a_id), (b_name, b_id) = people(site, 2)
    text = "\n".join(
        [
            "按证书批量导入报考模板,,,,,",
            "＊考生姓名 ,＊证件号码（必填）,学生类型,证书编号,报考证书,证书等级",
            f"{a_name},{a_id.lower()} ,院校考生,{JUNIOR},{CERT},初级",
            ",,,,,",
            f"{b_name},{b_id},院校考生,,数字营销技术应用,初级",  # name without the suffix
            f"{b_name}x,{a_id},院校考生,{JUNIOR},{CERT},初级",
        ]
    )
    path = tmp_path / "messy.csv"
    path.write_bytes(text.encode("gbk"))
    result = import_registration_sheet(site, path, plan_code=DEMO_PLAN_CODE)
    assert sorted(a.id_number for a in result.added) == sorted([a_id, b_id])
    assert [(r.row, r.problems[0].code) for r in result.refused] == [
        (6, "registration.name_mismatch")
    ]


def test_unsaved_formulas_refuse_the_file(site: Database, tmp_path: Path) -> None:
    (a_name, a_id), _ = people(site, 2)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["考生姓名", "证件号码", "证书编号"])
    sheet.append([a_name, a_id, JUNIOR])
    sheet.append(["某人", f'=TEXT("{a_id}","@")', JUNIOR])  # no saved result
    path = tmp_path / "formulas.xlsx"
    workbook.save(path)
    with pytest.raises(InputError) as refused:
        import_registration_sheet(site, path, plan_code=DEMO_PLAN_CODE)
    assert refused.value.code == "import.formula_not_saved"
    assert not list_registrations(site, DEMO_PLAN_CODE)


def test_the_import_after_the_deadline_writes_nothing(site: Database, tmp_path: Path) -> None:
    path = write_registration_template(tmp_path / "003.xlsx")
    (a_name, a_id), _ = people(site, 2)
    fill(path, [[a_name, a_id, "院校考生", JUNIOR, CERT, "初级", ""]], start=4)
    with clock.fixed(dt.datetime(2027, 1, 8)), pytest.raises(InputError) as closed:
        import_registration_sheet(site, path, plan_code=DEMO_PLAN_CODE)
    assert closed.value.code == "registration.closed"
    assert not list_registrations(site, DEMO_PLAN_CODE)


def test_a_major_mismatch_in_the_sheet_can_go_social(site: Database, tmp_path: Path) -> None:
    (a_name, a_id), _ = people(site, 2)
    with site.unit_of_work() as session:
        session.execute(
            update(Candidate)
            .where(Candidate.id_number == a_id)
            .values(major_code="620201", major="护理")
        )
    path = write_registration_template(tmp_path / "003.xlsx")
    fill(path, [[a_name, a_id, "院校考生", JUNIOR, CERT, "初级", ""]], start=4)
    refused = import_registration_sheet(site, path, plan_code=DEMO_PLAN_CODE)
    assert refused.refused[0].social_possible
    social = import_registration_sheet(site, path, plan_code=DEMO_PLAN_CODE, as_social=True)
    assert [a.kind for a in social.added] == ["social"]


@pytest.mark.parametrize("variant", ["003", "001"])
def test_the_export_reads_back_and_imports_again(
    site: Database, tmp_path: Path, db_templates: object, variant: str
) -> None:
    from examsite.services.registration import register_candidates

    numbers = [n for _, n in people(site, 3)]
    register_candidates(site, DEMO_PLAN_CODE, JUNIOR, numbers)
    path = tmp_path / f"export-{variant}.xlsx"
    assert export_registrations(site, DEMO_PLAN_CODE, path, variant) == 3
    cells = read_back(path)
    id_column = 1
    assert sorted(str(row[id_column]) for row in cells[3:]) == sorted(numbers)
    # the same file imported again: every row is a duplicate, nothing new
    again = import_registration_sheet(site, path, plan_code=DEMO_PLAN_CODE)
    assert not again.added
    assert {r.problems[0].code for r in again.refused} == {"registration.duplicate"}
