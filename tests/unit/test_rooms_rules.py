"""The rooms' pure rules: the room type from the subjects' modes, the split of candidates
over rooms (000: 90 candidates in 2 rooms → 45 + 45), and which labs to propose."""

from __future__ import annotations

import pytest

from examsite.domain.rooms import (
    pick_labs,
    room_type,
    short_by,
    split,
    standard_rooms_needed,
)


@pytest.mark.parametrize(
    ("modes", "expected"),
    [
        (["机考", "机考+实操"], "机考+实操"),  # 003: theory 机考, practical 机考+实操
        (["机考", "实操"], "机考+实操"),  # 000: the union of the two modes
        (["机考"], "机考"),
        (["实操", "实操"], "实操"),
        (["笔试", "机考+实操"], "笔试,机考+实操"),  # 003's own example, comma-separated
        (["机考＋实操"], "机考+实操"),  # a full-width plus
        ([], "机考+实操"),
    ],
)
def test_the_room_type_is_the_union_of_the_subjects_modes(modes, expected) -> None:
    assert room_type(modes) == expected


@pytest.mark.parametrize(
    ("candidates", "capacities", "expected"),
    [
        (90, [50, 50], (45, 45)),  # 000's example
        (90, [45, 45], (45, 45)),
        (40, [50], (40,)),  # one room: the candidates it holds
        (91, [50, 50], (45, 46)),
        (45, [40, 30], (23, 22)),  # the odd one in the larger room
        (90, [40, 60], (40, 50)),  # the small room full, the rest in the big one
        (90, [40, 40, 40], (30, 30, 30)),
        (0, [40, 40], (0, 0)),
        (100, [40, 40], (40, 40)),  # not enough: every room full
        (10, [], ()),
    ],
)
def test_the_split_is_even_and_within_each_room(candidates, capacities, expected) -> None:
    result = split(candidates, capacities)
    assert result == expected
    assert all(n <= c for n, c in zip(result, capacities, strict=True))
    assert sum(result) == min(candidates, sum(capacities))


def test_split_refuses_negative_counts() -> None:
    with pytest.raises(ValueError):
        split(-1, [40])


def test_short_by_and_standard_rooms() -> None:
    assert short_by(100, [40, 40]) == 20
    assert short_by(80, [40, 40]) == 0
    assert standard_rooms_needed(90) == 3  # a standard room holds 40 (003)
    assert standard_rooms_needed(40) == 1
    assert standard_rooms_needed(0) == 0


def test_pick_labs_takes_the_largest_then_the_best_fit() -> None:
    labs = [("A", 40), ("B", 40), ("C", 40), ("S", 30)]
    assert pick_labs(90, labs) == (["A", "B", "S"], 0)  # 40 + 40, then 30 holds the last 10
    assert pick_labs(35, labs) == (["A"], 0)
    assert pick_labs(25, labs) == (["S"], 0)  # the smallest that holds everyone
    assert pick_labs(0, labs) == ([], 0)


def test_pick_labs_says_how_many_are_left_without_a_seat() -> None:
    assert pick_labs(200, [("A", 40), ("B", 30)]) == (["A", "B"], 130)
    assert pick_labs(10, []) == ([], 10)
    assert pick_labs(10, [("empty", 0)]) == ([], 10)
