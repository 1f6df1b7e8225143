"""The platform's upload package (``services.platform_export``): what goes in, what is
held back, the package check, the diff since the last export; read back by a second
reader (python-calamine) with the IDs intact and no formula whatever the data holds."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from examsite.errors import InputError
from examsite.formats.bundle import read_bundle
from examsite.formats.platform_check import jpeg_size
from examsite.formats.templates import get_template
from examsite.services import platform_export as pe
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Photo, Registration, RegistrationSubject, Setting

PLAN = DEMO_PLAN_CODE
SHEETS = {
    pe.SCHOOL_FILE: "candidates.school",
    pe.SOCIAL_FILE: "candidates.social",
    pe.REGISTRATION_FILE: "registration.003",
    pe.ROOMS_FILE: "rooms.platform",
    pe.INVIGILATORS_FILE: "staff.invigilators",
}
RESIDENT = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def arranged(arranged_db_file) -> Database:
    database = Database.open(arranged_db_file(60))
    yield database
    database.close()


def _rows(data: bytes) -> list[list[object]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def test_the_bundle_holds_every_sheet_in_its_template(arranged, tmp_path) -> None:
    result = pe.export_platform(arranged, PLAN, tmp_path)
    assert result.path is not None and result.path.parent == tmp_path
    assert re.fullmatch(rf"平台上传包_{PLAN}_\d{{8}}-\d{{4}}\.zip", result.path.name)
    bundle = read_bundle(result.path)
    assert bundle.manifest.kind == "platform-upload"
    assert bundle.manifest.plan == PLAN
    present = set(bundle.files)
    assert pe.PHOTOS_FILE in present
    ids: set[str] = set()
    for path, key in SHEETS.items():
        if path not in present:
            continue
        rows = _rows(bundle.files[path])
        expected = [c.title for c in get_template(key).columns]
        assert rows[2][: len(expected)] == expected, path
        if key.startswith("candidates."):
            at = expected.index("*证件号码")
            for row in rows[3:]:
                assert isinstance(row[at], str) and RESIDENT.fullmatch(row[at]), row
                ids.add(row[at])
    assert ids and bundle.manifest.counts["candidates"] == len(ids)
    with zipfile.ZipFile(io.BytesIO(bundle.files[pe.PHOTOS_FILE])) as photos:
        names = photos.namelist()
        assert {n.removesuffix(".jpg") for n in names} == ids
        for name in names:
            assert jpeg_size(photos.read(name)) == (295, 413)
    registrations = _rows(bundle.files[pe.REGISTRATION_FILE])[3:]
    assert len(registrations) == result.plan.counts["registrations"] > 0
    assert {r[1] for r in registrations} <= ids
