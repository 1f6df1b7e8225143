"""Step 6, staff and invigilators (监考): the staff roster, the site team, the duty cap.

The roster is kept here (``list_staff``, ``save_staff``, ``remove_staff``); who
invigilates where is ``services.invigilation``. The site-team check of 002 (at least five,
each post filled; ``domain.staff_roles``) is used by this step's status and by the site
checklist (``services.site``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice
from examsite.domain.site_standard import team_gaps
from examsite.domain.staff_roles import Role, TeamCheck, check_team, read_roles
from examsite.domain.workflow import Step
from examsite.errors import InputError, NotFoundError
from examsite.services.audit import record
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.services.tombstones import bury
from examsite.storage.db import Database, count_rows
from examsite.storage.models import (
    Certificate,
    InvigilatorAssignment,
    Room,
    RoomSession,
    Seat,
    Setting,
    Site,
    Staff,
)

ACTOR = "user"
#: The ``Setting`` key of the site-wide duty cap (sessions a person a day).
DUTY_CAP_KEY = "staff.daily_duty_cap"
#: A day holds four sessions at most (two mornings, two afternoons); three duties leave
#: each invigilator one session's rest. The coordinator changes it with ``set_duty_cap``.
DEFAULT_DUTY_CAP = 3
MAX_DUTY_CAP = 12
_PHONE = re.compile(r"^1\d{10}$")

#: Kept for callers of the first version: 002's "不少于 5 人".
MIN_STAFF_TEAM = 5


@dataclass(frozen=True)
class Major:
    code: str
    name: str


@dataclass(frozen=True)
class StaffInfo:
    """One member of staff as the page and the CLI show them."""

    uid: str
    name: str
    phone: str
    department: str
    roles: tuple[str, ...]
    majors: tuple[Major, ...]
    classes: tuple[str, ...]
    certified: bool
    daily_duty_cap: int | None  # None: the site's default
    duties: int  # invigilation assignments, all plans


@dataclass(frozen=True)
class StaffInput:
    """What the form and ``staff add/edit`` give for one person."""

    name: str
    phone: str = ""
    department: str = ""
    roles: tuple[str, ...] = (Role.INVIGILATOR.value,)
    majors: tuple[Major, ...] = ()
    classes: tuple[str, ...] = ()
    certified: bool = False
    daily_duty_cap: int | None = None


@dataclass(frozen=True)
class Roster:
    staff: tuple[StaffInfo, ...]
    team: TeamCheck
    team_problems: tuple[Problem, ...]
    duty_cap: int


# --- reading ---------------------------------------------------------------------------


def list_staff(db: Database) -> Roster:
    with db.read() as session:
        return roster_in(session)


def roster_in(session: Session) -> Roster:
    duties = dict(
        session.execute(
            select(InvigilatorAssignment.staff_id, func.count()).group_by(
                InvigilatorAssignment.staff_id
            )
        ).all()
    )
    people = session.scalars(select(Staff).order_by(Staff.name, Staff.id)).all()
    infos = tuple(_info(p, duties.get(p.id, 0)) for p in people)
    team = check_team([p.roles for p in people])
    return Roster(infos, team, team_problems(team), duty_cap_in(session))


def team_in(session: Session) -> TeamCheck:
    """The site team's check from the roster (for the site checklist)."""
    return check_team(list(session.scalars(select(Staff.roles))))


def team_problems(team: TeamCheck) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    if not team.big_enough:
        problems.append(error("status.staff_team_small", count=team.size, minimum=team.minimum))
    return (*problems, *team_gaps(team))


def _info(person: Staff, duties: int) -> StaffInfo:
    return StaffInfo(
        uid=person.uid,
        name=person.name,
        phone=person.phone,
        department=person.department,
        roles=tuple(r.value for r in read_roles(person.roles)),
        majors=tuple(
            Major(str(m.get("code", "")), str(m.get("name", "")))
            for m in person.majors_taught
            if isinstance(m, dict)
        ),
        classes=tuple(str(c) for c in person.classes_taught),
        certified=person.certified,
        daily_duty_cap=person.daily_duty_cap,
        duties=duties,
    )


def find_staff(session: Session, name_or_uid: str) -> Staff:
    """The member of staff with this uid or name (a name must be unique)."""
    text = name_or_uid.strip()
    found = session.scalars(
        select(Staff).where(or_(Staff.uid == text, Staff.name == text)).order_by(Staff.id)
    ).all()
    if not found:
        raise NotFoundError("staff.not_found", staff=text)
    if len(found) > 1:
        raise InputError("staff.name_ambiguous", staff=text, count=len(found))
    return found[0]


# --- the roster's changes --------------------------------------------------------------


def save_staff(db: Database, values: StaffInput, uid: str | None = None) -> StaffInfo:
    """Add a member of staff (``uid`` None) or change one."""
    with db.unit_of_work() as session:
        return save_staff_in(session, values, uid)


def save_staff_in(session: Session, values: StaffInput, uid: str | None = None) -> StaffInfo:
    problems = check_staff(values)
    person = None if uid is None else find_staff(session, uid)
    name = values.name.strip()
    twin = session.scalar(
        select(Staff.id).where(Staff.name == name, Staff.id != (person.id if person else -1))
    )
    if twin is not None:
        problems.append(error("staff.duplicate_name", column="name", name=name))
    if problems:
        raise InputError("staff.refused", problems=problems)
    before = None if person is None else _plain(person)
    if person is None:
        school_id = session.scalar(select(Site.school_id).order_by(Site.id))
        person = Staff(school_id=school_id)
        session.add(person)
    person.name = name
    person.phone = values.phone.strip()
    person.department = values.department.strip()
    person.roles = [r.value for r in read_roles(values.roles)]
    person.majors_taught = [{"code": m.code, "name": m.name} for m in values.majors]
    person.classes_taught = [c.strip() for c in values.classes if c.strip()]
    person.certified = values.certified
    person.daily_duty_cap = values.daily_duty_cap
    session.flush()
    action = "create" if before is None else "update"
    record(session, action, "staff", person.uid, before, _plain(person), ACTOR)
    duties = session.scalar(select(func.count()).where(InvigilatorAssignment.staff_id == person.id))
    return _info(person, duties or 0)


def check_staff(values: StaffInput) -> list[Problem]:
    problems: list[Problem] = []
    if not values.name.strip():
        problems.append(error("staff.name_empty", column="name"))
    phone = values.phone.strip()
    if phone and not _PHONE.match(phone):
        problems.append(error("staff.bad_phone", column="phone", phone=phone))
    unknown = [r for r in values.roles if not read_roles([r])]
    if unknown:
        problems.append(error("staff.unknown_role", column="roles", role="、".join(unknown)))
    elif not values.roles:
        problems.append(error("staff.no_role", column="roles"))
    cap = values.daily_duty_cap
    if cap is not None and not 1 <= cap <= MAX_DUTY_CAP:
        problems.append(error("staff.bad_cap", column="cap", cap=cap, maximum=MAX_DUTY_CAP))
    for major in values.majors:
        if not (major.code.strip() or major.name.strip()):
            problems.append(error("staff.empty_major", column="majors"))
            break
    return problems


def remove_staff(db: Database, name_or_uid: str) -> StaffInfo:
    """Remove a member of staff who has no invigilation assignment."""
    with db.unit_of_work() as session:
        person = find_staff(session, name_or_uid)
        duties = session.scalar(
            select(func.count()).where(InvigilatorAssignment.staff_id == person.id)
        )
        if duties:
            raise InputError("staff.has_assignments", staff=person.name, count=duties)
        info = _info(person, 0)
        record(session, "delete", "staff", person.uid, _plain(person), None, ACTOR)
        bury(session, "staff", [person.uid])
        session.delete(person)
        return info


def _plain(person: Staff) -> dict[str, object]:
    return {
        "name": person.name,
        "phone": person.phone,
        "department": person.department,
        "roles": list(person.roles),
        "majors_taught": list(person.majors_taught),
        "classes_taught": list(person.classes_taught),
        "certified": person.certified,
        "daily_duty_cap": person.daily_duty_cap,
    }


# --- the duty cap ----------------------------------------------------------------------


def duty_cap_in(session: Session) -> int:
    """The site-wide duty cap (sessions a person a day)."""
    stored = session.get(Setting, DUTY_CAP_KEY)
    if stored is not None and stored.value.strip().isdigit():
        return int(stored.value)
    return DEFAULT_DUTY_CAP


def set_duty_cap(db: Database, cap: int) -> int:
    if not 1 <= cap <= MAX_DUTY_CAP:
        raise InputError("staff.bad_cap", cap=cap, maximum=MAX_DUTY_CAP)
    with db.unit_of_work() as session:
        before = duty_cap_in(session)
        stored = session.get(Setting, DUTY_CAP_KEY)
        if stored is None:
            session.add(Setting(key=DUTY_CAP_KEY, value=str(cap)))
        else:
            stored.value = str(cap)
        record(session, "update", "setting", DUTY_CAP_KEY, {"cap": before}, {"cap": cap}, ACTOR)
    return cap


# --- the step's status -----------------------------------------------------------------


def staff_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 6's status: the site team, room sessions short of invigilators, assignments
    that break a rule (after the arrangement placed other candidates there)."""
    from examsite.services.invigilation import plan_overviews_in

    staff = count_rows(session, Staff)
    assignments = count_rows(session, InvigilatorAssignment)
    problems: list[Problem] = []
    if staff:
        problems.extend(team_problems(team_in(session)))
    short = breaking = 0
    for overview in plan_overviews_in(session):
        short += overview.short
        breaking += overview.breaking
    if assignments and short:
        problems.append(error("status.rooms_short_of_invigilators", count=short))
    if breaking:
        problems.append(error("staff.assignments_break_rules", count=breaking))
    figure = (
        notice("status.figure_assignments", count=assignments)
        if assignments
        else notice("status.figure_no_assignments", staff=staff)
    )
    summary = {
        "staff": staff,
        "assignments": assignments,
        "room_sessions_short": short,
        "breaking_rules": breaking,
    }
    return step_status(Step.STAFF, assignments, summary, problems, figure)


def room_sessions_short_of_invigilators(session: Session) -> list[tuple[int, int, int]]:
    """Each seated room session with fewer invigilators than its certificate's rule asks
    for the candidates seated there: ``(room session id, assigned, required)``."""
    assigned = dict(
        session.execute(
            select(InvigilatorAssignment.room_session_id, func.count()).group_by(
                InvigilatorAssignment.room_session_id
            )
        ).all()
    )
    seated = dict(
        session.execute(
            select(Seat.room_session_id, func.count()).group_by(Seat.room_session_id)
        ).all()
    )
    rows = session.execute(
        select(RoomSession.id, Certificate.invigilator_rule)
        .join(Room, Room.id == RoomSession.room_id)
        .join(Certificate, Certificate.id == Room.certificate_id)
    ).all()
    short = []
    for room_session_id, rule in rows:
        count = seated.get(room_session_id, 0)
        required = rule.required(count) if count else 0
        if assigned.get(room_session_id, 0) < required:
            short.append((room_session_id, assigned.get(room_session_id, 0), required))
    return short
