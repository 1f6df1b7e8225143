"""Retention (issue 13, PIPL art. 19): the retention date of each round, the preview, the
purge (backup first, one unit of work, audit entry), the statistics kept, another round's
candidates kept, and the director-only gate — on both engines."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from examsite import clock
from examsite.domain.retention import PURGED_NAME, add_months, is_purged
from examsite.domain.workflow import Step
from examsite.errors import AccessDenied, InputError, StorageError
from examsite.services import retention
from examsite.services.accounts import add_user, create_first_director, log_in, log_out
from examsite.services.audit_verify import verify_audit
from examsite.services.candidate_state import count_candidates
from examsite.services.candidates import list_candidates
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.photos import list_photos
from examsite.services.platform_export import plan_upload
from examsite.services.print_run import print_run
from examsite.services.registration_sheets import export_registrations
from examsite.services.statistics import plan_statistics
from examsite.services.status import round_status
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    AuditLog,
    Candidate,
    ExamPlan,
    Incident,
    Photo,
    Registration,
    Staff,
)
from statistics_data import seed_scores

LIVE_PLAN = "LIVE-2030"
KEPT = 3  # demo candidates also registered for the live round


@pytest.fixture
def site(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    """The arranged demo of 24 candidates with scores, and a second round (``LIVE_PLAN``,
    published in 2030) holding ``KEPT`` of the demo round's candidates."""
    database = Database.open(arranged_db_file(24))
    seed_scores(database)
    with database.unit_of_work() as session:
        demo = session.scalar(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE))
        assert demo is not None
        later = dt.timedelta(days=365 * 3)
        live = ExamPlan(
            org_id=demo.org_id,
            code=LIVE_PLAN,
            name="2030年一轮",
            year=2030,
            **{
                f"{w}_{e}": getattr(demo, f"{w}_{e}") + later
                for w in ("registration", "arrangement", "exam", "score_entry", "publication")
                for e in ("start", "end")
            },
        )
        session.add(live)
        session.flush()
        for reg in session.scalars(
            select(Registration)
            .where(Registration.plan_id == demo.id)
            .order_by(Registration.id)
            .limit(KEPT)
        ):
            session.add(
                Registration(
                    candidate_id=reg.candidate_id,
                    plan_id=live.id,
                    certificate_id=reg.certificate_id,
                    site_id=reg.site_id,
                    kind=reg.kind,
                )
            )
    yield database
    database.close()


def _after_retention(db: Database) -> dt.datetime:
    with db.read() as session:
        end = session.scalar(
            select(ExamPlan.publication_end).where(ExamPlan.code == DEMO_PLAN_CODE)
        )
    assert end is not None
    return add_months(end, 12) + dt.timedelta(days=1)


def _candidates(db: Database) -> dict[int, tuple[Any, ...]]:
    with db.read() as session:
        rows = session.execute(
            select(
                Candidate.id, Candidate.id_number, Candidate.name, Candidate.phone,
                Candidate.major, Candidate.enrollment_year, Candidate.class_name, Candidate.kind,
            )
        ).all()  # fmt: skip
        return {row[0]: tuple(row[1:]) for row in rows}


def _add_incident_and_note(db: Database, id_numbers: list[str]) -> None:
    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
        session.add(
            Incident(
                plan_id=plan.id,
                code="misconduct",
                occurred_at=plan.exam_start,
                candidates=id_numbers,
                description=f"{id_numbers[-1]} 携带手机",
                action_taken="已收缴",
            )
        )
        attendance = session.scalars(select(Attendance).order_by(Attendance.id).limit(1)).one()
        attendance.note = "迟到 5 分钟，本人说明原因"


def _sync_notices(db: Database) -> list[str]:
    return [p.code for p in round_status(db).step(Step.SYNC).problems]


def _photo_owners(db: Database) -> set[int]:
    with db.read() as session:
        return set(session.scalars(select(Photo.candidate_id)))


def _audit_count(db: Database, *, retention_only: bool = False) -> int:
    query = select(func.count()).select_from(AuditLog)
    if retention_only:  # (logging in and out are logged too)
        query = query.where((AuditLog.action == "purge") | (AuditLog.entity == "setting"))
    with db.read() as session:
        return session.scalar(query) or 0


def _purge(db: Database, tmp_path: Path, engine: str) -> retention.PurgeResult:
    return retention.purge_plan(
        db,
        DEMO_PLAN_CODE,
        backup_dir=tmp_path / "backups",
        server_backup_done=engine == "postgresql",
    )


def test_a_round_is_due_months_after_its_publication_window_closes(site: Database) -> None:
    status = retention.retention_status(site)
    demo = next(r for r in status.rounds if r.plan_code == DEMO_PLAN_CODE)
    assert status.default_months == 12
    assert demo.retain_until == add_months(demo.publication_end, 12)
    assert not demo.due and not demo.offered
    with pytest.raises(InputError) as refused:
        retention.preview_purge(site, DEMO_PLAN_CODE)
    assert refused.value.code == "retention.not_due"

    retention.set_months(site, 6)
    retention.set_months(site, 24, LIVE_PLAN)
    status = retention.retention_status(site)
    rounds = {r.plan_code: r for r in status.rounds}
    assert rounds[DEMO_PLAN_CODE].months == 6 and not rounds[DEMO_PLAN_CODE].own_months
    assert rounds[LIVE_PLAN].months == 24 and rounds[LIVE_PLAN].own_months
    retention.set_months(site, None, LIVE_PLAN)
    assert {r.plan_code: r.months for r in retention.retention_status(site).rounds} == {
        DEMO_PLAN_CODE: 6,
        LIVE_PLAN: 6,
    }
    with pytest.raises(InputError) as bad:
        retention.set_months(site, 0)
    assert bad.value.code == "retention.bad_months"

    retention.set_months(site, 12)
    with clock.fixed(_after_retention(site)):  # a day after the 12 months
        demo = next(
            r for r in retention.retention_status(site).rounds if r.plan_code == DEMO_PLAN_CODE
        )
        assert demo.due and demo.offered and demo.days_past == 1


def test_the_purge_removes_exactly_what_the_preview_lists(
    site: Database, tmp_path: Path, engine: str
) -> None:
    before = _candidates(site)
    photos_before = _photo_owners(site)
    statistics_before = plan_statistics(site, DEMO_PLAN_CODE).as_dict()
    with clock.fixed(_after_retention(site)):
        preview = retention.preview_purge(site, DEMO_PLAN_CODE)
        gone = {c.id_number for c in preview.purged}
        kept = {c.id_number for c in preview.kept}
        assert len(kept) == KEPT and all(c.kept_for == (LIVE_PLAN,) for c in preview.kept)
        assert preview.counts.candidates == len(gone) > 0
        assert preview.counts.photos == sum(c.photo for c in preview.purged)
        assert preview.counts.tickets > 0 and preview.counts.notes == 0
        kept_one, gone_one = preview.kept[0].id_number, preview.purged[0].id_number
        _add_incident_and_note(site, [kept_one, gone_one])
        preview = retention.preview_purge(site, DEMO_PLAN_CODE)
        assert preview.counts.notes == 2
        assert _sync_notices(site) == ["retention.notice_due"]  # the dashboard offers it
        result = _purge(site, tmp_path, engine)
        assert result.counts == preview.counts
        assert _sync_notices(site) == []
        notices = retention.retention_status(site)
        assert next(r for r in notices.rounds if r.plan_code == DEMO_PLAN_CODE).purged_at

    after = _candidates(site)
    assert set(after) == set(before)  # no row deleted: the registrations still point at them
    ids = {row[0]: cid for cid, row in before.items()}
    purged_ids = {ids[n] for n in gone}
    for cid, row in after.items():
        old = before[cid]
        if cid in purged_ids:
            assert is_purged(row[0]) and row[1] == PURGED_NAME and row[2] == ""
            assert row[3:] == old[3:]  # major, year, class, kind: what statistics need
        else:
            assert row == old  # kept (another round) or not in the round at all
    assert len({after[cid][0] for cid in purged_ids}) == len(purged_ids)  # unique placeholders
    assert _photo_owners(site) == photos_before - purged_ids
    with site.read() as session:
        incident = session.execute(
            select(Incident.candidates, Incident.description, Incident.action_taken)
        ).one()
        notes = session.scalars(select(Attendance.note).where(Attendance.note != "")).all()
    assert incident.candidates == [PURGED_NAME, after[ids[gone_one]][0]]
    assert incident.description == incident.action_taken == "" and not notes
    with site.read() as session:
        tickets = session.scalars(
            select(Registration.ticket_number)
            .join(ExamPlan, ExamPlan.id == Registration.plan_id)
            .where(ExamPlan.code == DEMO_PLAN_CODE)
        ).all()
    assert tickets and all(t is None for t in tickets)

    # The anonymous statistics come out the same.
    assert plan_statistics(site, DEMO_PLAN_CODE).as_dict() == statistics_before
    # Purged rows are no candidates: not listed, not counted, not a problem.
    listed = {row.id_number for row in list_candidates(site)}
    assert not listed & gone and kept <= listed and not any(is_purged(n) for n in listed)
    with site.read() as session:
        assert count_candidates(session).total == len(before) - len(purged_ids)
    photo_rows = {row.id_number for row in list_photos(site)}
    assert not photo_rows & gone and not any(is_purged(n) for n in photo_rows)
    # Exports of the purged round are refused with a clear message.
    for export in (
        lambda: plan_upload(site, DEMO_PLAN_CODE),
        lambda: print_run(site, DEMO_PLAN_CODE, tmp_path / "papers"),
        lambda: export_registrations(site, DEMO_PLAN_CODE, tmp_path / "reg.xlsx"),
    ):
        with pytest.raises(InputError) as refused:
            export()
        assert refused.value.code == "retention.plan_purged"
    assert not (tmp_path / "papers").exists() and not (tmp_path / "reg.xlsx").exists()


def test_the_purge_is_logged_with_counts_only(site: Database, tmp_path: Path, engine: str) -> None:
    entries = _audit_count(site)
    with clock.fixed(_after_retention(site)):
        gone = {c.id_number for c in retention.preview_purge(site, DEMO_PLAN_CODE).purged}
        result = _purge(site, tmp_path, engine)
    assert _audit_count(site) == entries + 1
    with site.read() as session:
        last = session.execute(
            select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.after)
            .order_by(AuditLog.id.desc())
            .limit(1)
        ).one()
    assert tuple(last[:3]) == ("purge", "plan", DEMO_PLAN_CODE)
    assert last.after is not None and last.after["candidates"] == result.counts.candidates
    assert not any(n in str(last.after) for n in gone)
    assert verify_audit(site).ok


@pytest.mark.sqlite_only
def test_a_backup_holding_the_data_is_taken_before(site: Database, tmp_path: Path) -> None:
    with clock.fixed(_after_retention(site)):
        gone = {c.id_number for c in retention.preview_purge(site, DEMO_PLAN_CODE).purged}
        result = _purge(site, tmp_path, "sqlite")
    assert result.backup is not None and result.backup.parent == tmp_path / "backups"
    assert result.backup.name.endswith("-manual-purge.db")
    copy = sqlite3.connect(result.backup)
    try:
        held = {row[0] for row in copy.execute("SELECT id_number FROM candidate")}
    finally:
        copy.close()
    assert gone <= held


@pytest.mark.sqlite_only
def test_nothing_changes_when_the_backup_fails(site: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backups folder should be")
    before, photos, entries = _candidates(site), _photo_owners(site), _audit_count(site)
    with clock.fixed(_after_retention(site)), pytest.raises(StorageError):
        retention.purge_plan(site, DEMO_PLAN_CODE, backup_dir=blocker / "backups")
    assert _candidates(site) == before and _photo_owners(site) == photos
    assert _audit_count(site) == entries
    assert not any(r.purged_at for r in retention.retention_status(site).rounds)


@pytest.mark.skipif("config.getoption('--engine') != 'postgresql'")
def test_on_a_server_the_pg_dump_must_be_confirmed(site: Database) -> None:
    before = _candidates(site)
    with clock.fixed(_after_retention(site)), pytest.raises(InputError) as refused:
        retention.purge_plan(site, DEMO_PLAN_CODE)
    assert refused.value.code == "retention.server_backup"
    assert "pg_dump" in str(refused.value)
    assert _candidates(site) == before


def test_a_round_not_yet_due_is_never_purged(site: Database, tmp_path: Path, engine: str) -> None:
    before = _candidates(site)
    with pytest.raises(InputError) as refused:
        _purge(site, tmp_path, engine)
    assert refused.value.code == "retention.not_due"
    assert _candidates(site) == before
    assert not (tmp_path / "backups").exists()  # refused before any backup


def test_only_the_director_may_see_or_purge(site: Database, tmp_path: Path, engine: str) -> None:
    with site.read() as session:
        staff_name = session.scalars(select(Staff.name).order_by(Staff.id)).first()
    assert staff_name is not None
    create_first_director(site, "boss", "director-pass-1")
    log_in(site, "boss", "director-pass-1")
    add_user(site, "clerk", "staff", "staff-pass-12")
    add_user(site, "door", "invigilator", "door-pass-123", staff=staff_name)
    before, entries = _candidates(site), _audit_count(site, retention_only=True)
    with clock.fixed(_after_retention(site)):
        for name, password in (("clerk", "staff-pass-12"), ("door", "door-pass-123")):
            log_out(site)
            log_in(site, name, password)
            for attempt in (
                lambda: retention.retention_status(site),
                lambda: retention.preview_purge(site, DEMO_PLAN_CODE),
                lambda: _purge(site, tmp_path, engine),
                lambda: retention.set_months(site, 1),
            ):
                with pytest.raises(AccessDenied) as refused:
                    attempt()
                assert refused.value.code == "auth.forbidden"
        assert _candidates(site) == before
        assert _audit_count(site, retention_only=True) == entries
        assert not (tmp_path / "backups").exists()
        log_out(site)
        log_in(site, "boss", "director-pass-1")
        assert retention.preview_purge(site, DEMO_PLAN_CODE).counts.candidates > 0
