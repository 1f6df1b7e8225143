"""The one spreadsheet writer: data never becomes a formula, IDs stay text, titles are
valid, paths are checked before any work; read back with openpyxl, calamine and, where it is
installed, LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from examsite.domain.id_number import synthetic_id
from examsite.errors import ExamsiteError, InputError
from examsite.formats import file_errors
from examsite.formats.workbook_writer import (
    MAX_CELL_CHARS,
    check_output_path,
    new_workbook,
    put,
    safe_sheet_title,
    save_atomically,
    with_xlsx_suffix,
)
from examsite.messages.system import reason_code
from examsite.services.candidate_import import import_candidates
from examsite.services.import_report import write_error_report
from examsite.storage.db import Database

DANGEROUS = [
    "=1+1",
    "+86 138 0013 8000",
    "-5",
    "@SUM(A1)",
    '=HYPERLINK("http://x","y")',
    "\t=1+2",
    "#N/A",
]


def libreoffice_csv(path: Path, tmp_path: Path) -> list[list[str]]:
    """The first sheet of ``path`` as LibreOffice shows it, through its CSV export."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (out / f"{path.stem}.csv").read_text("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_dangerous_strings_are_written_as_text(tmp_path: Path) -> None:
    workbook, sheet = new_workbook("x")
    for row, value in enumerate(DANGEROUS, start=1):
        put(sheet, row, 1, value)
    put(sheet, 1, 2, 110105200201010021, text=True)
    put(sheet, 2, 2, 13800138000.0, text=True)
    put(sheet, 3, 2, "0530605", text=True)
    put(sheet, 4, 2, "a\x01b\x1fc")  # control characters an .xlsx cannot hold
    put(sheet, 5, 2, "长" * (MAX_CELL_CHARS + 10))
    put(sheet, 6, 2, 42)
    put(sheet, 7, 2, dt.date(2020, 9, 1))
    led_by_cr = put(sheet, 8, 2, "\r=3")  # XML turns the CR into LF when read back
    assert (led_by_cr.data_type, led_by_cr.quotePrefix) == ("s", True)
    path = save_atomically(workbook, tmp_path / "out.xlsx")

    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    for row, value in enumerate(DANGEROUS, start=1):
        cell = ws.cell(row, 1)
        assert (cell.value, cell.data_type) == (value, "s")
    assert ws["A1"].quotePrefix  # Excel keeps it text when the cell is edited
    assert ws["B1"].value == "110105200201010021" and ws["B1"].number_format == "@"
    assert ws["B2"].value == "13800138000" and ws["B3"].value == "0530605"
    assert ws["B4"].value == "abc"
    assert len(ws["B5"].value) == MAX_CELL_CHARS
    assert ws["B6"].value == 42 and ws["B6"].data_type == "n"
    assert ws["B7"].is_date

    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [line[0] for line in calamine][: len(DANGEROUS)] == DANGEROUS

    shown = libreoffice_csv(path, tmp_path)
    assert [line[0] for line in shown][: len(DANGEROUS)] == DANGEROUS  # not evaluated, no "'" shown
    assert shown[0][1] == "110105200201010021"


def test_a_csv_report_keeps_formula_like_cells_as_text(db: Database, tmp_path: Path) -> None:
    number = synthetic_id("110105", dt.date(2003, 1, 1), 5, "女")  # type: ignore[arg-type]
    headers = ["*学生姓名", "*证件号码", "*手机号码", "工作单位", "所学专业", "备注"]
    lines = [
        headers,
        ["王玉霞", number, "+86 138 0013 8000", "-5", "@SUM(A1)", '=HYPERLINK("http://x","y")'],
        ["=1+1", "=1+1", "-5", "+1", "@A1", "=2+2"],
    ]
    source = tmp_path / "名单[一班]:2024.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    report = import_candidates(db, source, "social")
    assert report.imported == 1 and report.rejected == 1
    out = write_error_report(source, report, tmp_path / "report.xlsx")

    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["名单_一班__2024"]
    ws = workbook.active
    assert ws is not None
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            cell = ws.cell(r, c)
            assert (cell.value, cell.data_type) == (value, "s"), (r, c)
    assert ws.cell(2, 2).number_format == "@"  # the ID column is text

    shown = libreoffice_csv(out, tmp_path)
    assert [line[:6] for line in shown] == lines


def test_sheet_titles_are_always_valid() -> None:
    assert safe_sheet_title("a[b]:c*d?e/f\\g") == "a_b__c_d_e_f_g"
    assert safe_sheet_title("'引号'") == "引号"
    assert safe_sheet_title("") == "Sheet1"
    assert safe_sheet_title("[]") == "__"
    assert safe_sheet_title("History") == "History_"
    assert safe_sheet_title("很" * 40) == "很" * 31
    _workbook, sheet = new_workbook("x" * 30 + "'yy")
    assert sheet.title == "x" * 30


def test_output_paths_are_checked_before_any_work(tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text("x", "utf-8")
    cases = {
        tmp_path / "missing" / "r.xlsx": "import.report_folder_missing",
        tmp_path: "import.report_is_folder",
        tmp_path / "r.csv": "import.report_wrong_type",
        tmp_path / "r.txt": "import.report_wrong_type",
    }
    for path, code in cases.items():
        with pytest.raises(InputError) as caught:
            check_output_path(path, source=source)
        assert caught.value.code == code, path
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"PK")
    with pytest.raises(InputError) as caught:
        check_output_path(tmp_path / "." / "book.xlsx", source=book)
    assert caught.value.code == "import.report_overwrites_source"
    assert check_output_path(tmp_path / "ok.xlsx", source=source) == tmp_path / "ok.xlsx"
    assert with_xlsx_suffix(tmp_path / "报告") == tmp_path / "报告.xlsx"
    assert with_xlsx_suffix(tmp_path / "报告.XLSX") == tmp_path / "报告.XLSX"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(InputError) as caught:
            check_output_path(folder / "r.xlsx")
        assert "没有权限" in caught.value.message
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "没有权限"),
        (FileNotFoundError(errno.ENOENT, "No such file"), "不存在"),
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        (OSError(errno.EROFS, "Read-only file system"), "只读"),
        (OSError(errno.EBUSY, "Device or resource busy"), "其他程序"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "文件夹"),
        (OSError(errno.EPROTO, "Protocol error"), f"错误号 {errno.EPROTO}"),
    ],
)
def test_os_errors_become_chinese_reasons(exc: OSError, words: str) -> None:
    reason = file_errors.os_reason(exc)
    assert words in reason
    assert not any(c.isascii() and c.isalpha() for c in reason.replace("U", "").replace("Excel", "").replace("WPS", ""))  # fmt: skip
    message = file_errors.cannot_write(Path("x.xlsx"), exc).message
    assert "Errno" not in message and "denied" not in message


def test_a_sharing_violation_on_windows_is_in_use() -> None:
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32  # type: ignore[attr-defined]
    assert reason_code(exc) == ("system.in_use", {})


def test_a_failed_save_names_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook, _sheet = new_workbook("x")

    def full(_self: object, _name: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(type(workbook), "save", full)
    with pytest.raises(ExamsiteError) as caught:
        save_atomically(workbook, tmp_path / "r.xlsx")
    assert "磁盘空间不足" in caught.value.message and "No space" not in caught.value.message
    assert list(tmp_path.iterdir()) == []
