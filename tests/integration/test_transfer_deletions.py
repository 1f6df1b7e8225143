"""Deletions travel in the transfer bundle: a withdrawal on one PC reaches the other, an
older bundle does not bring it back, a deletion against an edit is a conflict, and a
record still used here is kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from examsite import clock
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.registration_changes import remove_registrations, set_home_school
from examsite.services.seating_changes import withdraw_in
from examsite.services.transfer import export_transfer, import_bundle
from examsite.storage.db import Database
from examsite.storage.models import (
    AuditLog,
    Candidate,
    Certificate,
    Registration,
    RegistrationSubject,
    Seat,
    Tombstone,
)
from fixed_time import TEST_NOW


@pytest.fixture
def pc_a(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(30))
    yield database
    database.close()


class Pcs:
    """Two PCs of one site, each with its own key, and their bundles."""

    def __init__(self, a: Database, b: Database, folder: Path) -> None:
        self.a, self.b, self.folder = a, b, folder
        self.made = 0

    def bundle(self, source: Database) -> Path:
        self.made += 1
        name = "a" if source is self.a else "b"
        out = self.folder / f"{self.made}-{name}.zip"
        export_transfer(source, out, key_folder=self.folder / "keys" / name)
        return out


@pytest.fixture
def pcs(pc_a: Database, db: Database, tmp_path: Path) -> Pcs:
    """PC A (the arranged demo) and PC B (an empty database that took A's first bundle)."""
    both = Pcs(pc_a, db, tmp_path)
    assert import_bundle(db, both.bundle(pc_a)).paired
    return both


def _registration(database: Database, n: int = 0) -> tuple[str, str, str]:
    """(ID number, certificate code, uid) of the n-th registration with seats."""
    with database.read() as session:
        rows = session.execute(
            select(Candidate.id_number, Certificate.code, Registration.uid)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .join(Certificate, Certificate.id == Registration.certificate_id)
            .where(Registration.ticket_number.is_not(None))
            .order_by(Registration.id)
        ).all()
    number, code, uid = rows[n]
    return number, code, uid


def _registrations(database: Database, uid: str) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).where(Registration.uid == uid)) or 0


def _seats_of(database: Database, uid: str) -> int:
    with database.read() as session:
        return (
            session.scalar(
                select(func.count(Seat.id))
                .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
                .join(Registration, Registration.id == RegistrationSubject.registration_id)
                .where(Registration.uid == uid)
            )
            or 0
        )


def test_a_withdrawal_on_a_reaches_b(pcs: Pcs) -> None:
    number, code, uid = _registration(pcs.a)
    assert _seats_of(pcs.b, uid) == 2
    remove_registrations(pcs.a, DEMO_PLAN_CODE, code, [number])
    with pcs.a.read() as session:
        stone = session.scalars(select(Tombstone).where(Tombstone.key == uid)).one()
        assert stone.entity == "registration" and stone.deleted_at == TEST_NOW
    bundle = pcs.bundle(pcs.a)

    dry = import_bundle(pcs.b, bundle, dry_run=True)
    assert dry.deleted == {"registration": 1}
    assert [(c.action, c.key) for c in dry.changes if c.action == "delete"] == [
        ("delete", f"registration:{uid}")
    ]
    assert _registrations(pcs.b, uid) == 1  # a dry run deletes nothing

    report = import_bundle(pcs.b, bundle)
    assert report.applied and report.deleted == {"registration": 1} and not report.conflicts
    assert _registrations(pcs.b, uid) == 0 and _seats_of(pcs.b, uid) == 0
    with pcs.b.read() as session:
        logged = session.scalars(
            select(AuditLog).where(AuditLog.action == "delete", AuditLog.entity_id == uid)
        ).one()
        assert logged.entity == "registration" and logged.actor == "传输包导入"
        # B keeps the tombstone: a third PC's older bundle will not bring it back either.
        assert session.scalars(select(Tombstone.entity).where(Tombstone.key == uid)).all() == [
            "registration"
        ]


def test_an_older_bundle_from_b_does_not_bring_it_back_on_a(pcs: Pcs) -> None:
    number, code, uid = _registration(pcs.a)
    older = pcs.bundle(pcs.b)  # B still has the registration
    remove_registrations(pcs.a, DEMO_PLAN_CODE, code, [number])

    report = import_bundle(pcs.a, older, pair=True)
    assert report.applied
    assert "registration" not in report.added and "seat" not in report.added
    assert _registrations(pcs.a, uid) == 0 and _seats_of(pcs.a, uid) == 0

    # And back the other way: B loses it, and B's next bundle leaves A as it is.
    assert import_bundle(pcs.b, pcs.bundle(pcs.a)).deleted == {"registration": 1}
    again = import_bundle(pcs.a, pcs.bundle(pcs.b))
    assert not again.added and not again.deleted and _registrations(pcs.a, uid) == 0


def test_a_record_changed_after_its_deletion_comes_back(pcs: Pcs) -> None:
    number, code, uid = _registration(pcs.a)
    with pcs.b.unit_of_work() as session:  # B changed it after A's deletion
        registration = session.scalars(select(Registration).where(Registration.uid == uid)).one()
        registration.updated_at = TEST_NOW + dt.timedelta(minutes=5)
    later = pcs.bundle(pcs.b)
    remove_registrations(pcs.a, DEMO_PLAN_CODE, code, [number])
    report = import_bundle(pcs.a, later, pair=True)
    assert report.added.get("registration") == 1
    assert _registrations(pcs.a, uid) == 1 and _seats_of(pcs.a, uid) == 2
    with pcs.a.read() as session:
        assert session.scalar(select(func.count()).where(Tombstone.key == uid)) == 0


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_delete_against_edit_is_a_conflict(pcs: Pcs, choice: str) -> None:
    number, code, uid = _registration(pcs.a)
    remove_registrations(pcs.a, DEMO_PLAN_CODE, code, [number])
    set_home_school(pcs.b, DEMO_PLAN_CODE, code, number, "借考学校")  # B edits it meanwhile
    bundle = pcs.bundle(pcs.a)

    waiting = import_bundle(pcs.b, bundle)
    assert not waiting.applied and not waiting.deleted
    [conflict] = waiting.conflicts
    assert conflict.key == f"registration:{uid}" and conflict.resolution is None
    assert [(f.field, f.mine, f.theirs) for f in conflict.fields] == [("deleted", "保留", "删除")]
    assert _registrations(pcs.b, uid) == 1  # nothing written while it waits

    resolved = import_bundle(pcs.b, bundle, resolutions={conflict.key: choice})
    assert resolved.applied
    assert _registrations(pcs.b, uid) == (1 if choice == "mine" else 0)
    if choice == "theirs":
        return
    # Kept on B: B's next bundle brings it back on A (its change is newer than the deletion)
    # and the same deletion is not asked about again on B.
    assert import_bundle(pcs.a, pcs.bundle(pcs.b), pair=True).added.get("registration") == 1
    assert _registrations(pcs.a, uid) == 1
    with pcs.a.read() as session:
        home = session.scalars(select(Registration.home_school).where(Registration.uid == uid))
        assert home.one() == "借考学校"


def test_a_withdrawn_seat_travels(pcs: Pcs) -> None:
    number, _code, uid = _registration(pcs.a, 1)
    with pcs.a.read() as session:  # every seat of the candidate in the plan
        seated = session.scalar(
            select(func.count(Seat.id))
            .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
            .join(Registration, Registration.id == RegistrationSubject.registration_id)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .where(Candidate.id_number == number)
        )
    assert seated and seated >= 2
    with pcs.a.unit_of_work() as session:
        withdraw_in(session, DEMO_PLAN_CODE, number)
    assert _seats_of(pcs.a, uid) == 0
    report = import_bundle(pcs.b, pcs.bundle(pcs.a))
    assert report.applied and report.deleted == {"seat": seated}
    assert _seats_of(pcs.b, uid) == 0
    with pcs.b.read() as session:
        statuses = session.scalars(
            select(RegistrationSubject.status)
            .join(Registration, Registration.id == RegistrationSubject.registration_id)
            .where(Registration.uid == uid)
        ).all()
    assert set(statuses) == {"withdrawn"}


def test_a_record_still_used_here_is_kept_and_said_so(pcs: Pcs) -> None:
    """A deleted a candidate B has meanwhile registered: B keeps them, and says why."""
    number, _code, _uid = _registration(pcs.a)
    with pcs.a.unit_of_work() as session:  # A: the registrations go, then the candidate
        person = select(Candidate.id).where(Candidate.id_number == number).scalar_subquery()
        session.execute(delete(Registration).where(Registration.candidate_id == person))
    from examsite.services.candidates import delete_candidate

    delete_candidate(pcs.a, number)
    with clock.fixed(TEST_NOW + dt.timedelta(minutes=1)):
        report = import_bundle(pcs.b, pcs.bundle(pcs.a))
    assert report.applied and "candidate" not in report.deleted
    assert [r.code for r in report.refused] == ["bundle.transfer_delete_in_use"]
    assert number in report.refused[0].label and "报考" in report.refused[0].message
    with pcs.b.read() as session:
        assert session.scalar(select(func.count()).where(Candidate.id_number == number)) == 1


def test_a_removed_lab_and_a_released_invigilator_travel(pcs: Pcs) -> None:
    from examsite.services.invigilation import unassign
    from examsite.services.labs import remove_lab
    from examsite.services.staff import remove_staff
    from examsite.storage.models import (
        ExamSession,
        InvigilatorAssignment,
        Lab,
        Room,
        RoomSession,
        Staff,
    )

    with pcs.a.read() as session:
        lab = session.scalars(select(Lab.uid).order_by(Lab.id)).first()
        staff = session.scalars(
            select(Staff.uid).join(InvigilatorAssignment).order_by(Staff.id)
        ).first()
        duties = session.execute(
            select(Room.uid, ExamSession.uid)
            .select_from(InvigilatorAssignment)
            .join(RoomSession, RoomSession.id == InvigilatorAssignment.room_session_id)
            .join(Room, Room.id == RoomSession.room_id)
            .join(ExamSession, ExamSession.id == RoomSession.session_id)
            .join(Staff, Staff.id == InvigilatorAssignment.staff_id)
            .where(Staff.uid == staff)
        ).all()
    assert lab and staff and duties
    remove_lab(pcs.a, lab)
    for room, exam_session in duties:
        unassign(pcs.a, DEMO_PLAN_CODE, room, exam_session, staff)
    remove_staff(pcs.a, staff)

    report = import_bundle(pcs.b, pcs.bundle(pcs.a))
    assert report.applied and not report.refused
    assert report.deleted == {"lab": 1, "staff": 1, "assignment": len(duties)}
    with pcs.b.read() as session:
        assert session.scalar(select(func.count()).where(Lab.uid == lab)) == 0
        assert session.scalar(select(func.count()).where(Staff.uid == staff)) == 0
        left = select(func.count()).select_from(InvigilatorAssignment)
        with pcs.a.read() as other:
            assert session.scalar(left) == other.scalar(left)


def test_a_record_made_on_both_pcs_apart_is_deleted_on_both(pcs: Pcs) -> None:
    """The same lab entered on each PC (two uids, one name): the merge matches them by
    name, and A's later removal finds B's own record."""
    from examsite.services.labs import add_lab, remove_lab
    from examsite.services.rooms import RoomForm
    from examsite.storage.models import Lab

    mine = add_lab(pcs.a, RoomForm(name="实训楼 305", seats=40)).uid
    theirs = add_lab(pcs.b, RoomForm(name="实训楼 305", seats=40)).uid
    assert mine != theirs
    report = import_bundle(pcs.b, pcs.bundle(pcs.a))
    assert "lab" not in report.added  # matched, not duplicated
    remove_lab(pcs.a, mine)
    gone = import_bundle(pcs.b, pcs.bundle(pcs.a))
    assert gone.deleted == {"lab": 1}
    with pcs.b.read() as session:
        assert session.scalar(select(func.count()).where(Lab.uid == theirs)) == 0
        assert session.scalar(select(func.count()).where(Lab.name == "实训楼 305")) == 0
