"""Rooms: adding, editing and removing them, the capacity check per session and the
proposal of rooms from the site's labs, on the demo site."""

from __future__ import annotations

import pytest
from rooms_helpers import INTERMEDIATE, JUNIOR, SENIOR, register
from sqlalchemy import func, select

from examsite.domain.workflow import Step
from examsite.errors import InputError, NotFoundError
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.labs import add_lab, edit_lab, list_labs, propose_rooms, remove_lab
from examsite.services.rooms import (
    RoomForm,
    add_room,
    check_capacity,
    edit_room,
    list_rooms,
    remove_room,
)
from examsite.services.status import round_status
from examsite.storage.db import Database
from examsite.storage.models import (
    AuditLog,
    ExamPlan,
    Lab,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
)

PLAN = DEMO_PLAN_CODE
FORM = RoomForm(
    "信息楼 501 机房", 45, 40, "湖北省", "武汉市", "洪山区", "示例大道 1 号 信息楼 5 层"
)


@pytest.fixture
def demo(db: Database, demo_site) -> Database:
    demo_site(db, 40)
    return db


def room_sessions(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(RoomSession)) or 0


def test_a_room_gets_its_type_from_the_subjects_and_its_sessions(demo: Database) -> None:
    room = add_room(demo, PLAN, JUNIOR, FORM)
    assert room.room_type == "机考+实操"  # theory 机考 + practical 机考+实操
    assert (room.seats, room.exam_capacity, room.capacity) == (45, 40, 40)
    assert room_sessions(demo) == 2  # theory and practical
    assert [r.name for r in list_rooms(demo, PLAN)] == ["信息楼 501 机房"]
    with demo.read() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.entity == "room")).one()
        assert entry.action == "create" and entry.after["seats"] == 45


def test_a_room_name_is_unique_within_plan_site_and_certificate(demo: Database) -> None:
    add_room(demo, PLAN, JUNIOR, FORM)
    with pytest.raises(InputError) as caught:
        add_room(demo, PLAN, JUNIOR, FORM)
    assert caught.value.code == "rooms.name_taken"
    assert "不能重复" in caught.value.message
    # Spaces do not make another name; another certificate may use the same name (004).
    with pytest.raises(InputError):
        add_room(demo, PLAN, JUNIOR, RoomForm("信息楼  501　机房", 45))
    assert add_room(demo, PLAN, INTERMEDIATE, FORM).name == FORM.name


@pytest.mark.parametrize(
    ("form", "code"),
    [
        (RoomForm("", 45), "rooms.name_empty"),
        (RoomForm("A", 0), "rooms.bad_seats"),
        (RoomForm("A", 45, 50), "rooms.bad_exam_capacity"),
        (RoomForm("长" * 101, 45), "rooms.name_too_long"),
    ],
)
def test_bad_room_values_are_refused_with_the_field(demo: Database, form, code) -> None:
    with pytest.raises(InputError) as caught:
        add_room(demo, PLAN, JUNIOR, form)
    assert caught.value.code == code
    assert caught.value.problems[0].column in ("name", "seats", "exam_capacity")
    assert list_rooms(demo, PLAN) == ()


def test_unknown_plan_and_certificate_are_named(demo: Database) -> None:
    with pytest.raises(NotFoundError, match="NOPE"):
        add_room(demo, "NOPE", JUNIOR, FORM)
    with pytest.raises(NotFoundError, match="123"):
        add_room(demo, PLAN, "123", FORM)


def test_edit_and_remove_a_room(demo: Database) -> None:
    add_room(demo, PLAN, JUNIOR, FORM)
    changed = edit_room(demo, PLAN, FORM.name, {"seats": 50, "exam_capacity": None})
    assert (changed.seats, changed.capacity) == (50, 50)
    renamed = edit_room(demo, PLAN, FORM.name, {"name": "信息楼 502 机房"})
    assert renamed.name == "信息楼 502 机房"
    removed = remove_room(demo, PLAN, renamed.uid)
    assert removed.name == "信息楼 502 机房"
    assert list_rooms(demo, PLAN) == () and room_sessions(demo) == 0
    with demo.read() as session:
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "room").order_by(AuditLog.id)
        ).all()
    assert actions == ["create", "update", "update", "delete"]


def test_a_room_with_seats_given_cannot_be_removed(demo: Database) -> None:
    room = add_room(demo, PLAN, JUNIOR, FORM)
    register(demo, JUNIOR, 3)
    with demo.unit_of_work() as session:
        room_session = session.scalars(select(RoomSession)).first()
        assert room_session is not None
        records = session.scalars(select(RegistrationSubject)).all()
        for number, record in enumerate(
            [r for r in records if r.subject_id == room_session.exam_session.subject_id], 1
        ):
            session.add(
                Seat(
                    room_session_id=room_session.id,
                    registration_subject_id=record.id,
                    seat_number=number,
                )
            )
    with pytest.raises(InputError) as caught:
        remove_room(demo, PLAN, room.name)
    assert caught.value.code == "rooms.has_seats" and "3 名考生" in caught.value.message
    with pytest.raises(InputError) as caught:
        edit_room(demo, PLAN, room.name, {"exam_capacity": 2})
    assert caught.value.code == "rooms.capacity_below_seated"
    assert len(list_rooms(demo, PLAN)) == 1


def test_the_capacity_check_per_session_suggests_the_split(demo: Database) -> None:
    register(demo, JUNIOR, 30)
    checks = check_capacity(demo, PLAN)
    assert {c.subject_kind for c in checks} == {"theory", "practical"}
    assert all(c.candidates == 30 and c.capacity == 0 and c.short_by == 30 for c in checks)
    assert checks[0].standard_rooms == 1
    status = round_status(demo).step(Step.ROOMS)
    assert status.summary["short_sessions"] == 2
    assert {p.code for p in status.problems} == {"rooms.session_short"}

    add_room(demo, PLAN, JUNIOR, RoomForm("A", 20))
    add_room(demo, PLAN, JUNIOR, RoomForm("B", 50, 40))
    checks = check_capacity(demo, PLAN)
    assert all(c.capacity == 60 and c.short_by == 0 for c in checks)
    assert checks[0].rooms == ("A", "B") and checks[0].split == (15, 15)
    assert round_status(demo).step(Step.ROOMS).problems == ()


def test_labs_can_be_listed_added_edited_and_removed(demo: Database) -> None:
    labs = list_labs(demo)
    assert len(labs) == 9 and sum(1 for lab in labs if lab.capacity < 40) == 1
    lab = add_lab(demo, RoomForm("图书馆 101 机房", 60, 50))
    assert lab.capacity == 50
    with pytest.raises(InputError):
        add_lab(demo, RoomForm("图书馆 101 机房", 60))
    assert edit_lab(demo, lab.name, {"seats": 70}).seats == 70
    remove_lab(demo, lab.uid)
    assert len(list_labs(demo)) == 9


def test_propose_makes_rooms_from_labs_for_each_certificate(demo: Database) -> None:
    register(demo, JUNIOR, 25)
    register(demo, INTERMEDIATE, 15, skip=25)
    proposals = propose_rooms(demo, PLAN)
    by_code = {p.certificate_code: p for p in proposals}
    # 25 fit the 30-seat training room (best fit), 15 too: junior and intermediate sit
    # at different times of the day, so the same lab serves both.
    assert by_code[JUNIOR].added == ("实训楼 201 实训室",)
    assert by_code[INTERMEDIATE].added == ("实训楼 201 实训室",)
    assert all(p.short_by == 0 for p in proposals)
    assert all(c.short_by == 0 for c in check_capacity(demo, PLAN))
    # Again: the rooms are enough, nothing is added.
    assert all(p.added == () for p in propose_rooms(demo, PLAN))


def test_propose_keeps_rooms_and_never_shares_a_lab_between_overlapping_sessions(
    demo: Database,
) -> None:
    add_room(demo, PLAN, JUNIOR, RoomForm("自带考场", 10))
    register(demo, JUNIOR, 20)
    register(demo, SENIOR, 20, skip=20)  # senior sits at the same time as junior
    proposals = {p.certificate_code: p for p in propose_rooms(demo, PLAN)}
    junior, senior = proposals[JUNIOR], proposals[SENIOR]
    assert junior.capacity_before == 10 and junior.added == ("实训楼 201 实训室",)
    assert senior.added and not set(senior.added) & set(junior.added)
    names = {r.name for r in list_rooms(demo, PLAN) if r.certificate_code == JUNIOR}
    assert "自带考场" in names


def test_propose_says_when_the_labs_are_not_enough(demo: Database) -> None:
    with demo.unit_of_work() as session:
        for lab in session.scalars(select(Lab)).all()[1:]:
            session.delete(lab)
    register(demo, JUNIOR, 40)
    with demo.unit_of_work() as session:
        session.scalars(select(Lab)).one().exam_capacity = 30
    (proposal,) = propose_rooms(demo, PLAN)
    assert proposal.capacity_after == 30 and proposal.short_by == 10


def test_propose_without_labs_is_refused(demo: Database) -> None:
    with demo.unit_of_work() as session:
        session.query(Lab).delete()
    with pytest.raises(InputError) as caught:
        propose_rooms(demo, PLAN)
    assert caught.value.code == "rooms.no_labs"
    with demo.read() as session:
        assert session.scalar(select(func.count()).select_from(Room)) == 0


def test_once_the_exam_has_begun_the_rooms_are_fixed(demo: Database, tmp_path) -> None:
    from examsite import clock
    from examsite.services.room_import import import_rooms
    from examsite.services.rooms_view import rooms_view

    add_room(demo, PLAN, JUNIOR, FORM)
    register(demo, JUNIOR, 5)
    with demo.read() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == PLAN)).one()
        started = plan.exam_start
    assert rooms_view(demo, PLAN).locked == ""
    with clock.fixed(started):
        for attempt in (
            lambda: add_room(demo, PLAN, JUNIOR, RoomForm("新考场", 40)),
            lambda: edit_room(demo, PLAN, FORM.name, {"seats": 50}),
            lambda: remove_room(demo, PLAN, FORM.name),
            lambda: propose_rooms(demo, PLAN),
        ):
            with pytest.raises(InputError) as caught:
                attempt()
            assert caught.value.code == "rooms.plan_locked"
        assert "开考" in rooms_view(demo, PLAN).locked
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["*考试计划编号", "*考场名称", "*考位数", "*证书编号", "*所在省", "*所在市",
                      "*所在区/县", "*详细地址"])  # fmt: skip
        sheet.append([PLAN, "新考场", 40, JUNIOR, "湖北省", "武汉市", "洪山区", "一号楼"])
        book.save(tmp_path / "r.xlsx")
        with pytest.raises(InputError) as caught:
            import_rooms(demo, tmp_path / "r.xlsx")
        assert caught.value.problems[0].code == "rooms.import_plan_locked"
    assert [r.name for r in list_rooms(demo, PLAN)] == [FORM.name]


def test_the_status_reports_timetable_clashes(demo: Database) -> None:
    from examsite.services.sessions import list_sessions, set_session_time

    register(demo, JUNIOR, 5)
    add_room(demo, PLAN, JUNIOR, FORM)
    sessions = [s for s in list_sessions(demo, PLAN) if s.certificate_code == JUNIOR]
    theory = next(s for s in sessions if s.subject_kind == "theory")
    practical = next(s for s in sessions if s.subject_kind == "practical")
    assert round_status(demo).step(Step.ROOMS).problems == ()
    set_session_time(demo, practical.uid, theory.starts_at)
    codes = [p.code for p in round_status(demo).step(Step.ROOMS).problems]
    assert codes == ["rooms.timetable_same_certificate"]
