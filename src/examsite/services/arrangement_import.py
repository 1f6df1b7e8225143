"""The platform's official arrangement (排考明细): its ticket numbers and seats replace the
program's.

Each row names a candidate (ID number), a ticket number, a room and a seat, and maybe the
subject and time. It is checked row by row against the database (the candidate, their
registration in the plan, a room of their certificate, a whole seat number; no seat or
ticket given twice); any error refuses the whole file and nothing is written. Otherwise
in one transaction:

- each registration named gets the official ticket number (``ticket_official``), which the
  program's arrangement never replaces;
- each record named sits where the platform says; whoever the program had put on that seat
  is moved to a free seat (the run's rule), and counted;
- a program ticket that happens to equal an official one is given a new number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Session

from examsite.domain.normalize import clean_id_number, clean_text
from examsite.domain.problems import Problem, error, notice, warning
from examsite.domain.seating import arrange
from examsite.errors import InputError
from examsite.formats.sheet_reader import field_rows, read_table, refuse
from examsite.formats.templates import get_template
from examsite.services.arrangement import set_status, write_placements
from examsite.services.audit import record
from examsite.services.backup import auto_backup
from examsite.services.plans import find_plan
from examsite.services.rooms import MAX_SEATS
from examsite.services.seating_data import (
    ACTOR,
    ARRANGED,
    UNARRANGED,
    WITHDRAWN,
    PlanData,
    RecordInfo,
    check_open,
    load_plan,
)
from examsite.services.sessions import ensure_room_sessions
from examsite.services.tombstones import bury, seat_keys
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    ExamPlan,
    Registration,
    Seat,
)

THEORY_WORDS = ("理论", "机考", "知识")
PRACTICAL_WORDS = ("实操", "实践", "技能", "操作")
#: The longest 准考证号 the database holds (the platform's are 18 digits).
MAX_TICKET: int = cast(String, Registration.__table__.c.ticket_number.type).length or 40
_DATETIME = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*(\d{1,2})[:：](\d{2})")


@dataclass(frozen=True)
class ImportedArrangement:
    """What the import did: rows read, tickets set, seats set, program seats displaced
    (re-seated and left without a seat), and the warnings and notices."""

    file: str
    rows: int
    tickets: int
    seats: int
    displaced: int
    left_unseated: int
    problems: tuple[Problem, ...] = field(default=())


@dataclass
class _Row:
    row: int
    ticket: str
    id_number: str
    room: str
    seat: int
    subject: str
    start: dt.datetime | None


def import_arrangement(
    db: Database, path: Path, plan_code: str | None = None
) -> ImportedArrangement:
    """Read ``path`` (any sheet close to the 排考明细) and apply it (see the module)."""
    template = get_template("arrangement.detail")
    table = read_table(Path(path), template)
    if table.header.missing:
        names = "、".join(template.by_field[f].header for f in table.header.missing)
        raise refuse("import.missing_columns", file=Path(path).name, columns=names)
    rows, problems = _read_rows(
        table.rows[table.header.row + 1 :], table.header.fields, table.header.row + 2
    )
    if not rows and not problems:
        raise InputError("arrange.import_no_rows", file=Path(path).name)
    auto_backup(db, "import")  # what the import changes can be taken back
    with db.unit_of_work() as session:
        return import_rows_in(session, Path(path).name, rows, problems, plan_code)


def _read_rows(
    cells: Sequence[Sequence[Any]], fields: dict[int, str] | Any, first_row: int
) -> tuple[list[_Row], list[Problem]]:
    rows: list[_Row] = []
    problems: list[Problem] = []
    for offset, values in field_rows(cells, fields):
        row = first_row + offset
        ticket = "".join((clean_text(values.get("ticket")).value or "").split())
        idn = clean_id_number(values.get("id_number")).value or ""
        room = clean_text(values.get("room")).value or ""
        seat_text = clean_text(values.get("seat")).value or ""
        missing = [
            title
            for title, value in (
                ("准考证号", ticket),
                ("证件号码", idn),
                ("考场名称", room),
                ("考位号", seat_text),
            )
            if not value
        ]
        if missing:
            problems.extend(
                error("arrange.import_missing_value", row=row, column=m) for m in missing
            )
            continue
        seat_digits = seat_text.removesuffix("号").removesuffix("座")
        # No room has more seats than a room may have (the rooms' own limit): a bigger
        # number is a mistake, and one past 64 bits no database column can hold.
        if not seat_digits.isdigit() or not 1 <= int(seat_digits) <= MAX_SEATS:
            problems.append(
                error(
                    "arrange.import_bad_seat",
                    row=row,
                    column="考位号",
                    seat=seat_text,
                    limit=MAX_SEATS,
                )
            )
            continue
        if len(ticket) > MAX_TICKET:
            problems.append(
                error(
                    "arrange.import_bad_ticket",
                    row=row,
                    column="准考证号",
                    ticket=ticket[:24] + "…",
                    length=len(ticket),
                    limit=MAX_TICKET,
                )
            )
            continue
        start_text = clean_text(values.get("start")).value or ""
        rows.append(
            _Row(
                row,
                ticket,
                idn,
                room,
                int(seat_digits),
                clean_text(values.get("subject")).value or "",
                _start(values.get("start"), start_text),
            )
        )
    return rows, problems


def _start(value: object, text: str) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    match = _DATETIME.search(text)
    if match is None:
        return None
    year, month, day, hour, minute = (int(g) for g in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return None


# --- the core --------------------------------------------------------------------------


def import_rows_in(
    session: Session,
    file: str,
    rows: list[_Row],
    problems: list[Problem],
    plan_code: str | None,
) -> ImportedArrangement:
    plans = (
        [find_plan(session, plan_code)]
        if plan_code
        else list(session.scalars(select(ExamPlan).order_by(ExamPlan.id)))
    )
    data: dict[int, PlanData] = {}
    for plan in plans:
        ensure_room_sessions(session, plan.id)
        data[plan.id] = load_plan(session, plan)
    names = dict(
        session.execute(
            select(Candidate.id_number, Candidate.name).where(
                Candidate.id_number.in_({r.id_number for r in rows})
            )
        ).all()
    )
    wanted: dict[int, dict[int, tuple[int, int]]] = {}  # plan → record → (slot, seat)
    tickets: dict[tuple[int, int], tuple[str, int]] = {}  # (plan, registration) → ticket, row
    seat_rows: dict[tuple[int, int], int] = {}
    ticket_rows: dict[str, tuple[int, int]] = {}
    for row in rows:
        found = _resolve(row, data, names, problems)
        if found is None:
            continue
        plan_id, registration, named = found
        first = tickets.setdefault((plan_id, registration), (row.ticket, row.row))
        if first[0] != row.ticket:
            problems.append(
                _row_error(
                    "arrange.import_ticket_differs",
                    row,
                    id_number=row.id_number,
                    ticket=row.ticket,
                    other=first[1],
                    first=first[0],
                )
            )
            continue
        holder = ticket_rows.setdefault(row.ticket, (registration, row.row))
        if holder[0] != registration:
            problems.append(
                _row_error("arrange.import_ticket_twice", row, ticket=row.ticket, other=holder[1])
            )
            continue
        for record_key, slot in named:
            other = seat_rows.setdefault((slot, row.seat), row.row)
            if other != row.row:
                problems.append(
                    _row_error("arrange.import_seat_twice", row, other=other, seat=row.seat)
                )
                continue
            wanted.setdefault(plan_id, {})[record_key] = (slot, row.seat)
            capacity = data[plan_id].slots[slot].capacity
            if row.seat > capacity:
                problems.append(
                    warning(
                        "arrange.import_over_capacity",
                        row=row.row,
                        column="考位号",
                        seat=row.seat,
                        room=row.room,
                        capacity=capacity,
                    )
                )
    _check_held(session, tickets, rows, problems)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise InputError("arrange.import_refused", problems=problems, file=file, count=len(errors))
    for plan_id in wanted:
        check_open(data[plan_id].plan)
    displaced = left = seats = 0
    for plan_id, places in wanted.items():
        plan_tickets = {reg: t for (p, reg), (t, _row) in tickets.items() if p == plan_id}
        moved, unseated = _apply(session, data[plan_id], places, plan_tickets)
        displaced += moved
        left += unseated
        seats += len(places)
    notes = list(problems)
    if displaced:
        notes.append(notice("arrange.import_displaced", count=displaced))
    if left:
        notes.append(warning("arrange.import_left_unseated", count=left))
    record(
        session,
        "import",
        "arrangement",
        file,
        None,
        {"rows": len(rows), "tickets": len(tickets), "seats": seats, "displaced": displaced},
        ACTOR,
    )
    return ImportedArrangement(file, len(rows), len(tickets), seats, displaced, left, tuple(notes))


def _row_error(code: str, row: _Row, **params: Any) -> Problem:
    return error(code, row=row.row, **params)


def _resolve(
    row: _Row, data: dict[int, PlanData], names: dict[str, str], problems: list[Problem]
) -> tuple[int, int, list[tuple[int, int]]] | None:
    """(plan, registration, [(record, room session)]) the row names, or None after adding
    its problem."""
    if row.id_number not in names:
        problems.append(
            error(
                "arrange.import_unknown_candidate",
                row=row.row,
                column="证件号码",
                id_number=row.id_number,
            )
        )
        return None
    found: list[tuple[int, RecordInfo]] = []
    for plan_id, plan_data in data.items():
        for r in plan_data.records.values():
            if r.id_number == row.id_number and _subject_fits(
                plan_data.subject_names.get(r.subject, ""), row.subject
            ):
                found.append((plan_id, r))
    if row.subject and len(found) > 1:
        # A candidate registered for two levels: the subject's own name (理论知识考试（初级）)
        # picks one, where "理论" alone fits both.
        exact = [
            (p, r)
            for p, r in found
            if clean_text(data[p].subject_names.get(r.subject, "")).value == row.subject
        ]
        found = exact or found
    subject = row.subject or "任何科目"
    if not found:
        problems.append(
            error(
                "arrange.import_not_registered",
                row=row.row,
                id_number=row.id_number,
                subject=subject,
            )
        )
        return None
    if len({(p, r.registration) for p, r in found}) > 1:
        problems.append(
            error("arrange.import_ambiguous", row=row.row, id_number=row.id_number, subject=subject)
        )
        return None
    plan_id = found[0][0]
    plan_data = data[plan_id]
    places = []
    for _p, r in found:
        slots = [
            plan_data.slots[k]
            for k in plan_data.subject_slots.get(r.subject, [])
            if plan_data.slots[k].room_name == row.room
        ]
        if row.start is not None and len(slots) > 1:
            slots = [s for s in slots if s.starts_at == row.start] or slots
        if slots:
            places.append((r.key, slots[0].key))
    if not places:
        problems.append(
            error("arrange.import_unknown_room", row=row.row, column="考场名称", room=row.room)
        )
        return None
    return plan_id, found[0][1].registration, places


def _subject_fits(name: str, written: str) -> bool:
    if not written:
        return True
    if written == name or written in name or name in written:
        return True
    theory = any(w in name for w in THEORY_WORDS)
    wants_theory = any(w in written for w in THEORY_WORDS)
    wants_practical = any(w in written for w in PRACTICAL_WORDS)
    return (theory and wants_theory and not wants_practical) or (
        not theory and wants_practical and not wants_theory
    )


def _check_held(
    session: Session,
    tickets: dict[tuple[int, int], tuple[str, int]],
    rows: list[_Row],
    problems: list[Problem],
) -> None:
    """An official ticket already held by another registration's official ticket."""
    numbers = {t for t, _row in tickets.values()}
    if not numbers:
        return
    mine = {reg for (_p, reg) in tickets}
    by_number = {t: row for t, row in tickets.values()}
    for number, reg, holder in session.execute(
        select(Registration.ticket_number, Registration.id, Candidate.id_number)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .where(Registration.ticket_number.in_(numbers), Registration.ticket_official.is_(True))
    ):
        if reg not in mine and number is not None:
            problems.append(
                error(
                    "arrange.import_ticket_held",
                    row=by_number[number],
                    ticket=number,
                    holder=holder,
                )
            )


def _apply(
    session: Session,
    data: PlanData,
    places: dict[int, tuple[int, int]],
    tickets: dict[int, str],
) -> tuple[int, int]:
    """Write the official seats and tickets of one plan; re-seat whom they displace.
    Returns (displaced, left without a seat)."""
    targets = set(places.values())
    displaced = [key for key, place in data.seats.items() if place in targets and key not in places]
    gone = list(places) + displaced
    bury(session, "seat", seat_keys(session, displaced))  # if seated again, not sent
    for chunk in range(0, len(gone), 500):
        session.execute(
            delete(Seat).where(Seat.registration_subject_id.in_(gone[chunk : chunk + 500]))
        )
    session.flush()
    session.add_all(
        Seat(room_session_id=slot, registration_subject_id=key, seat_number=seat)
        for key, (slot, seat) in places.items()
    )
    set_status(session, list(places), ARRANGED)
    # Program tickets equal to an official one make way (they get a new number below).
    clash = session.scalars(
        select(Registration).where(
            Registration.ticket_number.in_(set(tickets.values())),
            Registration.id.not_in(set(tickets)),
        )
    ).all()
    for other in clash:
        other.ticket_number = None
    session.flush()
    for reg, number in tickets.items():
        registration = session.get(Registration, reg)
        assert registration is not None
        registration.ticket_number, registration.ticket_official = number, True
    session.flush()
    fresh = load_plan(session, data.plan)
    moved = [fresh.records[k] for k in displaced if fresh.records[k].status != WITHDRAWN]
    result = arrange(fresh.pools(moved), fresh.seats, fresh.groups(), rooms=fresh.rooms())
    short = {s.pool for s in result.shortages}
    placements = tuple(result.placements)
    write_placements(session, fresh, placements)
    # A registration whose program ticket made way and who was not re-seated above.
    for reg in [r.id for r in clash]:
        if not fresh.tickets.get(reg) and any(
            r.registration == reg and k in fresh.seats for k, r in fresh.records.items()
        ):
            registration = session.get(Registration, reg)
            assert registration is not None
            registration.ticket_number = fresh.new_ticket(reg, fresh.seats)
    stranded = [r.key for r in moved if r.subject in short]
    if stranded:
        set_status(session, stranded, UNARRANGED)
    left = len(stranded)
    return len(displaced), left
