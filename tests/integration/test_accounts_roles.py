"""Accounts and roles through the services (issue 13): the gate below the window, so the
CLI and a bundle merge obey the same rules; an invigilator's own rooms; log-in throttling
and recovery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from examsite import clock
from examsite.domain.attendance import AttendanceStatus
from examsite.domain.roles import DIRECTOR_ONLY, INVIGILATOR_READS, INVIGILATOR_WRITES, LOGIN
from examsite.errors import AccessDenied, InputError
from examsite.services import accounts
from examsite.services.arrangement import arrangement_plans
from examsite.services.audit_verify import verify_audit
from examsite.services.candidates import list_candidates
from examsite.services.checkin import door_choices, door_list, door_plans
from examsite.services.checkin_marks import mark
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.labs import propose_rooms
from examsite.services.staff import set_duty_cap
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, InvigilatorAssignment, RoomSession, Staff

PASSWORD = "secret-123"


@pytest.fixture
def site(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    """The arranged demo with a director (logged out), a staff account and an
    invigilator's account for a staff member with room sessions."""
    db = Database.open(arranged_db_file(12))
    accounts.create_first_director(db, "主任", PASSWORD)
    accounts.add_user(db, "老李", "staff", PASSWORD)
    accounts.add_user(db, "监考甲", "invigilator", PASSWORD, staff=_an_invigilator(db)[0])
    accounts.log_out(db)
    yield db
    db.close()


def _an_invigilator(db: Database) -> tuple[str, frozenset[str]]:
    """A staff member with room sessions to watch: (uid, those room sessions' uids)."""
    with db.read() as session:
        rows = session.execute(
            select(Staff.uid, RoomSession.uid)
            .join(InvigilatorAssignment, InvigilatorAssignment.staff_id == Staff.id)
            .join(RoomSession, RoomSession.id == InvigilatorAssignment.room_session_id)
        ).all()
    uid = rows[0][0]
    return uid, frozenset(rs for s, rs in rows if s == uid)


def test_nothing_is_read_before_logging_in(site: Database) -> None:
    with pytest.raises(AccessDenied) as refused:
        list_candidates(site)
    assert refused.value.code == "auth.login_required"


def test_a_site_without_accounts_stays_open(db: Database) -> None:
    assert not accounts.has_accounts(db)
    assert list_candidates(db) == []
    assert db.access.full_ids


def test_the_first_account_must_be_a_director(db: Database) -> None:
    with pytest.raises(InputError) as refused:
        accounts.add_user(db, "老李", "staff", PASSWORD)
    assert refused.value.code == "users.first_is_director"
    first = accounts.create_first_director(db, "主任", PASSWORD)
    assert len(first.recovery_code) == 29 and first.principal.role == "director"
    with pytest.raises(InputError) as again:
        accounts.create_first_director(db, "另一位", PASSWORD)
    assert again.value.code == "users.already_set_up"


def test_staff_runs_the_workflow_but_not_user_management_nor_the_audit_log(site: Database) -> None:
    accounts.log_in(site, "老李", PASSWORD)
    assert list_candidates(site)
    assert not site.access.full_ids
    propose_rooms(site, DEMO_PLAN_CODE)  # a write of the workflow
    for refused_call in (
        lambda: accounts.list_users(site),
        lambda: accounts.add_user(site, "新人", "staff", PASSWORD),
        lambda: verify_audit(site),
    ):
        with pytest.raises(AccessDenied) as refused:
            refused_call()
        assert refused.value.code == "auth.forbidden"
        assert "考务人员" in refused.value.message


def test_the_director_may_do_everything(site: Database) -> None:
    accounts.log_in(site, "主任", PASSWORD)
    assert site.access.full_ids
    assert {r.name for r in accounts.list_users(site)} == {"主任", "老李", "监考甲"}
    assert verify_audit(site).ok


def test_an_invigilator_sees_and_marks_only_their_own_rooms(site: Database) -> None:
    accounts.log_in(site, "主任", PASSWORD)
    _uid, own = _an_invigilator(site)
    every_door = door_choices(site, DEMO_PLAN_CODE).doors
    others = [d for d in every_door if not set(d.room_session_uids) & own]
    assert others
    theirs = door_list(site, DEMO_PLAN_CODE, others[0].room_session_uid).seats[0]

    accounts.log_in(site, "监考甲", PASSWORD)
    assert DEMO_PLAN_CODE in {p.code for p in door_plans(site)}  # the door PC's plan list
    with pytest.raises(AccessDenied):
        arrangement_plans(site)  # the same list, read as the arrangement: not its use case
    with pytest.raises(AccessDenied):
        list_candidates(site)
    with pytest.raises(AccessDenied):
        propose_rooms(site, DEMO_PLAN_CODE)
    doors = door_choices(site, DEMO_PLAN_CODE).doors
    assert doors and len(doors) < len(every_door)
    assert all(set(d.room_session_uids) & own for d in doors)
    mine = door_list(site, DEMO_PLAN_CODE, doors[0].room_session_uid).seats[0]
    with clock.fixed(mine.session_start + dt.timedelta(minutes=1)):
        marked = mark(
            site,
            DEMO_PLAN_CODE,
            mine.ticket,
            AttendanceStatus.PRESENT,
            room_session_uid=mine.room_session_uid,
        )
    assert marked.status == "present"
    with pytest.raises(AccessDenied) as refused:
        door_list(site, DEMO_PLAN_CODE, others[0].room_session_uid)
    assert refused.value.code == "auth.not_your_room"
    with clock.fixed(theirs.session_start + dt.timedelta(minutes=1)), pytest.raises(AccessDenied):
        mark(
            site,
            DEMO_PLAN_CODE,
            theirs.ticket,
            AttendanceStatus.PRESENT,
            room_session_uid=theirs.room_session_uid,
        )


def test_the_audit_log_names_the_account(site: Database) -> None:
    accounts.log_in(site, "主任", PASSWORD)
    with site.read() as session:
        last = session.scalar(select(func.max(AuditLog.id)))
    accounts.set_disabled(site, "老李")
    accounts.set_disabled(site, "老李", disabled=False)
    accounts.log_in(site, "老李", PASSWORD)
    set_duty_cap(site, 3)
    accounts.log_in(site, "主任", PASSWORD)
    with site.read() as session:
        entries = session.execute(
            select(AuditLog.actor, AuditLog.entity).where(AuditLog.id > last)
        ).all()
    assert ("主任", "user") in entries and ("老李", "user") in entries  # the log-ins
    assert {actor for actor, entity in entries if entity != "user"} == {"老李"}
    assert ("老李", "setting") in entries


def test_five_wrong_passwords_make_the_next_try_wait(site: Database) -> None:
    start = clock.now()
    codes = []
    for _ in range(5):
        with pytest.raises(AccessDenied) as refused:
            accounts.log_in(site, "老李", "wrong-password")
        codes.append(refused.value.code)
    assert codes == ["auth.wrong_password"] * 4 + ["auth.wrong_password_wait"]
    with pytest.raises(AccessDenied) as waiting:
        accounts.log_in(site, "老李", PASSWORD)  # even the right password waits
    assert waiting.value.code == "auth.wait"
    with clock.fixed(start + accounts.FIRST_WAIT + dt.timedelta(seconds=1)):
        assert accounts.log_in(site, "老李", PASSWORD).role == "staff"
    with clock.fixed(start + dt.timedelta(minutes=2)):  # the count starts again
        with pytest.raises(AccessDenied) as fresh:
            accounts.log_in(site, "老李", "wrong-password")
        assert fresh.value.code == "auth.wrong_password"


def test_unknown_names_and_wrong_passwords_read_alike(site: Database) -> None:
    messages = []
    for name in ("老李", "没有这个人"):
        with pytest.raises(AccessDenied) as refused:
            accounts.log_in(site, name, "wrong-password")
        messages.append(refused.value.code)
    assert messages == ["auth.wrong_password", "auth.wrong_password"]


def test_a_disabled_account_cannot_log_in_and_the_last_director_stays(site: Database) -> None:
    accounts.log_in(site, "主任", PASSWORD)
    accounts.set_disabled(site, "老李")
    with pytest.raises(InputError) as last:
        accounts.set_disabled(site, "主任")
    assert last.value.code == "users.last_director"
    with pytest.raises(AccessDenied) as refused:
        accounts.log_in(site, "老李", PASSWORD)
    assert refused.value.code == "auth.disabled"


def test_the_recovery_code_resets_a_director_once(db: Database) -> None:
    first = accounts.create_first_director(db, "主任", PASSWORD)
    accounts.log_out(db)
    with pytest.raises(AccessDenied):
        accounts.recover(db, "主任", "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "new-password-1")
    typed = first.recovery_code.lower().replace("-", " ")  # as typed from paper
    again = accounts.recover(db, "主任", typed, "new-password-1")
    assert again.recovery_code != first.recovery_code
    accounts.log_out(db)
    assert accounts.log_in(db, "主任", "new-password-1").name == "主任"
    with pytest.raises(AccessDenied):  # the old code is used up
        accounts.recover(db, "主任", first.recovery_code, "new-password-2")


def test_passwords_too_short_are_refused(db: Database) -> None:
    with pytest.raises(InputError) as refused:
        accounts.create_first_director(db, "主任", "1234567")
    assert refused.value.code == "users.password_short"


def test_the_policy_names_real_use_cases() -> None:
    services = Path(accounts.__file__).parent
    modules = {p.stem for p in services.glob("*.py")}
    named = (DIRECTOR_ONLY | INVIGILATOR_READS | INVIGILATOR_WRITES) - {
        LOGIN,
        accounts.SELF,
        "writing",
    }
    assert named <= modules, named - modules
