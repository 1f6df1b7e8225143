"""The demo site: a realistic school, site, plan, candidates, photos, labs and staff.

Everything is synthetic: names from common surnames, checksum-correct ID numbers that
belong to no one, red-background photos drawn by the program. A handful of problems are
put in on purpose (a missing photo, a blue background, a wrong-size photo, an incomplete
row) so that every page has something to show. Running it twice changes nothing.

The demo is live on the day it is made. It has a plan of its own (``DEMO_PLAN_CODE``), a
copy of the catalog's example plan 2232100001 (its certificates and the shape of its
timetable: theory and practical of a level on one day) with every window placed relative
to ``clock.now()``: registration opened ``REGISTRATION_OPENED`` days ago and closes in
``REGISTRATION_OPEN_FOR`` days, then the arrangement, the exam on the first Saturday at
least ``EXAM_AFTER`` days after registration closes, score entry and publication. The
catalog's plans are left as the catalog has them, so a catalog import (which upserts the
plans of its file only) never makes the demo stale, and the example plan keeps the dates
the documents give.

It leaves registration to the newcomer (no registrations) and therefore has no rooms:
``rooms propose`` (or the rooms page's button) makes them from the site's labs once
candidates are registered. It has what the later steps need: classes per major, labs,
a staff team covering every role with teachers of the candidates' majors and classes,
and quotas.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.candidate_status import CandidateKind
from examsite.domain.id_number import Gender, synthetic_id
from examsite.domain.pinyin import name_to_pinyin
from examsite.errors import InputError
from examsite.progress import Progress
from examsite.services.catalog import ensure_catalog
from examsite.services.sessions import sync_plan_sessions
from examsite.storage.db import Database, count_rows
from examsite.storage.models import (
    Candidate,
    ExamPlan,
    ExamSession,
    Lab,
    Quota,
    Room,
    School,
    Setting,
    Site,
    Staff,
)

DEMO_MARKER = "demo_created_at"
EXAMPLE_PLAN_CODE = "2232100001"  # 数字营销技术应用 (003), the most complete document
DEMO_PLAN_CODE = "DEMO-2232100001"  # the demo's own copy of it, live on the day it is made
REGISTRATION_OPENED = 7  # days before the demo is made
REGISTRATION_OPEN_FOR = 14  # days after it is made
EXAM_AFTER = 5  # days at least between the registration deadline and the exam
DEMO_SCHOOL = "江汉职业技术学院（示例）"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解"
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文辉建华玉兰志强晓红雪梅海燕子涵浩然思远雨欣梓萱一诺欣怡宇轩佳琪嘉怡俊杰天佑雅婷"
REGIONS = ("420102", "420106", "420111", "420115", "421002", "421102", "420502", "420602")
MAJORS = (("630801", "电子商务"), ("630701", "市场营销"), ("630803", "网络营销"))
CLASSES = {
    "630801": ("电商2301", "电商2302", "电商2401"),
    "630701": ("营销2301", "营销2302"),
    "630803": ("网营2301", "网营2401"),
}
DEPARTMENTS = ("信息工程学院", "机电工程学院", "经济管理学院", "艺术设计学院", "基础部")
ADDRESS = ("湖北省", "武汉市", "洪山区")

PHOTO_SIZE = (295, 413)
RED = (200, 28, 36)
BLUE = (67, 142, 219)


@dataclass(frozen=True)
class DemoResult:
    created: bool
    candidates: int
    photos: int
    rooms: int
    staff: int
    labs: int = 0
    plan_code: str = DEMO_PLAN_CODE


def create_demo(
    db: Database, *, candidates: int = 200, progress: Progress | None = None
) -> DemoResult:
    """Fill an empty database with the demo site; a second run only reports what is there."""
    progress = progress or Progress()
    ensure_catalog(db)
    with db.read() as session:
        if session.get(Setting, DEMO_MARKER) is not None:
            return _existing(session)
        if count_rows(session, Candidate):
            raise InputError("app.demo_over_real_data")
    rng = random.Random(20270110)  # the same demo every time
    with db.unit_of_work() as session:
        plan = _add_plan(session, clock.now())
        certs = [c for c in plan.certificates if c.level in ("junior", "intermediate")]
        school = School(
            name=DEMO_SCHOOL,
            code="4142010999",
            credit_code="12420000MB0000000X",
            address="湖北省武汉市洪山区示例大道 1 号",
        )
        site = Site(
            school=school,
            code="EX-SITE-001",
            name=f"{DEMO_SCHOOL} - 数字营销技术应用职业技能等级证书（初级、中级）考核站点",
            address="湖北省武汉市洪山区示例大道 1 号 信息楼",
            director="周建国",
            phone="13907150001",
            province=ADDRESS[0],
            certificates=certs,
            checklist={
                "rooms": True,
                "computers": True,
                "cameras": True,
                "network": True,
                "ups": False,
            },
        )
        session.add_all([school, site])
        session.flush()
        for cert, approved in zip(certs, QUOTAS, strict=False):
            session.add(
                Quota(
                    school_id=school.id, certificate_id=cert.id, year=plan.year, approved=approved
                )
            )
        made = _add_candidates(session, rng, school, candidates, progress)
        photos = _add_photos(session, rng, made, progress)
        labs = _add_labs(session, site)
        staff = _add_staff(session, rng, school)
        session.add(Setting(key=DEMO_MARKER, value=clock.now().isoformat(timespec="seconds")))
    return DemoResult(True, len(made), photos, 0, staff, labs)


QUOTAS = (150, 100)  # approved 试点规模 of the junior and the intermediate level


def _existing(session: Session) -> DemoResult:
    from examsite.storage.models import Photo

    candidates, photos, rooms, staff, labs = (
        count_rows(session, model) for model in (Candidate, Photo, Room, Staff, Lab)
    )
    return DemoResult(False, candidates, photos, rooms, staff, labs)


def demo_windows(today: dt.date) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """The demo plan's windows for a demo made on ``today`` (see the module's docstring)."""

    def at(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute))

    opened = today - dt.timedelta(days=REGISTRATION_OPENED)
    closes = today + dt.timedelta(days=REGISTRATION_OPEN_FOR)
    exam = closes + dt.timedelta(days=EXAM_AFTER)
    exam += dt.timedelta(days=(5 - exam.weekday()) % 7)  # a Saturday, as 003's exams are
    day = dt.timedelta(days=1)
    return {
        "registration": (at(opened, 9, 30), at(closes, 23, 59)),
        "arrangement": (at(closes + day), at(exam - 2 * day, 23, 59)),
        "exam": (at(exam, 8, 30), at(exam, 16, 30)),
        "score_entry": (at(exam + day), at(exam + 21 * day)),
        "publication": (at(exam + 22 * day), at(exam + 36 * day)),
    }


def _add_plan(session: Session, now: dt.datetime) -> ExamPlan:
    """The demo's plan: the example plan's certificates and timetable shape, its windows
    placed around ``now``; its sessions made by ``sync_plan_sessions``."""
    example = session.scalars(select(ExamPlan).where(ExamPlan.code == EXAMPLE_PLAN_CODE)).one()
    windows = demo_windows(now.date())
    exam_day = windows["exam"][0].date()
    plan = ExamPlan(
        org_id=example.org_id,
        code=DEMO_PLAN_CODE,
        name=f"{exam_day.year}年数字营销技术应用全国统考（演示）",
        year=exam_day.year,
        is_example=True,
        certificates=list(example.certificates),
    )
    for window, (start, end) in windows.items():
        setattr(plan, f"{window}_start", start)
        setattr(plan, f"{window}_end", end)
    session.add(plan)
    session.flush()
    # The example's times of day, moved to the demo's exam day (its sessions in order).
    timetable: dict[tuple[str, str], list[dt.datetime]] = {}
    for exam in session.scalars(
        select(ExamSession).where(ExamSession.plan_id == example.id).order_by(ExamSession.starts_at)
    ):
        moved = exam_day + (exam.starts_at.date() - example.exam_start.date())
        start = dt.datetime.combine(moved, exam.starts_at.time())
        key = (exam.subject.certificate.code, exam.subject.kind)
        timetable.setdefault(key, []).append(start)
    problems, _counts = sync_plan_sessions(session, plan, timetable)
    if problems:  # the example's timetable fits its window, so it fits the same day here
        raise InputError.of(problems[0], problems)
    return plan


def _person_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.03 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return surname + given


def _add_candidates(
    session: Session, rng: random.Random, school: School, count: int, progress: Progress
) -> list[Candidate]:
    made: list[Candidate] = []
    used: set[str] = set()
    for index in range(count):
        progress.check_cancelled()
        kind = CandidateKind.SOCIAL if index % 10 == 9 else CandidateKind.SCHOOL
        gender: Gender = "男" if rng.random() < 0.5 else "女"
        birth = dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
        id_number = synthetic_id(rng.choice(REGIONS), birth, rng.randrange(0, 500), gender)
        while id_number in used:
            id_number = synthetic_id(rng.choice(REGIONS), birth, rng.randrange(0, 500), gender)
        used.add(id_number)
        name = _person_name(rng)
        major_code, major = rng.choice(MAJORS)
        class_name = rng.choice(CLASSES[major_code]) if kind is CandidateKind.SCHOOL else ""
        candidate = Candidate(
            kind=kind.value,
            name=name,
            pinyin=name_to_pinyin(name),
            gender=gender,
            id_type="身份证",
            id_number=id_number,
            phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
            enrollment_year=2024 if birth.year < 2005 else 2025,
            education_level="专科",
            major=major if kind is CandidateKind.SCHOOL else "",
            major_code=major_code if kind is CandidateKind.SCHOOL else "",
            school=school if kind is CandidateKind.SCHOOL else None,
            class_name=class_name,
            extra={} if kind is CandidateKind.SCHOOL else {"employer": "武汉示例电子商务有限公司"},
        )
        if index == 7:  # an incomplete row on purpose: the class teacher left the phone out
            candidate.phone = ""
        made.append(candidate)
        session.add(candidate)
        progress.step(index + 1, count * 2, "创建考生")
    session.flush()
    return made


def demo_photo(
    rng: random.Random, background: tuple[int, int, int], size: tuple[int, int] = PHOTO_SIZE
) -> bytes:
    """A drawn head-and-shoulders photo on ``background``, as JPEG bytes."""
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    skin = (rng.randrange(225, 245), rng.randrange(190, 210), rng.randrange(160, 180))
    hair = (rng.randrange(15, 45),) * 3
    cloth = rng.choice([(30, 30, 35), (240, 240, 240), (40, 60, 110)])
    cx = width // 2
    draw.ellipse((cx - 0.42 * width, 0.66 * height, cx + 0.42 * width, 1.3 * height), fill=cloth)
    draw.rectangle((cx - 0.09 * width, 0.52 * height, cx + 0.09 * width, 0.7 * height), fill=skin)
    draw.ellipse((cx - 0.26 * width, 0.16 * height, cx + 0.26 * width, 0.26 * height), fill=hair)
    draw.ellipse((cx - 0.22 * width, 0.2 * height, cx + 0.22 * width, 0.6 * height), fill=skin)
    for side in (-1, 1):
        draw.ellipse(
            (
                cx + side * 0.1 * width - 6,
                0.36 * height - 4,
                cx + side * 0.1 * width + 6,
                0.36 * height + 4,
            ),
            fill=(40, 30, 30),
        )
    draw.arc(
        (cx - 0.08 * width, 0.44 * height, cx + 0.08 * width, 0.52 * height),
        20,
        160,
        fill=(170, 80, 80),
        width=3,
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _add_photos(
    session: Session, rng: random.Random, made: list[Candidate], progress: Progress
) -> int:
    from examsite.services.candidate_state import refresh_statuses
    from examsite.services.photos import store_photo

    stored = 0
    for index, candidate in enumerate(made):
        progress.check_cancelled()
        progress.step(len(made) + index + 1, len(made) * 2, "生成照片")
        if index == 3:  # a missing photo on purpose
            continue
        if index == 11:
            data = demo_photo(rng, BLUE)  # a blue background: rejected, to be re-taken
        elif index == 15:
            data = demo_photo(rng, RED, (590, 826))  # right shape, wrong pixels: fixable
        else:
            data = demo_photo(rng, RED)
        store_photo(
            session,
            candidate,
            data,
            source_name=f"{candidate.id_number}.jpg",
            fix=False,
            refresh=False,
        )
        stored += 1
    refresh_statuses(session, ids=[c.id for c in made])
    return stored


def _add_labs(session: Session, site: Site) -> int:
    """Eight labs of 45 seats used 40 at a time (spacing), and a smaller training room."""
    labs = [
        Lab(
            site_id=site.id,
            name=f"信息楼 {floor}0{number} 机房",
            seats=45,
            exam_capacity=40,
            province=ADDRESS[0],
            city=ADDRESS[1],
            district=ADDRESS[2],
            address=f"示例大道 1 号 信息楼 {floor} 层",
        )
        for floor in (3, 4)
        for number in range(1, 5)
    ]
    labs.append(
        Lab(
            site_id=site.id,
            name="实训楼 201 实训室",
            seats=30,
            exam_capacity=None,
            province=ADDRESS[0],
            city=ADDRESS[1],
            district=ADDRESS[2],
            address="示例大道 1 号 实训楼 2 层",
        )
    )
    session.add_all(labs)
    return len(labs)


# (roles, department, majors taught (codes), classes taught, certified)
STAFF_TEAM: tuple[tuple[list[str], str, tuple[str, ...], tuple[str, ...], bool], ...] = (
    (["director"], "教务处", (), (), True),
    (["chief"], "教务处", (), (), True),
    (["deputy"], "经济管理学院", ("630801",), (), True),
    (["affairs"], "教务处", (), (), True),
    (["sysadmin"], "信息工程学院", (), (), True),
    (["logistics"], "后勤处", (), (), False),
    (["inspector"], "督导室", (), (), True),
    (["invigilator"], "经济管理学院", ("630801",), ("电商2301", "电商2302"), True),
    (["invigilator"], "经济管理学院", ("630701",), ("营销2301",), True),
    (["invigilator"], "经济管理学院", ("630803",), ("网营2301", "网营2401"), True),
    (["invigilator"], "经济管理学院", ("630801", "630701"), ("电商2401", "营销2302"), True),
    (["invigilator"], "信息工程学院", (), (), True),
    (["invigilator"], "信息工程学院", (), (), True),
    (["invigilator"], "机电工程学院", (), (), True),
    (["invigilator"], "机电工程学院", (), (), True),
    (["invigilator"], "艺术设计学院", (), (), True),
    (["invigilator"], "艺术设计学院", (), (), False),
    (["invigilator"], "基础部", (), (), True),
    (["invigilator"], "基础部", (), (), True),
    (["invigilator"], "信息工程学院", (), (), True),
    (["invigilator"], "机电工程学院", (), (), True),
    (["invigilator"], "艺术设计学院", (), (), True),
    (["invigilator"], "马克思主义学院", (), (), True),
    (["invigilator"], "马克思主义学院", (), (), True),
    (["invigilator", "sysadmin"], "信息工程学院", (), (), True),
)


def _add_staff(session: Session, rng: random.Random, school: School) -> int:
    """A team covering every role, with 18 invigilators across departments (enough for the
    rooms ``rooms propose`` makes for the default demo); some teach the candidates' majors
    and classes (kept out of those rooms), two are not certified."""
    majors = dict(MAJORS)
    for roles, department, taught, classes, certified in STAFF_TEAM:
        session.add(
            Staff(
                school=school,
                name="周建国" if "director" in roles else _person_name(rng),
                phone=f"139{rng.randrange(10**7, 10**8)}",
                department=department,
                roles=list(roles),
                majors_taught=[{"code": code, "name": majors[code]} for code in taught],
                classes_taught=list(classes),
                certified=certified,
            )
        )
    return len(STAFF_TEAM)
