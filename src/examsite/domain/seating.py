"""Seating (排考): who sits where, as a pure and deterministic rule (no database).

The input is, per *pool* (the room sessions one subject is sat in: usually one exam
session's rooms), the records to seat and the rooms with their exam capacity; and the
seats already given. The output is the new seats only: a seat already given is never
moved, so running the arrangement again without changes moves nobody, and a candidate
added later takes a free seat without reshuffling the others.

The room as a grid
    Seats are numbered from 1 in each room session, row by row, ``COLUMNS`` (6) to a row,
    as in a lab of 6-seat rows (a room of 40 seats is 7 rows; the last row is short).
    Seat ``n``'s neighbours are ``n - 1`` and ``n + 1`` in the same row (left/right) and
    ``n - COLUMNS`` and ``n + COLUMNS`` (front/back).

Classmates apart (``class-spread``, the default strategy)
    Free seats are filled in number order; each takes the next record of the class with
    the most records still to seat whose class has no one in a neighbouring seat (ties:
    the class's name). A seat where every class left would sit beside a classmate is
    skipped at first (the pool's next rooms are tried) and filled last, when no better
    seat is left. With two classes this
    gives a chessboard; with one class left over, every other seat. Records without a
    class (social candidates) never count as classmates. ``in-order`` fills free seats in
    the records' order, nothing else.

Theory and practical in the same place
    Pools are seated in the order given (the service gives them by session start). A
    record whose person (registration) already sits in room R of another pool takes the
    same seat number in room R here when it is free, else another seat in room R, else
    any room.

Fail loudly
    When a pool has fewer free seats than records to seat, its records are not seated at
    all and the pool is named in ``Arrangement.shortages`` with the count left without a
    seat; the service refuses to write anything then.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

COLUMNS: Final = 6
STRATEGIES: Final = ("class-spread", "in-order")


@dataclass(frozen=True)
class Record:
    """One subject record to seat: ``key`` names it, ``person`` its registration (the same
    on theory and practical), ``group`` its class ("" for none), ``order`` a stable sort
    key (e.g. the ID number)."""

    key: int
    person: int
    group: str
    order: str


@dataclass(frozen=True)
class RoomSlot:
    """A room session: ``key`` names it, ``room`` its room (the same room in every session),
    ``capacity`` the exam capacity."""

    key: int
    room: int
    capacity: int


@dataclass(frozen=True)
class Pool:
    """The records of one subject and the room sessions they may sit in."""

    key: Hashable
    rooms: tuple[RoomSlot, ...]
    records: tuple[Record, ...]


@dataclass(frozen=True)
class Placement:
    """A seat: record ``record`` in room session ``slot`` at ``seat`` (from 1)."""

    record: int
    slot: int
    seat: int


@dataclass(frozen=True)
class Shortage:
    """Pool ``pool`` has ``unseated`` records more than free seats (``free``)."""

    pool: Hashable
    unseated: int
    free: int


@dataclass(frozen=True)
class Arrangement:
    """The new seats, and the pools that did not fit (whose records got none)."""

    placements: tuple[Placement, ...]
    shortages: tuple[Shortage, ...]


def neighbours(seat: int, capacity: int, columns: int = COLUMNS) -> tuple[int, ...]:
    """The seats next to ``seat``: left and right in its row, in front and behind."""
    around = []
    column = (seat - 1) % columns
    if column > 0:
        around.append(seat - 1)
    if column < columns - 1 and seat + 1 <= capacity:
        around.append(seat + 1)
    if seat - columns >= 1:
        around.append(seat - columns)
    if seat + columns <= capacity:
        around.append(seat + columns)
    return tuple(around)


def arrange(
    pools: Sequence[Pool],
    existing: Mapping[int, tuple[int, int]],
    groups: Mapping[int, str] | None = None,
    strategy: str = "class-spread",
    columns: int = COLUMNS,
    rooms: Mapping[int, tuple[int, int]] | None = None,
) -> Arrangement:
    """Seat every record of ``pools`` that has no seat in ``existing`` (record key →
    (room session key, seat)). For records seated already that are not in ``pools``,
    ``groups`` gives their class (for neighbours) and ``rooms`` their person and room
    (record → (person, room): to sit in the same room as one's other subject)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    group_of = dict(groups or {})
    person_of: dict[int, int] = {}
    for pool in pools:
        for r in pool.records:
            group_of[r.key] = r.group
            person_of[r.key] = r.person
    room_of = {slot.key: slot.room for pool in pools for slot in pool.rooms}
    # Where each person sits already: room → seat, for theory/practical in the same place.
    sits: dict[int, dict[int, int]] = {}
    for record, (person, room) in (rooms or {}).items():
        if record in existing:
            sits.setdefault(person, {}).setdefault(room, existing[record][1])
    for record, (slot, seat) in existing.items():
        if record in person_of and slot in room_of:
            sits.setdefault(person_of[record], {}).setdefault(room_of[slot], seat)
    occupied: dict[int, dict[int, str]] = {}  # slot → seat → group
    for record, (slot, seat) in existing.items():
        occupied.setdefault(slot, {})[seat] = group_of.get(record, "")
    placements: list[Placement] = []
    shortages: list[Shortage] = []
    for pool in pools:
        new = sorted((r for r in pool.records if r.key not in existing), key=_sort_key)
        if not new:
            continue
        free = sum(_free_count(slot, occupied.get(slot.key, {})) for slot in pool.rooms)
        if len(new) > free:
            shortages.append(Shortage(pool.key, len(new) - free, free))
            continue
        seated = _seat_pool(pool, new, occupied, sits, strategy, columns)
        for placement in seated:
            slot_room = room_of[placement.slot]
            sits.setdefault(person_of[placement.record], {}).setdefault(slot_room, placement.seat)
        placements.extend(seated)
    return Arrangement(tuple(placements), tuple(shortages))


def best_free_seat(
    capacity: int,
    occupied: Mapping[int, str],
    group: str,
    columns: int = COLUMNS,
) -> int | None:
    """The first free seat (up to ``capacity``) with no classmate of ``group`` next to it,
    else the first free seat, else None (the room is full)."""
    first: int | None = None
    for seat in range(1, capacity + 1):
        if seat in occupied:
            continue
        if first is None:
            first = seat
        if not _conflicts(seat, group, capacity, occupied, columns):
            return seat
    return first


def _sort_key(record: Record) -> tuple[str, int]:
    return (record.order, record.key)


def _free_count(slot: RoomSlot, taken: Mapping[int, str]) -> int:
    return slot.capacity - sum(1 for seat in taken if seat <= slot.capacity)


def _conflicts(
    seat: int, group: str, capacity: int, taken: Mapping[int, str], columns: int
) -> bool:
    return bool(group) and any(taken.get(n) == group for n in neighbours(seat, capacity, columns))


def _seat_pool(
    pool: Pool,
    new: list[Record],
    occupied: dict[int, dict[int, str]],
    sits: Mapping[int, Mapping[int, int]],
    strategy: str,
    columns: int,
) -> list[Placement]:
    placements: list[Placement] = []
    rest: list[Record] = []
    by_room: dict[int, list[RoomSlot]] = {}
    for slot in pool.rooms:
        by_room.setdefault(slot.room, []).append(slot)
    # First: a person already seated in one of these rooms sits there again, on the same
    # seat number when it is free.
    wanted: dict[int, list[Record]] = {}
    for record in new:
        rooms = sits.get(record.person, {})
        room = next((r for r in rooms if r in by_room), None)
        if room is None:
            rest.append(record)
            continue
        seat = rooms[room]
        target = next(
            (
                s
                for s in by_room[room]
                if seat <= s.capacity and seat not in occupied.get(s.key, {})
            ),
            None,
        )
        if target is None:
            wanted.setdefault(room, []).append(record)
            continue
        occupied.setdefault(target.key, {})[seat] = record.group
        placements.append(Placement(record.key, target.key, seat))
    for room, records in wanted.items():
        rest.extend(_fill(by_room[room], records, occupied, strategy, columns, placements))
    rest.sort(key=_sort_key)
    rest = _fill(list(pool.rooms), rest, occupied, strategy, columns, placements)
    # Free seats were counted before: nothing is left over here.
    assert not rest, "seats were counted before seating"
    return placements


def _fill(
    slots: list[RoomSlot],
    records: list[Record],
    occupied: dict[int, dict[int, str]],
    strategy: str,
    columns: int,
    out: list[Placement],
) -> list[Record]:
    """Seat as many of ``records`` as fit in ``slots``; returns those left over. With
    ``class-spread``, every room is first filled only where no classmate sits next to
    the seat; the seats skipped are filled last, room by room."""
    if not records:
        return records
    if strategy == "in-order":
        for slot in slots:
            taken = occupied.setdefault(slot.key, {})
            free = [seat for seat in range(1, slot.capacity + 1) if seat not in taken]
            for seat, record in zip(free, records, strict=False):
                taken[seat] = record.group
                out.append(Placement(record.key, slot.key, seat))
            records = records[len(free) :]
        return records
    queues = _Classes(records)
    skipped: list[tuple[RoomSlot, int]] = []
    for slot in slots:
        taken = occupied.setdefault(slot.key, {})
        for seat in range(1, slot.capacity + 1):
            if not queues:
                break
            if seat in taken:
                continue
            chosen = queues.take(_conflict_test(seat, slot.capacity, taken, columns))
            if chosen is None:
                skipped.append((slot, seat))
                continue
            taken[seat] = chosen.group
            out.append(Placement(chosen.key, slot.key, seat))
    for slot, seat in skipped:  # no better seat left: sit beside a classmate
        if not queues:
            break
        chosen = queues.take(_never)
        assert chosen is not None
        occupied[slot.key][seat] = chosen.group
        out.append(Placement(chosen.key, slot.key, seat))
    return queues.remaining()


def _conflict_test(
    seat: int, capacity: int, taken: Mapping[int, str], columns: int
) -> Callable[[str], bool]:
    def test(group: str) -> bool:
        return _conflicts(seat, group, capacity, taken, columns)

    return test


def _never(_group: str) -> bool:
    return False


class _Classes:
    """The records to seat by class; ``take`` gives one of the class with the most left
    that does not conflict (records without a class form a class that never does)."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._queues: dict[str, deque[Record]] = {}
        for record in records:
            self._queues.setdefault(record.group, deque()).append(record)
        self._heap = [(-len(q), group) for group, q in self._queues.items()]
        heapq.heapify(self._heap)

    def __bool__(self) -> bool:
        return bool(self._heap)

    def take(self, conflicts: Callable[[str], bool]) -> Record | None:
        # A seat has at most 4 neighbours, so at most 5 classes are looked at.
        held: list[tuple[int, str]] = []
        chosen: Record | None = None
        while self._heap:
            entry = heapq.heappop(self._heap)
            group = entry[1]
            if conflicts(group):
                held.append(entry)
                continue
            queue = self._queues[group]
            chosen = queue.popleft()
            if queue:
                heapq.heappush(self._heap, (-len(queue), group))
            break
        for entry in held:
            heapq.heappush(self._heap, entry)
        return chosen

    def remaining(self) -> list[Record]:
        return sorted((r for q in self._queues.values() for r in q), key=_sort_key)
