"""The registration freeze in the database (issue 13): after the plan's registration
deadline the triggers refuse adding, removing and redefining a registration by any path,
raw SQL behind the services' back included, with the service's own message; what the
later steps write (tickets, subject statuses) stays writable, and ``db copy`` still copies
a frozen site. On either engine (``--engine``)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import Table, func, select, text

from db_copy_helpers import copy_server, new_server_database
from examsite import clock
from examsite.errors import InputError
from examsite.services.arrangement import run_arrangement
from examsite.services.db_copy import copy_database
from examsite.services.demo import DEMO_PLAN_CODE, demo_windows
from examsite.services.registration import ensure_registration_open
from examsite.services.registration_changes import remove_registrations
from examsite.services.transfer import export_transfer, import_bundle
from examsite.storage.bulk import insert_rows
from examsite.storage.db import Database
from examsite.storage.migrate import HEAD_REVISION, downgrade, upgrade_to_head
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Registration,
    RegistrationSubject,
    Seat,
    Subject,
)
from examsite.storage.registration_freeze import MOMENT_SETTING
from fixed_time import TEST_NOW

# The demo plan's registration deadline, as the demo made at TEST_NOW has it.
END = demo_windows(TEST_NOW.date())["registration"][1]
AFTER = END + dt.timedelta(minutes=1)

#: Statements that add, remove or redefine a registration (the first registration's).
_FIRST = "(SELECT MIN(id) FROM registration)"
REFUSED = (
    f"UPDATE registration SET fee = fee + 1 WHERE id = {_FIRST}",
    f"UPDATE registration SET kind = 'social' WHERE id = {_FIRST}",
    f"UPDATE registration SET home_school = '某校' WHERE id = {_FIRST}",
    f"UPDATE registration SET site_id = NULL WHERE id = {_FIRST}",
    f"DELETE FROM seat WHERE registration_subject_id IN (SELECT id FROM registration_subject "
    f"WHERE registration_id = {_FIRST}); DELETE FROM registration WHERE id = {_FIRST}",
    "INSERT INTO registration (uid, candidate_id, plan_id, certificate_id, site_id, fee, kind,"
    " home_school, source, ticket_official, created_at, updated_at)"
    " SELECT 'new-uid', c.id, r.plan_id, r.certificate_id, r.site_id, r.fee, r.kind, '',"
    " 'page', r.ticket_official, r.created_at, r.updated_at FROM registration AS r, candidate"
    " AS c WHERE r.id = (SELECT MIN(id) FROM registration) AND c.id NOT IN"
    " (SELECT candidate_id FROM registration)",
    f"DELETE FROM seat WHERE registration_subject_id = (SELECT MIN(id) FROM registration_subject"
    f" WHERE registration_id = {_FIRST}); DELETE FROM registration_subject WHERE id ="
    f" (SELECT MIN(id) FROM registration_subject WHERE registration_id = {_FIRST})",
    "INSERT INTO registration_subject (registration_id, subject_id, status)"
    f" SELECT {_FIRST}, s.id, 'unarranged' FROM subject AS s WHERE s.id NOT IN"
    f" (SELECT subject_id FROM registration_subject WHERE registration_id = {_FIRST}) LIMIT 1",
)
#: What the later steps write after the deadline: left alone by the freeze.
WRITABLE = (
    f"UPDATE registration SET ticket_number = 'T-NEW', ticket_official = "
    f"NOT ticket_official WHERE id = {_FIRST}",
    f"UPDATE registration SET updated_at = created_at, source = 'platform' WHERE id = {_FIRST}",
    f"UPDATE registration SET fee = fee, kind = kind WHERE id = {_FIRST}",  # the same values
    f"UPDATE registration_subject SET status = 'withdrawn' WHERE registration_id = {_FIRST}",
)


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    """The arranged demo site of 6 candidates (registered at TEST_NOW, seats given)."""
    database = Database.open(arranged_db_file(6))
    yield database
    database.close()


def snapshot(db: Database) -> tuple[Any, ...]:
    """Every registration's defining columns and subjects."""
    with db.read() as session:
        registrations = session.execute(
            select(
                Registration.id,
                Registration.candidate_id,
                Registration.plan_id,
                Registration.certificate_id,
                Registration.site_id,
                Registration.fee,
                Registration.kind,
                Registration.home_school,
            ).order_by(Registration.id)
        ).all()
        subjects = session.execute(
            select(RegistrationSubject.registration_id, RegistrationSubject.subject_id).order_by(
                RegistrationSubject.id
            )
        ).all()
    return tuple(registrations), tuple(subjects)


def run_sql(db: Database, statements: str) -> None:
    """``statements`` (';'-separated) in one unit of work, behind the services' back."""
    with db.unit_of_work() as session:
        for statement in statements.split("; "):
            session.execute(text(statement))


def service_message(db: Database, moment: dt.datetime) -> str:
    with db.read() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
        with pytest.raises(InputError) as closed:
            ensure_registration_open(plan, moment)
    return closed.value.message


@pytest.mark.parametrize("statements", REFUSED)
def test_raw_sql_after_the_deadline_is_refused_with_the_services_message(
    arranged: Database, statements: str
) -> None:
    before = snapshot(arranged)
    with clock.fixed(AFTER), pytest.raises(InputError) as refused:
        run_sql(arranged, statements)
    assert refused.value.code == "registration.closed"
    assert refused.value.message == service_message(arranged, AFTER)
    assert f"{END:%Y-%m-%d %H:%M}" in refused.value.message
    assert snapshot(arranged) == before


@pytest.mark.parametrize("statements", REFUSED)
def test_before_the_deadline_the_same_sql_goes_through(arranged: Database, statements: str) -> None:
    before = snapshot(arranged)
    with clock.fixed(END):  # the deadline's own minute is still open
        run_sql(arranged, statements)
    assert snapshot(arranged) != before


def test_after_the_deadline_the_later_steps_columns_stay_writable(arranged: Database) -> None:
    before = snapshot(arranged)
    with clock.fixed(AFTER):
        for statements in WRITABLE:
            run_sql(arranged, statements)
    assert snapshot(arranged) == before
    with arranged.read() as session:
        assert (
            session.scalar(select(func.count()).where(Registration.ticket_number == "T-NEW")) == 1
        )


def test_the_orm_path_is_refused_too(arranged: Database) -> None:
    """A service that forgot the window check (an ORM change) still cannot do it."""
    with (
        clock.fixed(AFTER),
        pytest.raises(InputError) as refused,
        arranged.unit_of_work() as session,
    ):
        row = session.scalars(select(Registration).order_by(Registration.id)).first()
        assert row is not None
        row.fee += 10
    assert refused.value.code == "registration.closed"


def test_the_arrangement_after_the_deadline_still_works(arranged: Database) -> None:
    with clock.fixed(AFTER):
        run_sql(
            arranged,
            "DELETE FROM seat; UPDATE registration SET ticket_number = NULL; "
            "UPDATE registration_subject SET status = 'unarranged'",
        )
        result = run_arrangement(arranged, DEMO_PLAN_CODE)
    assert result.seated > 0
    with arranged.read() as session:
        assert session.scalar(select(func.count()).select_from(Seat)) == result.seated
        assert session.scalar(select(func.count()).where(Registration.ticket_number.is_(None))) == 0


def test_a_db_copy_after_the_deadline_copies_the_frozen_site(
    arranged: Database, tmp_path: Path
) -> None:
    target = tmp_path / "exam-day.db"
    with clock.fixed(AFTER):
        result = copy_database(arranged, target)
    assert result.mode == "copy" and all(check.equal for check in result.tables)
    copied = Database.open(target)
    try:
        assert snapshot(copied) == snapshot(arranged)
        with clock.fixed(AFTER), pytest.raises(InputError) as refused:  # still frozen there
            run_sql(copied, REFUSED[0])
        assert refused.value.code == "registration.closed"
    finally:
        copied.close()


__all__ = ["copy_server"]  # the fixture, imported


def test_a_db_copy_to_the_server_after_the_deadline(
    arranged: Database, engine: str, copy_server: Any
) -> None:
    if engine != "postgresql":
        pytest.skip("the copy to a server: with --engine postgresql")
    url = new_server_database(copy_server, migrated=True)
    with clock.fixed(AFTER):
        result = copy_database(arranged, url)
    assert all(check.equal for check in result.tables)
    copied = Database.open(url)
    try:
        with clock.fixed(AFTER), pytest.raises(InputError):
            run_sql(copied, REFUSED[0])
        with copied.engine.connect() as connection:  # the triggers enabled again
            enabled = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'registration%freeze%'"
                    " AND tgenabled = 'O'"
                )
            )
        assert enabled == 4
    finally:
        copied.close()


def test_a_session_without_the_programs_clock(arranged: Database, engine: str) -> None:
    """psql uses the server's own time; a sqlite3 shell without ``examsite_now()`` cannot
    add, remove or redefine a registration at all, only write the later steps' columns."""
    if engine == "postgresql":

        def deadline(offset: str) -> None:  # relative to the server's own clock
            with arranged.engine.begin() as connection:
                connection.exec_driver_sql(
                    f"UPDATE exam_plan SET registration_end = localtimestamp {offset}"
                )

        deadline("+ interval '1 day'")
        with arranged.engine.begin() as connection:  # no setting: the server's time, open
            connection.exec_driver_sql(REFUSED[0])
        with pytest.raises(InputError), arranged.engine.begin() as connection:
            connection.execute(  # the program's clock, when a session gives it
                text("SELECT set_config(:name, :moment, true)"),
                {"name": MOMENT_SETTING, "moment": "9999-01-01 00:00:00"},
            )
            connection.exec_driver_sql(REFUSED[0])
        deadline("- interval '1 day'")
        with pytest.raises(InputError), arranged.engine.begin() as connection:
            connection.exec_driver_sql(REFUSED[0])
        return
    path = arranged.file_path
    assert path is not None
    shell = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            shell.execute(REFUSED[0])
        shell.execute(WRITABLE[0])
        shell.execute(WRITABLE[-1])
        shell.commit()
    finally:
        shell.close()


_COUNT_TRIGGERS = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%freeze%'",
    "postgresql": "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%freeze%'",
}


def test_the_migration_adds_and_removes_the_triggers(db: Database, engine: str) -> None:
    def count() -> int:
        with db.engine.connect() as connection:
            return int(connection.execute(text(_COUNT_TRIGGERS[engine])).scalar() or 0)

    made = 6 if engine == "sqlite" else 4
    assert (HEAD_REVISION, count()) == ("0009", made)
    downgrade(db.engine, "0008")
    assert count() == 0
    upgrade_to_head(db.engine)
    assert count() == made


def test_a_withdrawal_merged_after_the_deadline_is_refused_row_by_row(
    arranged: Database, db: Database, tmp_path: Path
) -> None:
    """The transfer merge refuses it in its report (as an added registration), instead
    of the whole merge failing on the trigger."""
    keys = tmp_path / "keys"
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    export_transfer(arranged, first, key_folder=keys)
    assert import_bundle(db, first, pair=True).applied
    with arranged.read() as session:
        number, code, uid = session.execute(
            select(Candidate.id_number, Certificate.code, Registration.uid)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .join(Certificate, Certificate.id == Registration.certificate_id)
            .order_by(Registration.id)
        ).first()  # type: ignore[misc]
    remove_registrations(arranged, DEMO_PLAN_CODE, code, [number])  # inside the window
    export_transfer(arranged, second, key_folder=keys)
    with clock.fixed(AFTER):
        report = import_bundle(db, second)
    assert report.applied
    assert [(r.key, r.code) for r in report.refused] == [
        (f"registration:{uid}", "registration.closed")
    ]
    with db.read() as session:
        assert session.scalar(select(func.count()).where(Registration.uid == uid)) == 1


def test_the_bulk_writers_refusal_reads_the_same(arranged: Database) -> None:
    """``storage.bulk`` writes with the driver's own cursor (COPY on PostgreSQL): its
    refusal is mapped too, not left as a driver error (程序内部错误)."""
    with arranged.read() as session:
        registration = session.scalar(select(func.min(Registration.id)))
        taken = select(RegistrationSubject.subject_id).where(
            RegistrationSubject.registration_id == registration
        )
        subject = session.scalar(select(func.min(Subject.id)).where(Subject.id.not_in(taken)))
    row = {"registration_id": registration, "subject_id": subject, "status": "unarranged"}
    with (
        clock.fixed(AFTER),
        pytest.raises(InputError) as refused,
        arranged.unit_of_work() as session,
    ):
        insert_rows(session, cast(Table, RegistrationSubject.__table__), [row])
    assert refused.value.message == service_message(arranged, AFTER)


def test_the_freeze_starts_the_second_after_the_deadline(arranged: Database) -> None:
    """The same edge as the service's (``now > end``), to the second."""
    with clock.fixed(END + dt.timedelta(seconds=1)), pytest.raises(InputError):
        run_sql(arranged, REFUSED[0])
    with clock.fixed(END):
        run_sql(arranged, REFUSED[0])


def test_truncate_is_refused_on_the_server(arranged: Database, engine: str) -> None:
    if engine != "postgresql":
        pytest.skip("TRUNCATE: PostgreSQL's (SQLite has none)")
    before = snapshot(arranged)
    with clock.fixed(AFTER), pytest.raises(InputError) as refused:
        run_sql(arranged, "TRUNCATE registration CASCADE")
    assert refused.value.code == "registration.closed"
    assert snapshot(arranged) == before
