"""One candidate's values checked the same way for an imported row and the edit form."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from examsite.domain.candidate_check import check_candidate
from examsite.domain.candidate_status import CandidateKind
from examsite.domain.id_number import synthetic_id
from examsite.domain.problems import Level

TODAY = date(2026, 6, 1)
MAN = synthetic_id("110105", date(2003, 4, 5), 12, "男")
WOMAN_X = "11010519491231002X"  # the GB 11643 example number, a woman, check digit X
SCHOOL = CandidateKind.SCHOOL


def full(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "name": "王玉霞",
        "pinyin": "Wang Yuxia",
        "gender": "女",
        "id_type": "身份证",
        "id_number": WOMAN_X,
        "phone": "13800138000",
        "enrollment_year": 2020,
        "education_level": "专科",
        "major": "市场营销",
        "major_code": "530605",
    }
    row.update(changes)
    return row


def codes(result: object) -> list[str]:
    return [p.code for p in result.problems]  # type: ignore[attr-defined]


def test_a_clean_row() -> None:
    result = check_candidate(SCHOOL, full(), today=TODAY)
    assert result.accepted and result.problems == ()
    assert result.values is not None
    assert result.values.id_type == "身份证"
    assert result.values.missing == []


def test_what_is_clearly_meant_is_normalised() -> None:
    result = check_candidate(
        SCHOOL,
        full(
            name=" 王 玉霞 ",
            id_number=" １１０１０５１９４９１２３１００２x ",
            phone="+86 138-0013-8000",
            enrollment_year="2020年9月",
            education_level="大专",
            major_code=530605.0,
        ),
        today=TODAY,
    )
    assert result.values is not None, result.problems
    v = result.values
    assert (v.name, v.id_number, v.phone) == ("王玉霞", WOMAN_X, "13800138000")
    assert (v.enrollment_year, v.education_level, v.major_code) == (2020, "专科", "530605")
    dated = check_candidate(SCHOOL, full(enrollment_year=datetime(2021, 9, 1)), today=TODAY)
    assert dated.values is not None and dated.values.enrollment_year == 2021


def test_blank_pinyin_gender_and_type_are_filled_with_notices() -> None:
    result = check_candidate(
        SCHOOL,
        full(pinyin=None, gender=None, id_type=None, id_number=MAN, name="单田芳"),
        today=TODAY,
    )
    assert result.values is not None
    assert result.values.pinyin == "Shan Tianfang"
    assert result.values.gender == "男"
    assert result.values.id_type == "身份证"
    assert sorted(codes(result)) == [
        "candidate.gender_filled",
        "candidate.id_type_default",
        "candidate.pinyin_filled",
    ]
    assert all(p.level is Level.NOTICE for p in result.problems)
    # without the column in the sheet, the file gets one notice instead of one per row
    quiet = check_candidate(
        SCHOOL, full(pinyin=None, gender=None, id_number=MAN), today=TODAY, present=frozenset()
    )
    assert quiet.values is not None and quiet.problems == ()


def test_identity_problems_refuse_the_row() -> None:
    for row, code in [
        (full(name=None), "candidate.name_missing"),
        (full(id_number=None), "candidate.id_missing"),
        (full(id_number=WOMAN_X[:-1] + "1"), "id.bad_check_digit"),
        (full(id_number="110105200302300011"), "id.bad_birth_date"),
        (full(id_number=1.10105194912310e17), "id.excel_number"),
        (full(id_number="1.10105194912E+17"), "id.excel_number"),
        (full(gender="男"), "id.gender_mismatch"),
        (full(id_type="驾驶证"), "id_type.unknown"),
    ]:
        result = check_candidate(SCHOOL, row, today=TODAY)
        assert not result.accepted, row
        assert code in codes(result), (row, codes(result))
        assert any(p.is_error for p in result.problems)


def test_other_fields_invalid_are_dropped_with_a_warning_in_an_import() -> None:
    row = full(phone="12345", education_level="博士", enrollment_year="去年", major_code="5306-05")
    result = check_candidate(SCHOOL, row, today=TODAY)
    assert result.values is not None
    assert (result.values.phone, result.values.education_level) == ("", "")
    assert result.values.enrollment_year is None and result.values.major_code == ""
    assert set(result.values.missing) == {
        "phone",
        "enrollment_year",
        "education_level",
        "major_code",
    }
    assert {p.column for p in result.problems} == {
        "phone",
        "education_level",
        "enrollment_year",
        "major_code",
    }
    assert all(p.level is Level.WARNING for p in result.problems)


def test_the_form_is_strict() -> None:
    result = check_candidate(SCHOOL, full(phone="12345"), strict=True, today=TODAY)
    assert result.values is None
    assert [(p.column, p.level) for p in result.problems] == [("phone", Level.ERROR)]
    blank = check_candidate(SCHOOL, full(phone=None, major=None), strict=True, today=TODAY)
    assert blank.values is not None and set(blank.values.missing) == {"phone", "major"}


def test_incomplete_identity_only_row_is_accepted() -> None:
    result = check_candidate(SCHOOL, {"name": "王玉霞", "id_number": WOMAN_X}, today=TODAY)
    assert result.values is not None
    assert result.values.gender == "女"
    assert set(result.values.missing) == {
        "phone",
        "enrollment_year",
        "education_level",
        "major",
        "major_code",
    }


def test_social_extra_fields() -> None:
    result = check_candidate(
        CandidateKind.SOCIAL,
        {
            "name": "王玉霞",
            "id_number": WOMAN_X,
            "phone": "13800138000",
            "extra.employer": " 某某公司 ",
            "extra.education": "大专",
            "enrollment_year": "garbage is ignored for social candidates",
        },
        today=TODAY,
    )
    assert result.values is not None, result.problems
    assert dict(result.values.extra) == {"employer": "某某公司", "education": "大专"}
    assert result.values.missing == []
    assert result.values.enrollment_year is None


def test_every_field_is_checked_even_when_the_identity_fails() -> None:
    for strict in (True, False):
        result = check_candidate(SCHOOL, full(id_number=None, phone="12345"), strict=strict)
        assert result.values is None
        assert {p.column for p in result.problems} == {"id_number", "phone"}


@pytest.mark.parametrize("bad", ["12345", "王玉霞", "Wang, Yuxia!", "W" * 101])
def test_an_invalid_pinyin_is_made_anew_from_the_name(bad: str) -> None:
    result = check_candidate(SCHOOL, full(pinyin=bad, name="单田芳"), today=TODAY)
    assert result.values is not None and result.values.pinyin == "Shan Tianfang"
    replaced = [p for p in result.problems if p.code == "candidate.pinyin_replaced"]
    assert len(replaced) == 1 and replaced[0].level is Level.WARNING
    assert replaced[0].column == "pinyin" and replaced[0].params["pinyin"] == "Shan Tianfang"
    assert bad[:40] in replaced[0].params["text"]


def test_an_invalid_pinyin_stays_an_error_on_the_form() -> None:
    result = check_candidate(SCHOOL, full(pinyin="12345"), today=TODAY, strict=True)
    assert result.values is None
    assert [p.code for p in result.problems] == ["candidate.pinyin_bad_chars"]
