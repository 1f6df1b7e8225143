"""Step 5, rooms (考场): the rooms of a plan, their seats, type and address, and whether
the seats hold the candidates registered for each session.

A room belongs to one plan + site + certificate and its name is unique there (004). Its
type is never typed in: it follows the certificate's subjects (``domain.rooms.room_type``).
Every change is audit-logged and followed by ``ensure_room_sessions``, so each room sits
every session of its certificate. The labs and the proposal of rooms from them are in
``services.labs``; the room sheet in ``services.room_import``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from typing import Any, cast

from sqlalchemy import String, func, select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.problems import Problem, error, notice
from examsite.domain.rooms import room_type, short_by, split, standard_rooms_needed
from examsite.domain.workflow import Step
from examsite.errors import InputError, NotFoundError
from examsite.messages.rooms import ROOM_FIELD_TITLES
from examsite.services.audit import record
from examsite.services.plans import find_plan
from examsite.services.sessions import ensure_room_sessions
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.services.tombstones import bury
from examsite.storage.db import Database, count_rows
from examsite.storage.models import (
    Certificate,
    ExamPlan,
    ExamSession,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
    Site,
    Subject,
)
from examsite.storage.sql import least

ACTOR = "user"
MAX_NAME = 100
MAX_SEATS = 999
#: The address fields of a room, their titles and the most characters each column holds.
_PLACE_FIELDS = {
    "province": "所在省",
    "city": "所在市",
    "district": "所在区/县",
    "address": "详细地址",
}


@dataclass(frozen=True)
class RoomForm:
    """What the coordinator enters for a room (the type is derived, never entered)."""

    name: str
    seats: int
    exam_capacity: int | None = None
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""


@dataclass(frozen=True)
class RoomInfo:
    uid: str
    plan_code: str
    certificate_code: str
    certificate_name: str
    level: str
    name: str
    seats: int
    exam_capacity: int | None
    capacity: int
    room_type: str
    province: str
    city: str
    district: str
    address: str
    seated: int  # seats given to candidates (the arrangement's)

    def plain(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SessionCheck:
    """One session's seats against its registered candidates."""

    session_uid: str
    certificate_code: str
    certificate_name: str
    level: str
    subject_kind: str
    subject_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    candidates: int
    capacity: int
    short_by: int
    rooms: tuple[str, ...]
    split: tuple[int, ...]  # candidates per room, same order as ``rooms``
    standard_rooms: int  # standard rooms (40) the candidates would need

    def plain(self) -> dict[str, Any]:
        plain = asdict(self)
        plain["starts_at"] = self.starts_at.isoformat()
        plain["ends_at"] = self.ends_at.isoformat()
        plain["split"] = [
            {"room": room, "candidates": count}
            for room, count in zip(self.rooms, self.split, strict=True)
        ]
        plain["rooms"] = list(self.rooms)
        return plain


# --- lookups ---------------------------------------------------------------------------


def certificate_of_plan(session: Session, plan: ExamPlan, code: str) -> Certificate:
    for cert in plan.certificates:
        if cert.code == code:
            return cert
    raise NotFoundError("rooms.certificate_not_in_plan", certificate=code, plan=plan.code)


def site_for(session: Session, certificate: Certificate | None = None) -> Site:
    """The site the rooms belong to: the one offering ``certificate``, else the only one."""
    sites = session.scalars(select(Site).order_by(Site.id)).all()
    if certificate is not None:
        offering = [s for s in sites if certificate in s.certificates]
        if offering:
            return offering[0]
    if not sites:
        raise InputError("rooms.no_site")
    return sites[0]


def find_room(session: Session, plan: ExamPlan, key: str, certificate: str | None) -> Room:
    """A room of ``plan`` by uid or by name (with ``certificate`` when the name is used by
    rooms of two certificates)."""
    statement = select(Room).where(Room.plan_id == plan.id)
    by_uid = session.scalar(statement.where(Room.uid == key))
    if by_uid is not None:
        return by_uid
    named = session.scalars(statement.where(Room.name == key.strip())).all()
    if certificate is not None:
        named = [r for r in named if _cert_code(session, r) == certificate]
    if not named:
        raise NotFoundError("rooms.room_not_found", room=key, plan=plan.code)
    if len(named) > 1:
        raise InputError("rooms.room_ambiguous", room=key, count=len(named))
    return named[0]


def _cert_code(session: Session, room: Room) -> str:
    return session.get(Certificate, room.certificate_id).code  # type: ignore[union-attr]


def locked(plan: ExamPlan) -> bool:
    """Whether the plan's rooms are fixed: once its exam has begun, the rooms are where
    candidates sit, and the papers printed for them name them."""
    return clock.now() >= plan.exam_start


def refuse_locked(plan: ExamPlan) -> None:
    if locked(plan):
        raise InputError(
            "rooms.plan_locked", plan=plan.name, start=f"{plan.exam_start:%Y-%m-%d %H:%M}"
        )


def certificate_room_type(certificate: Certificate) -> str:
    return room_type(s.mode for s in certificate.subjects)


# --- reading ---------------------------------------------------------------------------


def list_rooms(db: Database, plan_code: str) -> tuple[RoomInfo, ...]:
    with db.read() as session:
        return list_rooms_in(session, find_plan(session, plan_code))


def list_rooms_in(session: Session, plan: ExamPlan) -> tuple[RoomInfo, ...]:
    seated = dict(
        session.execute(
            select(RoomSession.room_id, func.count(Seat.id))
            .join(Seat, Seat.room_session_id == RoomSession.id)
            .join(Room, Room.id == RoomSession.room_id)
            .where(Room.plan_id == plan.id)
            .group_by(RoomSession.room_id)
        ).all()
    )
    rows = session.execute(
        select(Room, Certificate)
        .join(Certificate, Certificate.id == Room.certificate_id)
        .where(Room.plan_id == plan.id)
        .order_by(Certificate.code, Room.name)
    ).all()
    return tuple(_info(plan, room, cert, seated.get(room.id, 0)) for room, cert in rows)


def _info(plan: ExamPlan, room: Room, cert: Certificate, seated: int) -> RoomInfo:
    return RoomInfo(
        uid=room.uid,
        plan_code=plan.code,
        certificate_code=cert.code,
        certificate_name=cert.name,
        level=cert.level,
        name=room.name,
        seats=room.seats,
        exam_capacity=room.exam_capacity,
        capacity=room.capacity,
        room_type=room.room_type,
        province=room.province,
        city=room.city,
        district=room.district,
        address=room.address,
        seated=seated,
    )


def plain_room(room: Room) -> dict[str, Any]:
    return {
        "name": room.name,
        "seats": room.seats,
        "exam_capacity": room.exam_capacity,
        "room_type": room.room_type,
        "province": room.province,
        "city": room.city,
        "district": room.district,
        "address": room.address,
    }


# --- checking a form -------------------------------------------------------------------


def clean_form(form: RoomForm) -> RoomForm:
    """The form with its text trimmed (full-width spaces too)."""
    return replace(
        form,
        name=" ".join(form.name.replace("\u3000", " ").split()),
        province=form.province.strip(),
        city=form.city.strip(),
        district=form.district.strip(),
        address=form.address.strip(),
    )


def form_problems(form: RoomForm) -> list[Problem]:
    """What is wrong with a room's values, each naming its field."""
    problems: list[Problem] = []
    if not form.name:
        problems.append(error("rooms.name_empty", column="name"))
    elif len(form.name) > MAX_NAME:
        problems.append(error("rooms.name_too_long", column="name", limit=MAX_NAME))
    for field, title in _PLACE_FIELDS.items():
        limit = cast(String, Room.__table__.c[field].type).length or 0
        if len(getattr(form, field)) > limit:
            problems.append(error("rooms.text_too_long", column=field, title=title, limit=limit))
    if not 1 <= form.seats <= MAX_SEATS:
        problems.append(error("rooms.bad_seats", column="seats", value=form.seats, limit=MAX_SEATS))
    if form.exam_capacity is not None and not 1 <= form.exam_capacity <= max(form.seats, 1):
        problems.append(
            error(
                "rooms.bad_exam_capacity",
                column="exam_capacity",
                value=form.exam_capacity,
                seats=form.seats,
            )
        )
    return problems


def _refuse_taken_name(
    session: Session, plan: ExamPlan, site: Site, cert: Certificate, name: str, own: int | None
) -> None:
    taken = session.scalar(
        select(Room.id).where(
            Room.plan_id == plan.id,
            Room.site_id == site.id,
            Room.certificate_id == cert.id,
            Room.name == name,
            Room.id != (own or -1),
        )
    )
    if taken is not None:
        raise InputError(
            "rooms.name_taken",
            problems=[error("rooms.name_taken", column="name", name=name, certificate=cert.name)],
            name=name,
            certificate=cert.name,
        )


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise InputError.of(problems[0], problems)


# --- changes ---------------------------------------------------------------------------


def add_room(db: Database, plan_code: str, certificate_code: str, form: RoomForm) -> RoomInfo:
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        cert = certificate_of_plan(session, plan, certificate_code)
        room = add_room_in(session, plan, cert, form)
        return _info(plan, room, cert, 0)


def add_room_in(
    session: Session,
    plan: ExamPlan,
    cert: Certificate,
    form: RoomForm,
    *,
    site: Site | None = None,
    make_sessions: bool = True,
) -> Room:
    """Add a room (checked, audit-logged, its room sessions made). A caller adding many
    rooms passes the ``site`` and ``make_sessions=False``, and makes the room sessions
    once at the end (``ensure_room_sessions``)."""
    refuse_locked(plan)
    form = clean_form(form)
    _refuse(form_problems(form))
    site = site or site_for(session, cert)
    _refuse_taken_name(session, plan, site, cert, form.name, None)
    room = Room(
        plan_id=plan.id,
        site_id=site.id,
        certificate_id=cert.id,
        room_type=certificate_room_type(cert),
        **asdict(form),
    )
    session.add(room)
    session.flush()
    record(session, "create", "room", room.uid, None, plain_room(room), ACTOR)
    if make_sessions:
        ensure_room_sessions(session, plan.id)
    return room


def edit_room(
    db: Database,
    plan_code: str,
    key: str,
    changes: dict[str, Any],
    *,
    certificate_code: str | None = None,
    loaded: RoomForm | None = None,
) -> RoomInfo:
    """Change a room's fields (``RoomForm`` names); a room whose seats are given keeps at
    least as much capacity as it has candidates seated. ``loaded`` is the room as the form
    showed it: when another computer has changed (or deleted) it since, the change is
    refused with a message naming what changed, instead of writing over it."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        refuse_locked(plan)
        try:
            room = find_room(session, plan, key, certificate_code)
        except NotFoundError:
            if loaded is None:
                raise
            raise InputError("rooms.deleted_elsewhere", room=loaded.name) from None
        cert = session.get(Certificate, room.certificate_id)
        assert cert is not None
        current = RoomForm(**{k: v for k, v in plain_room(room).items() if k != "room_type"})
        if loaded is not None:
            _refuse_changed_elsewhere(loaded, current)
        form = clean_form(replace(current, **changes))
        _refuse(form_problems(form))
        _refuse_taken_name(session, plan, session.get(Site, room.site_id), cert, form.name, room.id)  # type: ignore[arg-type]
        seated = _seated(session, room)
        capacity = form.seats if form.exam_capacity is None else min(form.seats, form.exam_capacity)
        if capacity < seated:
            raise InputError("rooms.capacity_below_seated", room=room.name, seated=seated)
        before = plain_room(room)
        for name, value in asdict(form).items():
            setattr(room, name, value)
        room.room_type = certificate_room_type(cert)
        session.flush()
        record(session, "update", "room", room.uid, before, plain_room(room), ACTOR)
        ensure_room_sessions(session, plan.id)
        return _info(plan, room, cert, seated)


def _refuse_changed_elsewhere(loaded: RoomForm, stored: RoomForm) -> None:
    before, now = asdict(clean_form(loaded)), asdict(stored)
    changed = [f for f in ROOM_FIELD_TITLES if (before[f] or None) != (now[f] or None)]
    if changed:
        raise InputError(
            "rooms.changed_elsewhere",
            room=loaded.name,
            changes="；".join(f"{ROOM_FIELD_TITLES[f]}现为“{now[f] or '空'}”" for f in changed),
        )


def _seated(session: Session, room: Room) -> int:
    return (
        session.scalar(
            select(func.count(Seat.id))
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .where(RoomSession.room_id == room.id)
        )
        or 0
    )


def remove_room(
    db: Database, plan_code: str, key: str, *, certificate_code: str | None = None
) -> RoomInfo:
    """Delete a room; refused while candidates have seats in it (move them first)."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        refuse_locked(plan)
        room = find_room(session, plan, key, certificate_code)
        cert = session.get(Certificate, room.certificate_id)
        assert cert is not None
        seated = _seated(session, room)
        if seated:
            raise InputError("rooms.has_seats", room=room.name, seated=seated)
        info = _info(plan, room, cert, 0)
        record(session, "delete", "room", room.uid, plain_room(room), None, ACTOR)
        bury(session, "room", [room.uid])
        session.delete(room)
        session.flush()
        ensure_room_sessions(session, plan.id)
        return info


# --- the capacity check ----------------------------------------------------------------


def check_capacity(db: Database, plan_code: str) -> tuple[SessionCheck, ...]:
    with db.read() as session:
        return check_capacity_in(session, find_plan(session, plan_code))


def check_capacity_in(session: Session, plan: ExamPlan) -> tuple[SessionCheck, ...]:
    """Each session of ``plan`` with candidates or rooms: its registered candidates (one record per subject), the
    capacity of its certificate's rooms, how many are short of a seat and the split the
    documents suggest (``domain.rooms.split``)."""
    registered = dict(
        session.execute(
            select(RegistrationSubject.subject_id, func.count())
            .join(Registration, Registration.id == RegistrationSubject.registration_id)
            .where(Registration.plan_id == plan.id)
            .group_by(RegistrationSubject.subject_id)
        ).all()
    )
    rooms: dict[int, list[Room]] = defaultdict(list)
    for room in session.scalars(
        select(Room).where(Room.plan_id == plan.id).order_by(Room.name, Room.id)
    ):
        rooms[room.certificate_id].append(room)
    sessions = session.execute(
        select(ExamSession, Subject, Certificate)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .join(Certificate, Certificate.id == Subject.certificate_id)
        .where(ExamSession.plan_id == plan.id)
        .order_by(ExamSession.starts_at, Certificate.code, Subject.kind.desc())
    ).all()
    checks = []
    for exam, subject, cert in sessions:
        candidates = registered.get(subject.id, 0)
        mine = rooms.get(cert.id, [])
        if not candidates and not mine:
            continue  # a level nobody sits here (the site does not offer it, say)
        capacities = [r.capacity for r in mine]
        checks.append(
            SessionCheck(
                session_uid=exam.uid,
                certificate_code=cert.code,
                certificate_name=cert.name,
                level=cert.level,
                subject_kind=subject.kind,
                subject_name=subject.name,
                starts_at=exam.starts_at,
                ends_at=exam.ends_at,
                candidates=candidates,
                capacity=sum(capacities),
                short_by=short_by(candidates, capacities),
                rooms=tuple(r.name for r in mine),
                split=split(candidates, capacities),
                standard_rooms=standard_rooms_needed(candidates),
            )
        )
    return tuple(checks)


# --- the step's status -----------------------------------------------------------------


def rooms_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 5's status: rooms and their capacity, and each session whose rooms cannot
    seat its registered candidates, and the timetable's clashes."""
    # Imported here: the timetable check itself uses this module's plan lookup.
    from examsite.services.timetable_check import check_timetable_in

    rooms = count_rows(session, Room)
    problems: list[Problem] = []
    plans = session.scalars(
        select(ExamPlan).where(
            ExamPlan.id.in_(select(Room.plan_id)) | ExamPlan.id.in_(select(Registration.plan_id))
        )
    ).all()
    short_sessions = 0
    for plan in plans:
        for check in check_capacity_in(session, plan):
            if check.short_by:
                short_sessions += 1
                problems.append(
                    error(
                        "rooms.session_short",
                        plan=plan.name,
                        certificate=check.certificate_name,
                        subject=check.subject_name,
                        start=f"{check.starts_at:%Y-%m-%d %H:%M}",
                        candidates=check.candidates,
                        capacity=check.capacity,
                        short=check.short_by,
                    )
                )
        problems.extend(clash.problem() for clash in check_timetable_in(session, plan.code))
    capacity = (
        session.scalar(
            select(
                func.coalesce(
                    func.sum(least(Room.seats, func.coalesce(Room.exam_capacity, Room.seats))),
                    0,
                )
            )
        )
        or 0
    )
    figure = (
        notice("rooms.figure", rooms=rooms, capacity=capacity)
        if rooms
        else notice("status.figure_no_rooms")
    )
    summary = {"rooms": rooms, "seats": capacity, "short_sessions": short_sessions}
    return step_status(Step.ROOMS, rooms, summary, problems, figure)
