from __future__ import annotations

import random
from datetime import date

import pytest

from examsite.domain.id_number import (
    ID_TYPES,
    MAINLAND_PROVINCES,
    PREFECTURES,
    IdCheck,
    check_digit,
    check_id,
    check_id_number,
    check_other_id,
    check_residence_permit,
    gender_from_text,
    gender_matches,
    id_from_excel_number,
    normalize_id_text,
    synthetic_id,
)
from examsite.domain.problems import Level, Problem
from examsite.messages.candidate import MESSAGES

TODAY = date(2024, 5, 1)


def codes(check: IdCheck) -> list[str]:
    return [p.code for p in check.problems]


def only(check: IdCheck) -> Problem:
    assert len(check.problems) == 1, check.problems
    return check.problems[0]


def message(problem: Problem) -> str:
    return MESSAGES[problem.code].format(**problem.params)


# The example in GB 11643-1999 itself, and the standard's second example.
def test_published_example_is_valid_and_read_right():
    check = check_id_number("11010519491231002X", today=TODAY)
    assert check.valid
    assert check.problems == ()
    assert check.birth_date == date(1949, 12, 31)
    assert check.gender == "女"
    assert check.region_code == "110105"
    assert check.normalized == "11010519491231002X"


def test_second_published_example_has_right_check_digit_but_is_before_1900():
    check = check_id_number("440524188001010014", today=TODAY)
    assert codes(check) == ["id.birth_before_1900"]
    assert check.birth_date == date(1880, 1, 1)
    assert check.gender == "男"


def test_check_digit_by_hand():
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167,
    # 167 % 11 = 2 -> "X"
    assert check_digit("11010519491231002") == "X"
    # order 001 for the same person: sum 165, 165 % 11 = 0 -> "1"
    assert check_digit("11010519491231001") == "1"


def test_check_digit_against_iso_7064_formula():
    # ISO 7064 MOD 11-2 written differently: weights 2**(18-i) mod 11, check value
    # (12 - S mod 11) mod 11, 10 written X. Every remainder must come up.
    rng = random.Random(5)
    seen = set()
    for _ in range(2000):
        body = "".join(rng.choice("0123456789") for _ in range(17))
        total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
        value = (12 - total % 11) % 11
        assert check_digit(body) == ("X" if value == 10 else str(value)), body
        seen.add(value)
    assert seen == set(range(11))


def test_lower_case_x_spaces_dashes_and_full_width_are_normalised():
    for raw in ("11010519491231002x", " 110105 19491231 002X ", "110105-19491231-002X"):
        check = check_id_number(raw, today=TODAY)
        assert check.valid, raw
        assert check.normalized == "11010519491231002X"
    full = "１１０１０５１９４９１２３１００２ｘ"
    assert check_id_number(full, today=TODAY).normalized == "11010519491231002X"
    assert normalize_id_text("\u200b110105\u3000") == "110105"


@pytest.mark.parametrize(
    ("region", "birth", "seq", "gender"),
    [
        ("110105", date(2003, 5, 17), 12, "男"),
        ("370682", date(2002, 2, 28), 0, "女"),
        ("440606", date(2000, 2, 29), 499, "男"),
        ("622922", date(1999, 12, 31), 250, "女"),
        ("650102", date(1900, 1, 1), 7, "男"),
    ],
)
def test_synthetic_ids_are_valid_and_read_back(region, birth, seq, gender):
    number = synthetic_id(region, birth, seq, gender)
    assert len(number) == 18
    check = check_id_number(number, today=TODAY)
    assert check.valid, check.problems
    assert check.birth_date == birth
    assert check.gender == gender
    assert check.region_code == region


def test_synthetic_id_refuses_bad_arguments():
    with pytest.raises(ValueError):
        synthetic_id("11010", date(2000, 1, 1), 1, "男")
    with pytest.raises(ValueError):
        synthetic_id("110105", date(2000, 1, 1), 500, "男")
    with pytest.raises(ValueError):
        synthetic_id("11010a", date(2000, 1, 1), 1, "女")


def test_empty():
    assert codes(check_id_number("  ", today=TODAY)) == ["id.empty"]


def test_old_15_digit_number_is_refused():
    check = check_id_number("110105491231002", today=TODAY)
    assert codes(check) == ["id.old_15_digits"]
    assert not check.valid
    assert check.birth_date is None


@pytest.mark.parametrize("raw", ["11010519491231002", "11010519491231002X1", "1101051949"])
def test_wrong_length(raw):
    problem = only(check_id_number(raw, today=TODAY))
    assert problem.code == "id.wrong_length"
    assert problem.params["length"] == len(raw)
    assert problem.level is Level.ERROR


def test_non_digits_are_named():
    problem = only(check_id_number("1101051949123100AX", today=TODAY))
    assert problem.code == "id.not_digits"
    assert problem.params["chars"] == "A"
    problem = only(check_id_number("11010519491231002Y", today=TODAY))
    assert problem.params["chars"] == "Y"
    # X only at the end
    assert only(check_id_number("X1010519491231002X", today=TODAY)).code == "id.not_digits"
    # superscript two is a "digit" to str.isdigit, not to us
    assert only(check_id_number("11010519491231²02X", today=TODAY)).code == "id.not_digits"


def test_bad_check_digit_gives_expected_digit():
    check = check_id_number("110105194912310021", today=TODAY)
    problem = only(check)
    assert problem.code == "id.bad_check_digit"
    assert problem.params == {"expected": "X", "actual": "1"}
    assert not check.valid
    assert "X" in message(problem)


def test_impossible_dates():
    for body in ("11010519490229001", "11010519491301001", "11010519490431001"):
        number = body + check_digit(body)
        check = check_id_number(number, today=TODAY)
        assert codes(check) == ["id.bad_birth_date"], number
        assert check.birth_date is None
    # 2000 was a leap year, 1900 was not
    assert check_id_number(synthetic_id("110105", date(2000, 2, 29), 1, "男"), today=TODAY).valid
    body = "11010519000229001"
    assert codes(check_id_number(body + check_digit(body), today=TODAY)) == ["id.bad_birth_date"]


def test_birth_in_future_and_today():
    tomorrow = synthetic_id("110105", date(2024, 5, 2), 1, "男")
    assert codes(check_id_number(tomorrow, today=TODAY)) == ["id.birth_in_future"]
    born_today = synthetic_id("110105", TODAY, 1, "男")
    assert check_id_number(born_today, today=TODAY).valid


def test_birth_before_1900():
    number = synthetic_id("110105", date(1899, 12, 31), 1, "女")
    problem = only(check_id_number(number, today=TODAY))
    assert problem.code == "id.birth_before_1900"
    assert problem.params["birth"] == "1899-12-31"


@pytest.mark.parametrize(
    "prefix", ["00", "10", "16", "20", "24", "30", "38", "47", "55", "60", "71", "99"]
)
def test_unknown_region(prefix):
    number = synthetic_id(prefix + "0101", date(1990, 1, 1), 1, "男")
    problem = only(check_id_number(number, today=TODAY))
    assert problem.code == "id.unknown_region"
    assert problem.params["prefix"] == prefix


def test_every_mainland_province_is_accepted():
    assert len(MAINLAND_PROVINCES) == 31
    for prefix in MAINLAND_PROVINCES:
        assert check_id_number(synthetic_id(prefix + "0101", date(1990, 1, 1), 3, "女")).valid


@pytest.mark.parametrize(
    "region",
    [
        "111101",  # Beijing has 1101 (districts) and 1102 (counties, until 2015) only
        "119901",
        "370001",  # province + 00: only Hainan had counties straight under it (4600)
        "429901",
        "221101",  # 2111 is 盘锦 in Liaoning; Jilin never had an 11
        "130001",
        "359901",
        "449101",
        "500401",  # Chongqing: 5001 districts, 5002 counties, 5003 (1997 only)
        "545001",
        "653301",
        "650001",
    ],
)
def test_invented_prefecture_is_refused(region):
    number = synthetic_id(region, date(1990, 1, 1), 1, "男")
    check = check_id_number(number, today=TODAY)
    problem = only(check)
    assert problem.code == "id.unknown_prefecture"
    assert problem.is_error
    assert problem.params == {
        "prefecture": region[:4],
        "province": MAINLAND_PROVINCES[region[:2]],
    }
    text = message(problem)
    assert region[:4] in text and "身份证原件" in text
    assert not check.valid


@pytest.mark.parametrize(
    "region",
    [
        # in use today
        "110105",  # 北京 朝阳
        "110228",  # 北京 密云县 (county group 1102, until 2015)
        "310115",  # 上海 浦东
        "420881",  # 湖北 荆门 钟祥
        "421002",  # 湖北 荆州 (the demo's)
        "513401",  # 四川 凉山 西昌
        "469001",  # 海南 province-run counties since 2002 (4690)
        "659001",  # 新疆 石河子 (6590)
        "429004",  # 湖北 仙桃 (4290)
        "441900",  # 广东 东莞, a prefecture with no counties
        "620201",  # 甘肃 嘉峪关
        "542621",  # 西藏 林芝地区 (2015 became 5404; cards keep 5426)
        # abolished or renumbered
        "342601",  # 安徽 巢湖 (abolished 2011)
        "371201",  # 山东 莱芜 (merged into 济南 2019)
        "510202",  # 重庆 while part of 四川 (until 1997)
        "517002",  # 四川 涪陵市 (1995-1996)
        "460001",  # 海南 province-run counties 1988-2001 (4600)
        "442101",  # 广东 海南行政区 before 1988
        "222401",  # 吉林 延边
        "222101",  # 吉林 吉林地区 (1980s)
        "232601",  # 黑龙江 绥化地区 (until 1999)
        "612101",  # 陕西 渭南地区 (until 1994)
        "349001",  # 安徽 province-run 天长 (1993-1994)
        "369001",  # 江西 province-run 井冈山 (1980)
        "500301",  # 重庆 5003 (1997)
        "211101",  # 辽宁 盘锦
        "654001",  # 新疆 伊犁 (4001)
        "652101",  # 新疆 吐鲁番地区 (until 2015)
    ],
)
def test_real_current_and_historical_prefectures_are_accepted(region):
    number = synthetic_id(region, date(1990, 1, 1), 1, "男")
    check = check_id_number(number, today=TODAY)
    assert check.valid, check.problems
    assert region[:4] in PREFECTURES


def test_prefecture_table_is_compact_and_mainland_only():
    assert 500 <= len(PREFECTURES) <= 600
    assert all(len(code) == 4 and code.isdigit() for code in PREFECTURES)
    assert {code[:2] for code in PREFECTURES} == set(MAINLAND_PROVINCES)
    # every province has its capital as 01 (Hainan's 4601 is 海口)
    assert all(province + "01" in PREFECTURES for province in MAINLAND_PROVINCES)
    assert not {"7101", "8101", "8201", "8301"} & PREFECTURES


def test_county_digits_are_not_checked():
    # 110199 was never a county of Beijing, but counties are not checked (see the module)
    assert check_id_number(synthetic_id("110199", date(1990, 1, 1), 1, "男"), today=TODAY).valid


def test_permit_prefixes_keep_their_own_problem_before_the_prefecture_check():
    number = synthetic_id("811234", date(2001, 7, 1), 5, "男")
    assert codes(check_id_number(number, today=TODAY)) == ["id.permit_number_as_resident"]


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_permit_numbers(region):
    number = synthetic_id(region, date(2001, 7, 1), 5, "男")
    as_resident = only(check_id_number(number, today=TODAY))
    assert as_resident.code == "id.permit_number_as_resident"
    assert as_resident.params["region"] == region
    permit = check_residence_permit(number, today=TODAY)
    assert permit.valid
    assert permit.gender == "男"
    assert check_id("港澳台居民居住证", number, today=TODAY).valid


def test_permit_with_wrong_region():
    mainland = synthetic_id("110105", date(2001, 7, 1), 5, "男")
    assert codes(check_residence_permit(mainland, today=TODAY)) == ["id.resident_number_as_permit"]
    odd = synthetic_id("810101", date(2001, 7, 1), 5, "男")
    assert codes(check_residence_permit(odd, today=TODAY)) == ["id.unknown_permit_region"]


def test_several_problems_are_all_reported():
    check = check_id_number("990105194913310021", today=TODAY)
    assert codes(check) == ["id.unknown_region", "id.bad_birth_date", "id.bad_check_digit"]


def test_gender_from_17th_digit():
    for order in range(10):
        body = f"11010519900101{order:02d}{order}"
        check = check_id_number(body + check_digit(body), today=TODAY)
        assert check.gender == ("男" if order % 2 else "女")


def test_gender_matches():
    woman = check_id_number("11010519491231002X", today=TODAY)
    assert gender_matches(woman, "女") is None
    assert gender_matches(woman, "女性") is None
    assert gender_matches(woman, "F") is None
    assert gender_matches(woman, "") is None
    assert gender_matches(woman, None) is None
    assert gender_matches(woman, "未知") is None  # reported by parse_gender, not twice
    problem = gender_matches(woman, " 男 ")
    assert problem is not None
    assert problem.code == "id.gender_mismatch"
    assert problem.params == {"given": "男", "expected": "女"}
    broken = check_id_number("1101", today=TODAY)
    assert gender_matches(broken, "男") is None


def test_gender_words():
    assert gender_from_text("Male") == "男"
    assert gender_from_text("female") == "女"
    assert gender_from_text("m") == "男"
    assert gender_from_text("男生") == "男"
    assert gender_from_text("1") is None


class TestExcelNumbers:
    def test_float_id_lost_digits(self):
        problem = id_from_excel_number(1.101011990030712e17)
        assert problem is not None
        assert problem.code == "id.excel_number"
        assert problem.is_error

    def test_int_with_collapsed_digits(self):
        problem = id_from_excel_number(110101199003071000)
        assert problem is not None and problem.code == "id.excel_number"

    def test_scientific_text(self):
        for text in ("1.10101199003071E+17", "1.10101E+17", "1.10101199003071e17"):
            problem = id_from_excel_number(text)
            assert problem is not None and problem.code == "id.excel_number", text

    def test_intact_int_is_a_warning(self):
        problem = id_from_excel_number(110105194912310029)
        assert problem is not None
        assert problem.code == "id.stored_as_number"
        assert problem.level is Level.WARNING

    def test_not_numbers_or_short_numbers(self):
        assert id_from_excel_number("11010519491231002X") is None
        assert id_from_excel_number(110105491231002) is None  # 15 digits, intact
        assert id_from_excel_number(110105491231002.0) is None
        assert id_from_excel_number(12.5) is None
        assert id_from_excel_number(float("nan")) is None
        assert id_from_excel_number(True) is None
        assert id_from_excel_number(None) is None


class TestOtherIds:
    def test_passport(self):
        check = check_other_id("护照", " e1234 5678 ")
        assert check.valid
        assert check.normalized == "E12345678"
        assert check.birth_date is None and check.gender is None

    def test_passport_problems(self):
        assert codes(check_other_id("护照", "E1234#5678")) == ["id.other_bad_chars"]
        problem = only(check_other_id("护照", "E12"))
        assert problem.code == "id.other_wrong_length"
        assert problem.params["length"] == 3
        assert codes(check_other_id("护照", "")) == ["id.empty"]

    def test_hk_macau_permit(self):
        assert check_other_id("港澳居民来往内地通行证", "H12345678").problems == ()
        assert check_other_id("港澳居民来往内地通行证", "m1234567801").problems == ()
        check = check_other_id("港澳居民来往内地通行证", "A12345678")
        assert check.valid
        assert codes(check) == ["id.hk_macau_permit_unusual"]
        assert check.problems[0].level is Level.WARNING

    def test_taiwan_permit(self):
        assert check_other_id("台湾居民来往大陆通行证", "12345678").problems == ()
        old = check_other_id("台湾居民来往大陆通行证", "1234567890(B)")
        assert old.normalized == "1234567890B"
        assert codes(old) == ["id.taiwan_permit_unusual"]
        assert old.valid

    def test_resident_id_is_not_another_type(self):
        with pytest.raises(ValueError):
            check_other_id("居民身份证", "11010519491231002X")

    def test_check_id_dispatches(self):
        assert check_id("居民身份证", "11010519491231002X", today=TODAY).gender == "女"
        assert not check_id("居民身份证", "E12345678", today=TODAY).valid
        assert check_id("护照", "E12345678", today=TODAY).valid
        assert set(ID_TYPES) == {
            "居民身份证",
            "港澳台居民居住证",
            "护照",
            "港澳居民来往内地通行证",
            "台湾居民来往大陆通行证",
        }


def test_ten_thousand_checks():
    rng = random.Random(7)
    regions = [p + "0102" for p in MAINLAND_PROVINCES]
    numbers = [
        synthetic_id(
            rng.choice(regions),
            date(rng.randint(1950, 2008), rng.randint(1, 12), rng.randint(1, 28)),
            rng.randint(0, 499),
            rng.choice(("男", "女")),
        )
        for _ in range(10_000)
    ]
    broken = [n[:17] + ("0" if n[17] != "0" else "1") for n in numbers[:1000]]
    assert all(check_id_number(n, today=TODAY).valid for n in numbers)
    assert not any(check_id_number(n, today=TODAY).valid for n in broken)


def test_messages_format_with_params():
    problems = [
        *check_id_number("990105194913310021", today=TODAY).problems,
        *check_id_number("1101", today=TODAY).problems,
        *check_id_number("1101051949123100AX", today=TODAY).problems,
        *check_other_id("护照", "E12").problems,
        *check_other_id("护照", "E1#2345").problems,
    ]
    for problem in problems:
        text = message(problem)
        assert "{" not in text and "请" in text
