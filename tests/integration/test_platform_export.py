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


@pytest.fixture
def usb(tmp_path) -> Path:
    """An empty folder for the package (the database lives in ``tmp_path``)."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def _rows(data: bytes) -> list[list[object]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def test_the_bundle_holds_every_sheet_in_its_template(arranged, usb) -> None:
    result = pe.export_platform(arranged, PLAN, usb)
    assert result.path is not None and result.path.parent == usb
    assert re.fullmatch(rf"平台上传包_{PLAN}_\d{{8}}-\d{{4}}\.zip", result.path.name)
    bundle = read_bundle(result.path)
    with zipfile.ZipFile(result.path) as outer:  # compressed members are stored once
        methods = {info.filename: info.compress_type for info in outer.infolist()}
    assert methods.pop("manifest.json") == zipfile.ZIP_DEFLATED
    assert set(methods.values()) == {zipfile.ZIP_STORED}
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


def _ready_candidates(database: Database, count: int) -> list[Candidate]:
    """``count`` candidates that go into the package (school kind, with a good photo)."""
    with database.read() as session:
        rows = session.scalars(
            select(Candidate)
            .join(Photo, Photo.candidate_id == Candidate.id)
            .where(Candidate.id.in_(select(Registration.candidate_id)))
            .where(Photo.verdict.in_(("pass", "fixed")), Candidate.status != "incomplete")
            .order_by(Candidate.id)
        ).all()
        session.expunge_all()
    assert len(rows) >= count
    return list(rows[:count])


def _drop_photo(database: Database, candidate_id: int) -> None:
    with database.unit_of_work() as session:
        photo = session.scalar(select(Photo).where(Photo.candidate_id == candidate_id))
        assert photo is not None
        session.delete(photo)


def _update(database: Database, candidate_id: int, **values: object) -> None:
    with database.unit_of_work() as session:
        candidate = session.get(Candidate, candidate_id)
        assert candidate is not None
        for name, value in values.items():
            setattr(candidate, name, value)


def test_held_back_candidates_and_registrations_are_listed_with_reasons(arranged, usb) -> None:
    no_photo, incomplete, short = _ready_candidates(arranged, 3)
    _drop_photo(arranged, no_photo.id)
    _update(arranged, incomplete.id, status="incomplete")
    with arranged.unit_of_work() as session:
        registration = session.scalar(
            select(Registration).where(Registration.candidate_id == short.id)
        )
        assert registration is not None
        record = session.scalar(
            select(RegistrationSubject).where(
                RegistrationSubject.registration_id == registration.id
            )
        )
        short_key = (short.id_number, registration.certificate.code)
        session.delete(record)
    plan = pe.plan_upload(arranged, PLAN)
    held = {(h.what, h.key.split("|")[0]): h.reasons for h in plan.held_back}
    assert held[("candidate", no_photo.id_number)] == ("bundle.held_no_photo",)
    assert held[("candidate", incomplete.id_number)] == ("bundle.held_incomplete",)
    assert held[("registration", no_photo.id_number)] == ("bundle.held_candidate",)
    assert held[("registration", short.id_number)] == ("bundle.held_short_records",)
    assert "|".join(short_key) in {h.key for h in plan.held_back}
    assert ("candidate", short.id_number) not in held  # the person is ready, the record is not
    plain = plan.as_dict()
    assert all(r["message"] for h in plain["held_back"] for r in h["reasons"])

    result = pe.export_platform(arranged, PLAN, usb / "up.zip")
    bundle = read_bundle(result.path)
    ids = {row[4] for row in _rows(bundle.files[pe.SCHOOL_FILE])[3:]}
    assert no_photo.id_number not in ids and incomplete.id_number not in ids
    assert short.id_number in ids
    registered = {(row[1], row[3]) for row in _rows(bundle.files[pe.REGISTRATION_FILE])[3:]}
    assert short_key not in registered
    assert no_photo.id_number not in {id_number for id_number, _code in registered}


def test_no_cell_is_a_formula_whatever_the_data_holds(arranged, tmp_path) -> None:
    first, second = _ready_candidates(arranged, 2)
    hyperlink = '=HYPERLINK("http://evil.example","点我")'
    _update(arranged, first.id, name=hyperlink, pinyin="@SUM(1+1)", major="-1+2")
    _update(arranged, second.id, phone="+8613800138000")
    result = pe.export_platform(arranged, PLAN, tmp_path / "up.zip")
    data = read_bundle(result.path).files[pe.SCHOOL_FILE]
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    risky = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                assert cell.quotePrefix, cell.coordinate
                risky.append(cell.value)
    assert {hyperlink, "@SUM(1+1)", "-1+2", "+8613800138000"} <= set(risky)
    read_back = [cell for row in _rows(data) for cell in row]
    assert hyperlink in read_back and "+8613800138000" in read_back
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


def test_the_diff_since_the_last_export(arranged, tmp_path) -> None:
    added, changed, withdrawn = _ready_candidates(arranged, 3)
    _update(arranged, added.id, status="incomplete")
    first = pe.export_platform(arranged, PLAN, tmp_path / "first.zip")
    assert first.plan.diff.last_export is None
    assert len(first.plan.diff.added) == first.plan.counts["candidates"]
    with arranged.read() as session:
        stored = json.loads(session.get(Setting, pe.setting_key(PLAN)).value)
    assert (
        withdrawn.id_number in stored["candidates"] and added.id_number not in stored["candidates"]
    )

    assert pe.plan_upload(arranged, PLAN).diff.empty  # nothing changed since
    _update(arranged, added.id, status="ready")
    _update(arranged, changed.id, phone="13900000000")
    _drop_photo(arranged, withdrawn.id)
    plan = pe.plan_upload(arranged, PLAN)
    change = plan.diff
    assert change.last_export is not None
    assert [p.id_number for p in change.added] == [added.id_number]
    assert [p.id_number for p in change.changed] == [changed.id_number]
    assert [(p.id_number, p.name) for p in change.withdrawn] == [
        (withdrawn.id_number, withdrawn.name)
    ]
    assert {k.split("|")[0] for k in change.registrations_added} == {added.id_number}
    assert {k.split("|")[0] for k in change.registrations_withdrawn} == {withdrawn.id_number}

    second = pe.export_platform(arranged, PLAN, tmp_path / "second.zip")
    assert second.plan.diff == change
    assert pe.plan_upload(arranged, PLAN).diff.empty


def _setting(database: Database) -> str | None:
    with database.read() as session:
        stored = session.get(Setting, pe.setting_key(PLAN))
        return stored.value if stored else None


def test_a_wrong_package_is_refused_and_nothing_is_written(arranged, usb) -> None:
    (candidate,) = _ready_candidates(arranged, 1)
    _update(arranged, candidate.id, id_number="11010519491231002x")  # a lower-case x
    with pytest.raises(InputError) as refused:
        pe.export_platform(arranged, PLAN, usb)
    assert refused.value.code == "bundle.platform_refused"
    codes = {p.code for p in refused.value.problems}
    assert "bundle.check_id_form" in codes
    assert list(usb.iterdir()) == []
    assert _setting(arranged) is None


def test_nothing_ready_is_refused(arranged, usb) -> None:
    with arranged.unit_of_work() as session:
        for candidate in session.scalars(select(Candidate)):
            candidate.status = "incomplete"
    plan = pe.plan_upload(arranged, PLAN)
    assert not plan.ready and plan.counts["candidates"] == 0
    with pytest.raises(InputError) as refused:
        pe.export_platform(arranged, PLAN, usb)
    assert refused.value.code == "bundle.platform_nothing_ready"
    assert list(usb.iterdir()) == [] and _setting(arranged) is None


def test_the_target_must_be_a_folder_or_a_zip(arranged, usb) -> None:
    for out, code in (
        (usb / "up.txt", "bundle.platform_out_not_zip"),
        (usb / "missing" / "up.zip", "bundle.platform_out_folder_missing"),
    ):
        with pytest.raises(InputError) as refused:
            pe.export_platform(arranged, PLAN, out)
        assert refused.value.code == code
    assert list(usb.iterdir()) == []


def test_a_dry_run_checks_and_writes_nothing(arranged, usb) -> None:
    result = pe.export_platform(arranged, PLAN, usb, dry_run=True)
    assert result.dry_run and result.path is None
    assert pe.PHOTOS_FILE in result.files and pe.REGISTRATION_FILE in result.files
    assert list(usb.iterdir()) == [] and _setting(arranged) is None
