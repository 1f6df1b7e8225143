"""Matching the rows of a platform export to this PC's records
(``services.platform_import``): the rows as read, an index of the plan's registrations by
ticket and ID number, and which registration and subject a row names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.normalize import clean_id_number, clean_text
from examsite.domain.problems import Problem, warning
from examsite.formats.sheet_reader import field_rows
from examsite.services.arrangement_import import (
    PRACTICAL_WORDS,
    THEORY_WORDS,
)
from examsite.services.plans import find_plan
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Registration,
    RegistrationSubject,
    Subject,
)

LEVEL_WORDS: Final[Mapping[str, str]] = {"初级": "junior", "中级": "intermediate", "高级": "senior"}
LEVEL_MARK: Final = re.compile(r"\(?(初级|中级|高级)\)?")


@dataclass
class Outcome:
    """What applying a sheet came to: rows matched, records changed, plans touched, numbers
    matched by nothing."""

    matched: int = 0
    changed: int = 0
    plans: set[str] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)


# --- reading the rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    row: int
    values: Mapping[str, Any]
    # the cleaned texts, each worked out once (a 20,000-row import asks them repeatedly)
    _texts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def text(self, name: str) -> str:
        found = self._texts.get(name)
        if found is None:
            found = self._texts[name] = clean_cell(self.values.get(name))
        return found

    @property
    def id_number(self) -> str:
        found = self._texts.get("\0id")
        if found is None:
            found = self._texts["\0id"] = clean_id(self.values.get("id_number"))
        return found

    @property
    def ticket(self) -> str:
        return "".join(self.text("ticket").split())


def clean_cell(value: object) -> str:
    """``clean_text`` of a cell, "" for none. The same text for less: plain ASCII without
    Excel's text marker only has its whitespace collapsed (what ``clean_text`` comes to
    for it), other text is cached (a sheet repeats its subjects, certificates, statuses)."""
    if value is None:
        return ""
    if type(value) is str:
        if value.isascii() and "'" not in value:
            return " ".join(value.split())
        return _clean_text(value)
    return clean_text(value).value or ""


def clean_id(value: object) -> str:
    """``clean_id_number`` of a cell, "" for none; a plain 18-character text of digits
    (and a final X) is already clean."""
    if (
        type(value) is str
        and len(value) == 18
        and value.isascii()
        and value[:17].isdigit()
        and (value[17].isdigit() or value[17] == "X")
    ):
        return value
    return clean_id_number(value).value or ""


@lru_cache(maxsize=1 << 14)
def _clean_text(value: str) -> str:
    return clean_text(value).value or ""


def read_rows(cells: Sequence[Sequence[Any]], fields: Mapping[int, str], first: int) -> list[Row]:
    """The rows with a value in a column of ``fields`` (column → field name); ``first`` is
    the sheet's row number of ``cells[0]``."""
    return [Row(first + offset, values) for offset, values in field_rows(cells, fields)]


@lru_cache(maxsize=1 << 16)
def plain_text(text: str) -> str:
    """NFKC without any whitespace (cached: a sheet repeats its subjects and statuses)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# --- what the database holds --------------------------------------------------------------


class Record(NamedTuple):
    """A subject record of a registration (a named tuple: 20,000 are made per import)."""

    id: int
    subject_code: str
    subject: str
    kind: str  # theory / practical
    status: str


class Reg(NamedTuple):
    """A registration with its subject records."""

    id: int
    plan: str
    ticket: str
    id_number: str
    name: str
    certificate_code: str
    certificate: str
    level: str
    records: tuple[Record, ...]


@dataclass
class RegistrationIndex:
    candidates: dict[str, Candidate]
    by_ticket: dict[str, Reg]
    by_id: dict[str, list[Reg]]

    @classmethod
    def load(cls, session: Session, plan_code: str | None) -> RegistrationIndex:
        plan_filter = []
        if plan_code:
            plan_filter = [Registration.__table__.c.plan_id == find_plan(session, plan_code).id]
        # Table columns, not ORM entities: the ORM's row handling was most of the time.
        registration, candidate = Registration.__table__, Candidate.__table__
        certificate, plan_table = Certificate.__table__, ExamPlan.__table__
        record, subject = RegistrationSubject.__table__, Subject.__table__
        records: dict[int, list[Record]] = {}
        for reg_id, rec_id, code, name, kind, status in session.execute(
            select(
                record.c.registration_id,
                record.c.id,
                subject.c.code,
                subject.c.name,
                subject.c.kind,
                record.c.status,
            )
            .join(subject, subject.c.id == record.c.subject_id)
            .join(registration, registration.c.id == record.c.registration_id)
            .where(*plan_filter)
            .order_by(record.c.id)
        ).all():  # fetched at once: iterating fetches a row at a time
            records.setdefault(reg_id, []).append(Record(rec_id, code, name, kind, status))
        by_ticket: dict[str, Reg] = {}
        by_id: dict[str, list[Reg]] = {}
        for row in session.execute(
            select(
                registration.c.id,
                plan_table.c.code,
                registration.c.ticket_number,
                candidate.c.id_number,
                candidate.c.name,
                certificate.c.code,
                certificate.c.name,
                certificate.c.level,
            )
            .join(candidate, candidate.c.id == registration.c.candidate_id)
            .join(plan_table, plan_table.c.id == registration.c.plan_id)
            .join(certificate, certificate.c.id == registration.c.certificate_id)
            .where(*plan_filter)
            .order_by(registration.c.id)
        ).all():
            reg = Reg(
                row[0],
                row[1],
                row[2] or "",
                row[3],
                row[4],
                row[5],
                row[6],
                row[7],
                tuple(records.get(row[0], ())),
            )
            if reg.ticket:
                by_ticket[reg.ticket] = reg
            by_id.setdefault(reg.id_number, []).append(reg)
        return cls({}, by_ticket, by_id)

    def candidates_by_id(self, session: Session, id_numbers: Iterable[str]) -> dict[str, Candidate]:
        wanted = sorted(set(id_numbers) - set(self.candidates) - {""})
        for start in range(0, len(wanted), 500):
            for candidate in session.scalars(
                select(Candidate).where(Candidate.id_number.in_(wanted[start : start + 500]))
            ):
                self.candidates[candidate.id_number] = candidate
        return self.candidates


# --- finding the registration a row names -------------------------------------------------


def find_registrations(
    index: RegistrationIndex, row: Row, problems: list[Problem], outcome: Outcome
) -> list[Reg] | None:
    """The registrations a score or result row may mean (by ticket, else by ID number),
    or None after reporting why none."""
    ticket, idn = row.ticket, row.id_number
    if not ticket and not idn:
        problems.append(warning("platform.row_no_key", row=row.row))
        return None
    if ticket:
        reg = index.by_ticket.get(ticket)
        if reg is None:
            problems.append(
                warning("platform.unknown_ticket", row=row.row, column="准考证号", ticket=ticket)
            )
            outcome.unknown.append(ticket)
            return None
        if idn and idn != reg.id_number:
            problems.append(
                warning(
                    "platform.ticket_other_candidate",
                    row=row.row,
                    ticket=ticket,
                    id_number=idn,
                    holder=reg.id_number,
                )
            )
            return None
        return [reg]
    regs = index.by_id.get(idn)
    if not regs:
        if idn in index.candidates:
            problems.append(warning("platform.not_registered", row=row.row, id_number=idn))
        else:
            problems.append(
                warning("platform.unknown_id", row=row.row, column="证件号码", id_number=idn)
            )
            outcome.unknown.append(idn)
        return None
    return regs


def certificate_fits(reg: Reg, written: str, level: str) -> bool:
    if not written and not level:
        return True
    return _fits(reg.certificate, reg.certificate_code, reg.level, written, level)


@lru_cache(maxsize=4096)
def _fits(certificate: str, code: str, reg_level: str, written: str, level: str) -> bool:
    text = plain_text(written + level)
    if not text:
        return True
    levels = {value for word, value in LEVEL_WORDS.items() if word in text}
    if levels and reg_level not in levels:
        return False
    name = LEVEL_MARK.sub("", plain_text(written))
    ours = plain_text(certificate)
    return not name or name in ours or ours in name or code == name


def pick_subject(pairs: list[tuple[Reg, Record]], name: str, code: str) -> list[tuple[Reg, Record]]:
    """The (registration, record) pairs a subject as written means: by subject code when
    given; else the records of that name (the name carries the level: 理论知识考试（初级）),
    else those whose name holds it or is held by it, else the theory or practical records
    ("理论", "实操技能"), within the level the text names."""
    if code:
        return [(reg, rec) for reg, rec in pairs if rec.subject_code == code]
    written = plain_text(name)
    if not written:
        return []
    levels = {value for word, value in LEVEL_WORDS.items() if word in written}
    if levels:
        pairs = [(reg, rec) for reg, rec in pairs if reg.level in levels]
    exact = [(reg, rec) for reg, rec in pairs if plain_text(rec.subject) == written]
    if exact:
        return exact
    near = [
        (reg, rec)
        for reg, rec in pairs
        if written in plain_text(rec.subject) or plain_text(rec.subject) in written
    ]
    if near:
        return near
    theory = any(w in written for w in THEORY_WORDS) or "机考" in written
    practical = any(w in written for w in PRACTICAL_WORDS)
    if theory == practical:
        return []
    kind = "theory" if theory else "practical"
    return [(reg, rec) for reg, rec in pairs if rec.kind == kind]
