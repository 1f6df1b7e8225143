"""Exam-day data in the transfer bundle: attendance by ticket and session (the seat's
registration and subject), incidents by uid, scores and certificate results; merged by the
newer change, conflicts when both PCs changed the same field since their last sync."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from examsite.formats.bundle import BundleError, read_bundle, write_bundle
from examsite.services import transfer_keys
from examsite.services.transfer import DATA_FILE, SiteRecords, export_transfer, import_bundle
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    CertificateResult,
    Incident,
    Registration,
    RegistrationSubject,
    RoomSession,
    Score,
    Seat,
)
from fixed_time import TEST_NOW

MORNING = TEST_NOW.replace(hour=8, minute=40)


@pytest.fixture
def pc_a(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(30))
    yield database
    database.close()


def _bundle(source: Database, out: Path, keys: str) -> Path:
    export_transfer(source, out, key_folder=out.parent / "keys" / keys)
    return out


def _seats(database: Database, n: int) -> list[int]:
    with database.read() as session:
        return list(session.scalars(select(Seat.id).order_by(Seat.id).limit(n)))


def _mark(database: Database, seat_id: int, status: str, at: dt.datetime, by: str) -> None:
    """Check-in as the exam-day page records it (one Attendance a seat)."""
    with database.unit_of_work() as session:
        row = session.scalars(select(Attendance).where(Attendance.seat_id == seat_id)).first()
        if row is None:
            row = Attendance(seat_id=seat_id, status=status)
            session.add(row)
        row.status, row.recorded_by, row.updated_at = status, by, at
        row.checked_in_at = at if status != "absent" else None


def _seat_of_key(database: Database, key: str) -> int:
    """The seat id of ``<registration uid>|<subject>`` in this database."""
    with database.read() as session:
        records = SiteRecords(session, blobs=False)
    return records.id_of["seat"][key]


def _attendance(database: Database) -> dict[str, tuple[str, str]]:
    """Attendance by stable key: (status, recorded_by)."""
    with database.read() as session:
        records = SiteRecords(session, blobs=False).records["attendance"]
    return {k: (p["status"], p["recorded_by"]) for k, p in records.items()}


def _add_incident(database: Database, by: str) -> str:
    with database.unit_of_work() as session:
        room_session = session.scalars(select(RoomSession).order_by(RoomSession.id)).first()
        assert room_session is not None
        incident = Incident(
            plan_id=room_session.room.plan_id,
            room_session_id=room_session.id,
            code="machine_change",
            occurred_at=MORNING + dt.timedelta(minutes=30),
            candidates=["110105200001010011"],
            description="考生机器死机",
            action_taken="换到备用机，补足时间",
            extension_minutes=5,
            recorded_by=by,
        )
        session.add(incident)
        session.flush()
        return incident.uid


def _incidents(database: Database) -> list[tuple[str, str, str | None]]:
    with database.read() as session:
        rows = session.execute(
            select(Incident.uid, Incident.description, RoomSession.uid)
            .outerjoin(RoomSession, RoomSession.id == Incident.room_session_id)
            .order_by(Incident.uid)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_attendance_on_the_door_pc_merges_into_the_coordinators(
    pc_a: Database, db: Database, tmp_path: Path
) -> None:
    coordinator, door = pc_a, db
    assert import_bundle(door, _bundle(coordinator, tmp_path / "1.zip", "a")).paired
    first, second, third = _seats(door, 3)
    _mark(door, first, "present", MORNING, "门口")
    _mark(door, second, "absent", MORNING + dt.timedelta(minutes=31), "门口")
    # the third seat as the coordinator's PC numbers it (the PCs number rows each their own)
    with door.read() as session:
        third_key = SiteRecords(session, blobs=False).key_of["seat"][third]
    third_here = _seat_of_key(coordinator, third_key)
    _mark(coordinator, third_here, "late", MORNING + dt.timedelta(minutes=20), "考点主任")
    incident = _add_incident(door, "门口")
    from_door = _bundle(door, tmp_path / "2.zip", "b")

    dry = import_bundle(coordinator, from_door, dry_run=True, pair=True)
    assert dry.added == {"attendance": 2, "incident": 1}
    report = import_bundle(coordinator, from_door, pair=True)
    assert report.applied and report.added == {"attendance": 2, "incident": 1}
    assert _attendance(coordinator) == {**_attendance(door), **_attendance(coordinator)}
    assert len(_attendance(coordinator)) == 3
    assert sorted(s for s, _by in _attendance(coordinator).values()) == [
        "absent",
        "late",
        "present",
    ]
    # The incident appears once, in the same room session, however often it travels.
    assert [i[:2] for i in _incidents(coordinator)] == [(incident, "考生机器死机")]
    assert _incidents(coordinator) == _incidents(door)
    _mark(door, second, "absent", MORNING + dt.timedelta(minutes=32), "门口")  # a touch
    again = import_bundle(coordinator, _bundle(door, tmp_path / "3.zip", "b"))
    assert "incident" not in again.added and len(_incidents(coordinator)) == 1


def test_attendance_newer_change_wins_then_both_changed_is_a_conflict(
    pc_a: Database, db: Database, tmp_path: Path
) -> None:
    a, b = pc_a, db
    import_bundle(b, _bundle(a, tmp_path / "1.zip", "a"))
    [seat_b] = _seats(b, 1)
    with b.read() as session:
        key = SiteRecords(session, blobs=False).key_of["seat"][seat_b]
    seat_a = _seat_of_key(a, key)
    _mark(a, seat_a, "absent", MORNING, "考点主任")
    _mark(b, seat_b, "late", MORNING + dt.timedelta(minutes=25), "门口")
    # No common ground for this record yet: B's later mark wins on A.
    report = import_bundle(a, _bundle(b, tmp_path / "2.zip", "b"), pair=True)
    assert report.updated == {"attendance": 1} and not report.conflicts
    assert _attendance(a)[key] == ("late", "门口")

    # Now both change it apart, differently: a conflict for the coordinator.
    _mark(a, seat_a, "misconduct", MORNING + dt.timedelta(minutes=50), "考点主任")
    _mark(b, seat_b, "left_early", MORNING + dt.timedelta(minutes=55), "门口")
    bundle = _bundle(b, tmp_path / "3.zip", "b")
    waiting = import_bundle(a, bundle)
    assert not waiting.applied
    [conflict] = waiting.conflicts
    assert conflict.key == f"attendance:{key}" and conflict.entity == "attendance"
    assert ("status", "misconduct", "left_early") in [
        (f.field, f.mine, f.theirs) for f in conflict.fields
    ]
    assert _attendance(a)[key][0] == "misconduct"
    resolved = import_bundle(a, bundle, resolutions={conflict.key: "theirs"})
    # Their status; who recorded it only A changed since the last sync: A's stays.
    assert resolved.applied and _attendance(a)[key] == ("left_early", "考点主任")


def _scores_and_results(database: Database) -> None:
    with database.unit_of_work() as session:
        subjects = session.scalars(
            select(RegistrationSubject).order_by(RegistrationSubject.id).limit(4)
        ).all()
        for n, subject in enumerate(subjects):
            session.add(
                Score(
                    registration_subject_id=subject.id,
                    score=55.5 + n * 10,
                    status="scored",
                    exam_status="正常",
                    source_file="科目成绩.xlsx",
                    imported_at=TEST_NOW,
                )
            )
        registration = session.scalars(select(Registration).order_by(Registration.id)).first()
        assert registration is not None
        session.add(
            CertificateResult(
                registration_id=registration.id,
                outcome="passed",
                written="通过",
                certificate_number="Z2026000001",
                imported_at=TEST_NOW,
            )
        )


def _exam_day_records(database: Database) -> dict[str, Any]:
    with database.read() as session:
        records = SiteRecords(session, blobs=False).records
    out = {e: records[e] for e in ("attendance", "score", "certificate_result")}
    room_sessions = records["room_session"]
    incidents = {}
    for uid, plain in records["incident"].items():
        room = room_sessions[plain["room_session"]]["room"]
        incidents[uid] = {**plain, "room_session": room}
    out["incident"] = incidents
    return json.loads(json.dumps(out, sort_keys=True))


def test_round_trip_into_an_empty_database_keeps_attendance_and_incidents(
    pc_a: Database, db: Database, tmp_path: Path
) -> None:
    for n, seat in enumerate(_seats(pc_a, 5)):
        status = ("present", "absent", "late", "left_early", "misconduct")[n]
        _mark(pc_a, seat, status, MORNING + dt.timedelta(minutes=n), "考点主任")
    _add_incident(pc_a, "考点主任")
    _add_incident(pc_a, "巡考")
    _scores_and_results(pc_a)
    bundle = _bundle(pc_a, tmp_path / "site.zip", "a")
    report = import_bundle(db, bundle)
    assert report.applied and report.added["attendance"] == 5 and report.added["incident"] == 2
    assert report.added["score"] == 4 and report.added["certificate_result"] == 1
    copied = _exam_day_records(db)
    assert copied == _exam_day_records(pc_a)
    assert len(copied["attendance"]) == 5 and len(copied["incident"]) == 2
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Attendance)) == 5


def _resign(bundle: Path, out: Path, keys: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """The bundle with its data changed and signed again with the site's own key."""
    read = read_bundle(bundle)
    files = dict(read.files)
    data = json.loads(files[DATA_FILE])
    change(data)
    files[DATA_FILE] = json.dumps(data).encode()
    m = read.manifest
    site_key = transfer_keys.site_key(m.site, keys)
    extra: dict[str, Any] = {k: v for k, v in m.extra.items() if k != transfer_keys.SIGNATURE}
    extra[transfer_keys.SEQUENCE] = int(extra[transfer_keys.SEQUENCE]) + 1
    from examsite.formats.bundle import BundleFile, Manifest, sha256_of

    entries = tuple(BundleFile(p, len(b), sha256_of(b)) for p, b in sorted(files.items()))
    plain = {**Manifest(m.kind, m.site, m.plan, m.created, m.program, m.counts, entries).to_plain()}
    plain["extra"] = extra
    extra[transfer_keys.SIGNATURE] = transfer_keys.sign(site_key, plain)
    write_bundle(
        out,
        files,
        kind=m.kind,
        site=m.site,
        plan=m.plan,
        created=m.created,
        program=m.program,
        counts=m.counts,
        extra=extra,
    )


def test_a_tampered_bundle_is_still_refused(pc_a: Database, db: Database, tmp_path: Path) -> None:
    for seat in _seats(pc_a, 2):
        _mark(pc_a, seat, "present", MORNING, "考点主任")
    bundle = _bundle(pc_a, tmp_path / "site.zip", "a")
    with db.read() as session:
        before = session.scalar(select(func.count()).select_from(Attendance))

    # Attendance changed after export, checksums recomputed without the key.
    tampered = tmp_path / "tampered.zip"
    read = read_bundle(bundle)
    files = dict(read.files)
    data = json.loads(files[DATA_FILE])
    for plain in data["records"]["attendance"].values():
        plain["status"] = "absent"
    data["tombstones"] = {"registration": {"someone": TEST_NOW.isoformat()}}
    files[DATA_FILE] = json.dumps(data).encode()
    m = read.manifest
    write_bundle(
        tampered,
        files,
        kind=m.kind,
        site=m.site,
        plan=m.plan,
        created=m.created,
        program=m.program,
        counts=m.counts,
        extra=m.extra,
    )
    with pytest.raises(BundleError) as refused:
        import_bundle(db, tampered)
    assert refused.value.code == "bundle.transfer_bad_signature"

    # Signed by the site, but with tombstones of a kind that never travels: bad data.
    odd = tmp_path / "odd.zip"
    _resign(
        bundle,
        odd,
        tmp_path / "keys" / "a",
        lambda d: d.update(tombstones={"photo": {"x": TEST_NOW.isoformat()}}),
    )
    with pytest.raises(BundleError) as bad:
        import_bundle(db, odd)
    assert bad.value.code == "bundle.transfer_bad_data"
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Attendance)) == before


def test_a_seat_released_there_but_checked_in_here_is_a_conflict(
    pc_a: Database, db: Database, tmp_path: Path
) -> None:
    """The coordinator releases a seat the door PC has meanwhile checked in: the door PC
    is asked, not silently emptied."""
    from examsite.services.demo import DEMO_PLAN_CODE
    from examsite.services.seating_changes import withdraw_in
    from examsite.storage.models import Candidate

    coordinator, door = pc_a, db
    import_bundle(door, _bundle(coordinator, tmp_path / "1.zip", "a"))
    [seat] = _seats(door, 1)
    with door.read() as session:
        key = SiteRecords(session, blobs=False).key_of["seat"][seat]
        number = session.scalars(
            select(Candidate.id_number)
            .join(Registration, Registration.candidate_id == Candidate.id)
            .where(Registration.uid == key.partition("|")[0])
        ).one()
    with coordinator.unit_of_work() as session:
        withdraw_in(session, DEMO_PLAN_CODE, number)  # deleted at TEST_NOW
    _mark(door, seat, "present", TEST_NOW + dt.timedelta(minutes=10), "门口")
    bundle = _bundle(coordinator, tmp_path / "2.zip", "a")

    waiting = import_bundle(door, bundle)
    assert not waiting.applied
    assert f"seat:{key}" in [c.key for c in waiting.conflicts]
    assert _attendance(door)[key] == ("present", "门口")
    others = [c.key for c in waiting.conflicts if c.key != f"seat:{key}"]
    kept = import_bundle(
        door, bundle, resolutions={f"seat:{key}": "mine"} | dict.fromkeys(others, "theirs")
    )
    assert kept.applied and _attendance(door)[key] == ("present", "门口")


def test_an_incident_removed_on_the_door_pc_is_removed_on_the_coordinators(
    pc_a: Database, db: Database, tmp_path: Path
) -> None:
    from examsite.services.demo import DEMO_PLAN_CODE
    from examsite.services.incidents import remove_incident

    coordinator, door = pc_a, db
    import_bundle(door, _bundle(coordinator, tmp_path / "1.zip", "a"))
    incident = _add_incident(door, "门口")
    import_bundle(coordinator, _bundle(door, tmp_path / "2.zip", "b"), pair=True)
    assert [i[0] for i in _incidents(coordinator)] == [incident]
    remove_incident(door, DEMO_PLAN_CODE, incident)  # recorded by mistake
    report = import_bundle(coordinator, _bundle(door, tmp_path / "3.zip", "b"))
    assert report.deleted == {"incident": 1}
    assert _incidents(coordinator) == [] == _incidents(door)


def test_a_check_in_undone_on_the_door_pc_is_undone_on_the_coordinators(
    pc_a: Database, db: Database, tmp_path: Path
) -> None:
    from examsite.domain.attendance import AttendanceStatus
    from examsite.services.checkin_marks import mark
    from examsite.services.demo import DEMO_PLAN_CODE

    coordinator, door = pc_a, db
    import_bundle(door, _bundle(coordinator, tmp_path / "1.zip", "a"))
    with door.read() as session:
        ticket = session.scalar(
            select(Registration.ticket_number)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Seat, Seat.registration_subject_id == RegistrationSubject.id)
            .order_by(Seat.id)
            .limit(1)
        )
    assert ticket
    mark(door, DEMO_PLAN_CODE, ticket, AttendanceStatus.ABSENT, subject="theory")
    import_bundle(coordinator, _bundle(door, tmp_path / "2.zip", "b"), pair=True)
    assert len(_attendance(coordinator)) == 1
    mark(door, DEMO_PLAN_CODE, ticket, None, subject="theory")  # marked by mistake
    report = import_bundle(coordinator, _bundle(door, tmp_path / "3.zip", "b"))
    assert report.deleted == {"attendance": 1}
    assert _attendance(coordinator) == {} == _attendance(door)
