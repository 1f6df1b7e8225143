"""Pure parts of the site-level forms: amounts in capital numerals, the badge a roster
role gives, list wrapping, the banner texts, row heights."""

from __future__ import annotations

import datetime as dt

import pytest

from examsite.domain.materials import MaterialsData, PlanFacts, SiteFacts
from examsite.domain.site_forms import yuan_in_words
from examsite.formats.pdf.badges import BADGE_TITLES, badge_origins, badge_title
from examsite.formats.pdf.banner import banner_texts
from examsite.formats.pdf.drawing import PAGE_HEIGHT, PAGE_WIDTH
from examsite.formats.pdf.fonts import load_fonts
from examsite.formats.pdf.forms import Column, row_heights, rows_in_height, wrap_list


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "零元整"),
        (5, "伍元整"),
        (105, "壹佰零伍元整"),
        (1010, "壹仟零壹拾元整"),
        (45900, "肆万伍仟玖佰元整"),
        (79500, "柒万玖仟伍佰元整"),
        (100010, "壹拾万零壹拾元整"),
        (20000000, "贰仟万元整"),
        (100000001, "壹亿零壹元整"),
    ],
)
def test_yuan_in_words(amount: int, words: str) -> None:
    assert yuan_in_words(amount) == words


def test_badge_titles_cover_003s_six_and_every_role() -> None:
    assert BADGE_TITLES == ("主考", "副主考", "巡考员", "系统管理员", "监考员", "工作人员")
    assert badge_title(("director",)) == "主考"
    assert badge_title(("chief",)) == "主考"
    assert badge_title(("deputy",)) == "副主考"
    assert badge_title(("affairs",)) == "工作人员"
    assert badge_title(("worker",)) == "工作人员"  # legacy key
    assert badge_title(("logistics",)) == "工作人员"
    assert badge_title(("sysadmin",)) == "系统管理员"
    assert badge_title(("invigilator",)) == "监考员"
    assert badge_title(("inspector",)) == "巡考员"
    assert badge_title(("invigilator", "sysadmin")) == "系统管理员"
    assert badge_title(()) == "工作人员"


def test_badges_fit_the_sheet_without_overlap() -> None:
    from examsite.formats.pdf.badges import BADGE_HEIGHT, BADGE_WIDTH

    origins = badge_origins()
    assert len(origins) == 8
    for x, y in origins:
        assert x > 5 and y > 15 and x + BADGE_WIDTH < PAGE_WIDTH - 5
        assert y + BADGE_HEIGHT < PAGE_HEIGHT - 15
    for i, (x1, y1) in enumerate(origins):
        for x2, y2 in origins[i + 1 :]:
            assert abs(x1 - x2) >= BADGE_WIDTH or abs(y1 - y2) >= BADGE_HEIGHT


def test_wrap_list_keeps_names_whole() -> None:
    fonts = load_fonts()
    text = "信息楼 301 机房、信息楼 302 机房、信息楼 303 机房"
    width = fonts.width("信息楼 301 机房、信息楼", 10)
    lines = wrap_list(text, width, 10)
    assert lines == ["信息楼 301 机房、", "信息楼 302 机房、", "信息楼 303 机房"]
    assert all(fonts.width(line, 10) <= width for line in lines)


def test_rows_grow_for_long_text_and_paginate() -> None:
    columns = (Column("a", 1), Column("b", 1))
    heights = row_heights(columns, [["短", ""], ["很长" * 40, ""]], 200, 25, 10)
    assert heights[0] == 25 and heights[1] > 40
    assert rows_in_height(heights, 30) == 1
    assert rows_in_height(heights, 1000) == 2


def test_banner_texts_from_the_site_and_plan() -> None:
    start = dt.datetime(2026, 12, 19, 8, 30)
    data = MaterialsData(
        SiteFacts("某学院 - 某证书（初级）考核站点", "S", "某学院", "", "", "", ""),
        PlanFacts("P", "2026年某证书考核", "", start, start),
        (),
        (),
    )
    assert banner_texts(data) == [
        ("某学院", "某证书（初级）考核站点", "热烈欢迎参加2026年某证书考核的考生")
    ]


def test_badge_site_name_is_never_cut() -> None:
    from examsite.formats.pdf.badges import BADGE_WIDTH, site_layout

    long_name = (
        "新疆维吾尔自治区巴音郭楞蒙古自治州和静县第一职业技术学校 - "
        + "某某证书（初级、中级、高级）" * 4
    )
    size, lines = site_layout(long_name, BADGE_WIDTH - 20)
    assert "".join(lines).replace(" ", "") == long_name.replace(" ", "")
    assert 5.5 <= size <= 8 and len(lines) <= 3
    assert site_layout("短", 100) == (8.0, ["短"])
