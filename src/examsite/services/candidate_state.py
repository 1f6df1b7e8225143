"""The one service that keeps each candidate's status up to date, and counts candidates.

Whatever changes a candidate's data or photo (the form, an import, a photo import or fix,
the demo) calls ``refresh_statuses`` inside its unit of work; the status column is then
decided by ``domain.candidate_status.decide_status`` from the same facts every page
counts with (``candidate_facts``). ``count_candidates`` gives the figures the dashboard,
the sidebar, the candidates page, the photos page and ``status --json`` all show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from examsite.domain.candidate_status import (
    REQUIRED_FIELDS,
    CandidateIssue,
    PhotoState,
    candidate_issues,
    decide_status,
    missing_fields,
    photo_state,
)
from examsite.storage.models import Candidate, Photo
from examsite.storage.purged import is_purged_candidate

#: Candidates refreshed per statement (SQLite caps the parameters of one statement).
_CHUNK = 2000

#: The columns the facts are decided from.
_REQUIRED_COLUMNS = tuple(
    dict.fromkeys(name for fields in REQUIRED_FIELDS.values() for name in fields)
)


@dataclass(frozen=True)
class CandidateFacts:
    """What is known about a candidate's completeness, photo and platform state."""

    missing: tuple[str, ...]
    photo: PhotoState
    issues: frozenset[CandidateIssue]
    status: str  # the status column as ``decide_status`` decides it


def candidate_facts(row: Mapping[Any, Any]) -> CandidateFacts:
    """The facts of one candidate from a row holding ``kind``, the required fields,
    ``platform_status`` and the photo's ``verdict`` (None without a photo)."""
    missing = tuple(missing_fields(row["kind"], row))
    return _facts(missing, photo_state(row["verdict"]), row["platform_status"])


@lru_cache(maxsize=512)
def _facts(
    missing: tuple[str, ...], photo: PhotoState, platform_status: str | None
) -> CandidateFacts:
    # Most candidates share their facts: decided once per combination (they are frozen),
    # which saves a third of listing 10,000 candidates.
    issues = candidate_issues(missing=missing, photo=photo, platform_status=platform_status)
    return CandidateFacts(missing, photo, issues, decide_status(issues, platform_status).value)


def facts_select() -> Select[Any]:
    """Every column ``candidate_facts`` needs, with the candidate's id and status."""
    columns = [getattr(Candidate, name) for name in _REQUIRED_COLUMNS]
    return (
        select(
            Candidate.id,
            Candidate.kind,
            Candidate.status,
            Candidate.platform_status,
            Photo.verdict,
            *columns,
        )
        .outerjoin(Photo, Photo.candidate_id == Candidate.id)
        .where(~is_purged_candidate())
    )


def refresh_statuses(
    session: Session,
    *,
    ids: Iterable[int] | None = None,
    id_numbers: Iterable[str] | None = None,
) -> int:
    """Recompute the status of the given candidates (all when neither is given) after
    their data or photo changed; returns how many changed."""
    session.flush()  # decide from what the unit of work has written so far
    if ids is None and id_numbers is None:
        batches: list[Select[Any]] = [facts_select()]
    else:
        key, wanted = (
            (Candidate.id, list(ids))
            if ids is not None
            else (Candidate.id_number, list(id_numbers or ()))
        )
        batches = [
            facts_select().where(key.in_(wanted[i : i + _CHUNK]))
            for i in range(0, len(wanted), _CHUNK)
        ]
    changes: list[dict[str, Any]] = []
    for statement in batches:
        for row in session.connection().execute(statement).mappings():
            status = candidate_facts(row).status
            if status != row["status"]:
                changes.append({"id": row["id"], "status": status})
    if changes:
        session.execute(update(Candidate), changes)
        # Candidates the session already holds must not keep their old status.
        session.expire_all()
    return len(changes)


@dataclass(frozen=True)
class CandidateCounts:
    """The candidate figures every page shows.

    ``by_issue`` counts a candidate under each issue it has (a candidate with no photo and
    a missing phone is counted under both); ``to_handle`` counts each candidate with any
    issue once; ``by_photo`` counts candidates by ``PhotoState``.
    """

    total: int
    by_status: Mapping[str, int]
    by_issue: Mapping[str, int]
    by_photo: Mapping[str, int]
    to_handle: int


def count_candidates(session: Session) -> CandidateCounts:
    by_status: Counter[str] = Counter()
    by_issue: Counter[str] = Counter()
    by_photo: Counter[str] = Counter()
    to_handle = 0
    total = 0
    result = session.connection().execute(facts_select())
    names = tuple(result.keys())
    for values in result:
        row = dict(zip(names, values, strict=True))  # cheaper lookups than a RowMapping
        facts = candidate_facts(row)
        total += 1
        by_status[row["status"]] += 1
        by_photo[facts.photo.value] += 1
        by_issue.update(issue.value for issue in facts.issues)
        to_handle += bool(facts.issues)
    return CandidateCounts(total, dict(by_status), dict(by_issue), dict(by_photo), to_handle)
