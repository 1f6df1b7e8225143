"""The merge of a transfer bundle into this PC's database (``services.transfer``'s
``import_bundle``): what it would change, planned record by record against the sync
baseline (added, taken, kept, conflicts, refused, deleted), then the change itself in the
caller's transaction. See ``services.transfer`` for the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, Integer, Numeric, String, func, insert, select
from sqlalchemy.orm import Session

from examsite.errors import InputError
from examsite.formats.bundle import BundleError
from examsite.services import audit, tombstones
from examsite.services.registration import ensure_registration_open
from examsite.services.transfer_deletions import Deletions
from examsite.services.transfer_records import (
    ACTOR,
    BASELINE_SETTING,
    ENTITY_TITLES,
    NOT_COMPARED,
    PHOTO_BLOBS,
    PHOTO_FIELDS,
    PHOTO_FOLDER,
    PLAN_WINDOWS,
    REGISTRATION_FIELDS,
    SPECS,
    Change,
    Conflict,
    FieldConflict,
    Refused,
    SiteRecords,
    Spec,
    settings_json,
    value_hash,
)
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Photo,
    RegistrationSubject,
)
from examsite.storage.sql import keys_given

ALIAS = "alias:"  # baseline key prefix: their key of a record this PC keys otherwise
NOT_IN_BULK = frozenset({"plan", "site"})  # their certificates are an association: ORM


class Merge:
    """What merging ``theirs`` into the session's database changes, then the change."""

    def __init__(
        self,
        session: Session,
        file: str,
        theirs: Mapping[str, Any],
        files: Mapping[str, bytes],
        fingerprint: str,
        resolutions: Mapping[str, str],
        buried: tombstones.Buried | None = None,
    ) -> None:
        self.session = session
        self._last_ids: dict[Any, int] = {}
        self._window_closed: dict[str, InputError | None] = {}
        self.file = file
        self.theirs = theirs
        self.files = files
        self.mine = SiteRecords(session, blobs=False)
        self.baseline = settings_json(session, BASELINE_SETTING + fingerprint)
        self.resolutions = resolutions
        # entity → their key → mine, for records made on both PCs apart (found by their
        # natural key); kept in the baseline, so a deletion there finds the record here
        self.alias: dict[str, dict[str, str]] = {}
        for name, value in self.baseline.items():
            if name.startswith(ALIAS) and isinstance(value, dict) and "key" in value:
                entity, _, their_key = name[len(ALIAS) :].partition(":")
                self.alias.setdefault(entity, {})[their_key] = str(value["key"])
        self.conflicts: list[Conflict] = []
        self.refused: list[Refused] = []
        self.changes: list[Change] = []
        self.added: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.unchanged = 0
        self.photos_added = 0
        # entity → [(my key, their plain translated, fields to take or None to create)]
        self.plan: dict[str, list[tuple[str, dict[str, Any], tuple[str, ...] | None]]] = {}
        self.seen: dict[str, dict[str, dict[str, Any]]] = {}
        self.skipped: dict[str, set[str]] = {}
        self.deletions = Deletions(
            self.mine,
            buried or {},
            tombstones.buried(session),
            self.baseline,
            resolutions,
            self._label,
            self._here,
            self._closed,
        )

    # planning

    def _translate(self, spec: Spec, plain: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(plain)
        for name, _column, target in spec.refs:
            value = out.get(name)
            if value is None:
                continue
            if target in ("registration_subject", "seat"):
                uid, _, subject = str(value).partition("|")
                out[name] = f"{self.alias.get('registration', {}).get(uid, uid)}|{subject}"
            else:
                out[name] = self.alias.get(target, {}).get(value, value)
        return out

    def _here(self, entity: str, key: str) -> str:
        """Their stable key of a record as this PC keys it."""
        alias = self.alias
        if entity in ("seat", "attendance"):
            uid, _, subject = key.partition("|")
            return f"{alias.get('registration', {}).get(uid, uid)}|{subject}"
        if entity == "assignment":
            room_session, _, staff = key.partition("|")
            room_session = alias.get("room_session", {}).get(room_session, room_session)
            return f"{room_session}|{alias.get('staff', {}).get(staff, staff)}"
        return alias.get(entity, {}).get(key, key)

    def _label(self, entity: str, plain: Mapping[str, Any]) -> str:
        if entity == "candidate":
            return f"{plain.get('name')}（{plain.get('id_number')}）"
        if entity == "registration":
            return f"{plain.get('candidate')} {plain.get('certificate')}"
        if entity in ("seat", "attendance", "score"):
            return str(plain.get("registration_subject") or plain.get("seat") or "")
        return str(plain.get("name") or plain.get("code") or "")

    def plan_changes(self) -> None:
        deletions = self.deletions
        deletions.plan()
        self.conflicts += deletions.conflicts
        self.refused += deletions.refused
        self.changes += deletions.changes()
        for spec in SPECS:
            records = self.theirs.get(spec.entity) or {}
            if not isinstance(records, dict):
                raise BundleError("bundle.transfer_bad_data", file=self.file, detail=spec.entity)
            mine = self.mine.records.get(spec.entity, {})
            natural = (
                {spec.natural(p): k for k, p in mine.items()} if spec.natural is not None else {}
            )
            steps = self.plan.setdefault(spec.entity, [])
            seen = self.seen.setdefault(spec.entity, {})
            for their_key in sorted(records):
                try:
                    plain = self._translate(spec, records[their_key])
                    key = spec.key(plain)
                    if spec.uid and key not in mine and key in self.alias.get(spec.entity, {}):
                        plain["uid"] = key = self.alias[spec.entity][key]  # matched before
                    if key not in mine and deletions.stays_deleted(spec, key, plain):
                        self.skipped.setdefault(spec.entity, set()).add(key)
                        continue
                    if key not in mine and spec.natural is not None:
                        found = natural.get(spec.natural(plain))
                        if found is not None:
                            self.alias.setdefault(spec.entity, {})[key] = found
                            plain["uid"] = key = found
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    raise BundleError(
                        "bundle.transfer_bad_data", file=self.file, detail=spec.entity
                    ) from exc
                if self._depends_on_skipped(spec, plain):
                    self.skipped.setdefault(spec.entity, set()).add(key)
                    continue
                self._check_catalog(spec, plain)
                if key not in mine:
                    if self._refused(spec, key, plain, None):
                        continue
                    steps.append((key, plain, None))
                    seen[key] = plain
                    self.added[spec.entity] = self.added.get(spec.entity, 0) + 1
                    self.changes.append(Change(f"{spec.entity}:{key}", spec.entity, "create", ()))
                    continue
                take = self._decide(spec, key, mine[key], plain)
                if take and self._refused(spec, key, plain, take):
                    continue
                seen[key] = plain
                if take:
                    steps.append((key, plain, take))
                    self.updated[spec.entity] = self.updated.get(spec.entity, 0) + 1
                    self.changes.append(Change(f"{spec.entity}:{key}", spec.entity, "update", take))
                else:
                    self.unchanged += 1

    def _depends_on_skipped(self, spec: Spec, plain: Mapping[str, Any]) -> bool:
        for name, _column, target in spec.refs:
            value = plain.get(name)
            if value is not None and value in self.skipped.get(target, set()):
                return True
            if target in ("registration_subject", "seat") and value is not None:
                value = str(value).partition("|")[0]
                target = "registration"
            if value is not None and value in self.skipped.get(target, set()):
                return True
        return False

    def _check_catalog(self, spec: Spec, plain: Mapping[str, Any]) -> None:
        titles = {"org": "培训评价组织", "certificate": "证书", "subject": "科目"}
        for name, _column, target in spec.refs:
            value = plain.get(name)
            if target in titles and value is not None and value not in self.mine.id_of[target]:
                raise BundleError(
                    "bundle.transfer_unknown_catalog",
                    file=self.file,
                    what=titles[target],
                    key=value,
                )
        for code in plain.get("certificates") or ():
            if code not in self.mine.id_of["certificate"]:
                raise BundleError(
                    "bundle.transfer_unknown_catalog", file=self.file, what="证书", key=code
                )
        for subject in (plain.get("subjects") or {}) if spec.entity == "registration" else ():
            if subject not in self.mine.id_of["subject"]:
                raise BundleError(
                    "bundle.transfer_unknown_catalog", file=self.file, what="科目", key=subject
                )

    def _decide(
        self, spec: Spec, key: str, mine: Mapping[str, Any], theirs: Mapping[str, Any]
    ) -> tuple[str, ...]:
        record_key = f"{spec.entity}:{key}"
        base = self.baseline.get(record_key) or {}
        take: list[str] = []
        clashes: list[FieldConflict] = []
        for name in sorted(theirs):
            if name in NOT_COMPARED or name == spec.stamp or mine.get(name) == theirs[name]:
                continue
            before = base.get(name)
            if before is not None:
                mine_changed = value_hash(mine.get(name)) != before
                theirs_changed = value_hash(theirs[name]) != before
                if theirs_changed and not mine_changed:
                    take.append(name)
                elif theirs_changed and mine_changed:
                    clashes.append(FieldConflict(name, mine.get(name), theirs[name]))
            elif spec.stamped and str(theirs.get(spec.stamp)) > str(mine.get(spec.stamp)):
                take.append(name)
        if clashes:
            choice = self.resolutions.get(record_key)
            self.conflicts.append(
                Conflict(
                    record_key, spec.entity, self._label(spec.entity, mine), tuple(clashes), choice
                )
            )
            if choice == "theirs":
                take.extend(c.field for c in clashes)
        return tuple(sorted(take))

    def _refused(
        self, spec: Spec, key: str, plain: Mapping[str, Any], take: tuple[str, ...] | None
    ) -> bool:
        """A registration added or changed outside its plan's registration window."""
        if spec.entity != "registration":
            return False
        if take is not None and not set(take) & REGISTRATION_FIELDS:
            return False
        closed = self._closed(str(plain.get("plan")))
        if closed is None:
            return False
        self.refused.append(
            Refused(
                f"registration:{key}",
                self._label("registration", plain),
                closed.code,
                closed.message,
            )
        )
        self.skipped.setdefault("registration", set()).add(key)
        return True

    def _closed(self, plan_code: str) -> InputError | None:
        """Why the plan takes no registration change now (None: it does), once a plan."""
        if plan_code not in self._window_closed:
            self._window_closed[plan_code] = self._registration_closed(plan_code)
        return self._window_closed[plan_code]

    def _registration_closed(self, plan_code: str) -> InputError | None:
        """Why the plan takes no registration now (None: it does); asked once a plan."""
        plan_plain = self.mine.records["plan"].get(plan_code) or self.seen.get("plan", {}).get(
            plan_code
        )
        if plan_plain is None:
            raise BundleError(
                "bundle.transfer_bad_data", file=self.file, detail=f"plan {plan_code}"
            )
        plan = ExamPlan(
            name=plan_plain["name"],
            **{w: dt.datetime.fromisoformat(plan_plain[w]) for w in PLAN_WINDOWS},
        )
        try:
            ensure_registration_open(plan)
        except InputError as exc:
            return exc
        return None

    # applying

    def apply(self) -> None:
        session = self.session
        entries: list[audit.AuditEntry] = self.deletions.apply(session)
        for spec in SPECS:
            steps = self.plan.get(spec.entity, [])
            self._free_unique_values(spec, steps)
            made: list[tuple[str, Any]] = []
            if spec.entity not in NOT_IN_BULK:
                fresh = [(key, plain) for key, plain, take in steps if take is None]
                self._insert_new(spec, fresh, entries)
                steps = [step for step in steps if step[2] is not None]
            for key, plain, take in steps:
                if take is None:
                    row = spec.model()
                    self._set(spec, row, plain, [*spec.simple, *(r[0] for r in spec.refs)])
                    self._set_special(spec, row, plain, None)
                    session.add(row)
                    made.append((key, row))
                    entries.append(audit.AuditEntry("import", spec.entity, key, None, plain, ACTOR))
                else:
                    row = session.get_one(spec.model, self.mine.id_of[spec.entity][key])
                    before = self.mine.records[spec.entity][key]
                    self._set(spec, row, plain, take)
                    self._set_special(spec, row, plain, take)
                    if spec.stamped:
                        newest = max(str(before.get(spec.stamp)), str(plain.get(spec.stamp)))
                        setattr(row, spec.stamp, dt.datetime.fromisoformat(newest))
                    entries.append(
                        audit.AuditEntry(
                            "import",
                            spec.entity,
                            key,
                            {f: before.get(f) for f in take},
                            {f: plain.get(f) for f in take},
                            ACTOR,
                        )
                    )
            session.flush()
            for key, row in made:
                self.mine.remember(spec.entity, row.id, key)
            if spec.entity == "registration":
                for rs_id, registration_id, subject_id in session.execute(
                    select(
                        RegistrationSubject.id,
                        RegistrationSubject.registration_id,
                        RegistrationSubject.subject_id,
                    )
                ):
                    reg_key = self.mine.key_of["registration"].get(registration_id)
                    subject = self.mine.key_of["subject"][subject_id]
                    self.mine.remember("registration_subject", rs_id, f"{reg_key}|{subject}")
        self.deletions.brought_back(session)
        audit.record_many(session, entries)

    def _free_unique_values(
        self, spec: Spec, steps: list[tuple[str, dict[str, Any], tuple[str, ...] | None]]
    ) -> None:
        """Moved tickets and seats may swap: clear the old values first."""
        if spec.entity not in ("registration", "seat"):
            return
        unique = {"ticket_number", "seat_number", "room_session"}
        moved = [key for key, _plain, take in steps if take and unique & set(take)]
        if not moved:
            return
        for key in moved:
            row = self.session.get_one(spec.model, self.mine.id_of[spec.entity][key])
            if spec.entity == "registration":
                row.ticket_number = None
            else:
                row.seat_number = -row.id
        self.session.flush()

    def _set(self, spec: Spec, row: Any, plain: Mapping[str, Any], names: Iterable[str]) -> None:
        for column, value in self._values(spec, plain, names).items():
            setattr(row, column, value)

    def _values(self, spec: Spec, plain: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
        """The columns of ``spec``'s row that the fields ``names`` of ``plain`` set."""
        refs = {r[0]: r for r in spec.refs}
        values: dict[str, Any] = {}
        for name in names:
            if name in refs:
                _field, column, target = refs[name]
                value = plain.get(name)
                values[column] = None if value is None else self._ref(spec, target, value)
            elif name in spec.simple:
                value = plain.get(name)
                if name in spec.times and value is not None:
                    value = self._time(spec, name, value)
                self._fits(spec, name, value)
                values[name] = value
        return values

    def _ref(self, spec: Spec, target: str, value: Any) -> int:
        """The row here that ``value`` names: a record of ``target`` in the bundle or on
        this PC. A bundle whose record names one that is in neither is refused whole."""
        try:
            return int(self.mine.id_of[target][value])
        except (KeyError, TypeError):
            shown = repr(value)
            raise BundleError(
                "bundle.transfer_missing_record",
                file=self.file,
                entity=ENTITY_TITLES.get(spec.entity, spec.entity),
                target=ENTITY_TITLES.get(target, target),
                key=shown if len(shown) <= 40 else shown[:40] + "…",
            ) from None

    def _time(self, spec: Spec, name: str, value: Any) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise self._bad_value(spec, name, value) from None

    def _fits(self, spec: Spec, name: str, value: Any) -> None:
        """Refuse a value the column cannot hold: text too long or of another type, a
        number past the column's range. SQLite would keep most of them as they are and
        PostgreSQL refuse them half-way through the merge; a well-signed bundle only
        proves that it is whole, not that its sender's program wrote it."""
        column = spec.model.__table__.c.get(name)
        if value is None or column is None:
            return
        kind = column.type
        number = isinstance(value, int) and not isinstance(value, bool)
        if isinstance(kind, String):
            fits = isinstance(value, str) and (kind.length is None or len(value) <= kind.length)
        elif isinstance(kind, Boolean):
            fits = isinstance(value, bool)
        elif isinstance(kind, BigInteger):
            fits = number and -(2**63) <= value < 2**63
        elif isinstance(kind, Integer):
            fits = number and -(2**31) <= value < 2**31
        elif isinstance(kind, Float | Numeric):
            fits = number or isinstance(value, float)
        else:
            return
        if not fits:
            raise self._bad_value(spec, name, value)

    def _bad_value(self, spec: Spec, name: str, value: Any) -> BundleError:
        shown = repr(value)
        return BundleError(
            "bundle.transfer_bad_value",
            file=self.file,
            entity=ENTITY_TITLES.get(spec.entity, spec.entity),
            field=name,
            value=shown if len(shown) <= 30 else shown[:30] + "…",
        )

    def _insert_new(
        self,
        spec: Spec,
        fresh: list[tuple[str, dict[str, Any]]],
        entries: list[audit.AuditEntry],
    ) -> None:
        """Insert the records new here in one statement a table (with their photos and
        subject records): an empty PC paired with a site of 10,000 candidates gets them in
        seconds, where an ORM object a row took a minute. The same values as the ORM path
        (``_values``); the keys are given here (``_next_id``)."""
        if not fresh:
            return
        names = [*spec.simple, *(r[0] for r in spec.refs)]
        rows: list[dict[str, Any]] = []
        photos: list[dict[str, Any]] = []
        records: list[dict[str, Any]] = []
        for key, plain in fresh:
            row_id = self._next_id(spec.model)
            rows.append({"id": row_id, **self._values(spec, plain, names)})
            if spec.entity == "candidate" and plain.get("photo") is not None:
                photo = self._photo_values(plain["photo"])
                photos.append({"id": self._next_id(Photo), "candidate_id": row_id, **photo})
                self.photos_added += 1
            if spec.entity == "registration":
                for subject, status in (plain.get("subjects") or {}).items():
                    records.append(
                        {
                            "id": self._next_id(RegistrationSubject),
                            "registration_id": row_id,
                            "subject_id": self.mine.id_of["subject"][subject],
                            "status": status,
                        }
                    )
            self.mine.remember(spec.entity, row_id, key)
            entries.append(audit.AuditEntry("import", spec.entity, key, None, plain, ACTOR))
        for model, values in ((spec.model, rows), (Photo, photos), (RegistrationSubject, records)):
            if values:
                self.session.execute(insert(model), values)
                keys_given(self.session, model.__table__)

    def _next_id(self, model: Any) -> int:
        """The primary key of a new ``model`` row, given here (the merge holds the
        database's only write lock, so nobody else takes it meanwhile)."""
        last = self._last_ids.get(model)
        if last is None:
            last = self.session.scalar(select(func.max(model.id))) or 0
        self._last_ids[model] = last + 1
        return last + 1

    def _set_special(
        self, spec: Spec, row: Any, plain: Mapping[str, Any], take: tuple[str, ...] | None
    ) -> None:
        def wanted(name: str) -> bool:
            return name in plain and (take is None or name in take)

        if spec.entity in ("plan", "site") and wanted("certificates"):
            certificate_ids = [self.mine.id_of["certificate"][c] for c in plain["certificates"]]
            row.certificates = [self.session.get(Certificate, i) for i in certificate_ids]
        if spec.entity == "candidate" and wanted("photo"):
            self._set_photo(row, plain["photo"])
        if spec.entity == "registration" and wanted("subjects"):
            existing = {rs.subject_id: rs for rs in row.subjects}
            for subject, status in plain["subjects"].items():
                subject_id = self.mine.id_of["subject"][subject]
                if subject_id in existing:
                    existing[subject_id].status = status
                else:
                    row.subjects.append(RegistrationSubject(subject_id=subject_id, status=status))

    def _set_photo(self, candidate: Candidate, plain: Mapping[str, Any] | None) -> None:
        if plain is None:
            return  # a photo is never taken away by a merge: nothing lost
        values = self._photo_values(plain)
        if candidate.photo is None:
            candidate.photo = Photo(**values)
        else:
            for name, value in values.items():
                setattr(candidate.photo, name, value)
        self.photos_added += 1

    def _photo_values(self, plain: Mapping[str, Any]) -> dict[str, Any]:
        """A photo's columns from the bundle: its fields, and its images by their hash."""
        values: dict[str, Any] = {}
        for name in PHOTO_FIELDS:
            value = plain.get(name)
            if name == "imported_at" and value is not None:
                value = dt.datetime.fromisoformat(str(value))
            values[name] = value
        for name in PHOTO_BLOBS:
            digest = plain.get(name)
            if digest is None:
                values[name] = None
                continue
            data = self.files.get(PHOTO_FOLDER + digest)
            if data is None:
                raise BundleError("bundle.file_missing", file=self.file, path=PHOTO_FOLDER + digest)
            values[name] = data
        return values

    def new_baseline(self) -> dict[str, dict[str, str]]:
        """The fields as the sending site had them: the next merge's common ground."""
        baseline = dict(self.baseline)
        for entity, records in self.seen.items():
            for key, plain in records.items():
                baseline[f"{entity}:{key}"] = {
                    name: value_hash(value)
                    for name, value in plain.items()
                    if name not in NOT_COMPARED
                }
        for entity, aliases in self.alias.items():
            for their_key, key in aliases.items():
                baseline[f"{ALIAS}{entity}:{their_key}"] = {"key": key}
        self.deletions.remember(baseline)
        return baseline
