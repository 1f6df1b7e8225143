"""Plain regression tests for what the property suites found: the smallest failing input
of each, kept as an ordinary example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bundle_making import exported, resigned
from hostile import checksums, write_xlsx
from sqlalchemy import select
from valid_files import arrangement_rows, result_rows, room_rows, score_rows

from examsite.domain.catalog_check import check_catalog
from examsite.errors import InputError
from examsite.messages import render
from examsite.services.arrangement_import import import_arrangement
from examsite.services.catalog import builtin_catalog, import_catalog_file
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.platform_import import import_platform
from examsite.services.room_import import import_rooms
from examsite.services.transfer import import_bundle
from examsite.services.transfer_records import DATA_FILE
from examsite.storage.db import Database
from examsite.storage.models import Score


def test_a_catalog_whose_level_is_a_list_is_refused_naming_the_field(
    db: Database, tmp_path: Path
) -> None:
    # Found by test_catalog_property: the list reached the database, which raised
    # sqlite3.ProgrammingError (程序内部错误) instead of a refusal.
    plain = builtin_catalog()
    plain["certificates"][0]["level"] = []
    code = plain["certificates"][0]["code"]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(plain, ensure_ascii=False), "utf-8")
    with pytest.raises(InputError) as refused:
        import_catalog_file(db, path)
    assert refused.value.code == "catalog.invalid"
    [problem] = refused.value.problems
    assert problem.code == "catalog.field_not_text"
    assert f"证书 {code} 的 level 应是文字" in render(problem)


def test_every_text_field_of_the_catalog_is_checked_for_text() -> None:
    plain = builtin_catalog()
    plain["orgs"][0]["name"] = 7
    plain["certificates"][0]["subjects"][0]["mode"] = {"a": 1}
    plain["plans"][0]["certificates"] = [["x"]]
    plain["plans"][0]["name"] = 1.5
    problems = check_catalog(plain).problems
    found = [(p.code, p.params["field"]) for p in problems if p.code == "catalog.field_not_text"]
    assert found == [
        ("catalog.field_not_text", "name"),
        ("catalog.field_not_text", "mode"),
        ("catalog.field_not_text", "name"),
        ("catalog.field_not_text", "certificates"),
    ]


def test_a_catalog_certificate_with_a_new_code_for_a_held_name_and_level_is_refused(
    db: Database, tmp_path: Path
) -> None:
    # Found by the deep run of the catalog suite: the UNIQUE (name, level) of the
    # certificates raised IntegrityError out of the import (程序内部错误).
    plain = builtin_catalog()
    twin = json.loads(json.dumps(plain["certificates"][0]))
    twin["code"] = "TWIN-" + twin["code"]
    plain["certificates"].append(twin)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(plain, ensure_ascii=False), "utf-8")
    before = checksums(db)
    with pytest.raises(InputError) as refused:
        import_catalog_file(db, path)
    assert refused.value.code == "catalog.conflict"
    assert "同一证书名称和等级只能有一个证书编号" in refused.value.message
    assert checksums(db) == before


# --- the platform's exports: values the database cannot hold ---------------------------


def _sheet(tmp_path: Path, rows: list[list[Any]], name: str) -> Path:
    return write_xlsx(tmp_path / f"{name}.xlsx", [("Sheet1", rows)])


def _tables(db: Database) -> dict[str, tuple[int, str]]:
    """Every table's checksum but the bundle history's, which keeps refused imports."""
    return {name: sums for name, sums in checksums(db).items() if name != "bundle_log"}


@pytest.mark.parametrize("seat", ["99999999999999999999", 2**40, 1000])
def test_a_seat_number_no_room_has_is_a_bad_seat(
    arranged_db_file: Any, db_templates: Any, tmp_path: Path, seat: object
) -> None:
    # Found by the property tests: 99999999999999999999 raised OverflowError (SQLite
    # cannot hold it), and 2**40 was only "over capacity" and went on to the database,
    # whose INTEGER column on PostgreSQL cannot hold it either.
    rows, header_at = arrangement_rows(db_templates.arranged(20), DEMO_PLAN_CODE)
    rows[header_at + 1][6] = seat
    db = Database.open(arranged_db_file(20))
    try:
        before = _tables(db)
        with pytest.raises(InputError) as refused:
            import_arrangement(db, _sheet(tmp_path, rows, "排考明细"), DEMO_PLAN_CODE)
        assert [(p.code, p.row) for p in refused.value.problems if p.is_error] == [
            ("arrange.import_bad_seat", header_at + 2)
        ]
        assert "1 到 999" in render(refused.value.problems[0])
        assert _tables(db) == before
    finally:
        db.close()


def test_a_ticket_number_longer_than_the_platforms_is_refused_on_its_row(
    arranged_db_file: Any, db_templates: Any, tmp_path: Path
) -> None:
    # Found by the property tests on PostgreSQL: a 300-character 准考证号 reached the
    # VARCHAR(40) column (StringDataRightTruncation, 程序内部错误).
    rows, header_at = arrangement_rows(db_templates.arranged(20), DEMO_PLAN_CODE)
    first = rows[header_at + 1][1]
    long_ticket = "9" * 300
    for line in rows[header_at + 1 :]:
        if line[1] == first:
            line[1] = long_ticket
    db = Database.open(arranged_db_file(20))
    try:
        before = _tables(db)
        with pytest.raises(InputError) as refused:
            import_arrangement(db, _sheet(tmp_path, rows, "排考明细"), DEMO_PLAN_CODE)
        codes = {p.code for p in refused.value.problems if p.is_error}
        assert codes == {"arrange.import_bad_ticket"}
        assert _tables(db) == before
    finally:
        db.close()


def test_a_certificate_number_longer_than_the_column_is_reported_not_stored(
    arranged_db_file: Any, db_templates: Any, tmp_path: Path
) -> None:
    # Found by the property tests on PostgreSQL: a 5,000-character 证书编号 reached the
    # VARCHAR(60) column (StringDataRightTruncation, 程序内部错误).
    rows, header_at = result_rows(db_templates.arranged(20), DEMO_PLAN_CODE)
    rows[header_at + 2][9] = "Z" * 5000
    db = Database.open(arranged_db_file(20))
    try:
        result = import_platform(db, _sheet(tmp_path, rows, "考证结果"), DEMO_PLAN_CODE)
        assert [(p.code, p.row) for p in result.problems] == [
            ("platform.bad_certificate_number", header_at + 3)
        ]
        assert result.matched == result.rows - 1
    finally:
        db.close()


# --- text longer than its column: PostgreSQL refused it half-way, SQLite kept it -------


@pytest.mark.parametrize(("column", "field"), [(6, "province"), (9, "address")])
def test_a_room_sheets_address_longer_than_its_column_is_refused_on_its_row(
    demo_db_file: Any, db_templates: Any, tmp_path: Path, column: int, field: str
) -> None:
    # Found by the property tests on PostgreSQL: StringDataRightTruncation (程序内部错误).
    rows, header_at = room_rows(db_templates.arranged(20))
    rows[header_at + 1][column] = "长" * 500
    db = Database.open(demo_db_file(20))
    try:
        before = _tables(db)
        with pytest.raises(InputError) as refused:
            import_rooms(db, _sheet(tmp_path, rows, "考场"))
        assert [(p.code, p.row) for p in refused.value.problems] == [
            ("rooms.text_too_long", header_at + 2)
        ]
        assert _tables(db) == before
    finally:
        db.close()


def test_a_catalog_code_longer_than_its_column_is_refused_naming_it(
    db: Database, tmp_path: Path
) -> None:
    # Found by the property tests on PostgreSQL: StringDataRightTruncation (程序内部错误).
    plain = builtin_catalog()
    plain["certificates"][0]["subjects"][0]["name"] = "科" * 300
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(plain, ensure_ascii=False), "utf-8")
    before = _tables(db)
    with pytest.raises(InputError) as refused:
        import_catalog_file(db, path)
    [problem] = refused.value.problems
    assert problem.code == "catalog.field_too_long"
    assert "的科目 的 name 有 300 个字，超过了最多 200 个字" in render(problem)
    assert _tables(db) == before


@pytest.mark.parametrize(
    ("field", "value"), [("name", "长" * 500), ("phone", 13800000000), ("gender", "男性女性")]
)
def test_a_signed_bundle_with_a_value_its_column_cannot_hold_is_refused(
    db: Database, db_templates: Any, tmp_path: Path, field: str, value: object
) -> None:
    # Found by the property tests on PostgreSQL: a stranger's well-signed bundle (an
    # empty database pairs with it) put a 500-character name into VARCHAR(60)
    # (StringDataRightTruncation, 程序内部错误); SQLite kept it as it was.
    _good, bundle = exported(db_templates.arranged(20))
    files = dict(bundle.files)
    plain = json.loads(files[DATA_FILE])
    next(iter(plain["records"]["candidate"].values()))[field] = value
    files[DATA_FILE] = json.dumps(plain, ensure_ascii=False).encode("utf-8")
    path = resigned(tmp_path / "传输包.zip", files, bundle.manifest)
    before = _tables(db)
    with pytest.raises(InputError) as refused:
        import_bundle(db, path, key_folder=tmp_path / "keys")
    assert refused.value.code == "bundle.transfer_bad_value"
    assert refused.value.params["field"] == field
    assert _tables(db) == before


def test_a_long_exam_status_is_kept_cut_to_its_column(
    arranged_db_file: Any, db_templates: Any, tmp_path: Path
) -> None:
    # Found while fuzzing the importers, on PostgreSQL: a 300-character 考试状态 (kept
    # only to show it as written) reached VARCHAR(40): StringDataRightTruncation.
    rows, header_at = score_rows(db_templates.arranged(20))
    rows[header_at + 1][13] = "已考" * 150
    db = Database.open(arranged_db_file(20))
    try:
        result = import_platform(db, _sheet(tmp_path, rows, "科目成绩"), DEMO_PLAN_CODE)
        assert result.kind == "scores" and result.matched == result.rows
        with db.read() as session:
            kept = session.scalars(select(Score.exam_status)).all()
        assert "已考" * 20 in kept and max(len(k) for k in kept) == 40
    finally:
        db.close()


def _signed_with(db_templates: Any, tmp_path: Path, change: Any) -> Path:
    _good, bundle = exported(db_templates.arranged(20))
    files = dict(bundle.files)
    plain = json.loads(files[DATA_FILE])
    change(plain["records"])
    files[DATA_FILE] = json.dumps(plain, ensure_ascii=False).encode("utf-8")
    return resigned(tmp_path / "传输包.zip", files, bundle.manifest)


def test_a_signed_bundle_whose_record_is_not_an_object_is_refused(
    db: Database, db_templates: Any, tmp_path: Path
) -> None:
    # Found by the deep run of the bundle suite: dict("ab") raised ValueError, which the
    # merge's check of each record did not catch (程序内部错误).
    def change(records: dict[str, Any]) -> None:
        first = next(iter(records["candidate"]))
        records["candidate"][first] = "ab"

    before = _tables(db)
    with pytest.raises(InputError) as refused:
        import_bundle(db, _signed_with(db_templates, tmp_path, change), key_folder=tmp_path / "k")
    assert refused.value.code == "bundle.transfer_bad_data"
    assert _tables(db) == before


def test_a_signed_bundle_whose_record_names_one_it_does_not_hold_is_refused(
    db: Database, db_templates: Any, tmp_path: Path
) -> None:
    # Found by the deep run of the bundle suite: a registration naming a candidate that
    # is neither in the bundle nor here raised KeyError in the middle of the merge.
    def change(records: dict[str, Any]) -> None:
        records["candidate"].clear()

    before = _tables(db)
    with pytest.raises(InputError) as refused:
        import_bundle(db, _signed_with(db_templates, tmp_path, change), key_folder=tmp_path / "k")
    assert refused.value.code == "bundle.transfer_missing_record"
    assert "一条报考记录指向的考生" in refused.value.message
    assert _tables(db) == before
