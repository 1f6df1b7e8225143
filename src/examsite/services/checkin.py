"""Check-in at the door (考试签到, step 10): a scan, a mark by hand, the lists.

``scan`` takes what the scanner typed (the ticket's QR code, a ticket number or an ID
number) at a door (a room session, ``services.checkin_data.Door``) and answers with a
``ScanResult``: the candidate as the invigilator must see them (photo, name, masked ID,
ticket, room, seat) and a verdict. It checks in only a candidate seated behind that door,
within the entry time of 003's timeline; it refuses plainly — with where they should be —
a candidate of another room or another session, one already checked in, one unknown, and
one who comes too early. One who comes more than 30 minutes after the start is refused
and recorded (迟到禁入). Nothing is ever checked in silently.

``mark`` sets any status by hand (缺考, 迟到, 提前离场 with the time, 违纪 …) with a note.
Every change is logged (entity ``attendance``, key ``<ticket>/<session uid>``: what a
transfer bundle merges by) with ``recorded_by`` and ``updated_at``.
"""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.attendance import (
    CAME,
    AttendanceStatus,
    ScanTiming,
    Timeline,
    scan_timing,
    status_of,
)
from examsite.domain.scan_code import lookup_keys, normalize_code
from examsite.errors import InputError, NotFoundError
from examsite.messages import text
from examsite.messages.checkin import ATTENDANCE_TITLES
from examsite.services.audit import record
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
    known_person,
    photo_of,
    plan_seats,
    seats_of_code,
)
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import Attendance

ENTITY: Final = "attendance"


def recorder() -> str:
    """Who records on this PC when nobody says: the computer's name (the door PC and the
    coordinator's PC are told apart in a merged bundle)."""
    return (platform.node() or "本机")[:60]


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
                "time": _clock(seat.checked_in_at or seat.updated_at),
            },
            shown,
            seat,
            photo,
        )
    timing = scan_timing(door.timeline, at)
    status = status_of(timing)
    if status is None:
        params = {"opens": _clock(door.timeline.entry_opens), "start": _clock(door.starts)}
        return ScanResult(Verdict.TOO_EARLY, "checkin.too_early", params, shown, seat, photo)
    seat = _write(session, seat, status, at=at, checked_in_at=at, by=recorded_by)
    where: dict[str, Any] = {"name": seat.name, "room": seat.room, "seat": seat.seat}
    if timing is ScanTiming.PRESENT:
        return ScanResult(Verdict.CHECKED_IN, "checkin.checked_in", where, shown, seat, photo)
    if timing is ScanTiming.LATE:
        # Whole minutes, at least 1: 00:01 after the start is "1 minute late".
        minutes = max(1, int((at - door.starts).total_seconds() // 60))
        late = {**where, "minutes": minutes}
        return ScanResult(Verdict.LATE, "checkin.checked_in_late", late, shown, seat, photo)
    params = {"name": seat.name, "closes": _clock(door.timeline.entry_closes)}
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
    seat = min(seats, key=lambda s: _distance(s, at))
    params = {
        "name": seat.name,
        "when": f"{seat.session_start:%m月%d日 %H:%M}",
        "subject": seat.subject,
        "room": seat.room,
        "seat": seat.seat,
    }
    return ScanResult(Verdict.WRONG_SESSION, "checkin.wrong_session", params, shown, seat, photo)


def _distance(seat: SeatInfo, at: dt.datetime) -> tuple[int, float]:
    # The session running now first, then the nearest start (upcoming before past).
    timeline = Timeline(seat.session_start, seat.session_end)
    if timeline.entry_opens <= at < timeline.ends:
        return (0, 0.0)
    gap = (seat.session_start - at).total_seconds()
    return (1, gap) if gap > 0 else (2, -gap)


# --- marking by hand ---------------------------------------------------------------------


def mark(
    db: Database,
    plan_code: str,
    key: str,
    status: AttendanceStatus | None,
    *,
    note: str | None = None,
    subject: str | None = None,
    room_session_uid: str | None = None,
    left_at: dt.datetime | None = None,
    recorded_by: str | None = None,
) -> SeatInfo:
    """Set the attendance of the seat ``key`` (a ticket or ID number) names: ``status``
    None clears it (未签到). ``subject`` (theory/practical, 理论/实操, the subject's name
    or the session's uid) or ``room_session_uid`` picks the seat of a candidate with more
    than one; ``left_at`` is the time of an early leaving (default: now)."""
    with db.unit_of_work() as session:
        return mark_in(
            session,
            plan_code,
            key,
            status,
            note=note,
            subject=subject,
            room_session_uid=room_session_uid,
            left_at=left_at,
            at=clock.now(),
            recorded_by=recorded_by,
        )


SUBJECT_WORDS: Final = {"理论": "theory", "实操": "practical"}


def mark_in(
    session: Session,
    plan_code: str,
    key: str,
    status: AttendanceStatus | None,
    *,
    note: str | None,
    subject: str | None,
    room_session_uid: str | None,
    left_at: dt.datetime | None,
    at: dt.datetime,
    recorded_by: str | None,
) -> SeatInfo:
    plan = find_plan(session, plan_code)
    seat = _pick_seat(session, plan, key, subject, room_session_uid, at)
    if left_at is not None and status is not AttendanceStatus.LEFT_EARLY:
        raise InputError("checkin.left_at_not_left_early")
    if status is AttendanceStatus.LEFT_EARLY:
        left_at = left_at or at
        if not seat.session_start <= left_at <= seat.session_end:
            raise InputError(
                "checkin.left_at_outside",
                left_at=_clock(left_at),
                start=_clock(seat.session_start),
                end=_clock(seat.session_end),
            )
    checked_in_at = seat.checked_in_at
    if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
        checked_in_at = checked_in_at or at
    elif status is AttendanceStatus.ABSENT:
        checked_in_at = None
    return _write(
        session,
        seat,
        status,
        at=at,
        checked_in_at=checked_in_at,
        left_at=left_at,
        note=note,
        by=recorded_by,
    )


def _pick_seat(
    session: Session,
    plan: Any,
    key: str,
    subject: str | None,
    room_session_uid: str | None,
    at: dt.datetime,
) -> SeatInfo:
    keys = lookup_keys(key)
    seats = seats_of_code(session, plan, keys) if keys else []
    if not seats:
        raise NotFoundError("checkin.ticket_not_found", ticket=key.strip())
    if room_session_uid:
        door = find_door(session, plan, room_session_uid)
        seats = [s for s in seats if s.room_session_uid in door.room_session_uids]
    if subject:
        wanted = subject.strip()
        kind = SUBJECT_WORDS.get(wanted, wanted)
        seats = [s for s in seats if wanted in (s.subject, s.session_uid) or kind == s.subject_kind]
    if not seats:
        raise NotFoundError("checkin.no_such_seat", ticket=key.strip(), subject=subject or "")
    if len(seats) > 1:
        running = [s for s in seats if _distance(s, at)[0] == 0]
        if len(running) == 1:
            return running[0]
        raise InputError(
            "checkin.which_subject",
            ticket=key.strip(),
            subjects="、".join(f"{s.subject}（{s.session_start:%m-%d %H:%M}）" for s in seats),
        )
    return seats[0]


def mark_rest_absent(
    db: Database, plan_code: str, room_session_uid: str, *, recorded_by: str | None = None
) -> int:
    """After entry closed: everyone behind the door with nothing recorded is 缺考. Returns
    how many were marked; refused before entry has closed."""
    with db.unit_of_work() as session:
        plan = find_plan(session, plan_code)
        door = find_door(session, plan, room_session_uid)
        at = clock.now()
        if at <= door.timeline.entry_closes:
            raise InputError(
                "checkin.rest_absent_too_soon", closes=_clock(door.timeline.entry_closes)
            )
        marked = 0
        for seat in door_seats(session, door):
            if seat.status is None:
                _write(
                    session,
                    seat,
                    AttendanceStatus.ABSENT,
                    at=at,
                    checked_in_at=None,
                    by=recorded_by,
                )
                marked += 1
        return marked


# --- writing -----------------------------------------------------------------------------


def _write(
    session: Session,
    seat: SeatInfo,
    status: AttendanceStatus | None,
    *,
    at: dt.datetime,
    checked_in_at: dt.datetime | None,
    left_at: dt.datetime | None = None,
    note: str | None = None,
    by: str | None,
) -> SeatInfo:
    """Write the seat's attendance (or delete it: ``status`` None) and log the change."""
    by = (by or recorder())[:60]
    row = session.scalar(select(Attendance).where(Attendance.seat_id == seat.seat_id))
    before = _plain(seat) if row is not None else None
    entity_id = f"{seat.ticket}/{seat.session_uid}"
    if status is None:
        if row is not None:
            session.delete(row)
            record(session, "delete", ENTITY, entity_id, before, None, by)
        return replace(
            seat,
            status=None,
            checked_in_at=None,
            left_at=None,
            note="",
            recorded_by="",
            updated_at=None,
        )
    if row is None:
        row = Attendance(seat_id=seat.seat_id, status=status.value)
        session.add(row)
    row.status = status.value
    row.checked_in_at = checked_in_at
    row.left_at = left_at if status is AttendanceStatus.LEFT_EARLY else None
    if note is not None:
        row.note = note.strip()
    row.recorded_by = by
    row.updated_at = at
    session.flush()
    after = replace(
        seat,
        status=row.status,
        checked_in_at=row.checked_in_at,
        left_at=row.left_at,
        note=row.note or "",
        recorded_by=by,
        updated_at=at,
    )
    record(session, "update" if before else "create", ENTITY, entity_id, before, _plain(after), by)
    return after


def _plain(seat: SeatInfo) -> dict[str, Any]:
    return {
        "room": seat.room,
        "seat": seat.seat,
        "status": seat.status,
        "checked_in_at": seat.checked_in_at,
        "left_at": seat.left_at,
        "note": seat.note,
    }


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


def door_choices(db: Database, plan_code: str) -> DoorChoice:
    with db.read() as session:
        plan = find_plan(session, plan_code)
        doors = tuple(doors_of(session, plan))
        current = door_on_now(doors, clock.now())
        return DoorChoice(plan.code, doors, current.room_session_uid if current else None)


def door_list(db: Database, plan_code: str, room_session_uid: str) -> DoorList:
    with db.read() as session:
        plan = find_plan(session, plan_code)
        door = find_door(session, plan, room_session_uid)
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


def _clock(moment: dt.datetime | None) -> str:
    return f"{moment:%H:%M}" if moment else ""


__all__ = [
    "ScanResult",
    "SeatInfo",
    "Verdict",
    "attendance_rows",
    "door_by_names",
    "door_choices",
    "door_list",
    "mark",
    "mark_rest_absent",
    "scan",
]
