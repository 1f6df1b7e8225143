"""The package check of the platform's upload (``formats.platform_check``) on sheets and
photos made in memory: every kind of wrong package is found, a right one passes."""

from __future__ import annotations

import io

from openpyxl import Workbook
from PIL import Image

from examsite.formats.platform_check import (
    OutgoingPackage,
    OutgoingSheet,
    check_package,
    jpeg_size,
)
from examsite.formats.registration_templates import REGISTRATION_003
from examsite.formats.template_workbook import filled_template
from examsite.formats.templates import CANDIDATE_SOCIAL

ID_A = "11010519491231002X"
ID_B = "110105200201010021"
CERT = "1630054223010588"


def _jpeg(size: tuple[int, int] = (295, 413)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _person(id_number: str, name: str = "王玉霞", phone: str = "13800138000") -> list[object]:
    return [name, "Wang Yuxia", "女", "身份证", id_number, phone, "", "", ""]


def _registration(id_number: str) -> list[object]:
    return ["王玉霞", id_number, "社会考生", CERT, "数字营销技术应用", "初级", "S1"]


def _package(
    people: list[list[object]],
    photos: dict[str, bytes] | None = None,
    registrations: list[list[object]] | None = None,
    records: dict[str, tuple[int, int]] | None = None,
) -> OutgoingPackage:
    ids = [str(p[4]) for p in people]
    registrations = [_registration(i) for i in ids] if registrations is None else registrations
    return OutgoingPackage(
        (
            OutgoingSheet(
                "social.xlsx", CANDIDATE_SOCIAL, filled_template(CANDIDATE_SOCIAL, people), True
            ),
            OutgoingSheet(
                "reg.xlsx",
                REGISTRATION_003,
                filled_template(REGISTRATION_003, registrations),
                registrations=True,
            ),
        ),
        {f"{i}.jpg": _jpeg() for i in ids} if photos is None else photos,
        {f"{r[1]}|{CERT}": (2, 2) for r in registrations} if records is None else records,
    )


def _codes(package: OutgoingPackage) -> list[str]:
    return [p.code for p in check_package(package)]


def test_a_right_package_passes_whatever_text_it_holds() -> None:
    people = [_person(ID_A, name='=HYPERLINK("http://x","y")', phone="+8613800138000")]
    assert _codes(_package([*people, _person(ID_B)])) == []


def test_photos_and_candidates_must_match() -> None:
    photos = {f"{ID_A}.jpg": _jpeg(), "someone.jpg": _jpeg()}
    codes = _codes(_package([_person(ID_A), _person(ID_B)], photos=photos))
    assert sorted(codes) == ["bundle.check_photo_missing", "bundle.check_photo_unknown"]
    small = {f"{ID_A}.jpg": _jpeg((300, 400))}
    assert _codes(_package([_person(ID_A)], photos=small)) == ["bundle.check_photo_size"]


def test_ids_duplicates_and_records() -> None:
    assert set(_codes(_package([_person(ID_A.lower())]))) == {"bundle.check_id_form"}
    assert "bundle.check_duplicate_candidate" in _codes(
        _package([_person(ID_A), _person(ID_A)], registrations=[_registration(ID_A)])
    )
    twice = [_registration(ID_A), _registration(ID_A)]
    assert "bundle.check_duplicate_registration" in _codes(
        _package([_person(ID_A)], registrations=twice)
    )
    stranger = [_registration(ID_A), _registration(ID_B)]
    assert "bundle.check_registration_unknown" in _codes(
        _package([_person(ID_A)], registrations=stranger)
    )
    short = {f"{ID_A}|{CERT}": (1, 2)}
    assert _codes(_package([_person(ID_A)], records=short)) == ["bundle.check_records"]


def _raw_sheet(rows: list[list[object]], *, formula: str | None = None) -> bytes:
    """A sheet written without our writer: numbers stay numbers, "=…" is a formula."""
    book = Workbook()
    sheet = book.active
    sheet.append([CANDIDATE_SOCIAL.title])
    sheet.append(["说明"])
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["A5"] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_numeric_id_a_formula_and_a_wrong_header_are_found() -> None:
    headers = [c.title for c in CANDIDATE_SOCIAL.columns]
    person = _person(ID_B)
    person[4] = 110105200201010021  # a number: Excel would show 1.10105E+17
    data = _raw_sheet([headers, person, _person(ID_A)], formula='=HYPERLINK("x")')
    sheet = OutgoingSheet("social.xlsx", CANDIDATE_SOCIAL, data, candidates=True)
    codes = [p.code for p in check_package(OutgoingPackage((sheet,), {}))]
    assert "bundle.check_formula" in codes
    assert "bundle.check_id_not_text" in codes
    swapped = [headers[1], headers[0], *headers[2:]]
    sheet = OutgoingSheet("social.xlsx", CANDIDATE_SOCIAL, _raw_sheet([swapped]), True)
    assert [p.code for p in check_package(OutgoingPackage((sheet,), {}))] == ["bundle.check_header"]


def test_unquoted_formula_like_text_is_found() -> None:
    headers = [c.title for c in CANDIDATE_SOCIAL.columns]
    book = Workbook()
    sheet = book.active
    for row in ([CANDIDATE_SOCIAL.title], ["说明"], headers, _person(ID_A)):
        sheet.append(row)
    sheet["A4"].value = "+86 13800138000"  # text, but without the quote prefix
    sheet["A4"].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    outgoing = OutgoingSheet("s.xlsx", CANDIDATE_SOCIAL, buffer.getvalue())
    assert [p.code for p in check_package(OutgoingPackage((outgoing,), {}))] == [
        "bundle.check_unquoted"
    ]


def test_jpeg_size_reads_the_frame_header() -> None:
    assert jpeg_size(_jpeg()) == (295, 413)
    assert jpeg_size(b"\x89PNG\r\n") is None
