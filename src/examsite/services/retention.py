"""Retention (PIPL art. 19): when each round's personal data is due to go, what a purge
would remove, and the purge itself. Director only (``domain.roles.DIRECTOR_ONLY``: the use
case is this module's name, so every read and write here passes the gate).

- A round is an exam plan; it is due ``months`` after its publication window closes
  (``domain.retention``): the site's default (setting ``retention.months``, 12) or the
  plan's own (setting ``retention.months:<plan>``).
- ``preview_purge`` lists what a purge of a due round would remove; ``purge_plan`` takes a
  backup first (a file backup; on a school server the IT staff's ``pg_dump``, which the
  director must confirm), then in ONE unit of work anonymises the round's candidates,
  deletes their photos, clears the round's ticket numbers, certificate numbers and
  exam-day notes, records one audit entry and marks the round purged.
- A candidate also registered in a round whose retention date has not passed keeps their
  identity (that round still needs it); only the purged round's own fields go.
- Registrations are never deleted or re-keyed (their freeze trigger; the statistics):
  the anonymised rows keep kind, school, major, enrolment year, class and the scores, so
  ``services.statistics`` gives the same figures after the purge.
- The audit log cannot be purged (its triggers refuse UPDATE and DELETE): its past entries
  keep the ID numbers they name. The purge's own entry holds counts only.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Final

from sqlalchemy import delete, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.problems import Problem, notice
from examsite.domain.retention import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    PURGED_NAME,
    is_due,
    is_purged,
    purged_id_number,
    retention_date,
    valid_months,
)
from examsite.errors import InputError
from examsite.services import audit
from examsite.services.plans import find_plan
from examsite.services.retention_records import (
    PurgeCandidate,
    PurgeCounts,
    PurgePreview,
    PurgeResult,
    RetentionStatus,
    RoundRetention,
    preview_notes,
)
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    Candidate,
    CertificateResult,
    ExamPlan,
    Incident,
    Photo,
    Registration,
    RegistrationSubject,
    Seat,
    Setting,
)

MONTHS_SETTING: Final = "retention.months"
PLAN_MONTHS_PREFIX: Final = "retention.months:"
PURGED_SETTING_PREFIX: Final = "retention.purged:"
#: The backup's reason in its file name (``<db>-<time>-manual-purge.db``).
BACKUP_REASON: Final = "purge"
#: Candidates per statement (SQLite caps the parameters of one statement).
_CHUNK: Final = 500


# -- settings -----------------------------------------------------------------------------


def default_months_in(session: Session) -> int:
    return _months_value(session.get(Setting, MONTHS_SETTING)) or DEFAULT_MONTHS


def _months_value(setting: Setting | None) -> int | None:
    if setting is None:
        return None
    try:
        months = int(setting.value)
    except ValueError:
        return None
    return months if valid_months(months) else None


def set_months(db: Database, months: int | None, plan_code: str | None = None) -> RetentionStatus:
    """Set the site's default period, or the plan's own (``months`` None: the plan follows
    the default again). Logged in the audit log."""
    if months is not None and not valid_months(months):
        raise InputError("retention.bad_months", months=months, most=MAX_MONTHS)
    if months is None and plan_code is None:
        raise InputError("retention.default_needed")
    with db.unit_of_work() as session:
        key = MONTHS_SETTING
        if plan_code is not None:
            key = PLAN_MONTHS_PREFIX + find_plan(session, plan_code).code
        setting = session.get(Setting, key)
        before = {"months": setting.value} if setting is not None else None
        if months is None:
            if setting is not None:
                session.delete(setting)
        else:
            session.merge(Setting(key=key, value=str(months)))
        after = {"months": str(months)} if months is not None else None
        audit.record(session, "update", "setting", key, before, after, "retention")
        return _status_in(session, clock.now())


# -- status -------------------------------------------------------------------------------


def retention_status(db: Database) -> RetentionStatus:
    """Every round with registrations: its retention date, whether it is due, purged."""
    with db.read() as session:
        return _status_in(session, clock.now())


def _status_in(session: Session, now: dt.datetime) -> RetentionStatus:
    default = default_months_in(session)
    plans = session.scalars(
        select(ExamPlan)
        .where(ExamPlan.id.in_(select(Registration.plan_id)))
        .order_by(ExamPlan.publication_end, ExamPlan.code)
    ).all()
    return RetentionStatus(default, tuple(_round_in(session, p, default, now) for p in plans))


def _round_in(session: Session, plan: ExamPlan, default: int, now: dt.datetime) -> RoundRetention:
    own = _months_value(session.get(Setting, PLAN_MONTHS_PREFIX + plan.code))
    months = own or default
    until = retention_date(plan.publication_end, months)
    candidates = len(_candidate_ids(session, plan.id))
    purged_at = purged_at_in(session, plan.code)
    return RoundRetention(
        plan.code, plan.name, plan.publication_end, months, own is not None, until,
        is_due(until, now), candidates, purged_at,
        (now - until).days if is_due(until, now) else None,
    )  # fmt: skip


def retention_notices_in(session: Session, now: dt.datetime) -> list[Problem]:
    """A notice per round offered for a purge (for a step's status: anyone may read it,
    only the director may act on it)."""
    rounds = _status_in(session, now).rounds
    return [
        notice("retention.notice_due", plan=r.plan_code, date=f"{r.retain_until:%Y-%m-%d}")
        for r in rounds
        if r.offered
    ]


def purged_at_in(session: Session, plan_code: str) -> dt.datetime | None:
    """When the round was purged (None: never): exports of it are refused."""
    marker = session.get(Setting, PURGED_SETTING_PREFIX + plan_code)
    if marker is None:
        return None
    try:
        return dt.datetime.fromisoformat(json.loads(marker.value)["at"])
    except (ValueError, KeyError, TypeError):
        return clock.now()  # a damaged marker still says the round was purged


def refuse_purged_in(session: Session, plan_code: str) -> None:
    """``InputError`` when the round's personal data has been purged (for exports)."""
    at = purged_at_in(session, plan_code)
    if at is not None:
        raise InputError("retention.plan_purged", plan=plan_code, date=f"{at:%Y-%m-%d}")


# -- preview ------------------------------------------------------------------------------


def preview_purge(db: Database, plan_code: str) -> PurgePreview:
    """What a purge of the round would remove (refused while it is not due)."""
    with db.read() as session:
        return _preview_in(session, plan_code, clock.now())


def _preview_in(session: Session, plan_code: str, now: dt.datetime) -> PurgePreview:
    plan = find_plan(session, plan_code)
    status = _round_in(session, plan, default_months_in(session), now)
    if not status.due:
        raise InputError(
            "retention.not_due", plan=plan.code, date=f"{status.retain_until:%Y-%m-%d}"
        )
    keepers = _live_rounds_of(session, plan, now)
    with_photo = set(session.scalars(select(Photo.candidate_id)))
    purged: list[PurgeCandidate] = []
    kept: list[PurgeCandidate] = []
    for c in session.execute(
        select(Candidate.id, Candidate.id_number, Candidate.name, Candidate.kind, Candidate.phone)
        .where(Candidate.id.in_(_candidate_ids(session, plan.id)))
        .order_by(Candidate.id_number)
    ):
        if is_purged(c.id_number):
            continue
        row = PurgeCandidate(
            c.id_number, c.name, c.kind, bool(c.phone), c.id in with_photo,
            tuple(sorted(keepers.get(c.id, ()))),
        )  # fmt: skip
        (kept if row.kept_for else purged).append(row)
    counts = PurgeCounts(
        candidates=len(purged),
        photos=sum(c.photo for c in purged),
        kept=len(kept),
        tickets=_count(session, _tickets(plan.id)),
        certificate_numbers=_count(session, _certificate_numbers(plan.id)),
        notes=_count(session, _notes(plan.id)) + _count(session, _incidents(plan.id)),
    )
    return PurgePreview(status, counts, tuple(purged), tuple(kept))


# -- purge --------------------------------------------------------------------------------


def purge_plan(
    db: Database,
    plan_code: str,
    *,
    backup_dir: Path | None = None,
    server_backup_done: bool = False,
) -> PurgeResult:
    """Purge a due round: a backup first (refused without one: nothing changes), then the
    whole purge in one unit of work with its audit entry."""
    preview_purge(db, plan_code)  # the gate (director only) and "not due" before a backup
    backup = _backup_before(db, backup_dir, server_backup_done=server_backup_done)
    with db.unit_of_work() as session:
        return _purge_in(session, plan_code, clock.now(), backup)


def _backup_before(db: Database, folder: Path | None, *, server_backup_done: bool) -> Path | None:
    from examsite.services.backup import create_backup, not_a_file
    from examsite.services.server_settings import server_label
    from examsite.storage.backups import KIND_MANUAL

    if db.file_path is not None:
        return create_backup(db, kind=KIND_MANUAL, reason=BACKUP_REASON, folder=folder).path
    if make_url(db.url).get_backend_name() != "sqlite":
        if server_backup_done:
            return None
        raise InputError("retention.server_backup", server=server_label(db.url))
    raise not_a_file(db.url)


def _purge_in(
    session: Session, plan_code: str, now: dt.datetime, backup: Path | None
) -> PurgeResult:
    preview = _preview_in(session, plan_code, now)
    plan = find_plan(session, plan_code)
    keepers = _live_rounds_of(session, plan, now)
    old_ids = {
        id_number: cid
        for cid, id_number in session.execute(
            select(Candidate.id, Candidate.id_number).where(
                Candidate.id.in_(_registrations(plan.id, Registration.candidate_id))
            )
        )
        if cid not in keepers and not is_purged(id_number)
    }
    placeholders = {cid: purged_id_number() for cid in old_ids.values()}
    doomed = sorted(placeholders)
    for start in range(0, len(doomed), _CHUNK):
        chunk = doomed[start : start + _CHUNK]
        session.execute(delete(Photo).where(Photo.candidate_id.in_(chunk)))
    if placeholders:  # one executemany by primary key
        blank = {"name": PURGED_NAME, "pinyin": "", "gender": "", "phone": "", "extra": {}}
        session.execute(
            update(Candidate),
            [{"id": cid, "id_number": new, **blank} for cid, new in placeholders.items()],
        )
    session.execute(
        update(Registration)
        .where(Registration.id.in_(_tickets(plan.id)))
        .values(ticket_number=None)
    )
    session.execute(
        update(CertificateResult)
        .where(CertificateResult.id.in_(_certificate_numbers(plan.id)))
        .values(certificate_number="")
    )
    session.execute(update(Attendance).where(Attendance.id.in_(_notes(plan.id))).values(note=""))
    for incident in session.scalars(select(Incident).where(Incident.plan_id == plan.id)):
        incident.candidates = [
            placeholders.get(old_ids.get(str(n), -1), PURGED_NAME) for n in incident.candidates
        ]
        incident.description = ""
        incident.action_taken = ""
    counts = preview.counts
    summary = {
        "plan": plan.code,
        **counts.as_dict(),
        "months": preview.round.months,
        "retain_until": preview.round.retain_until.isoformat(),
        "backup": str(backup) if backup else "pg_dump",
    }
    # Counts only: an entry naming the candidates would keep their ID numbers for ever.
    audit.record(session, "purge", "plan", plan.code, None, summary, "retention")
    marker = json.dumps({**summary, "at": now.isoformat()}, ensure_ascii=False)
    session.merge(Setting(key=PURGED_SETTING_PREFIX + plan.code, value=marker))
    return PurgeResult(plan.code, now, counts, backup)


# -- queries ------------------------------------------------------------------------------


def _candidate_ids(session: Session, plan_id: int) -> set[int]:
    return set(
        session.scalars(select(Registration.candidate_id).where(Registration.plan_id == plan_id))
    )


def _live_rounds_of(session: Session, plan: ExamPlan, now: dt.datetime) -> dict[int, set[str]]:
    """The plan's candidates who are also in a round still within its retention: id →
    those rounds' codes."""
    default = default_months_in(session)
    own = {
        s.key[len(PLAN_MONTHS_PREFIX) :]: _months_value(s)
        for s in session.scalars(select(Setting).where(Setting.key.startswith(PLAN_MONTHS_PREFIX)))
    }
    ours = select(Registration.candidate_id).where(Registration.plan_id == plan.id)
    found: dict[int, set[str]] = {}
    for candidate_id, code, publication_end in session.execute(
        select(Registration.candidate_id, ExamPlan.code, ExamPlan.publication_end)
        .join(ExamPlan, ExamPlan.id == Registration.plan_id)
        .where(Registration.plan_id != plan.id, Registration.candidate_id.in_(ours))
    ):
        until = retention_date(publication_end, own.get(code) or default)
        if not is_due(until, now):
            found.setdefault(candidate_id, set()).add(code)
    return found


def _tickets(plan_id: int) -> Any:
    return select(Registration.id).where(
        Registration.plan_id == plan_id, Registration.ticket_number.is_not(None)
    )


def _registrations(plan_id: int, column: Any = Registration.id) -> Any:
    return select(column).where(Registration.plan_id == plan_id)


def _certificate_numbers(plan_id: int) -> Any:
    return select(CertificateResult.id).where(
        CertificateResult.registration_id.in_(_registrations(plan_id)),
        CertificateResult.certificate_number != "",
    )


def _notes(plan_id: int) -> Any:
    records = select(RegistrationSubject.id).where(
        RegistrationSubject.registration_id.in_(_registrations(plan_id))
    )
    seats = select(Seat.id).where(Seat.registration_subject_id.in_(records))
    return select(Attendance.id).where(Attendance.seat_id.in_(seats), Attendance.note != "")


def _incidents(plan_id: int) -> Any:
    return select(Incident.id).where(
        Incident.plan_id == plan_id,
        (Incident.description != "") | (Incident.action_taken != ""),
    )


def _count(session: Session, ids: Any) -> int:
    return len(session.scalars(ids).all())


__all__ = [
    "PurgeCandidate",
    "PurgeCounts",
    "PurgePreview",
    "PurgeResult",
    "RetentionStatus",
    "RoundRetention",
    "preview_notes",
]
