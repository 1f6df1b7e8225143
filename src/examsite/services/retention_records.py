"""The values the retention use case (``services.retention``) hands out: each round's
retention date, the preview of a purge and what a purge did. Plain frozen dataclasses
with their ``--json`` shapes; nothing here opens a session."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RoundRetention:
    """One round (an exam plan with registrations) and its retention date."""

    plan_code: str
    plan_name: str
    publication_end: dt.datetime
    months: int
    own_months: bool  # the plan's own period, not the site's default
    retain_until: dt.datetime
    due: bool
    candidates: int
    purged_at: dt.datetime | None
    days_past: int | None = None  # whole days since the retention date (None: not due)

    @property
    def offered(self) -> bool:
        """Whether the director is offered a purge (due and not purged yet)."""
        return self.due and self.purged_at is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_code,
            "plan_name": self.plan_name,
            "publication_end": self.publication_end.isoformat(),
            "months": self.months,
            "own_months": self.own_months,
            "retain_until": self.retain_until.isoformat(),
            "due": self.due,
            "candidates": self.candidates,
            "purged_at": self.purged_at.isoformat() if self.purged_at else None,
            "days_past": self.days_past,
        }


@dataclass(frozen=True)
class RetentionStatus:
    default_months: int
    rounds: tuple[RoundRetention, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "default_months": self.default_months,
            "rounds": [r.as_dict() for r in self.rounds],
        }


@dataclass(frozen=True)
class PurgeCandidate:
    """A candidate of the round in the preview: whose data goes, or who is kept and for
    which other rounds."""

    id_number: str
    name: str
    kind: str
    phone: bool
    photo: bool
    kept_for: tuple[str, ...] = ()  # the plans that keep them (empty: purged)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id_number": self.id_number,
            "name": self.name,
            "kind": self.kind,
            "phone": self.phone,
            "photo": self.photo,
            "kept_for": list(self.kept_for),
        }


@dataclass(frozen=True)
class PurgeCounts:
    candidates: int  # anonymised
    photos: int  # deleted
    kept: int  # in another round still within its retention
    tickets: int  # ticket numbers cleared
    certificate_numbers: int
    notes: int  # exam-day notes and incident texts cleared

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class PurgePreview:
    round: RoundRetention
    counts: PurgeCounts
    purged: tuple[PurgeCandidate, ...]
    kept: tuple[PurgeCandidate, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.round.as_dict(),
            "counts": self.counts.as_dict(),
            "candidates": [c.as_dict() for c in self.purged],
            "kept": [c.as_dict() for c in self.kept],
            "notes": preview_notes(),
        }


@dataclass(frozen=True)
class PurgeResult:
    plan_code: str
    at: dt.datetime
    counts: PurgeCounts
    backup: Path | None  # None on a school server (the IT staff's pg_dump)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_code,
            "purged_at": self.at.isoformat(),
            "counts": self.counts.as_dict(),
            "backup": str(self.backup) if self.backup else None,
            "audit_logged": True,
        }


def preview_notes() -> list[str]:
    """What the director reads before a purge (the window and the CLI say the same)."""
    from examsite.messages import text

    return [
        text("retention.note_goes"),
        text("retention.note_kept"),
        text("retention.note_audit"),
        text("retention.note_backup"),
    ]
