"""The template registry: header normalisation, alias mapping and header-row detection on
sheets that are only close to the platform's template. Pure: no file, no database."""

from __future__ import annotations

import pytest

from examsite.formats.templates import (
    CANDIDATE_SCHOOL,
    CANDIDATE_SOCIAL,
    HEADER_SEARCH_ROWS,
    REPORT_HEADER,
    TEMPLATES,
    candidate_template,
    find_header,
    get_template,
    match_header,
    normalize_header,
)

SCHOOL_HEADERS = [
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


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("*学生姓名", "学生姓名"),
        ("＊学生姓名", "学生姓名"),  # full-width star
        (" 学生 姓名 ", "学生姓名"),
        ("学生\u3000姓名", "学生姓名"),  # ideographic space
        ("\n*证件号码\n", "证件号码"),
        ("证件号码（必填）", "证件号码"),
        ("手机号码(11位)", "手机号码"),
        ("入学年份【如2020】", "入学年份"),
        ("姓名：", "姓名"),
        ("ＡＢＣ", "abc"),
        (None, ""),
    ],
)
def test_normalize_header(written: object, expected: str) -> None:
    assert normalize_header(written) == expected


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("姓名", "name"),
        ("考生姓名", "name"),
        ("学生姓名", "name"),
        ("*学生姓名", "name"),
        ("身份证号", "id_number"),
        ("身份证号码", "id_number"),
        ("证件号", "id_number"),
        ("＊证件号码", "id_number"),
        ("手机", "phone"),
        ("手机号", "phone"),
        ("联系电话", "phone"),
        ("拼音", "pinyin"),
        ("姓名拼音", "pinyin"),
        ("专业", "major"),
        ("就读专业", "major"),
        ("所学专业", "major"),
        ("年级", "enrollment_year"),
        ("入学年份", "enrollment_year"),
        ("入学时间", "enrollment_year"),
        ("层次", "education_level"),
        ("专业层次", "education_level"),
        ("学历层次", "education_level"),
        ("专业代码", "major_code"),
        ("证件类型", "id_type"),
        ("性别", "gender"),
    ],
)
def test_school_aliases(written: str, field: str) -> None:
    match = match_header(CANDIDATE_SCHOOL, [written, "姓名" if field != "name" else "证件号码"])
    assert match.fields[0] == field
    assert match.headers[field] == written


def test_social_template_keeps_its_own_columns_in_extra() -> None:
    match = match_header(
        CANDIDATE_SOCIAL, ["姓名", "身份证号", "工作单位", "学历", "所学专业", "入学年份"]
    )
    assert match.fields == {
        0: "name",
        1: "id_number",
        2: "extra.employer",
        3: "extra.education",
        4: "extra.major",
    }
    assert match.ignored == ((5, "入学年份"),)  # a school column means nothing here


def test_header_below_title_and_instructions_is_found() -> None:
    rows = [
        ["本校学生导入模板", None, None],
        ["填写说明：1. 带 * 的列必须填写；证件号码、手机号码为文本", None, None],
        SCHOOL_HEADERS,
        ["王玉霞", "Wang Yuxia", "女"],
    ]
    match = find_header(CANDIDATE_SCHOOL, rows)
    assert match is not None
    assert match.row == 2
    assert match.score == 10
    assert match.missing == () and match.ignored == () and match.derived == ()


def test_shuffled_columns_without_stars_and_extra_columns() -> None:
    header = ["序号", "手机号", "身份证号码", "备注", "考生姓名", "班级", "专业", "入学时间"]
    rows = [[], ["2024级 学生名单"], [None, None], header]
    match = find_header(CANDIDATE_SCHOOL, rows)
    assert match is not None
    assert match.row == 3
    assert match.column_of("phone") == 1
    assert match.column_of("id_number") == 2
    assert match.column_of("name") == 4
    assert match.column_of("major") == 6
    assert match.column_of("enrollment_year") == 7
    assert match.column_of("major_code") is None
    assert [text for _, text in match.ignored] == ["序号", "备注", "班级"]
    # required columns the program cannot fill refuse the file; those it can fill do not
    assert set(match.missing) == {"education_level", "major_code"}
    assert set(match.derived) == {"pinyin", "gender", "id_type"}


def test_the_row_naming_most_fields_wins() -> None:
    rows = [
        ["姓名", "说明"],  # one field only: not a header
        ["姓名", "身份证号"],  # two fields
        ["姓名", "身份证号", "手机号", "性别"],  # four: the header
        ["张三", "11010519491231002X", "13800138000", "女"],
    ]
    match = find_header(CANDIDATE_SCHOOL, rows)
    assert match is not None and match.row == 2


def test_no_header_in_the_first_rows() -> None:
    assert find_header(CANDIDATE_SCHOOL, [["王玉霞", "女"], ["随便", "什么"]]) is None
    assert find_header(CANDIDATE_SCHOOL, [["姓名"]]) is None  # a single matching cell
    late = [[None]] * HEADER_SEARCH_ROWS + [SCHOOL_HEADERS]
    assert find_header(CANDIDATE_SCHOOL, late) is None
    just_in = [[None]] * (HEADER_SEARCH_ROWS - 1) + [SCHOOL_HEADERS]
    found = find_header(CANDIDATE_SCHOOL, just_in)
    assert found is not None and found.row == HEADER_SEARCH_ROWS - 1


def test_duplicate_column_keeps_the_first() -> None:
    match = match_header(CANDIDATE_SCHOOL, ["姓名", "手机", "身份证号", "联系电话"])
    assert match.column_of("phone") == 1
    assert match.duplicates == ((3, "联系电话"),)


def test_error_report_column_is_ignored_silently() -> None:
    match = match_header(CANDIDATE_SCHOOL, [*SCHOOL_HEADERS, REPORT_HEADER])
    assert match.ignored == ()
    assert match.score == 10


def test_registry_entries_are_consistent() -> None:
    assert set(TEMPLATES) >= {"candidates.school", "candidates.social"}
    for template in TEMPLATES.values():
        fields = [c.field for c in template.columns]
        assert len(fields) == len(set(fields)), template.key
        assert template.alias_index  # building the index checks that no alias names two columns
        assert template.title and template.instructions
    school = candidate_template("school")
    assert [c.title for c in school.columns] == SCHOOL_HEADERS
    assert school.by_field["gender"].choices == ("男", "女")
    assert school.by_field["education_level"].choices == ("中职", "专科", "本科")
    assert school.by_field["id_type"].choices[0] == "身份证"
    assert len(school.by_field["id_type"].choices) == 5
    text_columns = {c.field for c in school.columns if c.text}
    assert text_columns == {"id_number", "phone", "major_code"}
    social = candidate_template("social")
    assert social.required_fields == ("name", "pinyin", "gender", "id_type", "id_number", "phone")
    assert get_template("candidates.social") is social


def test_unknown_template() -> None:
    with pytest.raises(KeyError):
        candidate_template("teachers")
