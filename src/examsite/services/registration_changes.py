"""Withdrawing a registration (撤销报考) and changing one, within the registration window.

A withdrawn registration takes its subject records and its seats with it (each seat
logged, so a later look at the arrangement can tell who left); ``set_home_school``
changes the 借考 school of one registration. Both call
``services.registration.ensure_registration_open`` first, like every path that changes
registrations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from examsite.errors import NotFoundError
from examsite.services.audit import AuditEntry, record_many
from examsite.services.plans import find_plan
from examsite.services.registration import (
    ACTOR,
    ensure_registration_open,
    find_certificate,
)
from examsite.services.tombstones import bury
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Registration,
    RegistrationSubject,
    Seat,
)


@dataclass(frozen=True)
class RemoveResult:
    plan_code: str
    certificate_code: str
    removed: tuple[str, ...]  # ID numbers
    seats_removed: int
    not_found: tuple[str, ...]


def remove_in(
    session: Session,
    plan: ExamPlan,
    certificate: Certificate,
    id_numbers: Sequence[str],
    *,
    actor: str = ACTOR,
    now: dt.datetime | None = None,
) -> RemoveResult:
    """Withdraw the registrations of ``id_numbers``: their subject records and seats go
    with them, each logged."""
    ensure_registration_open(plan, now)
    wanted = [n.strip().upper() for n in id_numbers]
    found = dict(
        session.execute(
            select(Candidate.id_number, Registration.id)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .where(
                Registration.plan_id == plan.id,
                Registration.certificate_id == certificate.id,
                Candidate.id_number.in_(wanted),
            )
        ).all()
    )
    ids = list(found.values())
    seats = session.execute(
        select(
            Seat.id, Seat.room_session_id, Seat.seat_number, Registration.id, Candidate.id_number
        )
        .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .where(Registration.id.in_(ids))
    ).all()
    entries = [
        AuditEntry(
            "delete",
            "seat",
            str(seat_id),
            {"id_number": number, "room_session_id": room_session, "seat_number": seat_number},
            None,
            actor,
        )
        for seat_id, room_session, seat_number, _reg, number in seats
    ]
    entries += [
        AuditEntry(
            "delete", "registration", f"{number}/{plan.code}/{certificate.code}", {}, None, actor
        )
        for number in found
    ]
    if ids:
        uids = session.scalars(select(Registration.uid).where(Registration.id.in_(ids)))
        bury(session, "registration", uids)  # the withdrawal travels to the other PCs
        session.execute(delete(Seat).where(Seat.id.in_([s[0] for s in seats])))
        session.execute(
            delete(RegistrationSubject).where(RegistrationSubject.registration_id.in_(ids))
        )
        session.execute(delete(Registration).where(Registration.id.in_(ids)))
        record_many(session, entries)
    missing = tuple(n for n in wanted if n not in found)
    return RemoveResult(plan.code, certificate.code, tuple(found), len(seats), missing)


def remove_registrations(
    db: Database, plan_code: str, certificate_code: str, id_numbers: Sequence[str]
) -> RemoveResult:
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        ensure_registration_open(plan)
        cert = find_certificate(session, plan, certificate_code)
        return remove_in(session, plan, cert, id_numbers)


def set_home_school(
    db: Database, plan_code: str, certificate_code: str, id_number: str, home_school: str
) -> None:
    """Change the home school (借考) of one registration, within the window, logged."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        ensure_registration_open(plan)
        cert = find_certificate(session, plan, certificate_code)
        registration = session.scalars(
            select(Registration)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .where(
                Registration.plan_id == plan.id,
                Registration.certificate_id == cert.id,
                Candidate.id_number == id_number.strip().upper(),
            )
        ).one_or_none()
        if registration is None:
            raise NotFoundError("registration.not_registered", id_number=id_number)
        before = registration.home_school
        registration.home_school = home_school.strip()
        record_many(
            session,
            [
                AuditEntry(
                    "update",
                    "registration",
                    f"{id_number}/{plan.code}/{cert.code}",
                    {"home_school": before},
                    {"home_school": registration.home_school},
                    ACTOR,
                )
            ],
        )
