"""Check-in at the door (考试签到, step 10): a scan, and the doors and lists it reads.

``scan`` takes what the scanner typed (the ticket's QR code, a ticket number or an ID
number) at a door (a room session, ``services.checkin_data.Door``) and answers with a
``ScanResult``: the candidate as the invigilator must see them (photo, name, masked ID,
ticket, room, seat) and a verdict. It checks in only a candidate seated behind that door,
within the entry time of 003's timeline; it refuses plainly — with where they should be —
a candidate of another room or another session, one already checked in, one unknown, and
one who comes too early. One who comes more than 30 minutes after the start is refused
and recorded (迟到禁入). Nothing is ever checked in silently.

Marks by hand, and the writing of every change, are ``services.checkin_marks``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.attendance import (
    CAME,
    ScanTiming,
    scan_timing,
    status_of,
)
from examsite.domain.scan_code import lookup_keys, normalize_code
from examsite.messages import text
from examsite.messages.checkin import ATTENDANCE_TITLES
from examsite.services.arrangement import PlanChoice, arrangement_plans_in
from examsite.services.checkin_data import (
    Counts,
    Door,
    SeatInfo,
    count,
    door_on_now,
    door_seats,
    doors_of,
    find_door,
    find_door_by_names,
    hh_mm,
    known_person,
    nearness,
    photo_of,
    plan_seats,
    seats_of_code,
)
from examsite.services.checkin_marks import write_attendance
from examsite.services.own_rooms import ensure_own, only_own
from examsite.services.plans import find_plan
from examsite.storage.db import Database


class Verdict(StrEnum):
    CHECKED_IN = "checked_in"  # green
    LATE = "late"  # amber: in, recorded late
    REFUSED_LATE = "refused_late"  # red: recorded
    ALREADY = "already"  # amber
    TOO_EARLY = "too_early"  # amber
    WRONG_ROOM = "wrong_room"  # red
    WRONG_SESSION = "wrong_session"  # red
    NOT_SEATED = "not_seated"  # red
    UNKNOWN = "unknown"  # red


ACCEPTED: Final = frozenset({Verdict.CHECKED_IN, Verdict.LATE})
TONES: Final[Mapping[Verdict, str]] = MappingProxyType(
    {
        Verdict.CHECKED_IN: "ok",
        Verdict.LATE: "warn",
        Verdict.ALREADY: "warn",
        Verdict.TOO_EARLY: "warn",
    }
)


@dataclass(frozen=True)
class ScanResult:
    """What a scan means. ``seat`` is the candidate's seat behind the door (or, refused
    for the wrong room or session, where they should be); ``photo`` their photo."""

    verdict: Verdict
    code: str  # the message code of the verdict
    params: Mapping[str, Any]
    scanned: str
    seat: SeatInfo | None = None
    photo: bytes | None = field(default=None, repr=False)

    @property
    def accepted(self) -> bool:
        return self.verdict in ACCEPTED

    @property
    def tone(self) -> str:
        """ok (green), warn (amber) or bad (red)."""
        return TONES.get(self.verdict, "bad")

    @property
    def message(self) -> str:
        return text(self.code, **self.params)


# --- scanning ----------------------------------------------------------------------------


def scan(
    db: Database,
    plan_code: str,
    code: str,
    room_session_uid: str | None = None,
    *,
    recorded_by: str | None = None,
) -> ScanResult:
    """Scan ``code`` at the door of ``room_session_uid`` (None: the door of whichever of
    the candidate's sessions is on now). Writes only when it checks in or refuses late."""
    with db.unit_of_work() as session:
        return scan_in(
            session, plan_code, code, room_session_uid, at=clock.now(), recorded_by=recorded_by
        )


def scan_in(
    session: Session,
    plan_code: str,
    code: str,
    room_session_uid: str | None,
    *,
    at: dt.datetime,
    recorded_by: str | None = None,
) -> ScanResult:
    plan = find_plan(session, plan_code)
    door = find_door(session, plan, room_session_uid) if room_session_uid else None
    keys = lookup_keys(code)
    shown = normalize_code(code)[:40]
    if not keys:
        return ScanResult(Verdict.UNKNOWN, "checkin.empty_code", {}, shown)
    seats = seats_of_code(session, plan, keys)
    if not seats:
        name = known_person(session, keys)
        if name is not None:
            return ScanResult(Verdict.NOT_SEATED, "checkin.not_seated", {"name": name}, shown)
        return ScanResult(Verdict.UNKNOWN, "checkin.unknown", {"code": shown}, shown)
    photo = photo_of(session, seats[0].candidate_id)
    if door is None:
        door = _door_of_now(session, plan, seats, at)
    here = [s for s in seats if s.room_session_uid in door.room_session_uids]
    if not here:
        return _elsewhere(door, seats, at, shown, photo)
    seat = here[0]
    if seat.status in CAME:
        return ScanResult(
            Verdict.ALREADY,
            "checkin.already",
            {
                "name": seat.name,
                "status": _status_title(seat.status),
                "time": hh_mm(seat.checked_in_at or seat.updated_at),
            },
            shown,
            seat,
            photo,
        )
    timing = scan_timing(door.timeline, at)
    status = status_of(timing)
    if status is None:
        params = {"opens": hh_mm(door.timeline.entry_opens), "start": hh_mm(door.starts)}
        return ScanResult(Verdict.TOO_EARLY, "checkin.too_early", params, shown, seat, photo)
    seat = write_attendance(session, seat, status, at=at, checked_in_at=at, by=recorded_by)
    where: dict[str, Any] = {"name": seat.name, "room": seat.room, "seat": seat.seat}
    if timing is ScanTiming.PRESENT:
        return ScanResult(Verdict.CHECKED_IN, "checkin.checked_in", where, shown, seat, photo)
    if timing is ScanTiming.LATE:
        # Whole minutes, at least 1: 00:01 after the start is "1 minute late".
        minutes = max(1, int((at - door.starts).total_seconds() // 60))
        late = {**where, "minutes": minutes}
        return ScanResult(Verdict.LATE, "checkin.checked_in_late", late, shown, seat, photo)
    params = {"name": seat.name, "closes": hh_mm(door.timeline.entry_closes)}
    return ScanResult(Verdict.REFUSED_LATE, "checkin.refused_late", params, shown, seat, photo)


def _door_of_now(session: Session, plan: Any, seats: Sequence[SeatInfo], at: dt.datetime) -> Door:
    """Without a door chosen (the CLI): the door of the candidate's session on now, else
    their next, else their last."""
    theirs = {s.room_session_uid for s in seats}
    door = door_on_now(doors_of(session, plan, theirs), at)
    assert door is not None  # every seat stands behind a door
    return door


def _elsewhere(
    door: Door, seats: Sequence[SeatInfo], at: dt.datetime, shown: str, photo: bytes | None
) -> ScanResult:
    """A candidate not seated behind this door: in another room at this time, or in
    another session (the one nearest in time is named)."""
    same_time = [s for s in seats if s.session_start == door.starts]
    if same_time:
        seat = same_time[0]
        params = {"name": seat.name, "room": seat.room, "seat": seat.seat}
        return ScanResult(Verdict.WRONG_ROOM, "checkin.wrong_room", params, shown, seat, photo)
    seat = min(seats, key=lambda s: nearness(s, at))
    params = {
        "name": seat.name,
        "when": f"{seat.session_start:%m月%d日 %H:%M}",
        "subject": seat.subject,
        "room": seat.room,
        "seat": seat.seat,
    }
    return ScanResult(Verdict.WRONG_SESSION, "checkin.wrong_session", params, shown, seat, photo)


# --- reading for the page and the CLI -----------------------------------------------------


@dataclass(frozen=True)
class DoorChoice:
    """The doors of a plan and the one on now (the page's default)."""

    plan: str
    doors: tuple[Door, ...]
    current: str | None  # the room session uid of the door on now


@dataclass(frozen=True)
class DoorList:
    """One door's attendance list and counts."""

    door: Door
    seats: tuple[SeatInfo, ...]
    counts: Counts


def door_plans(db: Database) -> tuple[PlanChoice, ...]:
    """The plans the door PC picks from: read as check-in (an invigilator's account runs
    check-in, not the arrangement: ``domain.roles``)."""
    with db.read() as session:
        return arrangement_plans_in(session)


def door_choices(db: Database, plan_code: str) -> DoorChoice:
    with db.read() as session:
        plan = find_plan(session, plan_code)
        doors = tuple(only_own(session, doors_of(session, plan), lambda d: d.room_session_uids))
        current = door_on_now(doors, clock.now())
        return DoorChoice(plan.code, doors, current.room_session_uid if current else None)


def door_list(db: Database, plan_code: str, room_session_uid: str) -> DoorList:
    with db.read() as session:
        plan = find_plan(session, plan_code)
        door = find_door(session, plan, room_session_uid)
        ensure_own(session, door.room_session_uids, door.room)
        seats = tuple(door_seats(session, door))
        return DoorList(door, seats, count(seats))


def attendance_rows(
    db: Database,
    plan_code: str,
    *,
    room: str | None = None,
    session_uid: str | None = None,
    room_session_uid: str | None = None,
) -> tuple[SeatInfo, ...]:
    """The plan's seats with their attendance: of one room (name), one exam session (uid),
    or one door (a room session uid); by session start, room, seat."""
    with db.read() as session:
        plan = find_plan(session, plan_code)
        if room and session_uid and not room_session_uid:
            find_door_by_names(session, plan, room, session_uid)  # a clear "no such room"
        if room_session_uid:
            return tuple(door_seats(session, find_door(session, plan, room_session_uid)))
        return tuple(plan_seats(session, plan, room, session_uid))


def door_by_names(db: Database, plan_code: str, room: str, session_uid: str) -> str:
    """The room session uid of room ``room`` in exam session ``session_uid``."""
    with db.read() as session:
        plan = find_plan(session, plan_code)
        return find_door_by_names(session, plan, room, session_uid).room_session_uid


def _status_title(status: str | None) -> str:
    return ATTENDANCE_TITLES.get(status or "", status or "")


__all__ = [
    "ScanResult",
    "SeatInfo",
    "Verdict",
    "attendance_rows",
    "door_by_names",
    "door_choices",
    "door_list",
    "scan",
]
