"""The candidate list and the edit form: list, get, save (add or edit), delete.

Each change is a core that works in the caller's unit of work (``save_candidate_in``,
``delete_candidate_in``) and a thin wrapper that opens one (``save_candidate``,
``delete_candidate``), so a larger use case can run several in one transaction.

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
    CANDIDATE_COLUMNS,
    FIELDS,
    LOCKED_WHEN_VERIFIED,
    CandidateIssue,
    CandidateKind,
    CandidateStatus,
    PhotoState,
)
from examsite.domain.problems import Problem, error, notice
from examsite.domain.workflow import Step
from examsite.errors import InputError, NotFoundError
from examsite.messages import FIELD_TITLES
from examsite.services.audit import diff, record
from examsite.services.candidate_state import candidate_facts, refresh_statuses
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.services.tombstones import bury
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Photo, Registration
from examsite.storage.purged import is_purged_candidate

ACTOR = "user"


@dataclass(frozen=True)
class CandidateRow:
    """One candidate as the page and the CLI show it.

    ``photo`` is the photo's verdict (pass / fixed / review / rejected) or None without a
    photo; ``missing`` the required fields still empty; ``issues`` what the coordinator
    must still handle (``domain.candidate_status``).
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
    photo_state: PhotoState
    issues: frozenset[CandidateIssue]

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def filter_keys(self) -> frozenset[str]:
        """The status filters that show this candidate: its status, and each of its issues
        (a candidate without a photo and with a missing phone is under 无照片 and 信息不全)."""
        return frozenset((self.status, *self.issues))


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

    @classmethod
    def of(cls, kind: str, values: Mapping[str, object]) -> CandidateForm:
        """A form from values by field name (``extra.<key>`` for the extras), blanks
        left out; the ID type defaults to 身份证."""
        given = {k: str(v).strip() for k, v in values.items() if v not in (None, "")}
        extra = {f.key: given.pop(f.name) for f in FIELDS if f.is_extra and f.name in given}
        given.setdefault("id_type", "身份证")
        given.setdefault("name", "")
        given.setdefault("id_number", "")
        return cls(kind=kind, **given, extra=MappingProxyType(extra))

    def raw(self) -> dict[str, object]:
        values: dict[str, object] = {
            f.name: getattr(self, f.name)
            for f in FIELDS
            if not f.is_extra and getattr(self, f.name) not in (None, "")
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
    *(getattr(Candidate, name) for name in CANDIDATE_COLUMNS if name != "extra"),
    # The JSON as text: most candidates have "{}", which needs no parsing (10,000 rows).
    # (PostgreSQL's driver hands a jsonb column over parsed, as a dict, whatever the type.)
    type_coerce(Candidate.extra, Text).label("extra"),
    Candidate.status,
    Candidate.platform_status,
    Photo.verdict,
)
# The row's fields read as they are from the query, by name.
_ROW_FIELDS = tuple(
    name for name in ("id", *CANDIDATE_COLUMNS, "status", "platform_status") if name != "extra"
)
_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})


def _select() -> Select[Any]:
    return (
        select(*_COLUMNS)
        .outerjoin(Photo, Photo.candidate_id == Candidate.id)
        .where(~is_purged_candidate())  # a purged round's anonymous rows: not candidates
    )


def _row(values: Mapping[Any, Any]) -> CandidateRow:
    extra_text = values["extra"]
    if isinstance(extra_text, Mapping):  # PostgreSQL's driver hands JSON over parsed
        extra = MappingProxyType(dict(extra_text)) if extra_text else _NO_EXTRA
    elif not extra_text or extra_text in ("{}", "null"):
        extra = _NO_EXTRA
    else:
        extra = MappingProxyType(json.loads(extra_text))
    facts = candidate_facts(values)
    return CandidateRow(
        **{name: values[name] for name in _ROW_FIELDS},
        extra=extra,
        photo=values["verdict"],
        missing=facts.missing,
        photo_state=facts.photo,
        issues=facts.issues,
    )


def list_candidates(
    db: Database,
    status: str | None = None,
    kind: str | None = None,
    search: str | None = None,
) -> list[CandidateRow]:
    """Candidates in the order they were added, filtered by status key (a status or an
    issue, see ``CandidateRow.filter_keys``), kind and a text found in the name, pinyin, ID
    number or phone."""
    statement = _select().order_by(Candidate.id)
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
        # Core rows (the connection, not the ORM session): no ORM loading per row; each
        # as a plain dict, whose lookups are several times cheaper than a RowMapping's.
        result = session.connection().execute(statement)
        names = tuple(result.keys())
        rows = [_row(dict(zip(names, values, strict=True))) for values in result]
    return [r for r in rows if status in r.filter_keys] if status else rows


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_candidate(db: Database, id_number: str) -> CandidateRow:
    """One candidate by ID number; ``NotFoundError`` when there is none."""
    with db.read() as session:
        values = (
            session.connection()
            .execute(_select().where(Candidate.id_number == id_number))
            .mappings()
            .first()
        )
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
    loaded: CandidateRow | None = None,
    today: date | None = None,
) -> CandidateRow:
    """Add a candidate (``original_id_number`` None) or change the one with that ID number.

    ``loaded`` is the candidate as the form showed it: when another computer has changed
    them since, the save is refused (``candidate.changed_elsewhere``, naming what changed)
    instead of silently writing over that change. Raises ``InputError`` with the problems
    per field when the form is refused.
    """
    checked = check_candidate(_kind(form.kind), form.raw(), strict=True, today=today)
    values = checked.values
    if values is None:
        raise _form_error([p for p in checked.problems if p.is_error])
    with db.unit_of_work() as session:
        candidate_id = save_candidate_in(
            session, values, original_id_number=original_id_number, loaded=loaded
        )
        return read_candidate_in(session, candidate_id)


def save_candidate_in(
    session: Session,
    values: CandidateValues,
    *,
    original_id_number: str | None = None,
    loaded: CandidateRow | None = None,
) -> int:
    """``save_candidate``'s core, inside the caller's unit of work: add the candidate
    (``original_id_number`` None) or change the one with that ID number (as ``loaded``
    showed them, when given); returns its id."""
    if original_id_number is None:
        return _create(session, values).id
    return _update(session, original_id_number, values, loaded).id


def read_candidate_in(session: Session, candidate_id: int) -> CandidateRow:
    """One candidate as the list shows it, read in the caller's session."""
    row = session.connection().execute(_select().where(Candidate.id == candidate_id))
    return _row(row.mappings().one())


def _create(session: Session, values: CandidateValues) -> Candidate:
    _refuse_taken(session, values.id_number)
    candidate = Candidate(**values.as_dict())
    session.add(candidate)
    session.flush()
    refresh_statuses(session, ids=[candidate.id])
    record(session, "create", "candidate", values.id_number, None, _snapshot(candidate), ACTOR)
    return candidate


def _update(
    session: Session, original: str, values: CandidateValues, loaded: CandidateRow | None
) -> Candidate:
    candidate = session.scalar(select(Candidate).where(Candidate.id_number == original))
    if candidate is None and loaded is not None:  # its ID number changed elsewhere?
        candidate = session.get(Candidate, loaded.id)
    if candidate is None:
        if loaded is not None:
            raise InputError(
                "candidate.deleted_elsewhere", name=loaded.name, id_number=loaded.id_number
            )
        raise _not_found(original)
    before = _snapshot(candidate)
    if loaded is not None:
        refuse_changed_elsewhere(candidate.name, original, _loaded_values(loaded), before)
    incoming = values.as_dict()
    if candidate.platform_status == CandidateStatus.VERIFIED:
        changed = [f for f in LOCKED_WHEN_VERIFIED if incoming[f] != before[f]]
        if changed:
            raise _form_error(
                [error("candidate.locked", column=f, field=FIELD_TITLES[f]) for f in changed]
            )
    if values.id_number != original:
        _refuse_taken(session, values.id_number)
    for name in CANDIDATE_COLUMNS:
        setattr(candidate, name, incoming[name])
    refresh_statuses(session, ids=[candidate.id])
    old, new = diff(before, _snapshot(candidate))
    if new:
        record(session, "update", "candidate", original, old, new, ACTOR)
    return candidate


def delete_candidate(db: Database, id_number: str) -> None:
    """Delete a candidate and their photo; refused while they have registrations (004)."""
    with db.unit_of_work() as session:
        delete_candidate_in(session, id_number)


def delete_candidate_in(session: Session, id_number: str) -> None:
    """``delete_candidate``'s core, inside the caller's unit of work."""
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
    bury(session, "candidate", [id_number])
    session.delete(candidate)


def _loaded_values(row: CandidateRow) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in CANDIDATE_COLUMNS}
    values["extra"] = dict(row.extra)
    return values


def refuse_changed_elsewhere(
    name: str, id_number: str, loaded: Mapping[str, Any], stored: Mapping[str, Any]
) -> None:
    """Refuse to save over a candidate another computer changed after the form loaded
    them (``loaded``): the message names each changed field and its value now."""
    before, now = _flat(loaded), _flat(stored)
    changed = [
        f for f in sorted(before.keys() | now.keys(), key=_order) if before.get(f) != now.get(f)
    ]
    if not changed:
        return
    raise InputError(
        "candidate.changed_elsewhere",
        name=name,
        id_number=id_number,
        changes="；".join(f"{FIELD_TITLES.get(f, f)}现为“{now.get(f) or '空'}”" for f in changed),
    )


def _flat(values: Mapping[str, Any]) -> dict[str, Any]:
    """The edited fields by name (extras as ``extra.<key>``), blanks left out."""
    flat = {f: values.get(f) for f in CANDIDATE_COLUMNS if f != "extra"}
    flat.update({f"extra.{k}": v for k, v in (values.get("extra") or {}).items()})
    return {k: v for k, v in flat.items() if v not in (None, "")}


_ORDER = {name: at for at, name in enumerate(FIELD_TITLES)}


def _order(field: str) -> int:
    return _ORDER.get(field, len(_ORDER))


def _snapshot(candidate: Candidate) -> dict[str, Any]:
    values = {name: getattr(candidate, name) for name in CANDIDATE_COLUMNS}
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


def candidates_status(_session: Session, facts: RoundFacts) -> StepStatus:
    """Step 2's status: the candidates with missing fields or the platform's doubts.
    (A missing or rejected photo is step 3's problem; ``facts.candidates`` counts both.)"""
    counts = facts.candidates
    problems: list[Problem] = []
    if incomplete := counts.by_issue.get(CandidateIssue.INCOMPLETE, 0):
        problems.append(error("status.candidates_incomplete", count=incomplete))
    if manual := counts.by_issue.get(CandidateIssue.MANUAL, 0):
        problems.append(error("status.candidates_manual", count=manual))
    figure = (
        notice("status.figure_candidates", count=counts.total)
        if counts.total
        else notice("status.figure_no_candidates")
    )
    summary = {"candidates": counts.total, "to_handle": counts.to_handle}
    return step_status(Step.CANDIDATES, counts.total, summary, problems, figure)
