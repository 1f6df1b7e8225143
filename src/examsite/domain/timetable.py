"""When each subject of a certificate is sat: the timetable of a plan's exam sessions (场次).

The catalog may give a plan an explicit timetable (a start per certificate and subject).
Where it gives none for a subject, the default rule applies, the way a site timetables a
one-day exam when the organisation publishes no times:

- every certificate of the plan is sat on the first day of the plan's exam window, the
  certificates side by side (each has its own rooms);
- a certificate's subjects go theory first, then practical;
- the first subject starts when the exam window opens (``exam_start``, 08:30 for the 003
  plan 2232100001, whose window is 08:30-16:30);
- each next subject starts ``GAP`` (30 minutes) after the previous one ends, which leaves
  time to let candidates out, check the room and let them in again;
- a session lasts the subject's ``duration_minutes``.

So for 003 the default is theory 08:30-09:30 and practical 10:00-12:00. A subject with an
explicit start keeps it, and a later subject without one follows it by the same rule.

``reconcile`` decides how the sessions already stored follow a new timetable without
touching what the coordinator changed by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

GAP: Final = dt.timedelta(minutes=30)
SUBJECT_ORDER: Final = ("theory", "practical")


@dataclass(frozen=True)
class Slot:
    """One sitting of a subject: from ``start`` to ``end``."""

    subject: str  # theory / practical
    start: dt.datetime
    end: dt.datetime


def _order(kind: str) -> tuple[int, str]:
    return (SUBJECT_ORDER.index(kind) if kind in SUBJECT_ORDER else len(SUBJECT_ORDER), kind)


def certificate_timetable(
    exam_start: dt.datetime,
    durations: Mapping[str, int],
    explicit: Mapping[str, Sequence[dt.datetime]] | None = None,
) -> tuple[Slot, ...]:
    """The sessions of one certificate: ``durations`` in minutes by subject kind,
    ``explicit`` the starts the catalog gives by subject kind (the default rule for the
    others, see the module's docstring)."""
    explicit = explicit or {}
    slots: list[Slot] = []
    previous_end: dt.datetime | None = None
    for kind in sorted(durations, key=_order):
        length = dt.timedelta(minutes=durations[kind])
        starts = sorted(explicit.get(kind, ()))
        if not starts:
            starts = [exam_start if previous_end is None else previous_end + GAP]
        mine = [Slot(kind, start, start + length) for start in starts]
        slots.extend(mine)
        previous_end = max(slot.end for slot in mine)
    return tuple(slots)


def within(
    slot_start: dt.datetime, slot_end: dt.datetime, start: dt.datetime, end: dt.datetime
) -> bool:
    """Whether ``[slot_start, slot_end]`` lies inside the window ``[start, end]``."""
    return start <= slot_start < slot_end <= end


@dataclass(frozen=True)
class StoredSession:
    """A session already in the database: ``key`` names it for the caller."""

    key: int
    start: dt.datetime
    end: dt.datetime
    edited: bool


@dataclass(frozen=True)
class Changes:
    """What to do with one subject's stored sessions: give ``update`` their new times,
    add ``create``, and drop ``leftover`` if nothing points at them."""

    update: tuple[tuple[int, Slot], ...] = ()
    create: tuple[Slot, ...] = ()
    leftover: tuple[int, ...] = ()


def reconcile(stored: Sequence[StoredSession], wanted: Sequence[Slot]) -> Changes:
    """How one plan's sessions of one subject follow the timetable ``wanted``.

    A stored session at a wanted start stays (its end follows the timetable unless the
    coordinator edited it). Each edited session at another time stands for one wanted
    sitting the coordinator moved, so no new session is made for it. The other stored
    sessions take the remaining wanted times in order; wanted times left over are new
    sessions, stored sessions left over are ``leftover``.
    """
    by_start = {slot.start: slot for slot in wanted}
    update: list[tuple[int, Slot]] = []
    unmatched: list[StoredSession] = []
    for session in sorted(stored, key=lambda s: (s.start, s.key)):
        slot = by_start.pop(session.start, None)
        if slot is None:
            unmatched.append(session)
        elif not session.edited and session.end != slot.end:
            update.append((session.key, slot))
    remaining = sorted(by_start.values(), key=lambda s: s.start)
    moved = sum(1 for session in unmatched if session.edited)
    remaining = remaining[moved:]
    free = [session for session in unmatched if not session.edited]
    update.extend((session.key, slot) for session, slot in zip(free, remaining, strict=False))
    return Changes(
        update=tuple(update),
        create=tuple(remaining[len(free) :]),
        leftover=tuple(session.key for session in free[len(remaining) :]),
    )
