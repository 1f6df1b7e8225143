"""Deletions that travel in the transfer bundle (``Tombstone``: entity, stable key,
deleted_at).

A service that deletes a record the bundle carries calls ``bury`` in the same unit of
work, with the record's stable key as ``services.transfer_records`` keys it: a
registration's, room's, staff's, lab's or incident's uid, a candidate's ID number, a
seat's or an attendance's ``<registration uid>|<certificate>:<kind>`` (``seat_keys``), an
invigilator duty's ``<room session uid>|<staff uid>`` (``assignment_keys``). Keys of
records made again later (a re-run arrangement) are harmless: an export leaves out the
tombstones of records that exist.
An export carries the tombstones of records that are still gone; a merge
(``services.transfer``) deletes the local record unless it changed here after the
deletion (a conflict), and does not bring back a record whose local tombstone is newer
than the record's last change.

``deleted_at`` is ``clock.now()`` of the PC that deleted the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.storage.models import (
    Attendance,
    Candidate,
    Certificate,
    Incident,
    InvigilatorAssignment,
    Lab,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Seat,
    Staff,
    Subject,
    Tombstone,
)
from examsite.storage.sql import insert_for

#: The kinds of record whose deletion travels, in the order they are deleted on merge
#: (what refers to a record goes before it).
TOMBSTONED: tuple[str, ...] = (
    "attendance",
    "incident",
    "seat",
    "assignment",
    "registration",
    "room",
    "candidate",
    "staff",
    "lab",
)

Buried = dict[str, dict[str, str]]  # entity → key → deleted_at (ISO text)


def bury(session: Session, entity: str, keys: Iterable[str], at: dt.datetime | None = None) -> None:
    """Record that the ``entity`` records with these keys were deleted (at ``at``, or
    now); a later deletion of the same key moves its time on."""
    if entity not in TOMBSTONED:
        raise ValueError(f"deletions of {entity!r} do not travel")
    moment = at or clock.now()
    rows = [{"entity": entity, "key": key, "deleted_at": moment} for key in dict.fromkeys(keys)]
    for start in range(0, len(rows), 500):
        statement = insert_for(session)(Tombstone).values(rows[start : start + 500])
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["entity", "key"],
                set_={"deleted_at": statement.excluded.deleted_at},
                where=Tombstone.deleted_at < statement.excluded.deleted_at,
            )
        )


def unbury(session: Session, entity: str, keys: Iterable[str]) -> None:
    """The records are back (a merge re-added them): their tombstones go."""
    wanted = list(keys)
    for start in range(0, len(wanted), 500):
        session.execute(
            delete(Tombstone).where(
                Tombstone.entity == entity, Tombstone.key.in_(wanted[start : start + 500])
            )
        )


def seat_keys(session: Session, registration_subject_ids: Iterable[int]) -> list[str]:
    """The stable keys of the seats (and attendance) of these registration subjects."""
    ids = list(registration_subject_ids)
    query = _subject_key_query()
    keys: list[str] = []
    for start in range(0, len(ids), 500):
        chunk = query.where(RegistrationSubject.id.in_(ids[start : start + 500]))
        keys += [f"{uid}|{code}:{kind}" for uid, code, kind in session.execute(chunk)]
    return keys


def assignment_keys(session: Session, assignment_ids: Iterable[int]) -> list[str]:
    """The stable keys (``<room session uid>|<staff uid>``) of these invigilator duties."""
    ids = list(assignment_ids)
    query = (
        select(RoomSession.uid, Staff.uid)
        .select_from(InvigilatorAssignment)
        .join(RoomSession, RoomSession.id == InvigilatorAssignment.room_session_id)
        .join(Staff, Staff.id == InvigilatorAssignment.staff_id)
    )
    keys: list[str] = []
    for start in range(0, len(ids), 500):
        chunk = query.where(InvigilatorAssignment.id.in_(ids[start : start + 500]))
        keys += [f"{room_session}|{staff}" for room_session, staff in session.execute(chunk)]
    return keys


def buried(session: Session) -> Buried:
    """Every tombstone of this database."""
    out: Buried = {}
    for entity, key, at in session.execute(
        select(Tombstone.entity, Tombstone.key, Tombstone.deleted_at)
    ):
        out.setdefault(entity, {})[key] = at.isoformat()
    return out


def _subject_key_query(source: Any = None, link: Any = None) -> Any:
    """``<registration uid>, <certificate code>, <subject kind>`` of registration subjects
    (or of rows of ``source`` joined to theirs by ``link``)."""
    query = select(Registration.uid, Certificate.code, Subject.kind)
    if source is None:
        query = query.select_from(RegistrationSubject)
    else:
        query = query.select_from(source).join(RegistrationSubject, link)
    return (
        query.join(Registration, Registration.id == RegistrationSubject.registration_id)
        .join(Subject, Subject.id == RegistrationSubject.subject_id)
        .join(Certificate, Certificate.id == Subject.certificate_id)
    )


def _live(session: Session, entity: str, keys: list[str]) -> set[str]:
    """Which of these keys name a record that exists (again) in this database."""
    found: set[str] = set()
    if entity in ("seat", "attendance"):
        query = _subject_key_query(Seat, RegistrationSubject.id == Seat.registration_subject_id)
        if entity == "attendance":
            query = query.join(Attendance, Attendance.seat_id == Seat.id)
        uids = sorted({k.partition("|")[0] for k in keys})
        for start in range(0, len(uids), 500):
            chunk = query.where(Registration.uid.in_(uids[start : start + 500]))
            found |= {f"{u}|{c}:{k}" for u, c, k in session.execute(chunk)}
        return found & set(keys)
    if entity == "assignment":
        query = (
            select(RoomSession.uid, Staff.uid)
            .select_from(InvigilatorAssignment)
            .join(RoomSession, RoomSession.id == InvigilatorAssignment.room_session_id)
            .join(Staff, Staff.id == InvigilatorAssignment.staff_id)
        )
        uids = sorted({k.partition("|")[0] for k in keys})
        for start in range(0, len(uids), 500):
            chunk = query.where(RoomSession.uid.in_(uids[start : start + 500]))
            found |= {f"{r}|{s}" for r, s in session.execute(chunk)}
        return found & set(keys)
    column = {
        "registration": Registration.uid,
        "room": Room.uid,
        "candidate": Candidate.id_number,
        "staff": Staff.uid,
        "lab": Lab.uid,
        "incident": Incident.uid,
    }[entity]
    for start in range(0, len(keys), 500):
        found |= set(session.scalars(select(column).where(column.in_(keys[start : start + 500]))))
    return found


def to_export(session: Session) -> Buried:
    """The tombstones a bundle carries: those whose record is still gone."""
    out: Buried = {}
    for entity, stones in buried(session).items():
        live = _live(session, entity, list(stones))
        kept = {key: at for key, at in stones.items() if key not in live}
        if kept:
            out[entity] = kept
    return out


def parse(value: object) -> Buried:
    """The bundle's tombstones, checked for shape (``ValueError`` when wrong)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError("tombstones")
    out: Buried = {}
    for entity, stones in value.items():
        if entity not in TOMBSTONED or not isinstance(stones, Mapping):
            raise ValueError(f"tombstones {entity}")
        for key, at in stones.items():
            dt.datetime.fromisoformat(str(at))
            out.setdefault(str(entity), {})[str(key)] = str(at)
    return out


def merge_into(session: Session, stones: Buried) -> None:
    """Keep these tombstones here too (the later deletion time of each key wins)."""
    for entity, by_key in stones.items():
        for at, keys in _by_time(by_key).items():
            bury(session, entity, keys, dt.datetime.fromisoformat(at))


def _by_time(by_key: Mapping[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for key, at in by_key.items():
        groups.setdefault(at, []).append(key)
    return groups
