"""Rooms (考场): the room type a certificate's subjects ask for, how candidates split over
rooms, and which labs to propose as rooms. Pure rules: no database, no Qt.

- Room type (003, 批量导入考场表): "the room type is the union of the subjects' exam
  modes". A mode such as 机考+实操 is made of parts (机考, 实操); the parts of all subjects
  are collected, 机考 and 实操 make one type (机考+实操, the type 001 and 003 show), and
  any other part (笔试) stands beside it, comma-separated as the platform writes it
  (003's example: 笔试 and 机考+实操 give "笔试,机考+实操").
- Split (000, 001): one room holds the candidates up to its seats; several rooms share the
  candidates evenly (90 candidates in 2 rooms of 50 seats: 45 + 45), a room never above its
  capacity. A standard room holds 40 (003).
- Proposal from labs: for a certificate needing ``need`` seats, take labs largest first
  until the rest fits in one lab, then the smallest lab that holds the rest (best fit), so
  few rooms are used and the last one is not needlessly big.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Final, TypeVar

STANDARD_ROOM: Final = 40  # 003: a standard room has 40 candidate seats
COMPUTER: Final = "机考"
PRACTICAL: Final = "实操"
ROOM_TYPES: Final = (COMPUTER, PRACTICAL, f"{COMPUTER}+{PRACTICAL}")

K = TypeVar("K")


def room_type(modes: Iterable[str]) -> str:
    """The room type for subjects sat in these modes (机考, 实操, 机考+实操, 笔试 …).

    >>> room_type(["机考", "机考+实操"])
    '机考+实操'
    >>> room_type(["笔试", "机考+实操"])
    '笔试,机考+实操'
    """
    parts: list[str] = []
    for mode in modes:
        for part in mode.replace("＋", "+").split("+"):
            part = part.strip()
            if part and part not in parts:
                parts.append(part)
    lab = [p for p in (COMPUTER, PRACTICAL) if p in parts]
    others = sorted(p for p in parts if p not in (COMPUTER, PRACTICAL))
    kinds = others + (["+".join(lab)] if lab else [])
    return ",".join(kinds) or f"{COMPUTER}+{PRACTICAL}"


def split(candidates: int, capacities: Sequence[int]) -> tuple[int, ...]:
    """How many of ``candidates`` sit in each room of ``capacities`` (same order): as even
    as the capacities allow, no room over its capacity. When the rooms hold fewer than the
    candidates every room is full (the caller reports the shortfall).

    >>> split(90, [50, 50])
    (45, 45)
    >>> split(90, [40, 60])
    (40, 50)
    >>> split(45, [40, 30])
    (23, 22)
    """
    if candidates < 0 or any(c < 0 for c in capacities):
        raise ValueError("counts must not be negative")
    result = [0] * len(capacities)
    remaining = candidates
    order = sorted(range(len(capacities)), key=lambda i: (capacities[i], i))
    for done, index in enumerate(order):
        rooms_left = len(order) - done
        share = remaining // rooms_left  # the odd ones go to the larger rooms, last
        result[index] = min(capacities[index], share)
        remaining -= result[index]
    return tuple(result)


def short_by(candidates: int, capacities: Sequence[int]) -> int:
    """How many candidates the rooms cannot seat (0 when they all fit)."""
    return max(0, candidates - sum(capacities))


def standard_rooms_needed(candidates: int, room: int = STANDARD_ROOM) -> int:
    """How many standard rooms hold ``candidates``."""
    return math.ceil(candidates / room) if candidates > 0 else 0


def pick_labs(need: int, labs: Sequence[tuple[K, int]]) -> tuple[list[K], int]:
    """Which labs (key, capacity) to open as rooms for ``need`` candidates: largest first
    until the rest fits in one lab, then the smallest lab that holds the rest. Returns the
    keys picked (in that order) and how many candidates are still without a seat (0 when
    the labs are enough; otherwise every lab is taken)."""
    # Largest first; labs of one size keep the order given (by name, say).
    free = [lab for lab in sorted(labs, key=lambda lab: -lab[1]) if lab[1] > 0]
    picked: list[K] = []
    remaining = need
    while remaining > 0 and free:
        fitting = [lab for lab in free if lab[1] >= remaining]
        chosen = min(fitting, key=lambda lab: lab[1]) if fitting else free[0]  # best fit
        picked.append(chosen[0])
        free.remove(chosen)
        remaining -= chosen[1]
    return picked, max(0, remaining)
