"""The deletions a transfer bundle carries, merged (``services.transfer_merge.Merge``).

For each tombstone in the bundle (``services.tombstones``):

- the record is not here (never was, or deleted here too): the tombstone is kept here as
  well, so that a third PC's older bundle does not bring the record back;
- the record is here and did not change here since the deletion (with a sync baseline:
  every field as last received from the sending site; without one: its last change
  before ``deleted_at``): it is deleted, logged, and its tombstone kept;
- it (or the check-in of its seats) changed here since: a conflict like the others
  (``deleted``: 保留 / 删除); "theirs" deletes it, "mine" keeps it and moves its change
  time past the deletion, so that the next bundle from here brings it back there;
- something here still uses it (a candidate's registration, a room's seats, a member of
  staff's invigilation duty): it stays, and the report says why.

A record arriving in the bundle whose key has a tombstone here is brought back only when
it changed after that deletion. A tombstone once merged (the baseline remembers it) is
not asked about again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from examsite import clock
from examsite.errors import InputError
from examsite.services import tombstones
from examsite.services.audit import AuditEntry
from examsite.services.tombstones import TOMBSTONED, Buried
from examsite.services.transfer_records import (
    ACTOR,
    ENTITY_TITLES,
    SPEC_BY_ENTITY,
    Change,
    Conflict,
    FieldConflict,
    Refused,
    SiteRecords,
    Spec,
    value_hash,
)

DELETED_FIELD = "deleted"
KEEP, DELETE = "保留", "删除"
_HANDLED = "tombstone:"  # baseline key prefix: a tombstone already merged


class Deletions:
    """What the bundle's tombstones do to this database."""

    def __init__(
        self,
        mine: SiteRecords,
        theirs: Buried,
        here: Buried,
        baseline: Mapping[str, Mapping[str, str]],
        resolutions: Mapping[str, str],
        label: Callable[[str, Mapping[str, Any]], str],
        translate: Callable[[str, str], str] = lambda _entity, key: key,
        closed: Callable[[str], InputError | None] = lambda _plan: None,
    ) -> None:
        self.mine = mine
        self.theirs = theirs
        self.here = here
        self.baseline = baseline
        self.resolutions = resolutions
        self.label = label
        self.here_key = translate
        self.closed = closed  # plan code → why its registrations are frozen (None: open)
        self.delete: list[tuple[str, str, str]] = []  # entity, key, deleted_at
        self.kept: list[tuple[str, str, str]] = []  # ours kept over their deletion
        self.absent: Buried = {}  # deleted there, not here: the tombstone kept here too
        self.revived: dict[str, list[str]] = {}  # brought back over a tombstone here
        self.handled: dict[str, str] = {}
        self.conflicts: list[Conflict] = []
        self.refused: list[Refused] = []
        self.deleted: dict[str, int] = {}
        self._checked_in: dict[str, list[tuple[str, Mapping[str, Any]]]] | None = None

    # planning

    def plan(self) -> None:
        for entity in TOMBSTONED:
            spec = SPEC_BY_ENTITY[entity]
            records = self.mine.records.get(entity, {})
            stones = {self.here_key(entity, k): at for k, at in self.theirs.get(entity, {}).items()}
            for key, at in sorted(stones.items()):
                handled = f"{_HANDLED}{entity}:{key}"
                if dict(self.baseline.get(handled) or {}).get("deleted_at") == at:
                    continue  # merged before
                self.handled[handled] = at
                plain = records.get(key)
                if plain is None:
                    self.absent.setdefault(entity, {})[key] = at
                    continue
                if self._changed_here(spec, key, plain, at):
                    record_key = f"{entity}:{key}"
                    choice = self.resolutions.get(record_key)
                    field = FieldConflict(DELETED_FIELD, KEEP, DELETE)
                    self.conflicts.append(
                        Conflict(record_key, entity, self.label(entity, plain), (field,), choice)
                    )
                    if choice == "mine":
                        self.kept.append((entity, key, at))
                    if choice != "theirs":
                        continue
                self.delete.append((entity, key, at))
        self._keep_what_is_used()
        self._keep_frozen_registrations()
        for entity, _key, _at in self.delete:
            self.deleted[entity] = self.deleted.get(entity, 0) + 1

    def _changed_here(self, spec: Spec, key: str, plain: Mapping[str, Any], at: str) -> bool:
        """Whether the record, or the check-in that goes with it (a seat's, a
        registration's seats'), changed here since the deletion."""
        if self._record_changed(spec, key, plain, at):
            return True
        if spec.entity not in ("seat", "registration"):
            return False
        attendance = SPEC_BY_ENTITY["attendance"]
        if self._checked_in is None:  # registration uid → its seats' check-in
            self._checked_in = {}
            for k, p in self.mine.records.get("attendance", {}).items():
                self._checked_in.setdefault(k.partition("|")[0], []).append((k, p))
        found = self._checked_in.get(key.partition("|")[0], [])
        if spec.entity == "seat":
            found = [(k, p) for k, p in found if k == key]
        return any(self._record_changed(attendance, k, p, at) for k, p in found)

    def _record_changed(self, spec: Spec, key: str, plain: Mapping[str, Any], at: str) -> bool:
        """Whether the record changed here since the sending site last had it (or, with
        no baseline for it, after ``at``)."""
        base = self.baseline.get(f"{spec.entity}:{key}")
        if base:
            return any(
                name in plain and value_hash(plain[name]) != digest for name, digest in base.items()
            )
        return str(plain.get(spec.stamp)) > at

    def _keep_what_is_used(self) -> None:
        if not self.delete:
            return
        gone = {(entity, key) for entity, key, _at in self.delete}
        records = self.mine.records
        rooms_of = {k: p.get("room") for k, p in records.get("room_session", {}).items()}
        users: dict[tuple[str, str], list[str]] = {}
        for key, plain in records.get("registration", {}).items():
            if ("registration", key) not in gone:
                users.setdefault(("candidate", str(plain.get("candidate"))), []).append("报考")
        for key, plain in records.get("seat", {}).items():
            registration = key.partition("|")[0]
            if ("seat", key) not in gone and ("registration", registration) not in gone:
                room = rooms_of.get(str(plain.get("room_session")))
                users.setdefault(("room", str(room)), []).append("座位")
        for key, plain in records.get("assignment", {}).items():
            room = rooms_of.get(str(plain.get("room_session")))
            if ("assignment", key) not in gone and ("room", str(room)) not in gone:
                users.setdefault(("staff", str(plain.get("staff"))), []).append("监考安排")
        kept = []
        for entity, key, at in self.delete:
            uses = users.get((entity, key))
            if not uses:
                kept.append((entity, key, at))
                continue
            plain = records[entity][key]
            label = self.label(entity, plain)
            error = InputError(
                "bundle.transfer_delete_in_use",
                what=ENTITY_TITLES[entity],
                label=label,
                uses="、".join(dict.fromkeys(uses)),
                count=len(uses),
            )
            self.refused.append(Refused(f"{entity}:{key}", label, error.code, error.message))
            self.handled.pop(f"{_HANDLED}{entity}:{key}", None)  # asked again next time
        self.delete = kept

    def _keep_frozen_registrations(self) -> None:
        """A withdrawal merged after its plan's registration deadline is refused (the
        same rule as an added or changed registration, ``Merge._refused``; the database
        refuses it too, ``storage.registration_freeze``): it stays, and the report says
        why; the next bundle asks again."""
        kept = []
        for entity, key, at in self.delete:
            plain = self.mine.records[entity][key] if entity == "registration" else None
            error = self.closed(str(plain.get("plan"))) if plain is not None else None
            if error is None:
                kept.append((entity, key, at))
                continue
            label = self.label(entity, plain or {})
            self.refused.append(Refused(f"{entity}:{key}", label, error.code, error.message))
            self.handled.pop(f"{_HANDLED}{entity}:{key}", None)
        self.delete = kept

    def stays_deleted(self, spec: Spec, key: str, plain: Mapping[str, Any]) -> bool:
        """Whether an arriving record (not here) stays deleted: a tombstone here no older
        than the record's last change. A newer change brings it back."""
        at = self.here.get(spec.entity, {}).get(key)
        if at is None:
            return False
        if spec.stamped and str(plain.get(spec.stamp)) > at:
            self.revived.setdefault(spec.entity, []).append(key)
            return False
        return True

    def changes(self) -> list[Change]:
        return [Change(f"{e}:{k}", e, "delete", ()) for e, k, _at in self.delete]

    # applying

    def apply(self, session: Session) -> list[AuditEntry]:
        """Delete, keep the tombstones, move the kept records' time on; the audit entries."""
        entries: list[AuditEntry] = []
        for entity in TOMBSTONED:
            spec = SPEC_BY_ENTITY[entity]
            mine = [(k, at) for e, k, at in self.delete if e == entity]
            if not mine:
                continue
            ids = [self.mine.id_of[entity][key] for key, _at in mine]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                session.execute(delete(spec.model).where(spec.model.id.in_(chunk)))
            for key, at in mine:
                before = self.mine.records[entity][key]
                entries.append(AuditEntry("delete", entity, key, before, None, ACTOR))
                tombstones.bury(session, entity, [key], dt.datetime.fromisoformat(at))
        if self.delete:
            session.expunge_all()  # the deleted rows' objects must not linger (ids are reused)
        tombstones.merge_into(session, self.absent)
        for entity, key, at in self.kept:
            spec = SPEC_BY_ENTITY[entity]
            moment = max(clock.now(), dt.datetime.fromisoformat(at) + dt.timedelta(seconds=1))
            row_id = self.mine.id_of[entity][key]
            session.execute(
                update(spec.model).where(spec.model.id == row_id).values({spec.stamp: moment})
            )
        return entries

    def brought_back(self, session: Session) -> None:
        """After the merge: the tombstones of the records it brought back go."""
        for entity, keys in self.revived.items():
            made = self.mine.id_of.get(entity, {})
            tombstones.unbury(session, entity, [key for key in keys if key in made])

    def remember(self, baseline: dict[str, dict[str, str]]) -> None:
        """Remember the merged tombstones; forget the deleted records' common ground."""
        for handled, at in self.handled.items():
            baseline[handled] = {"deleted_at": at}
        for entity, key, _at in self.delete:
            baseline.pop(f"{entity}:{key}", None)
