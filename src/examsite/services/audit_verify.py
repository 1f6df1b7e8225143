"""Reading the audit log back: the hash chain checked entry by entry (``verify_audit``)
and the entries a coordinator asks for (``list_audit``).

The chain (``storage.audit_chain``) shows an entry altered behind the program's back (its
``hash`` no longer matches its content) and an entry removed (the next entry's
``prev_hash`` no longer matches the entry before it). Someone who rewrites the log and
recomputes every hash after the change (a re-chained tail) leaves a chain that holds
together on its own: only a hash noted outside the file shows it. ``verify_audit`` takes
such an anchor (an entry's id and hash, as an earlier check printed them) and reports the
entry when it is gone or its hash differs.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from examsite.storage.audit_chain import GENESIS, canonical_json, chain_hash, entry_head
from examsite.storage.db import Database
from examsite.storage.models import AuditLog

#: Entries read per query: the walk holds one batch at a time, whatever the log's size.
BATCH: Final = 5000

#: Why the chain broke at ``first_broken``.
ALTERED: Final = "altered"  # the entry's content no longer gives its hash
UNLINKED: Final = "unlinked"  # its prev_hash is not the previous entry's hash
ANCHOR_MISSING: Final = "anchor_missing"  # the anchored entry is gone
ANCHOR_CHANGED: Final = "anchor_changed"  # the anchored entry's hash differs


@dataclass(frozen=True)
class AuditCheck:
    """The chain's state: ``ok``, how many entries, the first broken one (its id) and why
    (``ALTERED``, ``UNLINKED``, ``ANCHOR_*``; "" when ok); the last entry's id and hash, to
    note down as the next check's anchor."""

    ok: bool
    entries: int
    first_broken: int | None
    reason: str
    last_id: int | None
    last_hash: str


@dataclass(frozen=True)
class AuditRecord:
    """One entry as ``audit list`` shows it."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


_COLUMNS = (
    AuditLog.id,
    AuditLog.at,
    AuditLog.actor,
    AuditLog.action,
    AuditLog.entity,
    AuditLog.entity_id,
    AuditLog.before,
    AuditLog.after,
)
#: The walk reads ``before``/``after`` as the text stored (CAST: psycopg would parse a
#: json column itself).
_CHAIN_COLUMNS = (
    *_COLUMNS[:6],
    cast(AuditLog.before, Text).label("before"),
    cast(AuditLog.after, Text).label("after"),
    AuditLog.prev_hash,
    AuditLog.hash,
)


def verify_audit(db: Database, anchor: tuple[int, str] | None = None) -> AuditCheck:
    """Walk the chain in id order, in batches; stops at the first broken entry."""
    with db.read() as session:
        return verify_audit_in(session, anchor)


def verify_audit_in(session: Session, anchor: tuple[int, str] | None = None) -> AuditCheck:
    previous = GENESIS
    last_id = 0
    entries = 0
    anchor_seen = anchor is None
    while True:
        rows = session.execute(
            select(*_CHAIN_COLUMNS).where(AuditLog.id > last_id).order_by(AuditLog.id).limit(BATCH)
        ).all()
        if not rows:
            break
        for row in rows:
            entries += 1
            if row.prev_hash != previous:
                return _broken(entries, row.id, UNLINKED, last_id, previous)
            if not _holds(row):
                return _broken(entries, row.id, ALTERED, last_id, previous)
            if anchor is not None and row.id == anchor[0]:
                if row.hash != anchor[1]:
                    return _broken(entries, row.id, ANCHOR_CHANGED, last_id, previous)
                anchor_seen = True
            previous = row.hash
            last_id = row.id
    if not anchor_seen and anchor is not None:
        return _broken(entries, anchor[0], ANCHOR_MISSING, last_id, previous)
    return AuditCheck(True, entries, None, "", last_id or None, previous if last_id else "")


def _holds(row: Any) -> bool:
    """Whether the entry's content still gives its hash. First over the JSON text as
    stored (what ``record_many`` hashed: one hash, no parsing); then, for entries stored
    in another form (chained by migration 0007), over the canonical JSON of the values."""
    head = entry_head(row.at, row.actor, row.action, row.entity, row.entity_id)
    before = "null" if row.before is None else row.before
    after = "null" if row.after is None else row.after
    if chain_hash(row.prev_hash, head, before, after) == row.hash:
        return True
    try:
        values = [json.loads(text) for text in (before, after)]
    except ValueError:  # not JSON any more: changed
        return False
    canonical = [canonical_json(value) for value in values]
    return bool(chain_hash(row.prev_hash, head, *canonical) == row.hash)


def _broken(entries: int, at_id: int, reason: str, last_id: int, previous: str) -> AuditCheck:
    return AuditCheck(False, entries, at_id, reason, last_id or None, previous if last_id else "")


# --- listing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What ``audit list`` asks for; every field optional. ``candidate`` matches an ID
    number (or any text) anywhere in ``entity_id``; the dates are inclusive days."""

    person: str | None = None
    candidate: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    entity: str | None = None
    limit: int = 100


def list_audit(db: Database, wanted: AuditFilter) -> list[AuditRecord]:
    with db.read() as session:
        return list_audit_in(session, wanted)


def list_audit_in(session: Session, wanted: AuditFilter) -> list[AuditRecord]:
    """The entries ``wanted`` names, newest first, at most ``wanted.limit``."""
    query = select(*_COLUMNS).order_by(AuditLog.id.desc()).limit(max(wanted.limit, 0))
    if wanted.person:
        query = query.where(AuditLog.actor == wanted.person)
    if wanted.candidate:
        pattern = "%" + _escape_like(wanted.candidate.strip().upper()) + "%"
        query = query.where(AuditLog.entity_id.like(pattern, escape="\\"))
    if wanted.entity:
        query = query.where(AuditLog.entity == wanted.entity)
    if wanted.since:
        query = query.where(AuditLog.at >= dt.datetime.combine(wanted.since, dt.time()))
    if wanted.until:
        end = dt.datetime.combine(wanted.until + dt.timedelta(days=1), dt.time())
        query = query.where(AuditLog.at < end)
    return [AuditRecord(*row) for row in session.execute(query)]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
