"""``examsite-cli candidates`` end to end: template → fill → import → list, and refusals."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
from cli_runner import run_cli
from python_calamine import CalamineWorkbook

from examsite.domain.id_number import synthetic_id

WOMAN = synthetic_id("440106", dt.date(2004, 3, 9), 21, "女")
MAN = synthetic_id("420102", dt.date(2003, 11, 30), 7, "男")


def fill(template: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.active
    assert sheet is not None
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c, value)
    filled = template.with_name("filled.xlsx")
    workbook.save(filled)
    return filled


def test_template_fill_import_list(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    template = tmp_path / "school.xlsx"
    made = run_cli("candidates", "template", str(template), "--kind", "school", db=db)
    assert made.returncode == 0, made.stderr
    assert template.exists()

    filled = fill(
        template,
        [
            ["曾小红", "", "女", "身份证", WOMAN, "138 0013 8000", "2021年9月", "专科", "电子商务", "530701"],
            ["李强", "Li Qiang", "", "", MAN.lower(), "13900139000", 2022, "本科", "市场营销", "120202"],
            ["王五", "", "男", "身份证", float(MAN[:-1] + "0"), "13700137000", 2022, "专科", "", ""],
        ],
    )  # fmt: skip
    dry = run_cli("candidates", "import", str(filled), "--kind", "school", "--dry-run", "--json", db=db)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["imported"] == 2
    listed = run_cli("candidates", "list", "--json", db=db)
    assert json.loads(listed.stdout) == []  # the dry run wrote nothing

    report_path = tmp_path / "report.xlsx"
    done = run_cli(
        "candidates", "import", str(filled), "--kind", "school", "--json",
        "--report", str(report_path), db=db,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["imported"], document["rejected"], document["rows"]) == (2, 1, 3)
    bad = [p for p in document["problems"] if p["level"] == "error"]
    assert [(p["row"], p["column"], p["code"]) for p in bad] == [
        (6, "*证件号码", "id.excel_number")
    ]
    assert "文本" in bad[0]["message"]
    report_rows = CalamineWorkbook.from_path(str(report_path)).get_sheet_by_index(0).to_python()
    assert report_rows[2][10] == "错误说明" and "文本" in report_rows[5][10]

    listed = run_cli("candidates", "list", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    people = json.loads(listed.stdout)
    shown = (
        "id_number",
        "name",
        "pinyin",
        "gender",
        "kind",
        "phone",
        "major_code",
        "status",
        "photo",
    )
    assert all(p["issues"] == ["no_photo"] and p["photo_state"] == "missing" for p in people)
    assert [{key: p[key] for key in shown} for p in people] == [
        {
            "id_number": WOMAN,
            "name": "曾小红",
            "pinyin": "Zeng Xiaohong",
            "gender": "女",
            "kind": "school",
            "phone": "13800138000",
            "major_code": "530701",
            "status": "no_photo",
            "photo": None,
        },
        {
            "id_number": MAN,
            "name": "李强",
            "pinyin": "Li Qiang",
            "gender": "男",
            "kind": "school",
            "phone": "13900139000",
            "major_code": "120202",
            "status": "no_photo",
            "photo": None,
        },
    ]
    searched = run_cli("candidates", "list", "--search", "曾", "--json", db=db)
    assert [p["name"] for p in json.loads(searched.stdout)] == ["曾小红"]

    table = run_cli("candidates", "list", db=db)
    assert table.returncode == 0
    assert WOMAN[:6] + "********" + WOMAN[-4:] in table.stdout  # masked in human output
    assert WOMAN not in table.stdout

    again = run_cli("candidates", "import", str(filled), "--kind", "school", "--json", db=db)
    assert json.loads(again.stdout)["rejected"] == 3  # already imported, no --update
    updated = run_cli(
        "candidates", "import", str(filled), "--kind", "school", "--update", "--json", db=db
    )
    assert json.loads(updated.stdout)["unchanged"] == 2


def test_refused_file_exits_with_2(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    fake = tmp_path / "名单.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is not really a zip")
    result = run_cli("candidates", "import", str(fake), "--kind", "school", db=db)
    assert result.returncode == 2
    assert "名单.xlsx" in result.stderr
    assert result.stdout == ""
    listed = run_cli("candidates", "list", "--json", db=db)
    assert json.loads(listed.stdout) == []


def test_add_show_delete(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    added = run_cli(
        "candidates", "add", "--kind", "social", "--name", "单田芳", "--id-number", MAN,
        "--phone", "13800138000", "--json", db=db,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["pinyin"] == "Shan Tianfang"
    twice = run_cli(
        "candidates", "add", "--kind", "social", "--name", "单田芳", "--id-number", MAN, db=db
    )
    assert twice.returncode == 2 and "已被" in twice.stderr
    shown = run_cli("candidates", "show", MAN, "--json", db=db)
    assert json.loads(shown.stdout)["gender"] == "男"
    assert run_cli("candidates", "delete", MAN, db=db).returncode == 0
    missing = run_cli("candidates", "show", MAN, db=db)
    assert missing.returncode == 2 and "找不到" in missing.stderr


def _csv_source(folder: Path, name: str = "名单.csv") -> Path:
    source = folder / name
    source.write_text(f"*学生姓名,*证件号码,*手机号码\n王玉霞,{WOMAN},13800138000\n", "utf-8")
    return source


def test_a_bad_report_path_is_refused_before_importing(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    source = _csv_source(tmp_path)
    (tmp_path / "folder.xlsx").mkdir()
    for out in (
        tmp_path / "missing" / "r.xlsx",
        tmp_path / "folder.xlsx",
        source,
        tmp_path / "r.csv",
    ):
        result = run_cli(
            "candidates", "import", str(source), "--kind", "social", "--report", str(out), db=db
        )
        assert result.returncode == 2, (out, result.stderr)
        assert result.stdout == "" and "错误说明表" in result.stderr
    listed = run_cli("candidates", "list", "--json", db=db)
    assert json.loads(listed.stdout) == []  # nothing imported
    assert source.read_text("utf-8").startswith("*学生姓名")


def test_a_csv_whose_name_is_no_sheet_title_gets_its_report(tmp_path: Path) -> None:
    db = tmp_path / "site.db"
    source = _csv_source(tmp_path, "2024[秋]:一班.csv")
    out = tmp_path / "报告.xlsx"
    result = run_cli(
        "candidates", "import", str(source), "--kind", "social", "--report", str(out), db=db
    )
    assert result.returncode == 0, result.stderr
    assert "已导入 1 人" in result.stdout
    assert CalamineWorkbook.from_path(str(out)).sheet_names == ["2024_秋__一班"]


def test_a_report_failing_after_the_import_does_not_call_it_failed(
    tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    import errno

    from examsite import cli
    from examsite.formats import workbook_writer

    db = tmp_path / "site.db"
    source = _csv_source(tmp_path)

    def full(*_args: object) -> None:
        raise workbook_writer.cannot_write(tmp_path / "r.xlsx", OSError(errno.ENOSPC, "full"))

    monkeypatch.setattr(workbook_writer, "save_atomically", full)
    monkeypatch.setattr("examsite.services.import_report.save_atomically", full)
    argv = ["--db", str(db), "candidates", "import", str(source), "--kind", "social"]
    code = cli.main([*argv, "--report", str(tmp_path / "r.xlsx")])
    out, err = capsys.readouterr()
    assert code == 3
    assert "已导入 1 人" in out
    assert "考生已导入" in err and "磁盘空间不足" in err and "Errno" not in err
    code = cli.main([*argv, "--json", "--report", str(tmp_path / "r.xlsx")])
    document = json.loads(capsys.readouterr().out)
    assert code == 3 and document["rejected"] == 1  # already imported the first time
    assert document["report"] is None
    assert document["report_error"]["code"] == "import.report_failed_after_import"
