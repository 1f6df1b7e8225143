"""What a transfer bundle carries (``services.transfer``): each kind of record, how it is
keyed on every PC (ID numbers, uids, natural keys; never row ids), which fields travel and
are compared; the results an export and a merge report; and ``SiteRecords``, the site's
records read from a database as plain values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from examsite.errors import InputError
from examsite.formats.bundle import sha256_of
from examsite.storage.models import (
    Attendance,
    Candidate,
    Certificate,
    CertificateResult,
    ExamPlan,
    ExamSession,
    Incident,
    InvigilatorAssignment,
    Lab,
    Org,
    Photo,
    Quota,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    School,
    Score,
    Seat,
    Setting,
    Site,
    Staff,
    Subject,
)

KIND = "site-transfer"
DATA_FILE = "site.json"
PHOTO_FOLDER = "photos/"
ACTOR = "传输包导入"
TRUSTED_SETTING = "transfer.trusted"
SEQUENCE_SETTING = "transfer.sequence"
BASELINE_SETTING = "transfer.baseline."  # + the sending key's fingerprint

PLAN_WINDOWS = tuple(
    f"{w}_{edge}"
    for w in ("registration", "arrangement", "exam", "score_entry", "publication")
    for edge in ("start", "end")
)
PHOTO_BLOBS = ("original", "image", "thumbnail", "original_patch")
PHOTO_FIELDS = (
    "source_name",
    "verdict",
    "problems",
    "background",
    "width",
    "height",
    "format",
    "size_bytes",
    "sha256",
    "imported_at",
)
_STAMPS = ("created_at", "updated_at")
NOT_COMPARED = frozenset({"uid", *_STAMPS})
# Registration fields whose change is a change of the registration itself (the window
# applies); tickets and subject statuses are the arrangement's.
REGISTRATION_FIELDS = frozenset(
    {"candidate", "plan", "certificate", "site", "fee", "kind", "home_school", "source"}
)


@dataclass(frozen=True)
class Spec:
    """How one table travels: its plain fields, references (field, column, entity) and
    the columns that are times."""

    entity: str
    model: Any
    simple: tuple[str, ...]
    refs: tuple[tuple[str, str, str], ...] = ()
    times: frozenset[str] = frozenset()
    uid: bool = False
    stamped: bool = False
    stamp: str = "updated_at"  # the time of the last change, when ``stamped``
    key: Callable[[Mapping[str, Any]], str] = lambda plain: str(plain["uid"])
    natural: Callable[[Mapping[str, Any]], str] | None = None


SPECS: tuple[Spec, ...] = (
    Spec("school", School, ("name", "code", "credit_code", "address"), key=lambda p: p["name"]),
    Spec(
        "plan",
        ExamPlan,
        ("code", "name", "year", *PLAN_WINDOWS, "is_example"),
        refs=(("org", "org_id", "org"),),
        times=frozenset(PLAN_WINDOWS),
        key=lambda p: p["code"],
    ),
    Spec(
        "site",
        Site,
        ("name", "code", "address", "director", "phone", "province", "checklist"),
        refs=(("school", "school_id", "school"),),
        key=lambda p: p["name"],
    ),
    Spec(
        "quota",
        Quota,
        ("year", "approved"),
        refs=(("school", "school_id", "school"), ("certificate", "certificate_id", "certificate")),
        key=lambda p: f"{p['school']}|{p['certificate']}|{p['year']}",
    ),
    Spec(
        "lab",
        Lab,
        (
            "uid",
            "name",
            "seats",
            "exam_capacity",
            "room_type",
            "province",
            "city",
            "district",
            "address",
            *_STAMPS,
        ),
        refs=(("site", "site_id", "site"),),
        times=frozenset(_STAMPS),
        uid=True,
        stamped=True,
        natural=lambda p: f"{p['site']}|{p['name']}",
    ),
    Spec(
        "staff",
        Staff,
        (
            "uid",
            "name",
            "phone",
            "id_number",
            "department",
            "roles",
            "majors_taught",
            "classes_taught",
            "certified",
            "daily_duty_cap",
            *_STAMPS,
        ),
        refs=(("school", "school_id", "school"),),
        times=frozenset(_STAMPS),
        uid=True,
        stamped=True,
        natural=lambda p: p["id_number"] or f"{p['name']}|{p['phone']}",
    ),
    Spec(
        "candidate",
        Candidate,
        (
            "kind",
            "name",
            "pinyin",
            "gender",
            "id_type",
            "id_number",
            "phone",
            "enrollment_year",
            "education_level",
            "major",
            "major_code",
            "class_name",
            "extra",
            "status",
            "platform_status",
            "uploaded_at",
            *_STAMPS,
        ),
        refs=(("school", "school_id", "school"),),
        times=frozenset({"uploaded_at", *_STAMPS}),
        stamped=True,
        key=lambda p: p["id_number"],
    ),
    Spec(
        "registration",
        Registration,
        (
            "uid",
            "fee",
            "kind",
            "home_school",
            "source",
            "ticket_number",
            "ticket_official",
            *_STAMPS,
        ),
        refs=(
            ("candidate", "candidate_id", "candidate"),
            ("plan", "plan_id", "plan"),
            ("certificate", "certificate_id", "certificate"),
            ("site", "site_id", "site"),
        ),
        times=frozenset(_STAMPS),
        uid=True,
        stamped=True,
        natural=lambda p: f"{p['candidate']}|{p['plan']}|{p['certificate']}",
    ),
    Spec(
        "room",
        Room,
        (
            "uid",
            "name",
            "seats",
            "exam_capacity",
            "room_type",
            "province",
            "city",
            "district",
            "address",
            *_STAMPS,
        ),
        refs=(
            ("plan", "plan_id", "plan"),
            ("site", "site_id", "site"),
            ("certificate", "certificate_id", "certificate"),
        ),
        times=frozenset(_STAMPS),
        uid=True,
        stamped=True,
        natural=lambda p: f"{p['plan']}|{p['site']}|{p['certificate']}|{p['name']}",
    ),
    Spec(
        "exam_session",
        ExamSession,
        ("uid", "starts_at", "ends_at", "edited"),
        refs=(("plan", "plan_id", "plan"), ("subject", "subject_id", "subject")),
        times=frozenset({"starts_at", "ends_at"}),
        uid=True,
        natural=lambda p: f"{p['plan']}|{p['subject']}|{p['starts_at']}",
    ),
    Spec(
        "room_session",
        RoomSession,
        ("uid",),
        refs=(("room", "room_id", "room"), ("session", "session_id", "exam_session")),
        uid=True,
        natural=lambda p: f"{p['room']}|{p['session']}",
    ),
    Spec(
        "assignment",
        InvigilatorAssignment,
        ("role", "manual", "warnings", *_STAMPS),
        refs=(
            ("room_session", "room_session_id", "room_session"),
            ("staff", "staff_id", "staff"),
        ),
        times=frozenset(_STAMPS),
        stamped=True,
        key=lambda p: f"{p['room_session']}|{p['staff']}",
    ),
    Spec(
        "seat",
        Seat,
        ("seat_number", *_STAMPS),
        refs=(
            ("room_session", "room_session_id", "room_session"),
            ("registration_subject", "registration_subject_id", "registration_subject"),
        ),
        times=frozenset(_STAMPS),
        stamped=True,
        key=lambda p: str(p["registration_subject"]),
    ),
    Spec(
        "attendance",
        Attendance,
        ("status", "checked_in_at", "left_at", "note", "recorded_by", "updated_at"),
        refs=(("seat", "seat_id", "seat"),),
        times=frozenset({"checked_in_at", "left_at", "updated_at"}),
        stamped=True,
        key=lambda p: str(p["seat"]),  # the ticket's registration and the subject
    ),
    Spec(
        "incident",
        Incident,
        (
            "uid",
            "code",
            "occurred_at",
            "candidates",
            "description",
            "action_taken",
            "extension_minutes",
            "recorded_by",
            *_STAMPS,
        ),
        refs=(("plan", "plan_id", "plan"), ("room_session", "room_session_id", "room_session")),
        times=frozenset({"occurred_at", *_STAMPS}),
        uid=True,
        stamped=True,
    ),
    Spec(
        "score",
        Score,
        (
            "score",
            "status",
            "exam_status",
            "previous_score",
            "previous_status",
            "source_file",
            "imported_at",
        ),
        refs=(("registration_subject", "registration_subject_id", "registration_subject"),),
        times=frozenset({"imported_at"}),
        stamped=True,
        stamp="imported_at",
        key=lambda p: str(p["registration_subject"]),
    ),
    Spec(
        "certificate_result",
        CertificateResult,
        ("outcome", "written", "certificate_number", "source_file", "imported_at"),
        refs=(("registration", "registration_id", "registration"),),
        times=frozenset({"imported_at"}),
        stamped=True,
        stamp="imported_at",
        key=lambda p: str(p["registration"]),
    ),
)
SPEC_BY_ENTITY = {spec.entity: spec for spec in SPECS}
ENTITY_TITLES = {
    "school": "学校",
    "plan": "考试计划",
    "site": "考点",
    "quota": "试点规模",
    "lab": "机房",
    "staff": "考务人员",
    "candidate": "考生",
    "registration": "报考",
    "room": "考场",
    "exam_session": "场次",
    "room_session": "考场场次",
    "assignment": "监考安排",
    "seat": "座位",
    "attendance": "考场签到",
    "incident": "考场情况",
    "score": "成绩",
    "certificate_result": "考证结果",
}


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TransferResult:
    file: str
    site: str
    plan: str
    sequence: int
    fingerprint: str
    counts: Mapping[str, int]
    photos: int
    size_bytes: int


@dataclass(frozen=True)
class FieldConflict:
    field: str
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Conflict:
    """A record both PCs changed in the same field(s) since their last sync."""

    key: str  # "candidate:<ID number>", the key of ``resolutions``
    entity: str
    label: str
    fields: tuple[FieldConflict, ...]
    resolution: str | None = None  # "mine" / "theirs" when chosen


@dataclass(frozen=True)
class Refused:
    key: str
    label: str
    code: str
    message: str


@dataclass(frozen=True)
class Change:
    key: str
    entity: str
    action: str  # create / update / delete
    fields: tuple[str, ...]


@dataclass(frozen=True)
class MergeReport:
    file: str
    site: str
    fingerprint: str
    sequence: int
    paired: bool
    dry_run: bool
    applied: bool
    added: Mapping[str, int]
    updated: Mapping[str, int]
    unchanged: int
    photos_added: int
    conflicts: tuple[Conflict, ...]
    refused: tuple[Refused, ...]
    changes: tuple[Change, ...] = field(default=())
    deleted: Mapping[str, int] = field(default_factory=dict)  # by a tombstone in the bundle

    @property
    def unresolved(self) -> tuple[Conflict, ...]:
        return tuple(c for c in self.conflicts if c.resolution is None)


def _of_plan(query: Any, model: Any, plan_id: int) -> Any:
    """``query`` of ``model`` narrowed to one plan's records (the site's own records, such
    as labs and staff, stay whole)."""
    if model in (Registration, Room, ExamSession, Incident):
        return query.where(model.plan_id == plan_id)
    if model is ExamPlan:
        return query.where(ExamPlan.id == plan_id)
    if model is Candidate:
        registered = select(Registration.candidate_id).where(Registration.plan_id == plan_id)
        return query.where(Candidate.id.in_(registered))
    if model is Attendance:
        query = query.join(Seat, Seat.id == Attendance.seat_id)
        query = query.join(RoomSession, RoomSession.id == Seat.room_session_id)
    elif model in (InvigilatorAssignment, Seat):
        query = query.join(RoomSession, RoomSession.id == model.room_session_id)
    if model in (RoomSession, InvigilatorAssignment, Seat, Attendance):
        return query.join(Room, Room.id == RoomSession.room_id).where(Room.plan_id == plan_id)
    if model in (Score, CertificateResult):
        if model is Score:
            query = query.join(
                RegistrationSubject, RegistrationSubject.id == Score.registration_subject_id
            )
            link = Registration.id == RegistrationSubject.registration_id
        else:
            link = Registration.id == CertificateResult.registration_id
        return query.join(Registration, link).where(Registration.plan_id == plan_id)
    return query


# --- settings kept as JSON ---------------------------------------------------------------


def settings_json(session: Session, key: str) -> dict[str, Any]:
    """The JSON object kept in the ``Setting`` ``key`` ({} when none); a damaged one
    raises (the paired keys and the baseline must not silently vanish)."""
    row = session.get(Setting, key)
    if row is None:
        return {}
    value = json.loads(row.value)
    return value if isinstance(value, dict) else {}


def put_json(session: Session, key: str, value: Mapping[str, Any]) -> None:
    session.merge(Setting(key=key, value=json.dumps(value, ensure_ascii=False, sort_keys=True)))


# --- plain values ----------------------------------------------------------------------


def _plain_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


# One encoder for every value (json.dumps makes a new one per call with these options).
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode
_SCALARS = (str, int, float, bool, type(None))


def value_hash(value: Any) -> str:
    """A short stable hash of a field's value (its canonical JSON), for the baseline."""
    if isinstance(value, _SCALARS):
        return _scalar_hash(value)
    return _text_hash(_ENCODE(value))


@lru_cache(maxsize=1 << 16, typed=True)  # typed: 1, 1.0 and True hash apart, as in JSON
def _scalar_hash(value: str | int | float | bool | None) -> str:
    return _text_hash(_ENCODE(value))


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class SiteRecords:
    """One database's records as plain dicts by stable keys, and its keys ↔ ids."""

    def __init__(self, session: Session, plan_code: str | None = None, *, blobs: bool) -> None:
        self.session = session
        self.key_of: dict[str, dict[int, str]] = {}
        self.id_of: dict[str, dict[str, int]] = {}
        self.records: dict[str, dict[str, dict[str, Any]]] = {}
        self.blobs: dict[str, bytes] = {}
        self._load_catalog()
        plan_id = None
        if plan_code is not None:
            plan = session.scalars(select(ExamPlan).where(ExamPlan.code == plan_code)).first()
            if plan is None:
                raise InputError("bundle.transfer_unknown_plan", plan=plan_code)
            plan_id = plan.id
        self._load(plan_id, blobs)

    def _map(self, entity: str, pairs: Iterable[tuple[int, str]]) -> None:
        self.key_of[entity] = dict(pairs)
        self.id_of[entity] = {k: i for i, k in self.key_of[entity].items()}

    def _load_catalog(self) -> None:
        s = self.session
        self._map("org", ((i, k) for i, k in s.execute(select(Org.id, Org.code))))
        self._map(
            "certificate", ((i, k) for i, k in s.execute(select(Certificate.id, Certificate.code)))
        )
        self._map(
            "subject",
            (
                (i, f"{code}:{kind}")
                for i, code, kind in s.execute(
                    select(Subject.id, Certificate.code, Subject.kind).join(Subject.certificate)
                )
            ),
        )

    def remember(self, entity: str, row_id: int, key: str) -> None:
        self.key_of.setdefault(entity, {})[row_id] = key
        self.id_of.setdefault(entity, {})[key] = row_id

    def _load(self, plan_id: int | None, blobs: bool) -> None:
        for spec in SPECS:
            query = select(spec.model)
            if plan_id is not None:
                query = _of_plan(query, spec.model, plan_id)
            self.records[spec.entity] = {}
            if spec.entity == "candidate":
                self._registrations_subjects_keys(plan_id)
            for row in self.session.scalars(query.order_by(spec.model.id)):
                plain = self.plain(spec, row)
                key = spec.key(plain)
                self.records[spec.entity][key] = plain
                self.remember(spec.entity, row.id, key)
            if spec.entity == "candidate":
                self._photos(blobs)
            if spec.entity == "registration":
                self._subjects(plan_id)

    def _registrations_subjects_keys(self, plan_id: int | None) -> None:
        """Registration-subject keys (``<registration uid>|<subject>``) for the seats."""
        query = select(RegistrationSubject.id, Registration.uid, RegistrationSubject.subject_id)
        query = query.join(RegistrationSubject.registration)
        if plan_id is not None:
            query = query.where(Registration.plan_id == plan_id)
        subject = self.key_of["subject"]
        self._map(
            "registration_subject",
            ((i, f"{uid}|{subject[sid]}") for i, uid, sid in self.session.execute(query)),
        )

    def plain(self, spec: Spec, row: Any) -> dict[str, Any]:
        plain = {name: _plain_value(getattr(row, name)) for name in spec.simple}
        for name, column, target in spec.refs:
            ref = getattr(row, column)
            plain[name] = None if ref is None else self.key_of[target].get(ref)
        if spec.entity in ("plan", "site"):
            plain["certificates"] = sorted(c.code for c in row.certificates)
        return plain

    def _photos(self, blobs: bool) -> None:
        query = select(Photo).options(*(undefer(getattr(Photo, b)) for b in PHOTO_BLOBS))
        query = query.execution_options(yield_per=200)  # hashed, not all kept in memory
        records = self.records["candidate"]
        for photo in self.session.scalars(query):
            key = self.key_of["candidate"].get(photo.candidate_id)
            if key is None or key not in records:
                continue
            plain: dict[str, Any] = {n: _plain_value(getattr(photo, n)) for n in PHOTO_FIELDS}
            for name in PHOTO_BLOBS:
                data = getattr(photo, name)
                if data is None:
                    plain[name] = None
                    continue
                digest = sha256_of(data)
                plain[name] = digest
                if blobs:
                    self.blobs[digest] = data
            records[key]["photo"] = plain
        for plain in records.values():
            plain.setdefault("photo", None)

    def _subjects(self, plan_id: int | None) -> None:
        query = select(Registration.uid, RegistrationSubject.subject_id, RegistrationSubject.status)
        query = query.join(RegistrationSubject.registration)
        if plan_id is not None:
            query = query.where(Registration.plan_id == plan_id)
        records = self.records["registration"]
        for plain in records.values():
            plain["subjects"] = {}
        for uid, subject_id, status in self.session.execute(query):
            if uid in records:
                records[uid]["subjects"][self.key_of["subject"][subject_id]] = status
