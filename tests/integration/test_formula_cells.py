"""Formula cells: their stored results are used; without one, the file is refused once,
naming the columns and saying how to fix it (DEPENDENCIES.md, "Sheets: formulas")."""

from __future__ import annotations

import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from examsite.errors import InputError
from examsite.formats.sheet_formulas import formula_cells
from examsite.services.candidate_import import import_candidates
from examsite.storage.db import Database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_formula_sheets import drop_results, formula_workbook, people  # noqa: E402


def ids() -> list[str]:
    return [id_number for _, _, id_number in people()]


def with_saved_results(source: Path, target: Path) -> Path:
    """``source`` (openpyxl's, no results) with each formula's result stored, as Excel and
    WPS save it: ``<c t="str"><f>…</f><v>result</v></c>``."""
    results = {f'"{i}"': i for i in ids()}
    results |= {f'CONCATENATE("{s}","{g}")': s + g for s, g, _ in people()}

    def add_value(match: re.Match[str]) -> str:
        formula = match.group(2).replace("&quot;", '"')
        return f'{match.group(1)} t="str"><f>{match.group(2)}</f><v>{results[formula]}</v></c>'

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.startswith("xl/worksheets/"):
                text = data.decode("utf-8")
                text = re.sub(
                    r'(<c r="[A-Z]+\d+")><f>(.*?)</f><v\s*/?>(?:</v>)?</c>', add_value, text
                )
                data = text.encode("utf-8")
            new.writestr(info, data)
    return target


def test_formulas_without_results_are_refused_once(db: Database, tmp_path: Path) -> None:
    path = formula_workbook(tmp_path / "formulas.xlsx")
    with pytest.raises(InputError) as caught:
        import_candidates(db, path, "social")
    error = caught.value
    assert error.code == "import.formula_not_saved" and error.exit_code == 2
    assert "“学生姓名”（第 2、3、4 行，共 3 格）" in error.message
    assert "“证件号码”（第 2、3、4 行，共 3 格）" in error.message
    assert "*" not in error.message and "手机号码" not in error.message
    assert "Excel 或 WPS" in error.message and "粘贴" in error.message


def test_stored_results_of_formulas_are_used(db: Database, tmp_path: Path) -> None:
    path = with_saved_results(formula_workbook(tmp_path / "f.xlsx"), tmp_path / "saved.xlsx")
    report = import_candidates(db, path, "social")
    assert (report.imported, report.rejected) == (3, 0), report.problems


def test_an_xls_with_stored_results_imports(db: Database) -> None:
    report = import_candidates(db, FIXTURES / "formulas_saved.xls", "social")
    assert (report.imported, report.rejected) == (3, 0), report.problems


def test_an_xls_whose_text_formulas_saved_0_is_refused_once(db: Database) -> None:
    path = FIXTURES / "formulas_unsaved.xls"
    assert formula_cells(path, "xls", "名单", {0, 1}) == {(r, c) for r in (1, 2, 3) for c in (0, 1)}
    with pytest.raises(InputError) as caught:
        import_candidates(db, path, "social")
    assert caught.value.code == "import.formula_not_saved"
    assert "“证件号码”（第 2、3、4 行，共 3 格）" in caught.value.message


def test_an_xls_made_by_libreoffice_now(db: Database, tmp_path: Path) -> None:
    """The same as the fixtures, made from scratch where LibreOffice is installed."""
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    xlsx = formula_workbook(tmp_path / "made.xlsx")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls",
         "--outdir", str(tmp_path), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    made = tmp_path / "made.xls"
    assert import_candidates(db, made, "social", dry_run=True).imported == 3
    assert drop_results(made, tmp_path / "zero.xls") == 6
    with pytest.raises(InputError, match="公式"):
        import_candidates(db, tmp_path / "zero.xls", "social")


def test_ordinary_blanks_are_not_formulas(db: Database, tmp_path: Path) -> None:
    path = formula_workbook(tmp_path / "f.xlsx")
    assert formula_cells(path, "xlsx", "名单", {2}) == set()  # the phone column has none
    assert formula_cells(path, "csv", "x", {0}) == set()
    assert formula_cells(tmp_path / "missing.xls", "xls", "x", {0}) == set()
    garbage = tmp_path / "garbage.xls"
    garbage.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 3000)
    assert formula_cells(garbage, "xls", "x", {0}) == set()
