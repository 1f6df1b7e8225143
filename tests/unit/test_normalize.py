from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from examsite.domain import normalize
from examsite.domain.id_number import check_id_number, check_other_id, gender_matches
from examsite.domain.normalize import (
    Parsed,
    clean_id_number,
    clean_name,
    clean_phone,
    clean_text,
    parse_enrollment_year,
    parse_gender,
    parse_id_type,
    tidy_name,
)
from examsite.domain.pinyin import pinyin_problem
from examsite.domain.problems import Level
from examsite.messages.candidate import MESSAGES

TODAY = date(2024, 5, 1)


def code(parsed: Parsed[object]) -> str | None:
    return parsed.problem.code if parsed.problem else None


class TestParsed:
    def test_states(self):
        assert Parsed("x").ok and not Parsed("x").blank
        assert Parsed(None).blank and not Parsed(None).ok
        bad = clean_phone("abc")
        assert not bad.ok and not bad.blank and bad.value is None
        warned = clean_name("李")
        assert warned.ok and warned.value == "李" and warned.problem is not None


class TestCleanText:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("  a  b  ", "a b"),
            ("ＡＢＣ１２３", "ABC123"),
            ("中文\u3000\u00a0 文字", "中文 文字"),
            ("a\u200bb\ufeff", "ab"),
            ("line\nbreak\ttab", "line break tab"),
            ("（括号）", "(括号)"),
            ("①㊣", "①㊣"),  # only full-width ASCII is folded, nothing else NFKC touches
            (3.0, "3"),
            (13812345678.0, "13812345678"),
            (2.5, "2.5"),
            (42, "42"),
            (datetime(2020, 9, 1), "2020-09-01"),
            (datetime(2020, 9, 1, 8, 30), "2020-09-01 08:30:00"),
            (date(2020, 9, 1), "2020-09-01"),
        ],
    )
    def test_values(self, raw, expected):
        assert clean_text(raw) == Parsed(expected)

    def test_blank(self):
        assert clean_text(None).blank
        assert clean_text(" \u3000\u200b ").blank
        assert clean_text(float("nan")).blank


class TestCleanName:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("王玉霞", "王玉霞"),
            (" 王 玉 霞 ", "王玉霞"),
            ("王\u3000玉霞", "王玉霞"),
            ("王\u200b玉霞", "王玉霞"),
            ("阿卜杜·热合曼", "阿卜杜·热合曼"),
            ("阿卜杜•热合曼", "阿卜杜·热合曼"),
            ("阿卜杜・热合曼", "阿卜杜·热合曼"),
            ("阿卜杜．热合曼", "阿卜杜·热合曼"),
            ("阿卜杜.热合曼", "阿卜杜·热合曼"),
            ("阿卜杜 · 热合曼", "阿卜杜·热合曼"),
            ("阿卜杜··热合曼", "阿卜杜·热合曼"),
            ("·阿卜杜·", "阿卜杜"),
            ("John  Smith", "John Smith"),
            ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
            ("John F. Kennedy", "John F. Kennedy"),
            ("\U00020bb7野家", "\U00020bb7野家"),
        ],
    )
    def test_clean(self, raw, expected):
        assert clean_name(raw) == Parsed(expected)

    def test_bad_chars(self):
        parsed = clean_name("张三（补考）")
        assert code(parsed) == "name.bad_chars"
        assert parsed.value is None
        assert parsed.problem is not None and parsed.problem.params["chars"] == "()"
        assert code(clean_name("李四2")) == "name.bad_chars"
        assert code(clean_name("王.O'Neil")) == "name.bad_chars"  # "'" only in Latin names

    def test_one_character_is_a_warning(self):
        parsed = clean_name("李")
        assert code(parsed) == "name.too_short"
        assert parsed.problem is not None and parsed.problem.level is Level.WARNING

    def test_blank(self):
        assert clean_name(None).blank
        assert clean_name("  ").blank

    def test_tidy_name_is_what_clean_name_does(self):
        assert tidy_name(" 欧阳 娜娜 ") == "欧阳娜娜"


class TestCleanIdNumber:
    def test_text(self):
        assert clean_id_number(" 110105 19491231 002x ") == Parsed("11010519491231002X")
        assert clean_id_number("110105-19491231-002X") == Parsed("11010519491231002X")
        assert clean_id_number("１１０１０５１９４９１２３１００２Ｘ") == Parsed(
            "11010519491231002X"
        )

    def test_float_is_refused(self):
        parsed = clean_id_number(1.101011990030712e17)
        assert parsed.value is None
        assert code(parsed) == "id.excel_number"

    def test_scientific_text_is_refused(self):
        assert code(clean_id_number("1.10101199003071E+17")) == "id.excel_number"

    def test_collapsed_int_is_refused(self):
        assert code(clean_id_number(110101199003071000)) == "id.excel_number"

    def test_intact_int_is_kept_with_warning(self):
        parsed = clean_id_number(110105194912310029)
        assert parsed.value == "110105194912310029"
        assert code(parsed) == "id.stored_as_number"
        assert parsed.ok

    def test_short_number_goes_on_to_the_check(self):
        parsed = clean_id_number(110105491231002)
        assert parsed == Parsed("110105491231002")
        assert parsed.value is not None
        assert check_id_number(parsed.value).problems[0].code == "id.old_15_digits"

    def test_blank(self):
        assert clean_id_number(None).blank
        assert clean_id_number("  ").blank


class TestCleanPhone:
    @pytest.mark.parametrize(
        "raw",
        [
            "13812345678",
            13812345678,
            13812345678.0,
            " 138 1234 5678 ",
            "138-1234-5678",
            "138.1234.5678",
            "(138)12345678",
            "+86 138 1234 5678",
            "+8613812345678",
            "0086-13812345678",
            "86 13812345678",
            "１３８１２３４５６７８",
        ],
    )
    def test_accepted(self, raw):
        assert clean_phone(raw) == Parsed("13812345678")

    @pytest.mark.parametrize(
        ("raw", "expected_code"),
        [
            ("138a1234567", "phone.bad_chars"),
            ("138/1234/567８x", "phone.bad_chars"),
            (13812345678.5, "phone.bad_chars"),
            ("1.38123E+10", "phone.excel_number"),
            ("1381234567", "phone.wrong_length"),
            ("138123456789", "phone.wrong_length"),
            ("12812345678", "phone.not_mobile"),
            ("010-12345678", "phone.not_mobile"),
            ("23812345678", "phone.not_mobile"),
        ],
    )
    def test_refused(self, raw, expected_code):
        parsed = clean_phone(raw)
        assert parsed.value is None
        assert code(parsed) == expected_code

    def test_second_digit_three_to_nine(self):
        for second in "3456789":
            assert clean_phone(f"1{second}012345678").ok
        for second in "012":
            assert not clean_phone(f"1{second}012345678").ok

    def test_blank(self):
        assert clean_phone(None).blank
        assert clean_phone("").blank


class TestEnrollmentYear:
    @pytest.mark.parametrize(
        "raw",
        [
            2020,
            "2020",
            " 2020 ",
            "２０２０",
            "2020年",
            "2020级",
            "2020年9月",
            "2020年9月1日",
            "2020.9",
            2020.9,
            2020.0,
            "2020-09",
            "2020/9/1",
            "2020-09-01 00:00:00",
            "202009",
            "20200901",
            datetime(2020, 9, 1),
            date(2020, 9, 1),
            43983,  # Excel serial of 2020-06-01
            43983.75,
            "43983",
            44075,  # 2020-09-01
        ],
    )
    def test_accepted(self, raw):
        assert parse_enrollment_year(raw, today=TODAY) == Parsed(2020)

    def test_serial_boundaries(self):
        assert parse_enrollment_year(43831, today=TODAY) == Parsed(2020)  # 2020-01-01
        assert parse_enrollment_year(43830, today=TODAY) == Parsed(2019)  # 2019-12-31

    @pytest.mark.parametrize(
        "raw", ["2020届", "二〇二〇", "20", "2020-13", "2020年13月", "abc", True]
    )
    def test_bad_format(self, raw):
        parsed = parse_enrollment_year(raw, today=TODAY)
        assert code(parsed) == "year.bad_format"
        assert parsed.value is None

    def test_range(self):
        assert parse_enrollment_year(1980, today=TODAY).ok
        assert parse_enrollment_year(2025, today=TODAY).ok  # next year: admitted in advance
        late = parse_enrollment_year(2026, today=TODAY)
        assert code(late) == "year.out_of_range"
        assert late.problem is not None
        assert late.problem.params == {"year": 2026, "min": 1980, "max": 2025}
        assert code(parse_enrollment_year("1979", today=TODAY)) == "year.out_of_range"
        assert code(parse_enrollment_year(20000, today=TODAY)) == "year.out_of_range"  # 1954

    def test_blank(self):
        assert parse_enrollment_year(None, today=TODAY).blank
        assert parse_enrollment_year(" ", today=TODAY).blank


class TestGender:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("男", "男"),
            ("女", "女"),
            (" 男性 ", "男"),
            ("女性", "女"),
            ("M", "男"),
            ("f", "女"),
            ("Male", "男"),
            ("FEMALE", "女"),
            ("Ｍ", "男"),
        ],
    )
    def test_accepted(self, raw, expected):
        assert parse_gender(raw) == Parsed(expected)

    @pytest.mark.parametrize("raw", ["未知", "1", "x", 0])
    def test_unknown(self, raw):
        assert code(parse_gender(raw)) == "gender.unknown"

    def test_blank(self):
        assert parse_gender(None).blank


class TestIdType:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("居民身份证", "居民身份证"),
            ("身份证", "居民身份证"),
            (" 二代 身份证 ", "居民身份证"),
            ("港澳台居民居住证", "港澳台居民居住证"),
            ("护照", "护照"),
            ("回乡证", "港澳居民来往内地通行证"),
            ("台胞证", "台湾居民来往大陆通行证"),
        ],
    )
    def test_accepted(self, raw, expected):
        assert parse_id_type(raw) == Parsed(expected)

    def test_unknown(self):
        parsed = parse_id_type("港澳通行证")
        assert code(parsed) == "id_type.unknown"
        assert parsed.problem is not None and "居民身份证" in parsed.problem.params["choices"]

    def test_blank(self):
        assert parse_id_type(None).blank


def _all_problems():
    """One problem of every code the candidate rules can produce."""
    today = TODAY
    woman = check_id_number("11010519491231002X", today=today)
    sources = [
        *check_id_number("", today=today).problems,
        *check_id_number("110105491231002", today=today).problems,
        *check_id_number("1101", today=today).problems,
        *check_id_number("1101051949123100AX", today=today).problems,
        *check_id_number("990105194913310021", today=today).problems,
        *check_id_number("111101199001010112", today=today).problems,  # prefecture 1111
        *check_id_number("810000199001010011", today=today).problems,
        *check_id_number("110105202501010011", today=today).problems,
        *check_id_number("110105189901010011", today=today).problems,
        *check_other_id("港澳台居民居住证", "11010519491231002X", today=today).problems,
        *check_other_id("港澳台居民居住证", "810101199001010011", today=today).problems,
        *check_other_id("护照", "E1#").problems,
        *check_other_id("护照", "E1").problems,
        *check_other_id("港澳居民来往内地通行证", "A12345678").problems,
        *check_other_id("台湾居民来往大陆通行证", "1234567890").problems,
        gender_matches(woman, "男"),
        clean_id_number(1.1e17).problem,
        clean_id_number(110105194912310029).problem,
        parse_id_type("驾照").problem,
        clean_name("李四2").problem,
        clean_name("李").problem,
        clean_phone("138a").problem,
        clean_phone("1.38E+10").problem,
        clean_phone("138").problem,
        clean_phone("12812345678").problem,
        parse_enrollment_year("abc", today=today).problem,
        parse_enrollment_year(1970, today=today).problem,
        parse_gender("x").problem,
        pinyin_problem("张三2"),
    ]
    return [p for p in sources if p is not None]


def test_every_code_has_a_message_that_formats():
    problems = _all_problems()
    seen = {p.code for p in problems}
    # messages.candidate also holds the edit form's and the import's candidate.* codes
    rules = {code for code in MESSAGES if not code.startswith("candidate.")}
    assert seen == rules, seen ^ rules
    for problem in problems:
        text = MESSAGES[problem.code].format(**problem.params)
        assert "{" not in text and "}" not in text
        assert "请" in text or "建议" in text  # each says what to do


def test_every_code_in_the_sources_has_a_message():
    domain = Path(normalize.__file__).parent
    pattern = re.compile(r"""(?:error|warning)\(\s*"([a-z_]+\.[a-z_0-9]+)\"""")
    codes: set[str] = set()
    for name in ("id_number.py", "normalize.py", "pinyin.py"):
        codes |= set(pattern.findall((domain / name).read_text(encoding="utf-8")))
    codes |= set(re.findall(r'"(id\.[a-z_]+_unusual)"', (domain / "id_number.py").read_text()))
    assert codes <= set(MESSAGES), codes - set(MESSAGES)
    assert len(codes) >= 25


def test_many_rows():
    # a smoke run over a sheet's worth of cells; every call returns a Parsed
    for i in range(10_000):
        assert clean_phone(f"138{i:08d}").ok
        assert parse_enrollment_year(2000 + i % 20, today=TODAY).ok
        assert clean_name(f"王{chr(0x4E00 + i % 500)}").ok


class TestTextMarker:
    """The apostrophe typed before digits to keep them text is not part of the value."""

    @pytest.mark.parametrize(
        "raw", ["'13800138000", " '13800138000", "＇13800138000", "’13800138000"]
    )
    def test_phone(self, raw: str):
        assert clean_phone(raw) == Parsed("13800138000")

    def test_id_number_name_and_text(self):
        assert clean_id_number("'11010519491231002x").value == "11010519491231002X"
        assert clean_name("'王玉霞").value == "王玉霞"
        assert clean_text("'530605").value == "530605"
        assert clean_text("Xi'an").value == "Xi'an"  # only a leading one
        assert parse_enrollment_year("'2020", today=TODAY).value == 2020
