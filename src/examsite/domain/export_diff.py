"""What an upload to the platform changes since the last one: a snapshot of what was
exported (per candidate a fingerprint of the exported fields and the name, per
registration its key) and the difference of two snapshots.

The snapshot is plain JSON data so it can be kept in the ``Setting`` table.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Snapshot:
    """What one export held: ID number → (fingerprint, name); registration keys
    ("<ID>|<certificate code>"); when it was made (ISO time), None for no export yet."""

    candidates: Mapping[str, tuple[str, str]]
    registrations: frozenset[str]
    created: str | None = None

    def to_plain(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "candidates": {k: list(v) for k, v in sorted(self.candidates.items())},
            "registrations": sorted(self.registrations),
        }

    @classmethod
    def from_plain(cls, plain: Mapping[str, Any]) -> Snapshot:
        return cls(
            {str(k): (str(v[0]), str(v[1])) for k, v in plain.get("candidates", {}).items()},
            frozenset(str(k) for k in plain.get("registrations", ())),
            plain.get("created"),
        )


EMPTY = Snapshot({}, frozenset())


def fingerprint(values: Iterable[object]) -> str:
    """A short stable hash of exported values (in their column order)."""
    text = json.dumps([("" if v is None else str(v)) for v in values], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Person:
    id_number: str
    name: str


@dataclass(frozen=True)
class ExportDiff:
    """Who is new, changed or gone since the last export, and which registrations."""

    last_export: str | None
    added: tuple[Person, ...] = ()
    changed: tuple[Person, ...] = ()
    withdrawn: tuple[Person, ...] = ()
    registrations_added: tuple[str, ...] = ()
    registrations_withdrawn: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.changed
            or self.withdrawn
            or self.registrations_added
            or self.registrations_withdrawn
        )

    def as_dict(self) -> dict[str, Any]:
        def people(items: tuple[Person, ...]) -> list[dict[str, str]]:
            return [{"id_number": p.id_number, "name": p.name} for p in items]

        return {
            "last_export": self.last_export,
            "added": people(self.added),
            "changed": people(self.changed),
            "withdrawn": people(self.withdrawn),
            "registrations_added": list(self.registrations_added),
            "registrations_withdrawn": list(self.registrations_withdrawn),
        }


def diff(last: Snapshot, now: Snapshot) -> ExportDiff:
    """What ``now`` changes against ``last``."""
    before, after = last.candidates, now.candidates
    return ExportDiff(
        last.created,
        added=tuple(Person(k, after[k][1]) for k in sorted(after.keys() - before.keys())),
        changed=tuple(
            Person(k, after[k][1])
            for k in sorted(after.keys() & before.keys())
            if after[k][0] != before[k][0]
        ),
        withdrawn=tuple(Person(k, before[k][1]) for k in sorted(before.keys() - after.keys())),
        registrations_added=tuple(sorted(now.registrations - last.registrations)),
        registrations_withdrawn=tuple(sorted(last.registrations - now.registrations)),
    )
