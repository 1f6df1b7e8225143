"""A certificate's rules: how many invigilators a room needs and how a result is scored.

The certifying organisations differ (DESIGN.md, "Business rules"), so each certificate
carries its own rules as typed values:

- ``InvigilatorRule``: 000 (博导前程) wants "2 below 60, 3 from 60, and so on" — the floor
  of candidates / 20, at least 2; 003 (中教畅享) wants 2 up to 40 and "at least 1:20" above
  — the ceiling of candidates / 20 from 40 on, at least 2.
- ``ScoringRule``: weighted (003: theory 30 % + practical 70 %, pass at 60; the weights are
  on the subjects) or every subject passed.

``parse_invigilator_rule`` and ``parse_scoring_rule`` read them from plain data (the
catalog file, a JSON column) and return every problem instead of raising; ``to_plain``
writes them back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, TypeVar

from examsite.domain.problems import Problem, error

INVIGILATOR_RULE: Final = "invigilator_rule"
SCORING_RULE: Final = "scoring_rule"
WEIGHT_TOLERANCE: Final = 1e-6

_E = TypeVar("_E", bound=StrEnum)


class Rounding(StrEnum):
    """How candidates / ratio becomes a whole number of invigilators."""

    FLOOR = "floor"
    CEIL = "ceil"


class ScoringKind(StrEnum):
    WEIGHTED = "weighted"  # sum of score x subject weight, against the rule's pass mark
    ALL_PASS = "all_pass"  # every subject at or above its own pass mark


@dataclass(frozen=True)
class InvigilatorRule:
    """Invigilators a room needs: at least ``min_per_room``; from ``from_candidates``
    candidates on, one per ``candidates_per_invigilator`` (rounded by ``rounding``).
    ``source`` says which document the rule comes from."""

    min_per_room: int = 2
    candidates_per_invigilator: int = 20
    from_candidates: int = 0
    rounding: Rounding = Rounding.CEIL
    source: str = ""

    def required(self, candidates: int) -> int:
        """The number of invigilators for a room of ``candidates``."""
        if candidates < 0:
            raise ValueError(f"negative number of candidates: {candidates}")
        if candidates < self.from_candidates:
            return self.min_per_room
        ratio = candidates / self.candidates_per_invigilator
        by_ratio = math.floor(ratio) if self.rounding is Rounding.FLOOR else math.ceil(ratio)
        return max(self.min_per_room, by_ratio)

    def to_plain(self) -> dict[str, Any]:
        plain: dict[str, Any] = {
            "min_per_room": self.min_per_room,
            "candidates_per_invigilator": self.candidates_per_invigilator,
            "from_candidates": self.from_candidates,
            "rounding": self.rounding.value,
        }
        if self.source:
            plain["source"] = self.source
        return plain

    @classmethod
    def from_plain(cls, data: object) -> InvigilatorRule:
        """The rule ``to_plain`` wrote; a ValueError when it is not one (stored data)."""
        rule, problems = parse_invigilator_rule(data)
        if rule is None:
            raise ValueError(f"not an invigilator rule: {data!r} ({problems})")
        return rule


@dataclass(frozen=True)
class ScoringRule:
    """How a certificate's result follows from its subject scores. ``pass_mark`` is the
    weighted total's pass mark (None for ``all_pass``, where each subject has its own)."""

    kind: ScoringKind = ScoringKind.ALL_PASS
    pass_mark: float | None = None
    source: str = ""

    def to_plain(self) -> dict[str, Any]:
        plain: dict[str, Any] = {"kind": self.kind.value}
        if self.pass_mark is not None:
            plain["pass_mark"] = self.pass_mark
        if self.source:
            plain["source"] = self.source
        return plain

    @classmethod
    def from_plain(cls, data: object) -> ScoringRule:
        """The rule ``to_plain`` wrote; a ValueError when it is not one (stored data)."""
        rule, problems = parse_scoring_rule(data)
        if rule is None:
            raise ValueError(f"not a scoring rule: {data!r} ({problems})")
        return rule


def parse_invigilator_rule(
    data: object, *, certificate: str = ""
) -> tuple[InvigilatorRule | None, tuple[Problem, ...]]:
    """The rule in ``data`` (a mapping), or None and why not."""
    reader = _Reader(data, INVIGILATOR_RULE, certificate)
    if not reader.ok:
        return None, reader.problems_found()
    reader.unknown_fields(
        {"min_per_room", "candidates_per_invigilator", "from_candidates", "rounding", "source"}
    )
    minimum = reader.whole("min_per_room", minimum=1)
    ratio = reader.whole("candidates_per_invigilator", minimum=1)
    start = reader.whole("from_candidates", minimum=0, default=0)
    rounding = reader.choice("rounding", Rounding, Rounding.CEIL)
    source = reader.text("source")
    if reader.problems or minimum is None or ratio is None or start is None or rounding is None:
        return None, reader.problems_found()
    return InvigilatorRule(minimum, ratio, start, rounding, source), ()


def parse_scoring_rule(
    data: object,
    *,
    certificate: str = "",
    subject_weights: Mapping[str, float] | None = None,
) -> tuple[ScoringRule | None, tuple[Problem, ...]]:
    """The rule in ``data``, or None and why not. With ``subject_weights`` (weight by
    subject kind) a weighted rule also checks that the weights add up to 1."""
    reader = _Reader(data, SCORING_RULE, certificate)
    if not reader.ok:
        return None, reader.problems_found()
    kind = reader.choice("kind", ScoringKind)
    if kind is None:
        return None, reader.problems_found()
    if kind is ScoringKind.ALL_PASS:
        reader.unknown_fields({"kind", "source"})
        pass_mark = None
    else:
        reader.unknown_fields({"kind", "pass_mark", "source"})
        pass_mark = reader.number("pass_mark", maximum=100)
        if subject_weights is not None:
            total = sum(subject_weights.values())
            if abs(total - 1) > WEIGHT_TOLERANCE:
                reader.add(
                    error(
                        "catalog.weights_not_one",
                        column="subjects.weight",
                        certificate=certificate,
                        total=round(total, 6),
                    )
                )
    source = reader.text("source")
    if reader.problems or (kind is ScoringKind.WEIGHTED and pass_mark is None):
        return None, reader.problems_found()
    return ScoringRule(kind, pass_mark, source), ()


class _Reader:
    """Reads the fields of one rule and collects what is wrong with them."""

    def __init__(self, data: object, name: str, certificate: str) -> None:
        self.name = name
        self.certificate = certificate
        self.problems: list[Problem] = []
        self.data: Mapping[str, Any] = {}
        if data is None:
            self.add(
                error("catalog.rule_missing", column=name, certificate=certificate, field=name)
            )
        elif not isinstance(data, Mapping):
            self.add(
                error(
                    "catalog.rule_not_an_object", column=name, certificate=certificate, field=name
                )
            )
        else:
            self.data = data

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def problems_found(self) -> tuple[Problem, ...]:
        return tuple(self.problems)

    def _missing(self, field: str) -> None:
        self.add(
            error("catalog.rule_missing", column=field, certificate=self.certificate, field=field)
        )

    def unknown_fields(self, known: set[str]) -> None:
        for key in sorted(set(self.data) - known):
            field = f"{self.name}.{key}"
            allowed = "、".join(sorted(known))
            self.add(
                error(
                    "catalog.rule_unknown_field",
                    column=field,
                    certificate=self.certificate,
                    field=field,
                    allowed=allowed,
                )
            )

    def whole(self, key: str, *, minimum: int, default: int | None = None) -> int | None:
        field = f"{self.name}.{key}"
        value = self.data.get(key)
        if value is None:
            if default is None:
                self._missing(field)
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.add(
                error(
                    "catalog.rule_not_a_count",
                    column=field,
                    certificate=self.certificate,
                    field=field,
                    value=value,
                    minimum=minimum,
                )
            )
            return None
        return value

    def number(self, key: str, *, maximum: float) -> float | None:
        field = f"{self.name}.{key}"
        value = self.data.get(key)
        if value is None:
            self._missing(field)
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value <= maximum
        ):
            self.add(
                error(
                    "catalog.rule_not_a_mark",
                    column=field,
                    certificate=self.certificate,
                    field=field,
                    value=value,
                    maximum=maximum,
                )
            )
            return None
        return float(value)

    def choice(self, key: str, kind: type[_E], default: _E | None = None) -> _E | None:
        field = f"{self.name}.{key}"
        value = self.data.get(key)
        if value is None:
            if default is None:
                self._missing(field)
            return default
        try:
            return kind(value)
        except ValueError:
            allowed = "、".join(member.value for member in kind)
            self.add(
                error(
                    "catalog.rule_unknown_kind",
                    column=field,
                    certificate=self.certificate,
                    field=field,
                    value=value,
                    allowed=allowed,
                )
            )
            return None

    def text(self, key: str) -> str:
        value = self.data.get(key, "")
        return value if isinstance(value, str) else str(value)
