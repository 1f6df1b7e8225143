"""The upload package's sheets read back by LibreOffice (a second reader written by other
people than ours): every header as the template's, every ID number as text with an
upper-case X, and a name that looks like a formula shown as text, not evaluated.

CI installs LibreOffice (``libreoffice-calc-nogui``); where it is missing the test says so
and skips.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from examsite.formats.bundle import read_bundle
from examsite.formats.templates import get_template
from examsite.services import platform_export as pe
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Registration

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
RESIDENT = re.compile(r"\d{17}[\dX]")
SHEETS = {
    pe.SCHOOL_FILE: "candidates.school",
    pe.REGISTRATION_FILE: "registration.003",
    pe.ROOMS_FILE: "rooms.platform",
    pe.INVIGILATORS_FILE: "staff.invigilators",
}
# LibreOffice's CSV filter: comma, double quote, UTF-8 (76), first row, cells as shown.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_package_as_meant(arranged_db_file, tmp_path: Path) -> None:
    db = Database.open(arranged_db_file(30))
    with db.unit_of_work() as session:  # a name a spreadsheet would take for a formula
        registered = select(Registration.candidate_id).limit(1).scalar_subquery()
        candidate = session.scalar(select(Candidate).where(Candidate.id == registered))
        assert candidate is not None
        candidate.name = "=HYPERLINK(1)"
        tricky_id = candidate.id_number
    result = pe.export_platform(db, DEMO_PLAN_CODE, tmp_path)
    db.close()
    assert result.path is not None
    files = read_bundle(result.path).files
    folder = tmp_path / "sheets"
    folder.mkdir()
    names = {}
    for number, (path, key) in enumerate(SHEETS.items()):
        if path in files:
            (folder / f"s{number}.xlsx").write_bytes(files[path])
            names[f"s{number}"] = key
    assert "s0" in names and "s1" in names
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", CSV_FILTER, "--outdir", str(folder),
         *sorted(str(p) for p in folder.glob("*.xlsx"))],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    for stem, key in names.items():
        with open(folder / f"{stem}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        titles = [column.title for column in get_template(key).columns]
        assert rows[2][: len(titles)] == titles, key
        if "*证件号码" in titles or "证件号码" in titles:
            at = titles.index("*证件号码" if "*证件号码" in titles else "证件号码")
            ids = [row[at] for row in rows[3:] if any(row)]
            assert ids and all(RESIDENT.fullmatch(i) for i in ids), (key, ids[:3])
        if key == "candidates.school":
            by_id = {row[titles.index("*证件号码")]: row for row in rows[3:]}
            assert by_id[tricky_id][0] == "=HYPERLINK(1)"  # shown as typed, not run
