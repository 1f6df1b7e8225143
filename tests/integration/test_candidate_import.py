"""Importing candidates from workbooks built here with openpyxl, into a real SQLite file."""

from __future__ import annotations

import datetime as dt
import functools
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from examsite.domain.id_number import synthetic_id
from examsite.domain.problems import Level
from examsite.errors import Cancelled, InputError
from examsite.formats.template_workbook import write_template
from examsite.progress import Progress
from examsite.services import candidate_import
from examsite.services.candidate_import import ImportReport, import_candidates
from examsite.services.candidates import CandidateRow, get_candidate, list_candidates
from examsite.services.import_report import ERROR_FILL, WARNING_FILL, write_error_report
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Candidate, Photo

HEADERS = [
    "*学生姓名",
    "*姓名拼音",
    "*性别",
    "*证件类型",
    "*证件号码",
    "*手机号码",
    "*入学年份",
    "*专业层次",
    "*就读专业",
    "*专业代码",
]


def person(seq: int, gender: str = "女", region: str = "110105") -> str:
    """A valid synthetic ID number, different for each ``seq``."""
    return synthetic_id(region, dt.date(2003, 1, 1) + dt.timedelta(days=seq), seq % 500, gender)  # type: ignore[arg-type]


def row(seq: int, **changes: Any) -> list[Any]:
    """A complete, valid row of the school template (in template column order)."""
    gender = changes.pop("gender", "女")
    values = {
        "name": f"王玉{'霞梅兰芳'[seq % 4]}",
        "pinyin": "",
        "gender": gender,
        "id_type": "身份证",
        "id_number": person(seq, gender),
        "phone": f"138{seq:08d}",
        "enrollment_year": "2020",
        "education_level": "专科",
        "major": "市场营销",
        "major_code": "530605",
    }
    values.update(changes)
    return list(values.values())


def sheet(
    path: Path,
    rows: list[list[Any]],
    headers: list[str] = HEADERS,
    *,
    above: list[list[Any]] | None = None,
    sheet_title: str = "Sheet1",
) -> Path:
    """A workbook: optional rows above the header (title, instructions), header, rows."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet_title
    for line in [*(above if above is not None else []), headers, *rows]:
        ws.append(line)
    workbook.save(path)
    return path


@functools.cache
def blank_template(kind: str) -> bytes:
    """``write_template(kind)``'s file, written once per test process (~0.25 s each)."""
    with tempfile.TemporaryDirectory() as folder:
        return write_template(kind, Path(folder) / "blank.xlsx").read_bytes()


def template_rows(path: Path, rows: list[list[Any]], kind: str = "school") -> Path:
    """The blank template filled from row 4, as a class teacher does."""
    path.write_bytes(blank_template(kind))
    workbook = openpyxl.load_workbook(path)
    ws = workbook.active
    assert ws is not None
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    workbook.save(path)
    return path


def codes_at(report: ImportReport, excel_row: int) -> list[str]:
    return [p.code for p in report.problems if p.row == excel_row]


def count(db: Database, model: Any) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def candidate(db: Database, id_number: str) -> CandidateRow:
    return get_candidate(db, id_number)


# --- reading sheets that are close to the template ---------------------------------------


def test_filled_template_imports_every_row(db: Database, tmp_path: Path) -> None:
    path = template_rows(tmp_path / "t.xlsx", [row(i) for i in range(5)])
    report = import_candidates(db, path, "school")
    assert (report.imported, report.rejected, report.rows) == (5, 0, 5)
    assert report.header_row == 3 and report.sheet_name == "Sheet1"
    assert count(db, Candidate) == 5
    first = candidate(db, person(0))
    assert first.pinyin == "Wang Yuxia"  # filled from the name
    assert first.status == "no_photo"
    assert first.kind == "school" and first.id_type == "身份证"
    assert codes_at(report, 4) == ["candidate.pinyin_filled"]


def test_a_sheet_close_to_the_template(db: Database, tmp_path: Path) -> None:
    headers = ["序号", "联系电话", "身份证号", "考生姓名", "拼音", "性别", "年级", "层次",
               "专业", "专业代码", "备注"]  # fmt: skip
    woman, man = person(1, "女"), person(2, "男")
    rows = [
        [1, "138-0013-8000", " ".join([woman[:6], woman[6:14], woman[14:]]), "王 玉霞", "",
         "女", "2020年9月", "大专", "市场营销", "530605", "班长"],
        [],
        [2, "+86 139 0013 8000", "".join(chr(ord(c) + 0xFEE0) for c in man), "李  四",
         "Li Si", "", dt.datetime(2021, 9, 1), "专科", "电子商务", 530701, None],
        [None, None, None, None, None, None, None, None, None, None, "只填了备注的行"],
    ]  # fmt: skip
    above = [["2024级 学生信息表"], ["请认真填写，身份证号请设为文本"]]
    path = sheet(tmp_path / "close.xlsx", rows, headers, above=above)
    report = import_candidates(db, path, "school")
    assert (report.imported, report.rejected, report.rows) == (2, 0, 2), report.problems
    assert report.header_row == 3
    notice = next(p for p in report.problems if p.code == "import.ignored_columns")
    assert "序号" in notice.params["columns"] and "备注" in notice.params["columns"]
    assert notice.level is Level.NOTICE
    derived = next(p for p in report.problems if p.code == "import.derived_columns")
    assert derived.params["columns"] == "证件类型"

    a, b = candidate(db, woman), candidate(db, man)
    assert (a.name, a.phone, a.enrollment_year, a.education_level) == (
        "王玉霞",
        "13800138000",
        2020,
        "专科",
    )
    assert (b.name, b.phone, b.enrollment_year, b.major_code, b.gender) == (
        "李四",
        "13900138000",
        2021,
        "530701",
        "男",
    )
    assert "candidate.gender_filled" in codes_at(report, 6)
    problem = next(p for p in report.problems if p.code == "candidate.gender_filled")
    assert problem.column == "性别" and problem.id_number == man


def test_lower_case_x_and_full_width_x(db: Database, tmp_path: Path) -> None:
    number = next(person(i) for i in range(500) if person(i).endswith("X"))
    path = template_rows(tmp_path / "x.xlsx", [row(0, id_number=number.lower())])
    report = import_candidates(db, path, "school")
    assert report.imported == 1
    assert candidate(db, number).id_number == number


def test_id_stored_as_a_number_is_refused_with_how_to_fix(db: Database, tmp_path: Path) -> None:
    lost = float(person(3))  # what Excel keeps of an ID typed into a number cell
    path = sheet(
        tmp_path / "n.xlsx",
        [row(3, id_number=lost), row(4, id_number="1.10105200301E+17"), row(5)],
    )
    report = import_candidates(db, path, "school")
    assert report.imported == 1 and report.rejected == 2
    for excel_row in (2, 3):
        problem = next(p for p in report.problems if p.row == excel_row)
        assert problem.code == "id.excel_number"
        assert problem.column == "*证件号码" and problem.level is Level.ERROR
        assert "文本" in problem.message
    assert count(db, Candidate) == 1


def test_bad_ids_and_gender_mismatch_keep_rows_out(db: Database, tmp_path: Path) -> None:
    good = person(7)
    bad_check = good[:-1] + ("1" if good[-1] != "1" else "2")
    impossible = "110105200302300021"
    path = sheet(
        tmp_path / "bad.xlsx",
        [
            row(6, id_number=bad_check),
            row(6, id_number=impossible),
            row(8, gender="男", id_number=person(8, "女")),
            row(9, id_number="990105200301010021"),
            row(10),
        ],
    )
    report = import_candidates(db, path, "school")
    assert report.imported == 1 and report.rejected == 4
    assert "id.bad_check_digit" in codes_at(report, 2)
    assert "id.bad_birth_date" in codes_at(report, 3)
    assert "id.gender_mismatch" in codes_at(report, 4)
    assert "id.unknown_region" in codes_at(report, 5)
    mismatch = next(p for p in report.problems if p.code == "id.gender_mismatch")
    assert mismatch.column == "*性别" and mismatch.id_number == person(8, "女")
    assert report.rejected_rows == (2, 3, 4, 5)


def test_incomplete_row_is_imported_and_missing_identity_is_not(
    db: Database, tmp_path: Path
) -> None:
    blank = [None] * 10
    only_identity = ["赵六", None, None, None, person(11), None, None, None, None, None]
    no_name = row(12, name=None)
    no_id = row(13, id_number=None)
    bad_phone = row(14, phone="12345")
    path = sheet(tmp_path / "partial.xlsx", [blank, only_identity, no_name, no_id, bad_phone])
    report = import_candidates(db, path, "school")
    assert (report.rows, report.imported, report.rejected, report.incomplete) == (4, 2, 2, 2)
    assert codes_at(report, 2) == []  # the empty row is skipped silently
    warning = next(p for p in report.problems if p.row == 3 and p.code == "import.incomplete")
    assert warning.level is Level.WARNING
    for header in ("手机号码", "入学年份", "专业层次", "就读专业", "专业代码"):
        assert header in warning.params["fields"]
    assert "candidate.name_missing" in codes_at(report, 4)
    assert "candidate.id_missing" in codes_at(report, 5)
    assert "phone.wrong_length" in codes_at(report, 6)
    partial = candidate(db, person(11))
    assert partial.gender == "女" and partial.phone == "" and partial.status == "no_photo"
    assert candidate(db, person(14)).phone == ""


def test_duplicates_within_the_file_are_both_refused(db: Database, tmp_path: Path) -> None:
    path = sheet(tmp_path / "dup.xlsx", [row(20), row(21), row(20, name="王小霞")])
    report = import_candidates(db, path, "school")
    assert report.imported == 1 and report.rejected == 2
    first = next(p for p in report.problems if p.row == 2 and p.code == "import.duplicate_in_file")
    second = next(p for p in report.problems if p.row == 4 and p.code == "import.duplicate_in_file")
    assert first.params["other_row"] == 4 and second.params["other_row"] == 2
    assert count(db, Candidate) == 1


def test_the_same_row_twice_is_imported_once(db: Database, tmp_path: Path) -> None:
    same = row(22, phone="13800138000")
    spelled_otherwise = row(22, phone="'138-0013-8000")  # the same values once cleaned
    path = sheet(tmp_path / "twice.xlsx", [same, row(23), spelled_otherwise, row(22)])
    report = import_candidates(db, path, "school")
    # Row 5 is the same person as row 2 with the same values; row 5 differs (its phone).
    assert report.imported == 1 and report.rejected == 3, report.problems
    path = sheet(tmp_path / "twice2.xlsx", [same, row(24), spelled_otherwise, same])
    report = import_candidates(db, path, "school")
    assert (report.imported, report.rejected, report.rows) == (2, 0, 4)
    notes = [p for p in report.problems if p.code == "import.same_row_twice"]
    assert [(p.row, p.params["other_row"], p.level) for p in notes] == [
        (4, 2, Level.NOTICE),
        (5, 2, Level.NOTICE),
    ]
    assert "第 2 行" in notes[0].message
    assert candidate(db, person(22)).phone == "13800138000"


def test_a_huge_cell_refuses_only_its_row(db: Database, tmp_path: Path) -> None:
    lines = [",".join(HEADERS)]
    lines += [",".join(str(v) for v in row(i)) for i in (180, 181)]
    lines[2] = lines[2].replace("市场营销", "长" * 200_000)
    lines.append(",".join(str(v) for v in row(182)))
    path = tmp_path / "huge.csv"
    path.write_text("\n".join(lines), "utf-8")
    report = import_candidates(db, path, "school")
    assert (report.imported, report.rejected) == (2, 1)
    (problem,) = [p for p in report.problems if p.row == 3]
    assert problem.code == "import.cell_too_long" and problem.column == "*就读专业"
    assert "200000" in problem.message


def test_an_apostrophe_before_a_phone_and_a_bad_pinyin(db: Database, tmp_path: Path) -> None:
    rows = [row(190, phone="'13800138000", pinyin="Wang123", name="单田芳")]
    report = import_candidates(db, sheet(tmp_path / "a.xlsx", rows), "school")
    assert report.imported == 1
    stored = candidate(db, person(190))
    assert stored.phone == "13800138000" and stored.pinyin == "Shan Tianfang"
    (replaced,) = [p for p in report.problems if p.code == "candidate.pinyin_replaced"]
    assert replaced.level is Level.WARNING and replaced.column == "*姓名拼音"
    assert "Wang123" in replaced.message and "Shan Tianfang" in replaced.message


def test_existing_candidates_need_update(db: Database, tmp_path: Path) -> None:
    first = sheet(tmp_path / "a.xlsx", [row(30), row(31)])
    assert import_candidates(db, first, "school").imported == 2
    again = sheet(
        tmp_path / "b.xlsx",
        [row(30, phone="13912345678", major=None), row(31), row(32)],
    )
    refused = import_candidates(db, again, "school")
    assert (refused.imported, refused.updated, refused.rejected) == (1, 0, 2)
    errors = [p for p in refused.problems if p.row == 2 and p.level is Level.ERROR]
    assert [(p.code, p.column) for p in errors] == [("import.exists", "*证件号码")]
    assert "--update" in errors[0].message
    assert candidate(db, person(30)).phone == "13800000030"

    updated = import_candidates(db, again, "school", update=True)
    assert (updated.imported, updated.updated, updated.unchanged) == (0, 1, 2)
    changed = candidate(db, person(30))
    assert changed.phone == "13912345678"
    assert changed.major == "市场营销"  # a blank cell does not erase what is known
    with db.read() as session:
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "update", AuditLog.entity_id == person(30))
        ).one()
        assert entry.actor == "import"
        assert entry.before == {"phone": "13800000030"}
        assert entry.after == {"phone": "13912345678"}


def test_verified_candidate_keeps_locked_fields(db: Database, tmp_path: Path) -> None:
    import_candidates(db, sheet(tmp_path / "a.xlsx", [row(40)]), "school")
    with db.unit_of_work() as session:
        found = session.scalar(select(Candidate).where(Candidate.id_number == person(40)))
        assert found is not None
        found.platform_status = "verified"
        found.status = "verified"
    path = sheet(tmp_path / "b.xlsx", [row(40, name="王小霞", phone="13700000000")])
    report = import_candidates(db, path, "school", update=True)
    assert report.updated == 1
    locked = next(p for p in report.problems if p.code == "import.locked_field")
    assert locked.level is Level.WARNING and locked.column == "*学生姓名"
    assert locked.params["kept"] == "王玉霞" and locked.params["given"] == "王小霞"
    kept = candidate(db, person(40))
    assert (kept.name, kept.phone, kept.status) == ("王玉霞", "13700000000", "verified")


def test_status_follows_the_photo_and_missing_fields(db: Database, tmp_path: Path) -> None:
    partial = ["孙八", None, None, None, person(50), None, None, None, None, None]
    import_candidates(db, sheet(tmp_path / "a.xlsx", [partial]), "school")
    with db.unit_of_work() as session:
        found = session.scalar(select(Candidate).where(Candidate.id_number == person(50)))
        assert found is not None
        session.add(Photo(candidate_id=found.id, verdict="pass", original=b"jpeg"))
    more = ["孙八", None, None, None, person(50), "13800000001", None, None, None, None]
    import_candidates(db, sheet(tmp_path / "b.xlsx", [more]), "school", update=True)
    assert candidate(db, person(50)).status == "incomplete"
    import_candidates(db, sheet(tmp_path / "c.xlsx", [row(50, name="孙八")]), "school", update=True)
    assert candidate(db, person(50)).status == "ready"


def test_every_created_candidate_is_audited(db: Database, tmp_path: Path) -> None:
    import_candidates(db, sheet(tmp_path / "a.xlsx", [row(60), row(61)]), "school")
    with db.read() as session:
        entries = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        assert [(e.action, e.entity, e.entity_id, e.actor) for e in entries] == [
            ("create", "candidate", person(60), "import"),
            ("create", "candidate", person(61), "import"),
        ]
        assert entries[0].at is not None
        # The created row is the record: the log holds no second copy of its values.
        assert entries[0].before is None and entries[0].after is None
    stored = candidate(db, person(60))
    assert stored.name == "王玉霞" and stored.status == "no_photo"


def test_social_candidates_keep_their_extra_columns(db: Database, tmp_path: Path) -> None:
    headers = ["姓名", "身份证号", "手机号码", "性别", "工作单位", "学历", "所学专业"]
    rows = [["周九", person(70), "13800000070", "女", "某某电商公司", "大专", "电子商务"]]
    report = import_candidates(db, sheet(tmp_path / "s.xlsx", rows, headers), "social")
    assert report.imported == 1 and report.incomplete == 0, report.problems
    found = candidate(db, person(70))
    assert found.kind == "social" and found.pinyin == "Zhou Jiu"
    assert found.extra == {"employer": "某某电商公司", "education": "大专", "major": "电子商务"}


def test_the_best_matching_sheet_is_read(db: Database, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["这张表是说明"])
    data = workbook.create_sheet("考生")
    for line in [HEADERS, row(80)]:
        data.append(line)
    workbook.save(tmp_path / "two.xlsx")
    report = import_candidates(db, tmp_path / "two.xlsx", "school")
    assert report.sheet_name == "考生" and report.imported == 1


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_any_usual_encoding(db: Database, tmp_path: Path, encoding: str) -> None:
    lines = [",".join(HEADERS), ",".join(str(v) for v in row(90)), ",,,,,,,,,"]
    path = tmp_path / "list.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    report = import_candidates(db, path, "school")
    assert report.imported == 1 and report.format == "csv", report.problems
    assert candidate(db, person(90)).name == "王玉兰"


# --- files refused as a whole ---------------------------------------------------------------


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def photo_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("11010519491231002X.jpg", b"\xff\xd8\xff")
    return buffer.getvalue()


def broken_workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    return buffer.getvalue()


def truncated_workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)  # type: ignore[union-attr]
    workbook.save(buffer)
    return buffer.getvalue()[:2000]


def encrypted_bytes() -> bytes:
    # The start of an OLE compound file holding an encrypted OOXML package.
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 1024
    )


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("renamed.xlsx", docx_bytes(), "Word"),
        ("photos.xlsx", photo_zip_bytes(), "压缩包"),
        ("garbage.xlsx", bytes(range(256)) * 40, "不是 Excel"),
        ("empty.xlsx", b"", "空的"),
        ("broken.xlsx", broken_workbook_bytes(), "已损坏"),
        ("truncated.xlsx", truncated_workbook_bytes(), "已损坏"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 4000, "已损坏"),
        ("locked.xlsx", encrypted_bytes(), "密码"),
        ("page.xls", b"<html><table><tr><td>1</td></tr></table></html>", "网页"),
        ("notes.txt", "姓名,身份证号".encode(), ".txt"),
        ("binary.csv", b"\x00\x01\x02garbage\x00" * 100, "编码"),
        ("headerless.csv", b"a,b,c\n1,2,3\n", "表头"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    db: Database, tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        import_candidates(db, path, "school")
    assert needle in caught.value.message
    assert caught.value.exit_code == 2
    assert count(db, Candidate) == 0 and count(db, AuditLog) == 0


def test_missing_required_columns_are_named(db: Database, tmp_path: Path) -> None:
    headers = ["姓名", "身份证号", "性别"]
    path = sheet(tmp_path / "few.xlsx", [["王玉霞", person(1), "女"]], headers)
    with pytest.raises(InputError) as caught:
        import_candidates(db, path, "school")
    for header in ("手机号码", "入学年份", "专业层次", "就读专业", "专业代码"):
        assert header in caught.value.message
    assert "姓名拼音" not in caught.value.message  # the program fills it
    assert count(db, Candidate) == 0


def test_row_cap(db: Database, tmp_path: Path) -> None:
    path = sheet(tmp_path / "many.xlsx", [row(i) for i in range(6)])
    with pytest.raises(InputError) as caught:
        import_candidates(db, path, "school", max_rows=5)
    assert "5" in caught.value.message
    assert count(db, Candidate) == 0
    assert import_candidates(db, path, "school", max_rows=6).imported == 6


def test_default_row_cap_is_fifty_thousand() -> None:
    assert candidate_import.MAX_ROWS == 50_000


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


# --- dry run and cancel ---------------------------------------------------------------------


def test_dry_run_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = sheet(tmp_path / "a.xlsx", [row(100), row(101), row(101, phone="13900000000")])
    report = import_candidates(db, path, "school", dry_run=True)
    assert report.dry_run and (report.imported, report.rejected) == (1, 2)
    assert count(db, Candidate) == 0 and count(db, AuditLog) == 0


def test_cancel_rolls_everything_back(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(candidate_import, "WRITE_CHUNK", 5)
    path = sheet(tmp_path / "a.xlsx", [row(i) for i in range(110, 130)])
    seen: list[tuple[int, int, str]] = []
    progress = Progress(lambda done, total, label: seen.append((done, total, label)))

    def cancel_after_first_chunk(done: int, total: int, label: str) -> None:
        seen.append((done, total, label))
        if label == "写入数据库":
            progress.cancel()

    progress = Progress(cancel_after_first_chunk)
    with pytest.raises(Cancelled):
        import_candidates(db, path, "school", progress=progress)
    assert any(label == "写入数据库" for _, _, label in seen)  # a chunk was written first
    assert count(db, Candidate) == 0 and count(db, AuditLog) == 0


def test_cancel_while_checking(db: Database, tmp_path: Path) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        import_candidates(db, sheet(tmp_path / "a.xlsx", [row(1)]), "school", progress=progress)
    assert count(db, Candidate) == 0


# --- the error report -----------------------------------------------------------------------


def test_error_report_is_a_copy_with_explanations(db: Database, tmp_path: Path) -> None:
    rows = [row(140), row(141, id_number=float(person(141))), row(142, phone="12345")]
    source = template_rows(tmp_path / "class.xlsx", rows)
    report = import_candidates(db, source, "school")
    out = write_error_report(source, report, tmp_path / "report.xlsx")

    copy = openpyxl.load_workbook(out)
    assert copy.sheetnames == ["Sheet1", "填写说明"]  # the user's whole workbook
    ws = copy["Sheet1"]
    assert ws["A1"].value == "本校学生导入模板"
    assert ws.cell(3, 11).value == "错误说明"
    assert ws.cell(5, 5).fill == ERROR_FILL  # the ID that Excel broke
    assert ws.cell(6, 6).fill == WARNING_FILL  # the short phone
    assert ws.cell(4, 5).fill != ERROR_FILL
    assert ws.cell(5, 1).value == "王玉梅"  # the user's data is kept as it was

    # A second reader sees the text.
    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Sheet1").to_python()
    by_row = {line[4]: line for line in values[3:]}
    assert "文本" in values[4][10] and "证件号码" in values[4][10]
    assert "手机号码" in by_row[person(142)][10]
    assert "拼音" in by_row[person(140)][10]  # notices too

    # Fixed and imported again, the report's own column is ignored without a notice.
    ws.cell(5, 5).value = person(141)
    copy.save(tmp_path / "fixed.xlsx")
    again = import_candidates(db, tmp_path / "fixed.xlsx", "school")
    assert again.imported == 1
    assert not any(p.code == "import.ignored_columns" for p in again.problems)


def test_error_report_of_a_csv_is_a_fresh_workbook(db: Database, tmp_path: Path) -> None:
    lines = [",".join(HEADERS), ",".join(str(v) for v in row(150, phone="12"))]
    source = tmp_path / "list.csv"
    source.write_bytes("\n".join(lines).encode("gbk"))
    report = import_candidates(db, source, "school")
    out = write_error_report(source, report, tmp_path / "report.xlsx")
    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert values[0][:3] == ["*学生姓名", "*姓名拼音", "*性别"]
    assert values[0][10] == "错误说明"
    assert values[1][4] == person(150)  # the ID stays text
    assert "手机号码" in values[1][10]
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left behind


def test_a_workbook_that_inflates_too_much_is_refused(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from examsite.formats import sheet_reader

    path = sheet(tmp_path / "big.xlsx", [row(i) for i in range(50)])
    inflated = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(sheet_reader, "MAX_INFLATED_BYTES", inflated - 1)
    with pytest.raises(InputError) as caught:
        import_candidates(db, path, "school")
    assert "过大" in caught.value.message
    assert count(db, Candidate) == 0


def test_hidden_sheets_are_not_read_and_xlsm_is_fine(db: Database, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    assert hidden is not None
    hidden.title = "旧名单"
    for line in [HEADERS, row(160), row(161)]:
        hidden.append(line)
    hidden.sheet_state = "hidden"
    current = workbook.create_sheet("名单")
    for line in [HEADERS, row(162)]:
        current.append(line)
    workbook.save(tmp_path / "macro.xlsm")
    report = import_candidates(db, tmp_path / "macro.xlsm", "school")
    assert report.sheet_name == "名单" and report.imported == 1
    assert [r.id_number for r in list_candidates(db)] == [person(162)]


@pytest.mark.parametrize("kind", ["school", "social"])
def test_blank_template_layout(tmp_path: Path, kind: str) -> None:
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == [f"{kind}.xlsx"]  # no temporary file left
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Sheet1", "填写说明"]
    ws = workbook["Sheet1"]
    assert ws["A1"].value == ("本校学生导入模板" if kind == "school" else "社会考生导入模板")
    assert "文本" in ws["A2"].value and "证件号码.jpg" in ws["A2"].value
    headers = [c.value for c in ws[3] if c.value]
    assert headers[:6] == HEADERS[:6]
    if kind == "school":
        assert headers == HEADERS
    else:
        assert headers[6:] == ["工作单位", "学历", "所学专业"]
    assert ws.freeze_panes == "A4"
    lists = {
        dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "list"
    }
    assert lists['"男,女"'] == "C4:C2003"
    assert (
        lists['"身份证,港澳台居民居住证,护照,港澳居民来往内地通行证,台湾居民来往大陆通行证"']
        == "D4:D2003"
    )
    if kind == "school":
        assert lists['"中职,专科,本科"'] == "H4:H2003"
    text_columns = ("E", "F", "J") if kind == "school" else ("E", "F")
    for letter in text_columns:
        assert ws[f"{letter}4"].number_format == "@"
        assert ws[f"{letter}2003"].number_format == "@"
    assert ws["A4"].number_format != "@"
    assert ws.column_dimensions["E"].width >= 20
    help_rows = list(workbook["填写说明"].iter_rows(min_row=2, values_only=True))
    assert len(help_rows) == len(headers)
    assert all(r[2] for r in help_rows)  # every column has its rule


def test_report_never_overwrites_the_source(db: Database, tmp_path: Path) -> None:
    from examsite.errors import ExamsiteError

    source = sheet(tmp_path / "a.xlsx", [row(170)])
    report = import_candidates(db, source, "school", dry_run=True)
    with pytest.raises(ExamsiteError):
        write_error_report(source, report, tmp_path / "a.xlsx")


@pytest.mark.sqlite_only  # the backup copies the SQLite file
def test_an_import_is_preceded_by_an_automatic_backup_and_a_dry_run_is_not(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from examsite.services.backup import list_backups

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # a backup folder of its own
    path = template_rows(tmp_path / "t.xlsx", [row(1), row(2)])
    import_candidates(db, path, "school", dry_run=True)
    assert list_backups(db) == []
    import_candidates(db, path, "school")
    backups = list_backups(db)
    assert [(b.kind, b.reason) for b in backups] == [("auto", "import")]
    # the copy holds what was there before the import: no candidate yet
    assert backups[0].counts is not None and backups[0].counts.candidates == 0
    assert count(db, Candidate) == 2
