"""The schema is made by migrations only, and they go both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from examsite.errors import StorageError
from examsite.storage.db import Database
from examsite.storage.migrate import current_revision, downgrade, head_revision, upgrade_to_head
from examsite.storage.models import Base


def test_empty_file_upgrades_to_head_with_every_table(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "new.db")
    assert current_revision(db.engine) == head_revision(db.engine)
    assert set(Base.metadata.tables) <= set(db.table_names())


def test_head_downgrade_to_base_and_back(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "round.db")
    downgrade(db.engine, "base")
    assert db.table_names() == ["alembic_version"]
    upgrade_to_head(db.engine)
    assert set(Base.metadata.tables) <= set(db.table_names())
    assert current_revision(db.engine) == head_revision(db.engine)


def test_models_match_migrations(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do: every model change came with a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = Database.open(tmp_path / "diff.db")
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_foreign_keys_and_wal_on_every_connection(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "pragma.db")
    for _ in range(3):
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_database_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "future.db")
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    db.close()
    with pytest.raises(StorageError, match="更新版本"):
        Database.open(tmp_path / "future.db")


def test_sqlalchemy_url_is_accepted(tmp_path: Path) -> None:
    db = Database.open(f"sqlite:///{(tmp_path / 'url.db').as_posix()}")
    assert db.file_path == tmp_path / "url.db"


# --- 0002: exam sessions, room sessions, tickets on the registration, uids -------------

NEW_IN_0002 = frozenset({"exam_session", "room_session"})
NEW_IN_0004 = frozenset({"lab", "fee_override"})
NEW_IN_0005 = frozenset({"incident", "certificate_result", "bundle_log", "tombstone"})
NEW_IN_0008 = frozenset({"user_account"})


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in db.table_names()
            if table
            not in NEW_IN_0002 | NEW_IN_0004 | NEW_IN_0005 | NEW_IN_0008 | {"alembic_version"}
        }


def _seat_the_demo(db: Database) -> None:
    """Registrations, seats, tickets and invigilators on the demo site (at head)."""
    from sqlalchemy import select

    from examsite.services.demo import DEMO_PLAN_CODE
    from examsite.storage.models import (
        Candidate,
        ExamPlan,
        ExamSession,
        InvigilatorAssignment,
        Registration,
        RegistrationSubject,
        Room,
        RoomSession,
        Seat,
        Site,
        Staff,
    )

    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
        site = session.scalars(select(Site)).one()
        rooms = [
            Room(
                plan_id=plan.id, site_id=site.id, certificate_id=cert.id, name=f"考场{n}", seats=45
            )
            for n, cert in enumerate(site.certificates, start=1)
        ]
        session.add_all(rooms)
        staff = session.scalars(select(Staff).order_by(Staff.id)).all()
        candidates = session.scalars(select(Candidate).order_by(Candidate.id)).all()
        for index, room in enumerate(rooms[:2]):
            sessions = session.scalars(
                select(ExamSession)
                .join(ExamSession.subject)
                .where(ExamSession.plan_id == room.plan_id)
                .where(ExamSession.subject.has(certificate_id=room.certificate_id))
                .order_by(ExamSession.starts_at)
            ).all()
            room_sessions = [RoomSession(room=room, exam_session=s) for s in sessions]
            session.add_all(room_sessions)
            for member in staff[2 * index : 2 * index + 2]:
                for room_session in room_sessions:
                    session.add(InvigilatorAssignment(room_session=room_session, staff=member))
            for number, candidate in enumerate(candidates[index * 5 : index * 5 + 5], start=1):
                registration = Registration(
                    candidate=candidate,
                    plan_id=room.plan_id,
                    certificate_id=room.certificate_id,
                    ticket_number=f"T{index}{number:03}",
                )
                for room_session in room_sessions:
                    record = RegistrationSubject(
                        registration=registration, subject=room_session.exam_session.subject
                    )
                    session.add(record)
                    session.flush()
                    session.add(
                        Seat(
                            room_session=room_session,
                            registration_subject_id=record.id,
                            seat_number=number,
                        )
                    )


def _seat_view(db: Database) -> list[tuple[object, ...]]:
    sql = (
        "SELECT rs.id, room.name, es.starts_at, es.ends_at, seat.seat_number, reg.ticket_number "
        "FROM seat JOIN room_session rs ON rs.id = seat.room_session_id "
        "JOIN room ON room.id = rs.room_id JOIN exam_session es ON es.id = rs.session_id "
        "JOIN registration_subject rsub ON rsub.id = seat.registration_subject_id "
        "JOIN registration reg ON reg.id = rsub.registration_id ORDER BY seat.id"
    )
    with db.engine.connect() as connection:
        return [tuple(row)[1:] for row in connection.execute(text(sql))]


def test_demo_database_goes_to_0001_and_back_keeping_every_row(tmp_path: Path) -> None:
    from examsite.services.demo import create_demo

    db = Database.open(tmp_path / "demo.db")
    create_demo(db, candidates=30)
    _seat_the_demo(db)
    before, seats = _counts(db), _seat_view(db)
    assert before["seat"] == 20 and before["invigilator_assignment"] == 8
    assert before["candidate"] == 30 and before["photo"] > 0

    downgrade(db.engine, "0001")
    assert current_revision(db.engine) == "0001"
    assert not NEW_IN_0002 & set(db.table_names())
    # 0001 assigns invigilators to rooms: the room sessions of a room collapse into one
    assert _counts(db) == {**before, "invigilator_assignment": 4}
    upgrade_to_head(db.engine)
    assert _counts(db) == before
    # every seat is back in the same room, at the same time, number and ticket
    assert _seat_view(db) == seats
    with db.engine.connect() as connection:
        for table in ("staff", "room", "registration"):
            nulls = connection.execute(text(f"SELECT count(*) FROM {table} WHERE uid IS NULL"))
            assert nulls.scalar_one() == 0


OLD_SQL = """
INSERT INTO org (id, code, name, short_name, is_example) VALUES (1, 'ITMC', '中教畅享', '', 0);
INSERT INTO certificate (id, org_id, code, name, level, fee, majors, scoring_rule,
    invigilator_rule, is_example, example_fields)
VALUES (1, 1, 'C1', '数字营销', 'junior', 270, '[]', '{"kind": "weighted", "pass_mark": 60}',
    '{"min_per_room": 2, "candidates_per_invigilator": 20, "rounding": "ceil", "note": "x"}',
    0, '[]');
INSERT INTO subject (id, certificate_id, code, name, kind, mode, duration_minutes, weight,
    pass_mark)
VALUES (1, 1, 'S1', '理论', 'theory', '机考', 60, 0.3, 60),
       (2, 1, 'S2', '实操', 'practical', '实操', 120, 0.7, 60);
INSERT INTO exam_plan (id, org_id, code, name, year, registration_start, registration_end,
    arrangement_start, arrangement_end, exam_start, exam_end, score_entry_start,
    score_entry_end, publication_start, publication_end, is_example)
VALUES (1, 1, 'P1', '统考', 2027, '2026-12-16 09:30:00', '2027-01-07 23:59:00',
    '2027-01-08 00:00:00', '2027-01-09 23:59:00', '2027-01-10 08:30:00', '2027-01-10 16:30:00',
    '2027-01-11 00:00:00', '2027-01-31 00:00:00', '2027-02-01 00:00:00', '2027-02-15 00:00:00', 0),
       (2, 1, 'P2', '补考', 2027, '2027-03-01 00:00:00', '2027-03-10 00:00:00',
    '2027-03-11 00:00:00', '2027-03-12 00:00:00', '2027-03-20 09:00:00', '2027-03-20 17:00:00',
    '2027-03-21 00:00:00', '2027-03-30 00:00:00', '2027-04-01 00:00:00', '2027-04-10 00:00:00', 0);
INSERT INTO plan_certificate (plan_id, certificate_id) VALUES (1, 1), (2, 1);
INSERT INTO school (id, name, code, credit_code, address) VALUES (1, '学院', '', '', '');
INSERT INTO site (id, school_id, code, name, address, director, phone, checklist)
VALUES (1, 1, '', '学院考点', '', '', '', '{}');
INSERT INTO candidate (id, kind, name, pinyin, gender, id_type, id_number, phone, education_level,
    major, major_code, extra, status, created_at, updated_at)
VALUES (1, 'social', '甲', '', '', '身份证', 'ID1', '', '', '', '', '{}', 'ready', '2026-12-20 10:00:00', '2026-12-20 10:00:00'),
       (2, 'social', '乙', '', '', '身份证', 'ID2', '', '', '', '', '{}', 'ready', '2026-12-20 10:00:00', '2026-12-20 10:00:00'),
       (3, 'social', '丙', '', '', '身份证', 'ID3', '', '', '', '', '{}', 'ready', '2026-12-20 10:00:00', '2026-12-20 10:00:00');
INSERT INTO registration (id, candidate_id, plan_id, certificate_id, site_id, fee, created_at,
    updated_at)
VALUES (1, 1, 1, 1, 1, 270, '2026-12-20 10:00:00', '2026-12-20 10:00:00'),
       (2, 2, 1, 1, 1, 270, '2026-12-20 10:00:00', '2026-12-20 10:00:00'),
       (3, 3, 1, 1, 1, 270, '2026-12-20 10:00:00', '2026-12-20 10:00:00');
INSERT INTO registration_subject (id, registration_id, subject_id, status)
VALUES (1, 1, 1, 'arranged'), (2, 1, 2, 'arranged'), (3, 2, 1, 'arranged'),
       (4, 2, 2, 'arranged'), (5, 3, 1, 'arranged'), (6, 3, 2, 'unarranged');
INSERT INTO room (id, plan_id, site_id, certificate_id, name, seats, room_type, address,
    created_at, updated_at)
VALUES (1, 1, 1, 1, 'R1', 40, '机考+实操', '', '2026-12-20 10:00:00', '2026-12-20 10:00:00'),
       (2, 1, 1, 1, 'R2', 40, '机考+实操', '', '2026-12-20 10:00:00', '2026-12-20 10:00:00');
INSERT INTO seat (id, registration_subject_id, room_id, seat_number, ticket_number,
    session_start, session_end, created_at, updated_at)
VALUES (1, 1, 1, 1, 'T1', '2027-01-10 08:30:00', '2027-01-10 09:30:00', '2027-01-08 10:00:00', '2027-01-08 10:00:00'),
       (2, 2, 1, 1, 'T1', '2027-01-10 13:00:00', '2027-01-10 15:00:00', '2027-01-08 10:00:00', '2027-01-08 10:00:00'),
       (3, 3, 1, 2, 'T2', NULL, NULL, '2027-01-08 10:00:00', '2027-01-08 10:00:00'),
       (4, 4, 2, 1, 'T2', NULL, NULL, '2027-01-08 10:00:00', '2027-01-08 10:00:00'),
       (5, 5, 1, 2, 'T3', '2027-01-10 08:30:00', '2027-01-10 09:30:00', '2027-01-08 10:00:00', '2027-01-08 10:00:00');
INSERT INTO attendance (id, seat_id, status, checked_in_at, note)
VALUES (1, 1, 'present', '2027-01-10 08:10:00', '');
INSERT INTO staff (id, school_id, name, phone, id_number, department, roles, majors_taught,
    created_at, updated_at)
VALUES (1, 1, '张', '', '', '', '["invigilator"]', '[]', '2026-12-20 10:00:00', '2026-12-20 10:00:00'),
       (2, 1, '李', '', '', '', '["invigilator"]', '[]', '2026-12-20 10:00:00', '2026-12-20 10:00:00');
INSERT INTO invigilator_assignment (id, room_id, staff_id, role, created_at, updated_at)
VALUES (1, 1, 1, 'invigilator', '2027-01-08 10:00:00', '2027-01-08 10:00:00'),
       (2, 2, 2, 'chief', '2027-01-08 10:00:00', '2027-01-08 10:00:00');
"""


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_0001_seats_tickets_and_assignments_move_to_room_sessions(tmp_path: Path) -> None:
    from alembic import command

    from examsite.storage.migrate import alembic_config

    db = Database(Database.open(tmp_path / "old.db").url, upgrade=False)
    downgrade(db.engine, "base")
    command.upgrade(alembic_config(db.engine), "0001")
    with db.engine.begin() as connection:
        for statement in OLD_SQL.split(";"):
            if statement.strip():
                connection.execute(text(statement))
    before = _counts(db)

    upgrade_to_head(db.engine)
    # every shared row kept (seats, attendance …); assignments now per room session
    assert _counts(db) == {**before, "invigilator_assignment": 6}
    sessions = _rows(
        db,
        "SELECT plan_id, subject_id, starts_at, ends_at, edited FROM exam_session "
        "ORDER BY plan_id, starts_at, subject_id",
    )
    assert sessions == [
        (1, 1, "2027-01-10 08:30:00.000000", "2027-01-10 09:30:00.000000", 0),
        (1, 2, "2027-01-10 10:00:00.000000", "2027-01-10 12:00:00.000000", 0),  # default
        (1, 2, "2027-01-10 13:00:00.000000", "2027-01-10 15:00:00.000000", 1),  # the seat's
        (2, 1, "2027-03-20 09:00:00.000000", "2027-03-20 10:00:00.000000", 0),
        (2, 2, "2027-03-20 10:30:00.000000", "2027-03-20 12:30:00.000000", 0),
    ]
    seats = _rows(
        db,
        "SELECT seat.id, room.name, es.starts_at, seat.seat_number FROM seat "
        "JOIN room_session rs ON rs.id = seat.room_session_id JOIN room ON room.id = rs.room_id "
        "JOIN exam_session es ON es.id = rs.session_id ORDER BY seat.id",
    )
    assert seats == [
        (1, "R1", "2027-01-10 08:30:00.000000", 1),
        (2, "R1", "2027-01-10 13:00:00.000000", 1),
        (3, "R1", "2027-01-10 08:30:00.000000", 2),
        (4, "R2", "2027-01-10 10:00:00.000000", 1),
        (5, "R1", "2027-01-10 08:30:00.000000", 3),  # seat 2 was taken twice: renumbered
    ]
    assert _rows(db, "SELECT id, ticket_number FROM registration ORDER BY id") == [
        (1, "T1"),
        (2, "T2"),
        (3, "T3"),
    ]
    # 0004: a registration made before it was made as the candidate's own kind
    assert _rows(
        db,
        "SELECT count(*) FROM registration r JOIN candidate c ON c.id = r.candidate_id "
        "WHERE r.kind = c.kind AND r.source = 'page' AND r.ticket_official = 0",
    ) == [(3,)]
    assert _rows(db, "SELECT DISTINCT kind FROM registration") == [("social",)]
    # each room-level assignment is now one per room session of the room (3 sessions)
    assignments = _rows(
        db,
        "SELECT staff.name, room.name, es.starts_at, a.role FROM invigilator_assignment a "
        "JOIN staff ON staff.id = a.staff_id JOIN room_session rs ON rs.id = a.room_session_id "
        "JOIN room ON room.id = rs.room_id JOIN exam_session es ON es.id = rs.session_id "
        "ORDER BY staff.id, es.starts_at",
    )
    assert [(s, r, role) for s, r, _start, role in assignments] == [
        ("张", "R1", "invigilator")
    ] * 3 + [("李", "R2", "chief")] * 3
    assert len({start for _s, _r, start, _role in assignments}) == 3
    assert _rows(db, "SELECT count(*) FROM room_session") == [(6,)]
    for table in ("staff", "room", "registration", "exam_session", "room_session"):
        uids = [uid for (uid,) in _rows(db, f"SELECT uid FROM {table}")]
        assert len(uids) == len(set(uids)) and all(len(uid) == 36 for uid in uids)
    # the rules read back typed, the missing numbers filled in and the stray key dropped
    from examsite.domain.certificate_rules import InvigilatorRule, Rounding
    from examsite.storage.models import Certificate

    with db.read() as session:
        cert = session.get(Certificate, 1)
        assert cert is not None
        assert cert.invigilator_rule == InvigilatorRule(2, 20, 0, Rounding.CEIL)
        assert cert.scoring_rule.pass_mark == 60

    downgrade(db.engine, "0001")
    assert _counts(db) == before
    assert _rows(
        db,
        "SELECT id, room_id, seat_number, ticket_number, session_start, session_end "
        "FROM seat ORDER BY id",
    ) == [
        (1, 1, 1, "T1", "2027-01-10 08:30:00.000000", "2027-01-10 09:30:00.000000"),
        (2, 1, 1, "T1", "2027-01-10 13:00:00.000000", "2027-01-10 15:00:00.000000"),
        (3, 1, 2, "T2", "2027-01-10 08:30:00.000000", "2027-01-10 09:30:00.000000"),
        (4, 2, 1, "T2", "2027-01-10 10:00:00.000000", "2027-01-10 12:00:00.000000"),
        (5, 1, 3, "T3", "2027-01-10 08:30:00.000000", "2027-01-10 09:30:00.000000"),
    ]
    assert _rows(
        db, "SELECT id, room_id, staff_id, role FROM invigilator_assignment ORDER BY id"
    ) == [(1, 1, 1, "invigilator"), (2, 2, 2, "chief")]
    assert _rows(db, "SELECT count(*) FROM attendance") == [(1,)]


def test_a_migration_that_fails_leaves_the_schema_as_it_was(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import event
    from sqlalchemy import inspect as inspect_schema

    from examsite.storage.migrate import alembic_config

    db = Database(f"sqlite:///{tmp_path / 'old.db'}", upgrade=False)
    command.upgrade(alembic_config(db.engine), "0001")
    before = sorted(inspect_schema(db.engine).get_table_names())

    def fail_at_the_end(_conn, _cursor, statement, *_args) -> None:
        # the last step of a migration: every table of 0002 has been made by then
        if statement.startswith("UPDATE alembic_version"):
            raise OSError(28, "No space left on device")

    event.listen(db.engine, "before_cursor_execute", fail_at_the_end)
    with pytest.raises(OSError):
        command.upgrade(alembic_config(db.engine), "head")
    event.remove(db.engine, "before_cursor_execute", fail_at_the_end)
    assert sorted(inspect_schema(db.engine).get_table_names()) == before
    assert current_revision(db.engine) == "0001"
    db.close()
