"""What exam day recorded, as the filled room record form (考场情况记录表) and inspection
record (巡考情况记录表) print it: per room session the counts, the absent candidates, the
other statuses worth a remark, and the incidents; the site-wide incidents apart.

The counting rule (``count_room_session``), where the documents are silent:

- a seat with an ``Attendance`` row counts by its status: ``SAT`` is 实考, ``NOT_SAT``
  缺考;
- a seat without one is *not recorded*. While the room session runs (or has not started)
  it is neither present nor absent: the form says how many are not recorded yet;
- once the room session has ended (its end plus any extension recorded for it), a seat
  without a row counts as absent (未签到) — but only when the room recorded anyone at all.
  A room session with no record whatever did its sign-in on paper: its counts print
  blank for the invigilators to fill in by hand, as on the blank form, rather than
  calling the whole room absent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from examsite.domain.attendance import NOT_SAT, SAT

UNRECORDED = "unrecorded"  # the reason of an absent seat that has no attendance row


@dataclass(frozen=True)
class SeatStatus:
    """One seat of a room session and what was recorded for it (``status`` None: nothing)."""

    seat: int
    name: str
    ticket: str
    id_number: str
    status: str | None
    note: str = ""


@dataclass(frozen=True)
class Counts:
    """A room session's counts; ``present`` and ``absent`` are None when nothing was
    recorded there (the form prints blanks)."""

    expected: int
    present: int | None
    absent: int | None
    unrecorded: int  # seats with no record yet (0 once they count as absent)
    absentees: tuple[SeatStatus, ...]  # status absent / refused_late / unrecorded
    remarks: tuple[SeatStatus, ...]  # late, left early, misconduct

    @property
    def recorded(self) -> bool:
        return self.present is not None


def count_room_session(seats: Sequence[SeatStatus], *, ended: bool) -> Counts:
    """The counts of a room session by the rule above."""
    expected = len(seats)
    if not any(s.status is not None for s in seats):
        return Counts(expected, None, None, expected if not ended else 0, (), ())
    present = sum(1 for s in seats if s.status in SAT)
    absentees = [s for s in seats if s.status in NOT_SAT]
    missing = [s for s in seats if s.status is None]
    if ended:
        absentees += [
            SeatStatus(s.seat, s.name, s.ticket, s.id_number, UNRECORDED, s.note) for s in missing
        ]
        missing = []
    remarks = tuple(s for s in seats if s.status in SAT and s.status != "present")
    return Counts(
        expected,
        present,
        len(absentees),
        len(missing),
        tuple(sorted(absentees, key=lambda s: s.seat)),
        remarks,
    )


@dataclass(frozen=True)
class IncidentLine:
    """An incident as the forms print it."""

    occurred_at: dt.datetime
    code: str
    candidates: tuple[str, ...]  # "姓名（座位号）" or the ID number of one not found
    description: str
    action: str
    minutes: int | None
    recorded_by: str


@dataclass(frozen=True)
class RoomSessionRecord:
    uid: str  # the room session's
    counts: Counts
    incidents: tuple[IncidentLine, ...]  # by time
    ended: bool

    @property
    def extension(self) -> int:
        """The minutes of extra time recorded for the room session."""
        return sum(i.minutes or 0 for i in self.incidents if i.code == "extension")


@dataclass(frozen=True)
class ExamDayRecord:
    """Everything the filled forms print, by room session UID."""

    rooms: Mapping[str, RoomSessionRecord] = field(default_factory=lambda: MappingProxyType({}))
    site_incidents: tuple[IncidentLine, ...] = ()
    made_at: dt.datetime | None = None  # when it was read (the clock's "now")

    def of(self, room_session_uid: str) -> RoomSessionRecord | None:
        return self.rooms.get(room_session_uid)
