"""The site-level forms (巡考情况记录表, 考场封场确认单, 承诺书, 工作证, 横幅, 考核内容及时间表,
缴费申请单, 成绩复查表, 考核站点申请表) rendered for the arranged demo and for hand-made data
with long names: the text is there, the font embedded, the pages counted, the bytes
reproducible, and no word outside the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from examsite.domain.eligibility import FeeLine
from examsite.domain.materials import (
    MaterialsData,
    PlanFacts,
    RoomFacts,
    RoomSessionFacts,
    SeatFacts,
    SiteFacts,
    StaffFacts,
)
from examsite.domain.site_forms import FeeDoc, SiteApplication, SiteForms
from examsite.formats.pdf.drawing import pdf_canvas
from examsite.formats.pdf.job import PrintJob
from examsite.formats.pdf.site_application import blank_checklist
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.materials_data import load_materials
from examsite.services.materials_forms import load_site_forms
from examsite.services.print_documents import document
from examsite.storage.db import Database

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils are not installed",
)

KEYS = (
    "inspection_record",
    "sealing_confirmation",
    "commitment",
    "badges",
    "banner",
    "timetable",
    "fee_application",
    "score_review",
    "site_application",
)


def render(job: PrintJob, key: str, path: Path) -> int:
    kind = document(key)
    assert kind.scope == "plan"
    with pdf_canvas(path, title=kind.title) as canvas:
        return kind.draw(canvas, job, None)


def text_of(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return re.sub(r"\s+", "", out.stdout)


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return int(re.search(r"Pages:\s+(\d+)", out.stdout).group(1))  # type: ignore[union-attr]


def all_fonts_embedded(path: Path) -> bool:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = out.stdout.splitlines()[2:]
    return bool(rows) and all(re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+", r) for r in rows)


def words_off_page(path: Path) -> list[str]:
    """Words whose box leaves its page (pdftotext -bbox), with a 2-point tolerance."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    bad = []
    seen = 0
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        for word in re.finditer(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>',
            page.group(3),
        ):
            seen += 1
            x0, y0, x1, y1 = (float(word.group(i)) for i in range(1, 5))
            if x0 < -2 or y0 < -2 or x1 > width + 2 or y1 > height + 2:
                bad.append(word.group(5))
    assert seen, "no words found"
    return bad


@pytest.fixture
def demo_job(arranged_db_file: Callable[[int], Path]) -> PrintJob:
    db = Database.open(arranged_db_file(60))
    try:
        with db.read() as session:
            data = load_materials(session, DEMO_PLAN_CODE)
            forms = load_site_forms(session, DEMO_PLAN_CODE)
    finally:
        db.close()
    return PrintJob(data, forms=forms)


def test_every_form_renders_for_the_demo(demo_job: PrintJob, tmp_path: Path) -> None:
    data = demo_job.data
    expected_pages = {
        "inspection_record": 1,  # the filled form's 12 mm rows: the demo's sessions on one page
        "sealing_confirmation": 1,
        "commitment": 2,
        "badges": (len(data.staff) + 7) // 8,
        "banner": 3,
        "timetable": 1,
        "fee_application": 1,
        "score_review": 1,
        "site_application": 1,
    }
    inspector = next(s.name for s in data.staff if "inspector" in s.roles)
    texts = {}
    for key in KEYS:
        path = tmp_path / f"{key}.pdf"
        pages = render(demo_job, key, path)
        assert pages == page_count(path) == expected_pages[key], key
        assert all_fonts_embedded(path), key
        assert words_off_page(path) == [], key
        texts[key] = text_of(path)
    rooms = {room.name.replace(" ", "") for room in data.rooms}
    assert "巡考情况记录表" in texts["inspection_record"]
    assert inspector in texts["inspection_record"]
    assert all(name in texts["inspection_record"] for name in rooms)
    assert "考场封场确认单" in texts["sealing_confirmation"]
    assert all(name in texts["sealing_confirmation"] for name in rooms)
    assert "考务人员承诺书" in texts["commitment"]
    assert all(person.name in texts["commitment"] for person in data.staff)
    assert "系统管理员、监考员" in texts["commitment"]  # two roles, in Chinese
    assert all(person.name in texts["badges"] for person in data.staff)
    for title in ("主考", "副主考", "工作人员", "系统管理员", "监考员", "巡考员"):
        assert title in texts["badges"]
    assert "热烈欢迎参加" in texts["banner"] and "横幅文字" in texts["banner"]
    assert "考核内容及时间表" in texts["timetable"] and "理论知识考试" in texts["timetable"]
    assert str(data.seated()) in texts["timetable"]
    fee_total = sum(line.amount for line in demo_job.forms.fees.lines)  # type: ignore[union-attr]
    assert fee_total and str(fee_total) in texts["fee_application"]
    assert "湖北省" in texts["fee_application"]
    assert "成绩复查表" in texts["score_review"] and data.site.director in texts["score_review"]
    assert data.site.code in texts["site_application"]
    assert "已具备" in texts["site_application"]


def test_same_data_same_bytes(demo_job: PrintJob, tmp_path: Path) -> None:
    for key in KEYS:
        first, second = tmp_path / f"{key}-1.pdf", tmp_path / f"{key}-2.pdf"
        render(demo_job, key, first)
        render(demo_job, key, second)
        assert first.read_bytes() == second.read_bytes(), key


def test_fee_and_application_forms_print_without_the_extra_data(
    demo_job: PrintJob, tmp_path: Path
) -> None:
    job = dataclasses.replace(demo_job, forms=None)
    fee = tmp_path / "fee.pdf"
    assert render(job, "fee_application", fee) == 1
    text = text_of(fee)
    assert (
        str(len({s.candidate_id for _r, rs in job.data.room_sessions() for s in rs.seats})) in text
    )
    application = tmp_path / "application.pdf"
    assert render(job, "site_application", application) == 1
    assert "考生计算机" in text_of(application)


LONG_SITE = "新疆维吾尔自治区巴音郭楞蒙古自治州和静县第一职业技术学校（示例分校）"
LONG_NAMES = (
    "欧阳娜仁其其格",
    "阿卜杜热合曼·买买提依明",
    "司马长风长风",
    "爱新觉罗·溥仪仪仪",
)


def long_data() -> MaterialsData:
    start = dt.datetime(2026, 12, 19, 8, 30)
    seats = tuple(
        SeatFacts(
            n,
            f"2612{n:06d}",
            n,
            LONG_NAMES[n % 4],
            "420102200501011234",
            "男",
            "school",
            "班",
            "专业",
            LONG_SITE,
        )
        for n in range(1, 61)
    )
    rooms = tuple(
        RoomFacts(
            f"r{i}",
            f"第二综合实训大楼东区{i}层多媒体计算机考试专用机房",
            60,
            60,
            "lab",
            "某省某市某区某路 1 号",
            (
                RoomSessionFacts(
                    f"rs{i}",
                    "1630054223010588",
                    "数字营销技术应用与新媒体运营推广职业技能等级证书",
                    "junior",
                    "理论知识考试（初级）",
                    "theory",
                    "机考",
                    start,
                    start + dt.timedelta(minutes=60),
                    LONG_NAMES[:2],
                    seats,
                ),
            ),
        )
        for i in range(1, 13)
    )
    staff = tuple(
        StaffFacts(name + str(i), (role,), "马克思主义学院与通识教育中心联合教研室", "13900000000")
        for i, (name, role) in enumerate(
            (n, r)
            for n in LONG_NAMES
            for r in (
                "director",
                "chief",
                "deputy",
                "affairs",
                "sysadmin",
                "logistics",
                "invigilator",
                "inspector",
            )
        )
    )
    site = SiteFacts(
        f"{LONG_SITE} - 数字营销技术应用与新媒体运营推广职业技能等级证书（初级、中级、高级）考核站点",
        "EX-SITE-999",
        LONG_SITE,
        "新疆维吾尔自治区巴音郭楞蒙古自治州和静县某某镇某某路某某号 实训楼",
        "欧阳娜仁其其格",
        "0996-12345678",
        "新疆维吾尔自治区",
    )
    plan = PlanFacts(
        "P-LONG",
        "2026年第二批数字营销技术应用与新媒体运营推广职业技能等级证书全国统一考核（演示）",
        "中教畅享（北京）科技有限公司",
        start,
        start + dt.timedelta(hours=8),
    )
    return MaterialsData(site, plan, rooms, staff)


def test_long_names_stay_on_the_page(tmp_path: Path) -> None:
    data = long_data()
    forms = SiteForms(
        FeeDoc(
            "新疆维吾尔自治区",
            (
                FeeLine(
                    "1630054223010588",
                    data.rooms[0].sessions[0].certificate_name,
                    "junior",
                    720,
                    270,
                    True,
                ),
            ),
        ),
        SiteApplication((), blank_checklist()),
    )
    job = PrintJob(data, forms=forms)
    for key in KEYS:
        path = tmp_path / f"{key}.pdf"
        pages = render(job, key, path)
        assert pages == page_count(path), key
        assert words_off_page(path) == [], key
        text = text_of(path)
        if key in ("commitment", "badges"):
            assert all(person.name in text for person in data.staff), key
    assert page_count(tmp_path / "badges.pdf") == 4  # 32 people, 8 a sheet
    assert page_count(tmp_path / "commitment.pdf") >= 2
