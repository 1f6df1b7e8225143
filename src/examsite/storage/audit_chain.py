"""The audit log's hash chain (issue 13): what an entry's ``hash`` is made of.

Each entry carries ``prev_hash`` (the hash of the entry before it by id; ``GENESIS`` for
the first) and ``hash`` = SHA-256 (hex) over ``prev_hash`` followed by the entry's
canonical text: the JSON array ``[at, actor, action, entity, entity_id, before, after]``
with ``at`` as ISO text, keys sorted, no spaces, non-ASCII as is. A removed entry breaks
the next entry's ``prev_hash``; an altered one its own ``hash``.

Here in storage/ because the migration that chains the rows already there (0007), the
writer (``services.audit``) and the check (``services.audit_verify``) must agree on every
byte. ``canonical_json`` of ``before``/``after`` is also what the writer stores: the JSON
of a plain value reads back to a value whose canonical JSON is the same text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any, Final

GENESIS: Final = "0" * 64
#: What the triggers say when a statement tries to change or remove an entry.
APPEND_ONLY: Final = "audit_log is append-only"

_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
# What that encoder writes for a str (the C version where there is one).
_string: Callable[[str], str] = json.encoder.encode_basestring


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON: keys sorted, compact, non-ASCII kept."""
    return _encode(value)


def entry_head(at: dt.datetime, actor: str, action: str, entity: str, entity_id: str) -> str:
    """The canonical text of the entry's fields before ``before``, without the closing
    bracket: ``[at,actor,action,entity,entity_id``."""
    return _encode([at.isoformat(), actor, action, entity, entity_id])[:-1]


def head_writer(at: dt.datetime) -> Callable[[str, str, str, str], str]:
    """``entry_head`` for many entries of one moment, several times faster (an import
    logs 20,000): the time and each (actor, action, entity) encoded once, only the
    ``entity_id`` per entry. The same text as ``entry_head``."""
    start = _encode([at.isoformat()])[:-1] + ","
    known: dict[tuple[str, str, str], str] = {}

    def head(actor: str, action: str, entity: str, entity_id: str) -> str:
        middle = known.get((actor, action, entity))
        if middle is None:
            middle = known[(actor, action, entity)] = (
                f"{start}{_string(actor)},{_string(action)},{_string(entity)},"
            )
        return middle + _string(entity_id)

    return head


def chain_hash(prev_hash: str, head: str, before_json: str, after_json: str) -> str:
    """The entry's hash from its predecessor's and its canonical parts."""
    text = f"{prev_hash}{head},{before_json},{after_json}]"
    return hashlib.sha256(text.encode()).hexdigest()


def entry_hash(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any,
    after: Any,
) -> str:
    """The hash of an entry as read from the database (``before``/``after`` parsed)."""
    head = entry_head(at, actor, action, entity, entity_id)
    return chain_hash(prev_hash, head, _encode(before), _encode(after))


# --- the triggers ---------------------------------------------------------------------------

SQLITE_TRIGGERS: Final = tuple(
    f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
    for verb in ("UPDATE", "DELETE")
)
SQLITE_DROP_TRIGGERS: Final = tuple(
    f"DROP TRIGGER IF EXISTS audit_log_no_{verb}" for verb in ("update", "delete")
)

POSTGRESQL_TRIGGERS: Final = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'insufficient_privilege'; "
    "END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)
POSTGRESQL_DROP_TRIGGERS: Final = (
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "DROP FUNCTION IF EXISTS audit_log_append_only()",
)
