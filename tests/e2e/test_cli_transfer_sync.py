"""Deletions and exam-day data between two PCs through ``examsite-cli``: a withdrawal on
A reaches B, B's older bundle does not bring it back, check-in on the door PC reaches the
coordinator's PC, an incident arrives once, a tampered bundle is refused."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli_runner import run_cli
from sqlalchemy import func, select

from examsite.formats.bundle import read_bundle, write_bundle
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.transfer import DATA_FILE
from examsite.storage.db import Database
from examsite.storage.models import Attendance, Incident, RoomSession, Seat
from fixed_time import TEST_NOW


def _json(*args: str, db: Path) -> Any:
    done = run_cli(*args, "--json", db=db)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def _registered(db: Path) -> set[tuple[str, str]]:
    rows = _json("registration", "list", "--plan", DEMO_PLAN_CODE, db=db)
    return {(r["id_number"], r["certificate_code"]) for r in rows}


def test_a_withdrawal_travels_and_an_older_bundle_does_not_bring_it_back(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    a, b = arranged_db_file(30), tmp_path / "pc-b.db"
    usb = tmp_path / "usb"
    _json("export", "transfer", "--out", str(usb / "a1.zip"), db=a)
    assert _json("import", "bundle", str(usb / "a1.zip"), db=b)["paired"]
    _json("export", "transfer", "--out", str(usb / "b1.zip"), db=b)  # B's, before

    number, certificate = sorted(_registered(a))[0]
    removed = _json(
        "registration",
        "remove",
        "--plan",
        DEMO_PLAN_CODE,
        "--certificate",
        certificate,
        "--ids",
        number,
        db=a,
    )
    assert removed["removed"] == [number]
    exported = _json("export", "transfer", "--out", str(usb / "a2.zip"), db=a)
    assert exported["counts"]["tombstones"] == 1

    dry = _json("import", "bundle", str(usb / "a2.zip"), "--dry-run", db=b)
    assert dry["deleted"] == {"registration": 1} and (number, certificate) in _registered(b)
    text = run_cli("import", "bundle", str(usb / "a2.zip"), db=b)
    assert text.returncode == 0 and "删除（对方已删除）：报考 1" in text.stdout
    assert (number, certificate) not in _registered(b)

    # On A, B's older bundle (which still has the registration) does not bring it back.
    older = _json("import", "bundle", str(usb / "b1.zip"), "--pair", db=a)
    assert older["applied"] and "registration" not in older["added"]
    assert (number, certificate) not in _registered(a)
    assert _registered(a) == _registered(b)


def _write(path: Path, change: Callable[[Any], None]) -> None:
    database = Database.open(path)
    try:
        with database.unit_of_work() as session:
            change(session)
    finally:
        database.close()


def test_check_in_on_the_door_pc_reaches_the_coordinator_and_an_incident_arrives_once(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    coordinator, door = arranged_db_file(30), tmp_path / "door.db"
    usb = tmp_path / "usb"
    _json("export", "transfer", "--out", str(usb / "c1.zip"), db=coordinator)
    _json("import", "bundle", str(usb / "c1.zip"), db=door)
    at = TEST_NOW.replace(hour=8, minute=35)

    def check_in(session: Any) -> None:
        seats = session.scalars(select(Seat).order_by(Seat.id).limit(2)).all()
        session.add(Attendance(seat_id=seats[0].id, status="present", checked_in_at=at))
        session.add(Attendance(seat_id=seats[1].id, status="absent", updated_at=at))
        room_session = session.get(RoomSession, seats[0].room_session_id)
        session.add(
            Incident(
                plan_id=room_session.room.plan_id,
                room_session_id=room_session.id,
                code="late",
                occurred_at=at + dt.timedelta(minutes=40),
                description="迟到 31 分钟，不得入场",
                recorded_by="门口",
            )
        )

    _write(door, check_in)
    _json("export", "transfer", "--out", str(usb / "d1.zip"), db=door)
    merged = _json("import", "bundle", str(usb / "d1.zip"), "--pair", db=coordinator)
    assert merged["added"] == {"attendance": 2, "incident": 1}

    def touch(session: Any) -> None:  # the door PC marks one more
        seat = session.scalars(select(Seat).order_by(Seat.id).offset(2).limit(1)).one()
        session.add(Attendance(seat_id=seat.id, status="late", checked_in_at=at))

    _write(door, touch)
    _json("export", "transfer", "--out", str(usb / "d2.zip"), db=door)
    again = _json("import", "bundle", str(usb / "d2.zip"), db=coordinator)
    assert again["added"] == {"attendance": 1}

    database = Database.open(coordinator)
    try:
        with database.read() as session:
            assert session.scalar(select(func.count()).select_from(Incident)) == 1
            statuses = sorted(session.scalars(select(Attendance.status)))
    finally:
        database.close()
    assert statuses == ["absent", "late", "present"]


def test_a_tampered_bundle_is_refused_with_exit_2(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    source, target = arranged_db_file(30), tmp_path / "other.db"
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    _json("export", "transfer", "--out", str(good), db=source)
    read = read_bundle(good)
    files = dict(read.files)
    data = json.loads(files[DATA_FILE])
    data["tombstones"] = {
        "registration": {uid: TEST_NOW.isoformat() for uid in data["records"]["registration"]}
    }
    files[DATA_FILE] = json.dumps(data).encode()
    m = read.manifest
    write_bundle(
        bad,
        files,
        kind=m.kind,
        site=m.site,
        plan=m.plan,
        created=m.created,
        program=m.program,
        counts=m.counts,
        extra=m.extra,
    )
    refused = run_cli("import", "bundle", str(bad), "--json", db=target)
    assert refused.returncode == 2
    assert "签名不符" in refused.stdout + refused.stderr
    assert run_cli("import", "bundle", str(good), "--json", db=target).returncode == 0


def test_a_withdrawal_against_an_edit_is_a_conflict_then_resolved(
    arranged_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    from examsite.storage.models import Candidate, Certificate, Registration

    a, b = arranged_db_file(30), tmp_path / "pc-b.db"
    usb = tmp_path / "usb"
    _json("export", "transfer", "--out", str(usb / "a1.zip"), db=a)
    _json("import", "bundle", str(usb / "a1.zip"), db=b)
    number, certificate = sorted(_registered(a))[0]
    _json(
        "registration",
        "remove",
        "--plan",
        DEMO_PLAN_CODE,
        "--certificate",
        certificate,
        "--ids",
        number,
        db=a,
    )
    found: list[str] = []

    def edit(session: Any) -> None:  # B changes the same registration meanwhile
        registration = session.scalars(
            select(Registration)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .join(Certificate, Certificate.id == Registration.certificate_id)
            .where(Candidate.id_number == number, Certificate.code == certificate)
        ).one()
        registration.home_school = "借考学校"
        found.append(registration.uid)

    _write(b, edit)
    _json("export", "transfer", "--out", str(usb / "a2.zip"), db=a)
    waiting = _json("import", "bundle", str(usb / "a2.zip"), db=b)
    assert not waiting["applied"] and waiting["deleted"] == {}
    conflicts = {c["key"]: c for c in waiting["conflicts"]}
    key = f"registration:{found[0]}"
    assert conflicts[key]["fields"] == [{"field": "deleted", "mine": "保留", "theirs": "删除"}]
    text = run_cli("import", "bundle", str(usb / "a2.zip"), db=b)
    assert "没有写入" in text.stdout and key in text.stdout
    assert (number, certificate) in _registered(b)

    resolved = _json("import", "bundle", str(usb / "a2.zip"), "--resolve", f"{key}=theirs", db=b)
    assert resolved["applied"] and resolved["deleted"] == {"registration": 1}
    assert (number, certificate) not in _registered(b)
