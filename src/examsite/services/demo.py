"""The demo site: a realistic school, site, plan, candidates, photos, rooms and staff.

Everything is synthetic: names from common surnames, checksum-correct ID numbers that
belong to no one, red-background photos drawn by the program. A handful of problems are
put in on purpose (a missing photo, a blue background, a wrong-size photo, an incomplete
row) so that every page has something to show. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.candidate_status import CandidateKind
from examsite.domain.id_number import Gender, synthetic_id
from examsite.domain.pinyin import name_to_pinyin
from examsite.errors import InputError
from examsite.progress import Progress
from examsite.services.catalog import ensure_catalog
from examsite.storage.db import Database, count_rows
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Quota,
    Room,
    School,
    Setting,
    Site,
    Staff,
)

DEMO_MARKER = "demo_created_at"
DEMO_PLAN_CODE = "2232100001"  # 数字营销技术应用 (003), the most complete document
DEMO_SCHOOL = "江汉职业技术学院（示例）"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单解"
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文辉建华玉兰志强晓红雪梅海燕子涵浩然思远雨欣梓萱一诺欣怡宇轩佳琪嘉怡俊杰天佑雅婷"
REGIONS = ("420102", "420106", "420111", "420115", "421002", "421102", "420502", "420602")
MAJORS = (("630801", "电子商务"), ("630701", "市场营销"), ("630803", "网络营销"))
DEPARTMENTS = ("信息工程学院", "机电工程学院", "经济管理学院", "艺术设计学院", "基础部")

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
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
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
        for cert in certs:
            session.add(
                Quota(school_id=school.id, certificate_id=cert.id, year=plan.year, approved=300)
            )
        made = _add_candidates(session, rng, school, candidates, progress)
        photos = _add_photos(session, rng, made, progress)
        rooms = _add_rooms(session, plan, site, certs, candidates)
        staff = _add_staff(session, rng, school)
        session.add(Setting(key=DEMO_MARKER, value=dt.datetime.now().isoformat(timespec="seconds")))
    return DemoResult(True, len(made), photos, rooms, staff)


def _existing(session: Session) -> DemoResult:
    from examsite.storage.models import Photo

    counts = (count_rows(session, model) for model in (Candidate, Photo, Room, Staff))
    return DemoResult(False, *counts)


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


def _add_rooms(
    session: Session, plan: ExamPlan, site: Site, certs: list[Certificate], count: int
) -> int:
    # 000: a standard room holds 40; split the candidates over rooms of equal size.
    rooms = 0
    per_cert = max(1, count // len(certs))
    for cert_index, cert in enumerate(certs):
        needed = max(1, -(-per_cert // 40))
        for number in range(needed):
            floor = 3 + cert_index
            session.add(
                Room(
                    plan_id=plan.id,
                    site_id=site.id,
                    certificate_id=cert.id,
                    name=f"信息楼 {floor}0{number + 1} 机房",
                    seats=45,
                    room_type="机考+实操",
                    address=f"湖北省武汉市洪山区示例大道 1 号 信息楼 {floor} 层",
                )
            )
            rooms += 1
    return rooms


def _add_staff(session: Session, rng: random.Random, school: School) -> int:
    roles = [["chief"], ["deputy"], ["inspector"], ["sysadmin"], ["worker"]] + [["invigilator"]] * 9
    for index, role in enumerate(roles):
        department = DEPARTMENTS[index % len(DEPARTMENTS)]
        taught = [{"code": "630801", "name": "电子商务"}] if department == "经济管理学院" else []
        session.add(
            Staff(
                school=school,
                name=_person_name(rng),
                phone=f"139{rng.randrange(10**7, 10**8)}",
                department=department,
                roles=role,
                majors_taught=taught,
            )
        )
    return len(roles)
