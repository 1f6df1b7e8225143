"""The audit log: who changed what, when, before and after (DESIGN.md).

Services call ``record`` inside their unit of work, so the log entry is committed or rolled
back with the change itself. Imports of thousands of rows use ``record_many``, one bulk
insert. Candidates are logged under their ID number (the key the coordinator knows, and
still meaningful after the candidate is deleted).

``record_many`` is the log's one writer: it chains each entry to the one before
(``storage.audit_chain``). The database refuses UPDATE and DELETE on the log (migration
0007); ``services.audit_verify`` walks the chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Column, MetaData, Table, Text, select
from sqlalchemy.orm import Session

from examsite.storage.access import principal_of
from examsite.storage.audit_chain import GENESIS, canonical_json, chain_hash, head_writer
from examsite.storage.bulk import insert_rows
from examsite.storage.db import WRITE_LOCK_HELD
from examsite.storage.models import AuditLog

_AUDIT_TABLE = cast(Table, AuditLog.__table__)
#: The same table with ``before``/``after`` as text: the writer hands over the JSON it
#: hashed instead of having the column serialise the values a second time.
_AUDIT_ROWS = Table(
    _AUDIT_TABLE.name,
    MetaData(),
    *(
        Column(c.name, Text if c.name in ("before", "after") else c.type, primary_key=c.primary_key)
        for c in _AUDIT_TABLE.columns
    ),
)
_LAST_HASH = select(AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)


@dataclass(frozen=True)
class AuditEntry:
    """One change, ready to be written."""

    action: str  # create / update / delete / import
    entity: str  # "candidate", "registration" …
    entity_id: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    actor: str


def record(
    session: Session,
    action: str,
    entity: str,
    entity_id: str | int,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    actor: str,
) -> None:
    """Add one audit entry to the session's transaction."""
    record_many(session, [AuditEntry(action, entity, str(entity_id), before, after, actor)])


def record_many(session: Session, entries: Iterable[AuditEntry]) -> int:
    """Add many entries in one statement, each chained to the one before it
    (``storage.audit_chain``); returns how many."""
    now = dt.datetime.now().replace(microsecond=0)
    # The last entry's hash, read in the caller's transaction. Safe against another
    # writer: every writer runs inside ``Database.unit_of_work``, which holds the
    # database's write lock (BEGIN IMMEDIATE / the advisory lock) from its first
    # statement, so no entry can be appended between this read and our insert.
    if not session.info.get(WRITE_LOCK_HELD):
        raise RuntimeError("audit entries are written inside Database.unit_of_work only")
    previous = session.execute(_LAST_HASH).scalar() or GENESIS
    head = head_writer(now)
    # The logged-in account, on a site with accounts; else the use case's own word.
    principal = principal_of(session)
    account = principal.name if principal is not None else None
    rows = []
    for e in entries:
        actor = account or e.actor
        before = "null" if e.before is None else canonical_json(_plain(e.before))
        after = "null" if e.after is None else canonical_json(_plain(e.after))
        digest = chain_hash(previous, head(actor, e.action, e.entity, e.entity_id), before, after)
        rows.append(
            {
                "at": now,
                "actor": actor,
                "action": e.action,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "before": before,
                "after": after,
                "prev_hash": previous,
                "hash": digest,
            }
        )
        previous = digest
    # The driver's own executemany: an import logs thousands of entries. ``before`` and
    # ``after`` go as the canonical JSON text just hashed (serialised once).
    return insert_rows(session, _AUDIT_ROWS, rows)


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that changed, as (old values, new values)."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _plain(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    # JSON columns need plain values: dates as ISO text, mappings as dicts.
    if values is None:
        return None
    return {str(key): _json_value(value) for key, value in values.items()}


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _json_value(value: Any) -> Any:
    # The exact-type test first: an import logs 10,000 entries and ABC checks are slow.
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value
