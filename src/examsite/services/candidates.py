"""The candidate list and the edit form: list, get, save (add or edit), delete.

``save_candidate`` runs the same checks as the import (``domain.candidate_check`` in strict
mode: an invalid value is an error, not a dropped value) and refuses, per field, what the
platform would refuse: a duplicate ID number, a change to the locked fields of a verified
candidate. ``list_candidates`` reads plain columns in one query, fast enough for 10,000
rows; it never builds ORM objects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from sqlalchemy import Select, Text, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from examsite.domain.candidate_check import CandidateValues, check_candidate
from examsite.domain.candidate_status import (
    CANDIDATE_FIELDS,
    LOCKED_WHEN_VERIFIED,
    REQUIRED_FIELDS,
    CandidateKind,
    CandidateStatus,
    decide_status,
)
from examsite.domain.photo_spec import Verdict
from examsite.domain.problems import Problem, error
from examsite.errors import InputError, NotFoundError
from examsite.messages import FIELD_TITLES
from examsite.services.audit import diff, record
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Photo, Registration

ACTOR = "user"
EDITABLE = CANDIDATE_FIELDS
LOCKED = LOCKED_WHEN_VERIFIED  # once verified (004)


@dataclass(frozen=True)
class CandidateRow:
    """One candidate as the page and the CLI show it.

    ``photo`` is the photo's verdict (pass / fixed / rejected) or None without a photo;
    ``missing`` the required fields still empty.
    """

    id: int
    kind: str
    name: str
    pinyin: str
    gender: str
    id_type: str
    id_number: str
    phone: str
    enrollment_year: int | None
    education_level: str
    major: str
    major_code: str
    extra: Mapping[str, Any]
    status: str
    platform_status: str | None
    photo: str | None
    missing: tuple[str, ...]

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


@dataclass(frozen=True)
class CandidateForm:
    """What the edit form holds: text as typed (the checks clean it)."""

    kind: str
    name: str
    id_number: str
    id_type: str = "身份证"
    pinyin: str = ""
    gender: str = ""
    phone: str = ""
    enrollment_year: str | int | None = None
    education_level: str = ""
    major: str = ""
    major_code: str = ""
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def raw(self) -> dict[str, object]:
        values: dict[str, object] = {
            name: getattr(self, name)
            for name in EDITABLE
            if name not in ("kind", "extra") and getattr(self, name) not in (None, "")
        }
        for key, value in self.extra.items():
            values[f"extra.{key}"] = value
        return values


def mask_id(id_number: str) -> str:
    """An ID number for screens and printouts: 110105********002X."""
    if len(id_number) > 10:
        return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]
    if len(id_number) > 4:
        return id_number[:2] + "*" * (len(id_number) - 4) + id_number[-2:]
    return id_number


_COLUMNS = (
    Candidate.id,
    Candidate.kind,
    Candidate.name,
    Candidate.pinyin,
    Candidate.gender,
    Candidate.id_type,
    Candidate.id_number,
    Candidate.phone,
    Candidate.enrollment_year,
    Candidate.education_level,
    Candidate.major,
    Candidate.major_code,
    # The JSON as text: most candidates have "{}", which needs no parsing (10,000 rows).
    type_coerce(Candidate.extra, Text),
    Candidate.status,
    Candidate.platform_status,
    Photo.verdict,
)
# Positions of the required fields in a result row, by kind.
_POSITIONS = {
    "name": 2,
    "pinyin": 3,
    "gender": 4,
    "id_type": 5,
    "id_number": 6,
    "phone": 7,
    "enrollment_year": 8,
    "education_level": 9,
    "major": 10,
    "major_code": 11,
}
_REQUIRED = {
    kind.value: tuple((name, _POSITIONS[name]) for name in fields)
    for kind, fields in REQUIRED_FIELDS.items()
}
_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


def _select() -> Select[*tuple[Any, ...]]:
    return select(*_COLUMNS).outerjoin(Photo, Photo.candidate_id == Candidate.id)


def _row(values: Any) -> CandidateRow:
    extra_text = values[12]
    extra = (
        _NO_EXTRA
        if not extra_text or extra_text in ("{}", "null")
        else MappingProxyType(json.loads(extra_text))
    )
    missing = tuple(name for name, at in _REQUIRED[values[1]] if values[at] in (None, ""))
    v = values
    return CandidateRow(
        v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
        extra, v[13], v[14], v[15], missing,
    )  # fmt: skip


def list_candidates(
    db: Database,
    status: str | None = None,
    kind: str | None = None,
    search: str | None = None,
) -> list[CandidateRow]:
    """Candidates in the order they were added, filtered by status key, kind and a text
    found in the name, pinyin, ID number or phone."""
    statement = _select().order_by(Candidate.id)
    if status:
        statement = statement.where(Candidate.status == status)
    if kind:
        statement = statement.where(Candidate.kind == kind)
    text = (search or "").strip()
    if text:
        like = f"%{_escape_like(text)}%"
        statement = statement.where(
            or_(
                Candidate.name.like(like, escape="\\"),
                Candidate.pinyin.like(like, escape="\\"),
                Candidate.id_number.like(like.upper(), escape="\\"),
                Candidate.phone.like(like, escape="\\"),
            )
        )
    with db.read() as session:
        # Core rows (the connection, not the ORM session): no ORM loading per row.
        return [_row(values) for values in session.connection().execute(statement)]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_candidate(db: Database, id_number: str) -> CandidateRow:
    """One candidate by ID number; ``NotFoundError`` when there is none."""
    with db.read() as session:
        values = session.execute(_select().where(Candidate.id_number == id_number)).first()
    if values is None:
        raise _not_found(id_number)
    return _row(values)


def check_form(form: CandidateForm, *, today: date | None = None) -> tuple[Problem, ...]:
    """Every problem of the form, by field (``column``): errors disable saving, warnings
    are shown beside the field. The page calls it as the user types."""
    return check_candidate(_kind(form.kind), form.raw(), strict=True, today=today).problems


def save_candidate(
    db: Database,
    form: CandidateForm,
    *,
    original_id_number: str | None = None,
    today: date | None = None,
) -> CandidateRow:
    """Add a candidate (``original_id_number`` None) or change the one with that ID number.

    Raises ``InputError`` with the problems per field when the form is refused.
    """
    checked = check_candidate(_kind(form.kind), form.raw(), strict=True, today=today)
    values = checked.values
    if values is None:
        raise _form_error([p for p in checked.problems if p.is_error])
    with db.unit_of_work() as session:
        if original_id_number is None:
            candidate = _create(session, values)
        else:
            candidate = _update(session, original_id_number, values)
        candidate_id = candidate.id
    with db.read() as session:
        row = session.execute(_select().where(Candidate.id == candidate_id)).one()
    return _row(row)


def _create(session: Session, values: CandidateValues) -> Candidate:
    _refuse_taken(session, values.id_number)
    candidate = Candidate(**values.as_dict())
    candidate.status = decide_status(
        has_passing_photo=False, missing=values.missing, platform_status=None
    ).value
    session.add(candidate)
    session.flush()
    record(session, "create", "candidate", values.id_number, None, _snapshot(candidate), ACTOR)
    return candidate


def _update(session: Session, original: str, values: CandidateValues) -> Candidate:
    candidate = session.scalar(select(Candidate).where(Candidate.id_number == original))
    if candidate is None:
        raise _not_found(original)
    before = _snapshot(candidate)
    incoming = values.as_dict()
    if candidate.platform_status == CandidateStatus.VERIFIED:
        changed = [f for f in LOCKED if incoming[f] != before[f]]
        if changed:
            raise _form_error(
                [error("candidate.locked", column=f, field=FIELD_TITLES[f]) for f in changed]
            )
    if values.id_number != original:
        _refuse_taken(session, values.id_number)
    for name in EDITABLE:
        setattr(candidate, name, incoming[name])
    photo = candidate.photo
    candidate.status = decide_status(
        has_passing_photo=photo is not None and photo.verdict != Verdict.REJECTED,
        missing=values.missing,
        platform_status=candidate.platform_status,
    ).value
    old, new = diff(before, _snapshot(candidate))
    if new:
        record(session, "update", "candidate", original, old, new, ACTOR)
    return candidate


def delete_candidate(db: Database, id_number: str) -> None:
    """Delete a candidate and their photo; refused while they have registrations (004)."""
    with db.unit_of_work() as session:
        candidate = session.scalar(select(Candidate).where(Candidate.id_number == id_number))
        if candidate is None:
            raise _not_found(id_number)
        count = session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.candidate_id == candidate.id)
        )
        if count:
            raise InputError("candidate.has_registrations", name=candidate.name, count=count)
        record(session, "delete", "candidate", id_number, _snapshot(candidate), None, ACTOR)
        session.delete(candidate)


def _snapshot(candidate: Candidate) -> dict[str, Any]:
    values = {name: getattr(candidate, name) for name in EDITABLE}
    values["extra"] = dict(values["extra"] or {})
    values["status"] = candidate.status
    return values


def _refuse_taken(session: Session, id_number: str) -> None:
    name = session.scalar(select(Candidate.name).where(Candidate.id_number == id_number))
    if name is not None:
        raise _form_error(
            [error("candidate.exists", column="id_number", id_number=id_number, name=name)]
        )


def _kind(kind: str) -> CandidateKind:
    try:
        return CandidateKind(kind)
    except ValueError:
        raise InputError.of(error("import.unknown_kind", column="kind", kind=kind)) from None


def _form_error(problems: list[Problem]) -> InputError:
    if len(problems) == 1:
        return InputError.of(problems[0])
    return InputError("candidate.form_invalid", problems=problems)


def _not_found(id_number: str) -> NotFoundError:
    return NotFoundError("candidate.not_found", id_number=id_number)
