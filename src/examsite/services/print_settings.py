"""What the print run remembers in the ``Setting`` table: the coordinator's print settings
(``materials.header`` …) and the last run of each plan (``materials.run:<plan code>``:
its folder, files, pages and a checksum of the seats it printed), and step 8's status
drawn from them.

The checksum (``arrangement_checksum``) covers every seat of the plan (room session, seat
number, ticket number, candidate): when it differs from the one stored with the last run,
the papers on the desk no longer match the seats and the sidebar says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.materials import PrintSettings, TicketLayout
from examsite.domain.problems import Problem, error, notice
from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.services.plans import find_plan
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.db import Database
from examsite.storage.models import (
    ExamPlan,
    Registration,
    RegistrationSubject,
    RoomSession,
    Seat,
    Setting,
)

SETTING_PREFIX = "materials."
RUN_PREFIX = "materials.run:"
LABELS_PER_PAGE = (8, 10, 12)
TICKET_LAYOUTS: tuple[TicketLayout, ...] = ("combined", "per_subject")
MAX_COPIES = 9
HEADER_LIMIT = 60


# --- settings -------------------------------------------------------------------------


def check_print_settings(settings: PrintSettings) -> PrintSettings:
    """``settings`` with the header trimmed; ``InputError`` for a value out of range."""
    problems: list[Problem] = []
    if not 1 <= settings.sign_in_copies <= MAX_COPIES:
        problems.append(
            error("materials.bad_copies", value=settings.sign_in_copies, most=MAX_COPIES)
        )
    if settings.labels_per_page not in LABELS_PER_PAGE:
        problems.append(
            error(
                "materials.bad_labels_per_page",
                value=settings.labels_per_page,
                allowed="、".join(map(str, LABELS_PER_PAGE)),
            )
        )
    if settings.ticket_layout not in TICKET_LAYOUTS:
        problems.append(error("materials.bad_ticket_layout", value=settings.ticket_layout))
    header = " ".join(settings.header.split())
    if len(header) > HEADER_LIMIT:
        problems.append(error("materials.header_too_long", most=HEADER_LIMIT))
    if problems:
        raise InputError.of(problems[0], problems)
    return dataclasses.replace(settings, header=header)


def load_print_settings_in(session: Session) -> PrintSettings:
    """The stored settings (the defaults for what was never stored or is unreadable)."""
    stored = {
        row.key.removeprefix(SETTING_PREFIX): row.value
        for row in session.scalars(
            select(Setting).where(
                Setting.key.in_(
                    [SETTING_PREFIX + f.name for f in dataclasses.fields(PrintSettings)]
                )
            )
        )
    }
    default = PrintSettings()
    values: dict[str, Any] = {}
    for field in dataclasses.fields(PrintSettings):
        raw = stored.get(field.name)
        if raw is None:
            continue
        values[field.name] = _int(raw) if isinstance(getattr(default, field.name), int) else raw
    settings = dataclasses.replace(default, **{k: v for k, v in values.items() if v is not None})
    try:
        return check_print_settings(settings)
    except InputError:
        return default


def _int(raw: str) -> int | None:
    try:
        return int(raw)
    except ValueError:
        return None


def load_print_settings(db: Database) -> PrintSettings:
    with db.read() as session:
        return load_print_settings_in(session)


def save_print_settings_in(session: Session, settings: PrintSettings) -> PrintSettings:
    settings = check_print_settings(settings)
    for field in dataclasses.fields(PrintSettings):
        _put(session, SETTING_PREFIX + field.name, str(getattr(settings, field.name)))
    return settings


def save_print_settings(db: Database, settings: PrintSettings) -> PrintSettings:
    """Store the settings (``InputError`` for a value out of range); the stored ones."""
    with db.unit_of_work() as session:
        return save_print_settings_in(session, settings)


def _put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


# --- the last run ---------------------------------------------------------------------


@dataclass(frozen=True)
class LastRun:
    """What is remembered of a plan's last print run."""

    plan_code: str
    folder: str
    files: int
    pages: int
    created: str
    arrangement: str  # ``arrangement_checksum`` when it ran


def arrangement_checksum(session: Session, plan_id: int) -> str:
    """A checksum of the plan's seats: room session, seat, ticket and candidate of each."""
    digest = hashlib.sha256()
    for uid, number, ticket, candidate in session.execute(
        select(
            RoomSession.uid, Seat.seat_number, Registration.ticket_number, Registration.candidate_id
        )
        .join(RoomSession, RoomSession.id == Seat.room_session_id)
        .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
        .join(Registration, Registration.id == RegistrationSubject.registration_id)
        .where(Registration.plan_id == plan_id)
        .order_by(RoomSession.uid, Seat.seat_number)
    ):
        digest.update(f"{uid}|{number}|{ticket or ''}|{candidate}\n".encode())
    return digest.hexdigest()


def record_run_in(session: Session, run: LastRun) -> None:
    _put(session, RUN_PREFIX + run.plan_code, json.dumps(dataclasses.asdict(run)))


def last_runs_in(session: Session) -> dict[str, LastRun]:
    """Each plan's last run, by plan code."""
    runs: dict[str, LastRun] = {}
    for row in session.scalars(select(Setting).where(Setting.key.startswith(RUN_PREFIX))):
        try:
            plain = cast(dict[str, Any], json.loads(row.value))
            run = LastRun(**plain)
        except (ValueError, TypeError):
            continue
        runs[run.plan_code] = run
    return runs


def last_run(db: Database, plan_code: str) -> LastRun | None:
    with db.read() as session:
        return last_runs_in(session).get(plan_code)


def stale_plans_in(session: Session, runs: dict[str, LastRun]) -> list[str]:
    """The plans whose seats changed since their last run (their codes)."""
    stale = []
    for code, run in sorted(runs.items()):
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == code)).first()
        if plan is not None and arrangement_checksum(session, plan.id) != run.arrangement:
            stale.append(code)
    return stale


def is_stale(db: Database, plan_code: str) -> bool:
    """Whether the plan's seats changed after its last print run."""
    with db.read() as session:
        run = last_runs_in(session).get(plan_code)
        if run is None:
            return False
        return arrangement_checksum(session, find_plan(session, plan_code).id) != run.arrangement


def materials_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 8's status: the files of the last runs; an error when the seats changed after
    a plan's run (the papers printed no longer match)."""
    runs = last_runs_in(session)
    files = sum(r.files for r in runs.values())
    problems: list[Problem] = []
    stale = stale_plans_in(session, runs)
    if stale:
        problems.append(error("materials.status_stale", plans="、".join(stale)))
    figure = (
        notice("materials.figure_made", files=files) if runs else notice("materials.figure_none")
    )
    return step_status(
        Step.MATERIALS,
        len(runs),
        {"runs": len(runs), "files": files, "pages": sum(r.pages for r in runs.values())},
        problems,
        figure,
    )
