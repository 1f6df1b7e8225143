"""Exam-day incidents (考场突发情况): record, edit, remove and list them per plan and room
session, each change in the audit log.

An incident is in a room session (named by room name + session UID) or, with neither, in
the whole site. Candidates are named by ID number: each must hold a registration in the
plan and, when a room session is given, a seat in it. A code that concerns candidates (迟到,
违纪/作弊, 换机, 疾病) belongs to a room session: when none is given it is found from the
candidates' seats at the incident's time (refused when that is not one room session).
The rules of each code are ``domain.incidents``; its notices (003's instructions, the
15-minute extension rule) come back with the recorded incident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.attendance import ENTRY_CLOSES_AFTER, ENTRY_OPENS_BEFORE
from examsite.domain.incidents import (
    RULES,
    IncidentCode,
    IncidentFacts,
    Window,
    check_incident,
)
from examsite.domain.problems import Problem, error
from examsite.errors import InputError, NotFoundError
from examsite.messages.incidents import INCIDENT_ALIASES, INCIDENT_TITLES
from examsite.services.audit import record
from examsite.services.own_rooms import ensure_own, only_own
from examsite.services.plans import find_plan
from examsite.services.tombstones import bury
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    ExamPlan,
    ExamSession,
    Incident,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
    Subject,
)

ACTOR = "user"


@dataclass(frozen=True)
class IncidentForm:
    """An incident as the coordinator typed it. ``room`` and ``session_uid`` together name
    the room session ("" and "": the whole site, or found from the candidates)."""

    code: str  # a key of ``IncidentCode`` (``code_of`` reads a Chinese name)
    occurred_at: dt.datetime
    action: str
    room: str = ""
    session_uid: str = ""
    candidates: tuple[str, ...] = ()  # ID numbers
    minutes: int | None = None
    description: str = ""
    recorded_by: str = ""


@dataclass(frozen=True)
class CandidateRef:
    id_number: str
    name: str
    ticket: str
    seat: int | None  # in the incident's room session


@dataclass(frozen=True)
class IncidentRow:
    uid: str
    plan_code: str
    code: str
    occurred_at: dt.datetime
    room: str  # "" for the whole site
    room_session_uid: str
    session_uid: str
    subject_name: str
    session_start: dt.datetime | None
    candidates: tuple[CandidateRef, ...]
    description: str
    action: str
    minutes: int | None
    recorded_by: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def title(self) -> str:
        return INCIDENT_TITLES.get(self.code, self.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "plan": self.plan_code,
            "code": self.code,
            "title": self.title,
            "time": self.occurred_at.isoformat(timespec="minutes"),
            "room": self.room,
            "room_session": self.room_session_uid,
            "session": self.session_uid,
            "subject": self.subject_name,
            "session_start": (
                self.session_start.isoformat(timespec="minutes") if self.session_start else None
            ),
            "candidates": [
                {"id_number": c.id_number, "name": c.name, "ticket": c.ticket, "seat": c.seat}
                for c in self.candidates
            ],
            "description": self.description,
            "action": self.action,
            "minutes": self.minutes,
            "recorded_by": self.recorded_by,
        }


@dataclass(frozen=True)
class IncidentResult:
    incident: IncidentRow
    notices: tuple[Problem, ...]  # warnings and notices of the recorded incident


@dataclass(frozen=True)
class RoomSessionChoice:
    """A room session an incident can be recorded in (for the form's list)."""

    room: str
    session_uid: str
    room_session_uid: str
    subject_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime


def code_of(text: str) -> str | None:
    """The code a coordinator means by ``text``: its key, its Chinese name or an alias."""
    value = text.strip()
    if value in INCIDENT_TITLES:
        return value
    by_title = {title: key for key, title in INCIDENT_TITLES.items()}
    return by_title.get(value) or INCIDENT_ALIASES.get(value)


# --- the wrappers ----------------------------------------------------------------------


def add_incident(db: Database, plan_code: str, form: IncidentForm) -> IncidentResult:
    with db.unit_of_work() as session:
        return add_incident_in(session, plan_code, form)


def edit_incident(db: Database, plan_code: str, uid: str, form: IncidentForm) -> IncidentResult:
    with db.unit_of_work() as session:
        return edit_incident_in(session, plan_code, uid, form)


def remove_incident(db: Database, plan_code: str, uid: str) -> IncidentRow:
    with db.unit_of_work() as session:
        return remove_incident_in(session, plan_code, uid)


def list_incidents(
    db: Database, plan_code: str, room: str = "", session_uid: str = ""
) -> tuple[IncidentRow, ...]:
    with db.read() as session:
        return list_incidents_in(session, plan_code, room, session_uid)


def incident_form_of(db: Database, plan_code: str, uid: str) -> IncidentForm:
    """The form that would record incident ``uid`` again (for an edit)."""
    with db.read() as session:
        plan = find_plan(session, plan_code)
        row = _row(session, plan, _find(session, plan, uid))
    return IncidentForm(
        row.code,
        row.occurred_at,
        row.action,
        row.room,
        row.session_uid,
        tuple(c.id_number for c in row.candidates),
        row.minutes,
        row.description,
        row.recorded_by,
    )


def room_session_choices(db: Database, plan_code: str) -> tuple[RoomSessionChoice, ...]:
    with db.read() as session:
        return room_session_choices_in(session, plan_code)


def incident_day(db: Database, plan_code: str, session_uid: str = "") -> dt.date:
    """The day a time typed without a date ("09:40") is on: the session's, else today
    when it is an exam day of the plan, else the plan's first exam day."""
    today = clock.now().date()
    with db.read() as session:
        plan = find_plan(session, plan_code)
        if session_uid.strip():
            return _exam_session(session, plan, session_uid).starts_at.date()
        days = _exam_days(session, plan)
    return today if today in days or not days else days[0]


def seated_candidates(
    db: Database, plan_code: str, room_session_uid: str
) -> tuple[CandidateRef, ...]:
    """Who sits in a room session, by seat (for the form's candidate list)."""
    with db.read() as session:
        plan = find_plan(session, plan_code)
        rows = session.execute(
            select(
                Candidate.id_number, Candidate.name, Registration.ticket_number, Seat.seat_number
            )
            .join(Registration, Registration.candidate_id == Candidate.id)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Seat, Seat.registration_subject_id == RegistrationSubject.id)
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .where(Registration.plan_id == plan.id, RoomSession.uid == room_session_uid)
            .order_by(Seat.seat_number)
        ).all()
    return tuple(CandidateRef(i, n, t or "", seat) for i, n, t, seat in rows)


# --- the cores -------------------------------------------------------------------------


def add_incident_in(session: Session, plan_code: str, form: IncidentForm) -> IncidentResult:
    plan = find_plan(session, plan_code)
    room_session, ids, notices = _checked(session, plan, form)
    _ensure_own(session, room_session, form.room)
    incident = Incident(plan_id=plan.id)
    _fill(incident, form, room_session, ids)
    session.add(incident)
    session.flush()
    row = _row(session, plan, incident)
    record(session, "create", "incident", incident.uid, None, row.as_dict(), ACTOR)
    return IncidentResult(row, notices)


def edit_incident_in(
    session: Session, plan_code: str, uid: str, form: IncidentForm
) -> IncidentResult:
    plan = find_plan(session, plan_code)
    incident = _find(session, plan, uid)
    shown = _row(session, plan, incident)
    ensure_own(session, _uids(shown.room_session_uid), shown.room)
    before = shown.as_dict()
    room_session, ids, notices = _checked(session, plan, form)
    _ensure_own(session, room_session, form.room)
    _fill(incident, form, room_session, ids)
    incident.updated_at = clock.now()
    session.flush()
    row = _row(session, plan, incident)
    record(session, "update", "incident", incident.uid, before, row.as_dict(), ACTOR)
    return IncidentResult(row, notices)


def remove_incident_in(session: Session, plan_code: str, uid: str) -> IncidentRow:
    plan = find_plan(session, plan_code)
    incident = _find(session, plan, uid)
    row = _row(session, plan, incident)
    ensure_own(session, _uids(row.room_session_uid), row.room)
    session.delete(incident)
    bury(session, "incident", [incident.uid])  # the removal travels in a transfer bundle
    record(session, "delete", "incident", incident.uid, row.as_dict(), None, ACTOR)
    return row


def list_incidents_in(
    session: Session, plan_code: str, room: str = "", session_uid: str = ""
) -> tuple[IncidentRow, ...]:
    """The plan's incidents by time; only one room session's (with room and session), one
    room's, or one session's when those are given."""
    plan = find_plan(session, plan_code)
    query = select(Incident).where(Incident.plan_id == plan.id)
    if room or session_uid:
        ids = select(RoomSession.id).join(Room, Room.id == RoomSession.room_id)
        ids = ids.where(Room.plan_id == plan.id)
        if room:
            ids = ids.where(Room.name == room.strip())
        if session_uid:
            ids = ids.where(RoomSession.session_id == _exam_session(session, plan, session_uid).id)
        query = query.where(Incident.room_session_id.in_(ids))
    incidents = session.scalars(query.order_by(Incident.occurred_at, Incident.id)).all()
    rows = [_row(session, plan, i) for i in incidents]
    return tuple(only_own(session, rows, lambda r: (r.room_session_uid,)))


def room_session_choices_in(session: Session, plan_code: str) -> tuple[RoomSessionChoice, ...]:
    plan = find_plan(session, plan_code)
    rows = session.execute(
        select(Room.name, ExamSession.uid, RoomSession.uid, Subject.name, ExamSession)
        .join(RoomSession, RoomSession.room_id == Room.id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .where(Room.plan_id == plan.id)
        .order_by(ExamSession.starts_at, Room.name)
    ).all()
    choices = [
        RoomSessionChoice(room, s_uid, rs_uid, subject, exam.starts_at, exam.ends_at)
        for room, s_uid, rs_uid, subject, exam in rows
    ]
    return tuple(only_own(session, choices, lambda c: (c.room_session_uid,)))


# --- checking --------------------------------------------------------------------------


def _ensure_own(session: Session, room_session: RoomSession | None, room: str) -> None:
    ensure_own(session, _uids(room_session.uid if room_session is not None else ""), room)


def _uids(room_session_uid: str) -> tuple[str, ...]:
    return (room_session_uid,) if room_session_uid else ()


def _checked(
    session: Session, plan: ExamPlan, form: IncidentForm
) -> tuple[RoomSession | None, tuple[str, ...], tuple[Problem, ...]]:
    """The room session and the normalised ID numbers of a valid form, and its notices;
    ``InputError`` with every problem otherwise."""
    code_key = code_of(form.code)
    if code_key is None:
        known = "、".join(f"{t}（{k}）" for k, t in INCIDENT_TITLES.items())
        raise InputError("incident.unknown_code", code=form.code, known=known)
    code = IncidentCode(code_key)
    room_session = _room_session(session, plan, form.room, form.session_uid)
    ids = tuple(dict.fromkeys(_normal_id(i) for i in form.candidates if i.strip()))
    problems: list[Problem] = []
    seats = _candidate_problems(session, plan, ids, room_session, problems)
    if room_session is None and RULES[code].candidates and ids and not problems:
        room_session = _inferred(session, seats, form.occurred_at)
        if room_session is None:
            problems.append(error("incident.room_needed", column="考场"))
    window = None
    if room_session is not None:
        exam = room_session.exam_session
        window = Window(exam.starts_at, exam.ends_at)
    facts = IncidentFacts(
        code, form.occurred_at, form.action, len(ids), form.minutes, form.description
    )
    problems.extend(
        check_incident(facts, now=clock.now(), window=window, exam_days=_exam_days(session, plan))
    )
    errors = [p for p in problems if p.is_error]
    if errors:
        raise InputError("incident.refused", problems=errors, count=len(errors))
    return room_session, ids, tuple(p for p in problems if not p.is_error)


def _candidate_problems(
    session: Session,
    plan: ExamPlan,
    ids: Sequence[str],
    room_session: RoomSession | None,
    problems: list[Problem],
) -> dict[str, list[RoomSession]]:
    """Each ID number's room sessions in the plan; a problem for one not in the plan, or
    not in ``room_session`` when given."""
    if not ids:
        return {}
    found: dict[str, list[RoomSession]] = {}
    names: dict[str, str] = {}
    for id_number, name in session.execute(
        select(Candidate.id_number, Candidate.name)
        .join(Registration, Registration.candidate_id == Candidate.id)
        .where(Registration.plan_id == plan.id, Candidate.id_number.in_(ids))
    ):
        found.setdefault(id_number, [])
        names[id_number] = name
    for id_number, rs in session.execute(
        select(Candidate.id_number, RoomSession)
        .join(Registration, Registration.candidate_id == Candidate.id)
        .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
        .join(Seat, Seat.registration_subject_id == RegistrationSubject.id)
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .where(Registration.plan_id == plan.id, Candidate.id_number.in_(ids))
    ):
        found[id_number].append(rs)
    for id_number in ids:
        if id_number not in found:
            problems.append(
                error("incident.candidate_not_in_plan", column="涉及考生", id_number=id_number)
            )
        elif room_session is not None and room_session not in found[id_number]:
            problems.append(
                error(
                    "incident.candidate_not_in_room",
                    column="涉及考生",
                    id_number=id_number,
                    name=names[id_number],
                    room=room_session.room.name,
                )
            )
    return found


def _inferred(
    session: Session, seats: dict[str, list[RoomSession]], at: dt.datetime
) -> RoomSession | None:
    """The one room session every candidate sits in at ``at`` (None when none or several):
    for each candidate, of their room sessions from entry (30 minutes before the start) to
    30 minutes after the end, the one nearest ``at`` (the later one on a tie)."""
    chosen: dict[int, RoomSession] = {}
    for room_sessions in seats.values():
        near = [
            (_distance(rs.exam_session, at), -rs.exam_session.starts_at.timestamp(), rs.id, rs)
            for rs in room_sessions
            if rs.exam_session.starts_at - ENTRY_OPENS_BEFORE
            <= at
            <= rs.exam_session.ends_at + ENTRY_CLOSES_AFTER
        ]
        if not near:
            return None
        best = min(near, key=lambda n: n[:3])[3]
        chosen[best.id] = best
    return next(iter(chosen.values())) if len(chosen) == 1 else None


def _distance(exam: ExamSession, at: dt.datetime) -> float:
    """How far ``at`` lies outside the session's start and end (0 inside)."""
    if at < exam.starts_at:
        return (exam.starts_at - at).total_seconds()
    return max(0.0, (at - exam.ends_at).total_seconds())


def _room_session(
    session: Session, plan: ExamPlan, room: str, session_uid: str
) -> RoomSession | None:
    room, session_uid = room.strip(), session_uid.strip()
    if not room and not session_uid:
        return None
    if not room or not session_uid:
        raise InputError("incident.room_and_session")
    exam = _exam_session(session, plan, session_uid)
    if session.scalar(select(Room.id).where(Room.plan_id == plan.id, Room.name == room)) is None:
        raise NotFoundError("incident.room_not_found", room=room)
    found = session.scalar(
        select(RoomSession)
        .join(Room, Room.id == RoomSession.room_id)
        .where(Room.plan_id == plan.id, Room.name == room, RoomSession.session_id == exam.id)
    )
    if found is None:
        raise NotFoundError("incident.room_not_in_session", room=room)
    return found


def _exam_session(session: Session, plan: ExamPlan, uid: str) -> ExamSession:
    """The plan's session whose UID is ``uid`` (or starts with it, when only one does)."""
    uid = uid.strip()
    matches = session.scalars(
        select(ExamSession).where(ExamSession.plan_id == plan.id, ExamSession.uid.startswith(uid))
    ).all()
    exact = [s for s in matches if s.uid == uid]
    if exact:
        return exact[0]
    if len(uid) >= 6 and len(matches) == 1:
        return matches[0]
    raise NotFoundError("incident.session_not_found", uid=uid)


def _exam_days(session: Session, plan: ExamPlan) -> list[dt.date]:
    return sorted(
        {
            start.date()
            for start in session.scalars(
                select(ExamSession.starts_at).where(ExamSession.plan_id == plan.id)
            )
        }
    )


def _normal_id(text: str) -> str:
    return text.strip().upper()


# --- storing and reading ---------------------------------------------------------------


def _fill(
    incident: Incident, form: IncidentForm, room_session: RoomSession | None, ids: tuple[str, ...]
) -> None:
    code = code_of(form.code)
    incident.code = code or form.code
    incident.room_session_id = room_session.id if room_session is not None else None
    incident.occurred_at = form.occurred_at.replace(second=0, microsecond=0)
    incident.candidates = list(ids)
    incident.description = form.description.strip()
    incident.action_taken = form.action.strip()
    incident.extension_minutes = form.minutes if code == IncidentCode.EXTENSION else None
    incident.recorded_by = form.recorded_by.strip()


def _find(session: Session, plan: ExamPlan, uid: str) -> Incident:
    uid = uid.strip()
    matches = session.scalars(
        select(Incident).where(Incident.plan_id == plan.id, Incident.uid.startswith(uid))
    ).all()
    exact = [i for i in matches if i.uid == uid]
    if exact:
        return exact[0]
    if uid and len(uid) >= 6 and len(matches) == 1:
        return matches[0]
    raise NotFoundError("incident.not_found", uid=uid)


def _row(session: Session, plan: ExamPlan, incident: Incident) -> IncidentRow:
    room = ""
    rs_uid = s_uid = subject = ""
    start: dt.datetime | None = None
    rs = session.get(RoomSession, incident.room_session_id) if incident.room_session_id else None
    if rs is not None:
        room, rs_uid = rs.room.name, rs.uid
        exam = rs.exam_session
        s_uid, subject, start = exam.uid, exam.subject.name, exam.starts_at
    return IncidentRow(
        incident.uid,
        plan.code,
        incident.code,
        incident.occurred_at,
        room,
        rs_uid,
        s_uid,
        subject,
        start,
        _refs(session, plan, list(incident.candidates), rs),
        incident.description,
        incident.action_taken,
        incident.extension_minutes,
        incident.recorded_by,
        incident.created_at,
        incident.updated_at,
    )


def _refs(
    session: Session, plan: ExamPlan, ids: list[str], rs: RoomSession | None
) -> tuple[CandidateRef, ...]:
    if not ids:
        return ()
    known: dict[str, CandidateRef] = {}
    for id_number, name, ticket, reg_id in session.execute(
        select(Candidate.id_number, Candidate.name, Registration.ticket_number, Registration.id)
        .join(Registration, Registration.candidate_id == Candidate.id)
        .where(Registration.plan_id == plan.id, Candidate.id_number.in_(ids))
        .order_by(Registration.id)
    ):
        seat = None
        if rs is not None:
            seat = session.scalar(
                select(Seat.seat_number)
                .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
                .where(RegistrationSubject.registration_id == reg_id, Seat.room_session_id == rs.id)
            )
        old = known.get(id_number)
        if old is None or (old.seat is None and seat is not None):
            known[id_number] = CandidateRef(id_number, name, ticket or "", seat)
    # a candidate withdrawn since keeps their ID number on the record
    return tuple(known.get(i, CandidateRef(i, "", "", None)) for i in ids)
