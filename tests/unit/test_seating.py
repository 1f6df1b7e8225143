"""The seating rule (``domain.seating``) and the ticket number (``domain.ticket_number``)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from examsite.domain.seating import (
    COLUMNS,
    Placement,
    Pool,
    Record,
    RoomSlot,
    arrange,
    best_free_seat,
    neighbours,
)
from examsite.domain.ticket_number import describe, site_part, ticket_number


def records(classes: list[tuple[str, int]], subject: int = 0, start: int = 0) -> tuple[Record, ...]:
    """Records of people ``start``… (key = person * 10 + subject)."""
    out = []
    person = start
    for group, count in classes:
        for _ in range(count):
            out.append(Record(person * 10 + subject, person, group, f"{person:05d}"))
            person += 1
    return tuple(out)


def two_sessions(
    classes: list[tuple[str, int]], capacities: list[int], start: int = 0
) -> list[Pool]:
    theory = tuple(RoomSlot(100 + i, i, c) for i, c in enumerate(capacities))
    practical = tuple(RoomSlot(200 + i, i, c) for i, c in enumerate(capacities))
    return [
        Pool("theory", theory, records(classes, 0, start)),
        Pool("practical", practical, records(classes, 1, start)),
    ]


def as_map(placements: tuple[Placement, ...]) -> dict[int, tuple[int, int]]:
    return {p.record: (p.slot, p.seat) for p in placements}


def adjacent_classmates(
    seats: dict[int, tuple[int, int]], group_of: dict[int, str], capacity: dict[int, int]
) -> int:
    by_slot: dict[int, dict[int, str]] = {}
    for key, (slot, seat) in seats.items():
        by_slot.setdefault(slot, {})[seat] = group_of[key]
    pairs = 0
    for slot, taken in by_slot.items():
        for seat, group in taken.items():
            for other in neighbours(seat, capacity[slot]):
                if other > seat and group and taken.get(other) == group:
                    pairs += 1
    return pairs


def test_neighbours_on_a_grid_of_six():
    assert COLUMNS == 6
    assert neighbours(1, 40) == (2, 7)
    assert neighbours(6, 40) == (5, 12)  # end of a row: no right neighbour
    assert neighbours(7, 40) == (8, 1, 13)
    assert neighbours(38, 40) == (37, 39, 32)  # last row, short


def test_seats_numbered_from_one_in_each_room_and_same_room_for_both_subjects():
    pools = two_sessions([("A", 5), ("B", 5)], [6, 6])
    result = arrange(pools, {})
    assert not result.shortages
    seats = as_map(result.placements)
    assert len(seats) == 20
    for slot in (100, 101, 200, 201):
        numbers = sorted(s for (sl, s) in seats.values() if sl == slot)
        assert numbers == list(range(1, len(numbers) + 1))
    for person in range(10):
        theory_slot, theory_seat = seats[person * 10]
        practical_slot, practical_seat = seats[person * 10 + 1]
        assert theory_slot - 100 == practical_slot - 200  # the same room
        assert theory_seat == practical_seat


def test_classmates_are_kept_apart_where_the_room_allows():
    pools = two_sessions([("A", 20), ("B", 20)], [40])
    result = arrange(pools, {})
    group_of = {r.key: r.group for p in pools for r in p.records}
    assert adjacent_classmates(as_map(result.placements), group_of, {100: 40, 200: 40}) == 0
    # in-order would put classmates side by side
    plain = arrange(pools, {}, strategy="in-order")
    assert adjacent_classmates(as_map(plain.placements), group_of, {100: 40, 200: 40}) > 10


def test_three_classes_and_pupils_without_a_class():
    pools = [Pool("t", (RoomSlot(1, 1, 30),), records([("A", 10), ("B", 8), ("", 6), ("C", 6)]))]
    result = arrange(pools, {})
    group_of = {r.key: r.group for r in pools[0].records}
    assert adjacent_classmates(as_map(result.placements), group_of, {1: 30}) == 0


def test_one_class_fills_every_other_seat_first():
    pools = [Pool("t", (RoomSlot(1, 1, 12), RoomSlot(2, 2, 12)), records([("A", 12)]))]
    seats = as_map(arrange(pools, {}).placements)
    group_of = {r.key: r.group for r in pools[0].records}
    # 12 classmates in 12 seats cannot avoid each other; a chessboard over 2 rooms can
    assert adjacent_classmates(seats, group_of, {1: 12, 2: 12}) == 0


def test_deterministic_and_independent_of_input_order():
    pools = two_sessions([("A", 17), ("B", 9), ("C", 11)], [20, 20])
    shuffled = [
        Pool(p.key, p.rooms, tuple(random.Random(7).sample(p.records, len(p.records))))
        for p in pools
    ]
    assert arrange(pools, {}) == arrange(pools, {}) == arrange(shuffled, {})


def test_a_run_again_moves_nobody():
    pools = two_sessions([("A", 10), ("B", 10)], [12, 12])
    first = as_map(arrange(pools, {}).placements)
    again = arrange(pools, first)
    assert again.placements == () and again.shortages == ()


def test_a_late_candidate_takes_a_free_seat_and_moves_nobody():
    pools = two_sessions([("A", 10), ("B", 9)], [12, 12])
    first = as_map(arrange(pools, {}).placements)
    late = two_sessions([("A", 10), ("B", 10)], [12, 12])  # person 19 (class B) is new
    result = arrange(late, first)
    new = as_map(result.placements)
    assert set(new) == {190, 191}
    assert all(first[k] == v for k, v in first.items())  # nobody else moved
    assert new[190][0] - 100 == new[191][0] - 200  # theory and practical in one room
    taken = {place: key for key, place in first.items()}
    slot, seat = new[190]
    assert (slot, seat) not in taken
    group_of = {r.key: r.group for p in late for r in p.records}
    around = [taken.get((slot, n)) for n in neighbours(seat, 12)]
    assert "B" not in {group_of[k] for k in around if k is not None}


def test_capacity_is_the_exam_capacity():
    pools = [Pool("t", (RoomSlot(1, 1, 8),), records([("A", 8)]))]
    seats = as_map(arrange(pools, {}).placements)
    assert max(seat for _slot, seat in seats.values()) == 8
    short = arrange([Pool("t", (RoomSlot(1, 1, 8),), records([("A", 9)]))], {})
    assert short.shortages[0].unseated == 1


def test_fail_loudly_per_session_and_seat_nobody_there():
    pools = [
        Pool("theory", (RoomSlot(1, 1, 10),), records([("A", 13)], 0)),
        Pool("practical", (RoomSlot(2, 1, 15),), records([("A", 13)], 1)),
        Pool("other", (), records([("B", 2)], 0, start=50)),
    ]
    result = arrange(pools, {})
    assert {(s.pool, s.unseated, s.free) for s in result.shortages} == {
        ("theory", 3, 10),
        ("other", 2, 0),
    }
    assert all(p.slot == 2 for p in result.placements)  # only the pool that fits


def test_best_free_seat_prefers_no_classmate_next_to_it():
    occupied = {1: "A", 3: "A", 4: "B"}
    assert best_free_seat(6, occupied, "A") == 5
    assert best_free_seat(6, occupied, "B") == 2
    assert best_free_seat(3, {1: "A", 3: "A"}, "A") == 2  # no better seat: the first free
    assert best_free_seat(2, {1: "A", 2: "B"}, "A") is None


def test_unknown_strategy():
    with pytest.raises(ValueError):
        arrange([], {}, strategy="random")


def test_ticket_number_structure_and_uniqueness():
    day = dt.date(2027, 1, 10)
    number = ticket_number(day, "110000009", 3, 17)
    assert number == "202701100009003017"
    assert describe(number) == {"date": "2027-01-10", "site": "0009", "room": "003", "seat": "017"}
    assert site_part("") == "0000" and site_part("A-12") == "0012"
    taken = {number, "202701100009003999"}
    assert ticket_number(day, "110000009", 3, 17, taken) == "202701100009003998"
    assert describe("20210916002611000000700009") is None


def test_a_record_seated_alone_follows_its_other_subject_into_its_room():
    pools = two_sessions([("A", 6)], [6, 6])
    first = as_map(arrange(pools, {}).placements)
    person = next(p for p in range(6) if first[p * 10][0] == 101)  # in the second room
    theory_slot, theory_seat = first[person * 10]
    del first[person * 10 + 1]  # the practical seat went (e.g. taken by the platform)
    practical_only = [Pool("practical", pools[1].rooms, (pools[1].records[person],))]
    rooms = {person * 10: (person, theory_slot - 100)}
    again = as_map(arrange(practical_only, first, rooms=rooms).placements)
    assert again[person * 10 + 1] == (201, theory_seat)
    # without knowing where they sit, the first free seat of the first room
    assert as_map(arrange(practical_only, first).placements)[person * 10 + 1][0] == 200
