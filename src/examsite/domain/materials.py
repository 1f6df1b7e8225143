"""The plain data the printed materials (物料) are drawn from: the site, the plan, its
rooms and room sessions with their seats and invigilators, the staff; and the settings a
coordinator can change. ``services.materials_data`` fills it from the database; the
document modules of ``formats.pdf`` draw it (neither knows the other)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class SiteFacts:
    name: str
    code: str
    school: str
    address: str
    director: str
    phone: str
    province: str


@dataclass(frozen=True)
class PlanFacts:
    code: str
    name: str
    org: str
    exam_start: dt.datetime
    exam_end: dt.datetime


@dataclass(frozen=True)
class SeatFacts:
    """A candidate in a seat of a room session."""

    seat: int
    ticket: str
    candidate_id: int  # for ``photos_of``
    name: str
    id_number: str  # in full: the documents mask it where the paper is posted
    gender: str
    kind: str  # school / social, as registered
    class_name: str
    major: str
    school: str  # the candidate's school (借考: their own), "" for a social candidate


@dataclass(frozen=True)
class RoomSessionFacts:
    uid: str
    certificate_code: str
    certificate_name: str
    level: str  # junior / intermediate / senior
    subject_name: str
    subject_kind: str  # theory / practical
    mode: str  # 机考, 实操, …
    starts_at: dt.datetime
    ends_at: dt.datetime
    invigilators: tuple[str, ...]
    seats: tuple[SeatFacts, ...]  # by seat number


@dataclass(frozen=True)
class RoomFacts:
    uid: str
    name: str
    seats: int  # physical
    capacity: int  # usable in the exam
    room_type: str
    address: str  # province + city + district + detail
    sessions: tuple[RoomSessionFacts, ...]  # by start


@dataclass(frozen=True)
class StaffFacts:
    name: str
    roles: tuple[str, ...]  # keys of ``domain.staff_roles``
    department: str
    phone: str


@dataclass(frozen=True)
class MaterialsData:
    site: SiteFacts
    plan: PlanFacts
    rooms: tuple[RoomFacts, ...]  # by name
    staff: tuple[StaffFacts, ...]  # by name

    def room(self, uid: str) -> RoomFacts:
        return next(r for r in self.rooms if r.uid == uid)

    def room_sessions(self) -> Iterator[tuple[RoomFacts, RoomSessionFacts]]:
        """Every room session, by start time then room name."""
        pairs = [(room, rs) for room in self.rooms for rs in room.sessions]
        yield from sorted(pairs, key=lambda p: (p[1].starts_at, p[0].name))

    def rooms_by_name(self) -> dict[str, tuple[RoomFacts, ...]]:
        """The physical rooms, by name: the plan keeps one room row per certificate level,
        so rows that share a name are one room (rows in data order, names sorted)."""
        by_name: dict[str, list[RoomFacts]] = {}
        for room in self.rooms:
            by_name.setdefault(room.name, []).append(room)
        return {name: tuple(rows) for name, rows in sorted(by_name.items())}

    def seated(self) -> int:
        return sum(len(rs.seats) for _room, rs in self.room_sessions())


TicketLayout = Literal["combined", "per_subject"]


@dataclass(frozen=True)
class PrintSettings:
    """What a coordinator may change about the papers.

    ``header``: the line over every document (default: the plan's name);
    ``sign_in_copies``: copies of each sign-in sheet (003: two per session);
    ``labels_per_page``: desk labels on an A4 sheet (8, 10 or 12);
    ``ticket_layout``: theory and practical on one admission ticket, or one ticket each.
    """

    header: str = ""
    sign_in_copies: int = 2
    labels_per_page: int = 8
    ticket_layout: TicketLayout = "combined"
