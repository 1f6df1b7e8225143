"""The site's labs (机房/实训室) and the one-click proposal of a plan's rooms from them.

``propose_rooms`` goes through the plan's certificates that have registrations, in code
order. For each, the seats still needed are the registered candidates (the larger of its
subjects' counts) minus the capacity of the rooms it already has (kept as they are). Labs
are picked with ``domain.rooms.pick_labs`` (largest first, then the smallest lab that holds
the rest) among the labs that are free: not already a room of this certificate, and not a
room of another certificate whose sessions overlap this one's in time (one lab cannot hold
two exams at once). Each picked lab becomes a room named after it, with its seats, exam
capacity and address. When the labs are not enough the proposal says how many candidates
are still without a seat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite.domain.problems import Problem
from examsite.domain.rooms import pick_labs
from examsite.errors import InputError, NotFoundError
from examsite.services.audit import record
from examsite.services.plans import find_plan
from examsite.services.rooms import (
    ACTOR,
    RoomForm,
    add_room_in,
    clean_form,
    form_problems,
    refuse_locked,
    site_for,
)
from examsite.services.sessions import ensure_room_sessions
from examsite.services.tombstones import bury
from examsite.storage.db import Database
from examsite.storage.models import (
    ExamSession,
    Lab,
    Registration,
    RegistrationSubject,
    Room,
    Subject,
)


@dataclass(frozen=True)
class LabInfo:
    uid: str
    name: str
    seats: int
    exam_capacity: int | None
    capacity: int
    province: str
    city: str
    district: str
    address: str

    def plain(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CertificateProposal:
    """What the proposal did for one certificate."""

    certificate_code: str
    certificate_name: str
    level: str
    candidates: int
    capacity_before: int
    added: tuple[str, ...]  # room names made from labs
    capacity_after: int
    short_by: int

    def plain(self) -> dict[str, Any]:
        plain = asdict(self)
        plain["added"] = list(self.added)
        return plain


# --- labs ------------------------------------------------------------------------------


def _capacity(lab: Lab) -> int:
    return lab.seats if lab.exam_capacity is None else min(lab.seats, lab.exam_capacity)


def _info(lab: Lab) -> LabInfo:
    return LabInfo(
        lab.uid,
        lab.name,
        lab.seats,
        lab.exam_capacity,
        _capacity(lab),
        lab.province,
        lab.city,
        lab.district,
        lab.address,
    )


def _plain(lab: Lab) -> dict[str, Any]:
    return {k: v for k, v in asdict(_info(lab)).items() if k not in ("uid", "capacity")}


def list_labs(db: Database) -> tuple[LabInfo, ...]:
    with db.read() as session:
        return list_labs_in(session)


def list_labs_in(session: Session) -> tuple[LabInfo, ...]:
    return tuple(_info(lab) for lab in session.scalars(select(Lab).order_by(Lab.name)))


def _find(session: Session, key: str) -> Lab:
    lab = session.scalar(select(Lab).where((Lab.uid == key) | (Lab.name == key.strip())))
    if lab is None:
        raise NotFoundError("rooms.lab_not_found", lab=key)
    return lab


def _check(session: Session, form: RoomForm, own: int | None) -> None:
    problems: list[Problem] = form_problems(form)
    if problems:
        raise InputError.of(problems[0], problems)
    taken = session.scalar(select(Lab.id).where(Lab.name == form.name, Lab.id != (own or -1)))
    if taken is not None:
        raise InputError("rooms.lab_name_taken", name=form.name)


def add_lab(db: Database, form: RoomForm) -> LabInfo:
    form = clean_form(form)
    with db.unit_of_work() as session:
        _check(session, form, None)
        lab = Lab(site_id=site_for(session).id, **asdict(form))
        session.add(lab)
        session.flush()
        record(session, "create", "lab", lab.uid, None, _plain(lab), ACTOR)
        return _info(lab)


def edit_lab(db: Database, key: str, changes: dict[str, Any]) -> LabInfo:
    with db.unit_of_work() as session:
        lab = _find(session, key)
        before = _plain(lab)
        form = clean_form(replace(RoomForm(**before), **changes))
        _check(session, form, lab.id)
        for name, value in asdict(form).items():
            setattr(lab, name, value)
        session.flush()
        record(session, "update", "lab", lab.uid, before, _plain(lab), ACTOR)
        return _info(lab)


def remove_lab(db: Database, key: str) -> LabInfo:
    """Delete a lab; the rooms made from it stay (they are the plan's, not the lab's)."""
    with db.unit_of_work() as session:
        lab = _find(session, key)
        info = _info(lab)
        record(session, "delete", "lab", lab.uid, _plain(lab), None, ACTOR)
        bury(session, "lab", [lab.uid])
        session.delete(lab)
        return info


# --- the proposal ----------------------------------------------------------------------

Interval = tuple[dt.datetime, dt.datetime]


def _overlap(one: list[Interval], other: list[Interval]) -> bool:
    return any(a < d and c < b for a, b in one for c, d in other)


def propose_rooms(db: Database, plan_code: str) -> tuple[CertificateProposal, ...]:
    with db.unit_of_work() as session:
        return propose_rooms_in(session, plan_code)


def propose_rooms_in(session: Session, plan_code: str) -> tuple[CertificateProposal, ...]:
    plan = find_plan(session, plan_code)
    refuse_locked(plan)
    labs = session.scalars(select(Lab).order_by(Lab.name)).all()
    if not labs:
        raise InputError("rooms.no_labs")
    # Candidates per certificate: the larger of its subjects' records (theory, practical).
    per_subject = session.execute(
        select(Subject.certificate_id, RegistrationSubject.subject_id, func.count())
        .join(Subject, Subject.id == RegistrationSubject.subject_id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .where(Registration.plan_id == plan.id)
        .group_by(Subject.certificate_id, RegistrationSubject.subject_id)
    ).all()
    candidates: dict[int, int] = {}
    for cert_id, _subject, count in per_subject:
        candidates[cert_id] = max(candidates.get(cert_id, 0), count)
    times: dict[int, list[Interval]] = {}
    for cert_id, start, end in session.execute(
        select(Subject.certificate_id, ExamSession.starts_at, ExamSession.ends_at)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .where(ExamSession.plan_id == plan.id)
    ):
        times.setdefault(cert_id, []).append((start, end))
    rooms = session.scalars(select(Room).where(Room.plan_id == plan.id)).all()
    used: dict[str, set[int]] = {}  # lab name -> certificates with a room of that name
    for room in rooms:
        used.setdefault(room.name, set()).add(room.certificate_id)
    results = []
    for cert in plan.certificates:
        need_total = candidates.get(cert.id, 0)
        if not need_total:
            continue
        site = site_for(session, cert)
        mine = [r for r in rooms if r.certificate_id == cert.id]
        before = sum(r.capacity for r in mine)
        free = [
            (lab, _capacity(lab))
            for lab in labs
            if cert.id not in used.get(lab.name, set())
            and not any(
                _overlap(times.get(cert.id, []), times.get(other, []))
                for other in used.get(lab.name, set())
            )
        ]
        picked, short = pick_labs(max(0, need_total - before), free)
        added = []
        for lab in picked:
            form = RoomForm(
                name=lab.name,
                seats=lab.seats,
                exam_capacity=lab.exam_capacity,
                province=lab.province,
                city=lab.city,
                district=lab.district,
                address=lab.address,
            )
            room = add_room_in(session, plan, cert, form, site=site, make_sessions=False)
            used.setdefault(lab.name, set()).add(cert.id)
            added.append(room.name)
        after = before + sum(_capacity(lab) for lab in picked)
        results.append(
            CertificateProposal(
                certificate_code=cert.code,
                certificate_name=cert.name,
                level=cert.level,
                candidates=need_total,
                capacity_before=before,
                added=tuple(added),
                capacity_after=after,
                short_by=max(short, need_total - after, 0),
            )
        )
    ensure_room_sessions(session, plan.id)
    return tuple(results)
