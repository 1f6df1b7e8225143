"""Which candidate rows are a purged round's anonymous remains (``domain.retention``):
kept behind the round's registrations so that its statistics stay the same, but no longer
candidates — the lists, the counts and the status refresh leave them out."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from examsite.domain.retention import PURGED_PREFIX
from examsite.storage.models import Candidate


def is_purged_candidate() -> ColumnElement[bool]:
    """True for a purged candidate's row (its ID number is a placeholder)."""
    return Candidate.id_number.startswith(PURGED_PREFIX)
