"""Accounts (用户): logging in, the first director with a recovery code, user management.

A site without accounts is open (the demo, a fresh file, scripts). The first account made
must be the director's (考点负责人); it comes with a recovery code shown once, the only
way back in when every director's password is forgotten. From then on the database is
protected (``storage.access``): nothing is read until someone logs in, and each role
runs only its use cases (``domain.roles``).

Passwords are hashed with Argon2id (argon2-cffi's defaults, ~90 ms a hash). Five wrong
passwords in a row make the account wait before the next try, longer each time, counted
in the database so that a script calling the CLI in a loop is slowed like the window.

Everything here but logging in and changing one's own password is the director's
(use case ``accounts``); logging in runs as ``accounts_login``, one's own password as
``accounts_self``.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.roles import LOGIN, ROLE_TITLES, Role, role_title
from examsite.errors import AccessDenied, InputError, NotFoundError
from examsite.services import key_wraps
from examsite.services.audit import record
from examsite.storage.access import Principal, principal_of
from examsite.storage.activity import doing
from examsite.storage.db import Database
from examsite.storage.models import Setting, Staff, UserAccount

#: ``setting`` key of the recovery code's Argon2 hash.
RECOVERY_KEY: Final = "recovery_code_hash"
MIN_PASSWORD: Final = 8
MAX_NAME: Final = 60
#: Wrong passwords allowed in a row before each further try must wait.
FREE_TRIES: Final = 5
FIRST_WAIT: Final = dt.timedelta(seconds=30)
LONGEST_WAIT: Final = dt.timedelta(minutes=15)
#: Recovery codes: 25 characters from an alphabet without look-alikes (0/O, 1/I/L), in
#: five groups — 125 bits, typed from paper.
_CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_GROUPS: Final = 5
SELF: Final = "accounts_self"

_hasher = PasswordHasher()


@dataclass(frozen=True)
class AccountRow:
    """An account as the user management page and ``users list`` show it."""

    name: str
    role: str
    role_title: str
    staff_uid: str | None
    staff_name: str
    disabled: bool
    last_login_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True)
class FirstAccount:
    """The director's account made on a site's first run, and its recovery code (shown
    once; only its hash is kept)."""

    principal: Principal
    recovery_code: str


# --- passwords -------------------------------------------------------------------------


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str) -> None:
    """Refuse a password too short to protect personal data (``users.password_short``)."""
    if len(password) < MIN_PASSWORD or not password.strip():
        raise InputError("users.password_short", minimum=MIN_PASSWORD)


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME or any(c.isspace() for c in cleaned):
        raise InputError("users.bad_name", name=name, maximum=MAX_NAME)
    return cleaned


def new_recovery_code() -> str:
    """``"K7QX2-…"``: five groups of five characters."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5 * _CODE_GROUPS))
    return "-".join(chars[at : at + 5] for at in range(0, len(chars), 5))


def normal_code(code: str) -> str:
    """A recovery code as typed (lower case, spaces, no dashes) in its printed form."""
    chars = "".join(c for c in code.upper() if c.isalnum())
    return "-".join(chars[at : at + 5] for at in range(0, len(chars), 5))


# --- logging in ------------------------------------------------------------------------


def has_accounts(db: Database) -> bool:
    """Whether the site is protected by accounts."""
    return db.access.protected


def log_in(db: Database, name: str, password: str) -> Principal:
    """Check ``name``'s password and make the account the database's principal.

    Refused (``AccessDenied``): an unknown name or a wrong password (one message for both:
    it does not tell which names exist), a disabled account, or an account that must
    wait after too many wrong passwords (``auth.wait``, the seconds left).
    """
    with doing(LOGIN), db.unit_of_work() as session:
        # A wrong password is committed (the count of tries) and refused afterwards.
        outcome = _log_in_in(session, name.strip(), password)
    if isinstance(outcome, AccessDenied):
        raise outcome
    db.access.principal = outcome
    return outcome


def _log_in_in(session: Session, name: str, password: str) -> Principal | AccessDenied:
    now = clock.now()
    account = _account(session, name)
    if account is None:
        _hasher.hash(password)  # the same time as a real check: names are not probed
        return AccessDenied("auth.wrong_password", name=name)
    if account.retry_after is not None and account.retry_after > now:
        seconds = math.ceil((account.retry_after - now).total_seconds())
        return AccessDenied("auth.wait", name=name, seconds=seconds)
    if not password_matches(account.password_hash, password):
        account.failed_logins += 1
        wait = _wait_after(account.failed_logins)
        account.retry_after = now + wait if wait else None
        record(session, "login_failed", "user", name, None, {"tries": account.failed_logins}, name)
        if wait:
            seconds = int(wait.total_seconds())
            return AccessDenied("auth.wrong_password_wait", name=name, seconds=seconds)
        return AccessDenied("auth.wrong_password", name=name)
    if account.disabled:
        return AccessDenied("auth.disabled", name=name)
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.failed_logins = 0
    account.retry_after = None
    account.last_login_at = now
    record(session, "login", "user", name, None, None, name)
    return Principal(account.name, account.role, account.staff_uid)


def _wait_after(failed: int) -> dt.timedelta | None:
    """How long the next try waits after ``failed`` wrong passwords in a row: nothing for
    the first ``FREE_TRIES``, then 30 s doubling up to 15 minutes."""
    if failed < FREE_TRIES:
        return None
    wait: dt.timedelta = FIRST_WAIT * 2 ** min(failed - FREE_TRIES, 10)
    return min(wait, LONGEST_WAIT)


def log_out(db: Database) -> None:
    db.access.principal = None


def change_own_password(db: Database, old: str, new: str) -> None:
    """The logged-in account's password, checked against the old one first."""
    check_password(new)
    with doing(SELF), db.unit_of_work() as session:
        me = principal_of(session)
        if me is None:
            raise AccessDenied("auth.login_required")
        account = _account(session, me.name)
        if account is None or not password_matches(account.password_hash, old):
            raise AccessDenied("auth.wrong_password", name=me.name)
        account.password_hash = hash_password(new)
        record(session, "update", "user", me.name, None, {"password": "changed"}, me.name)
        key_wraps.wrap_account(db, me.name, new)  # an encrypted site: its key wrap too


# --- the first account and recovery ----------------------------------------------------


def create_first_director(db: Database, name: str, password: str) -> FirstAccount:
    """The site's first account, a director's, with its recovery code; the database is
    protected from now on and this program logged in as the director."""
    name = check_name(name)
    check_password(password)
    code = new_recovery_code()
    with db.unit_of_work() as session:
        if session.scalar(select(func.count(UserAccount.id))):
            raise InputError("users.already_set_up")
        session.add(
            UserAccount(name=name, role=Role.DIRECTOR, password_hash=hash_password(password))
        )
        _store_recovery_hash(session, code)
        record(session, "create", "user", name, None, {"role": Role.DIRECTOR}, name)
        key_wraps.wrap_account(db, name, password)
        key_wraps.wrap_recovery(db, code)
    principal = Principal(name, Role.DIRECTOR)
    db.access.refresh()
    db.access.principal = principal
    return FirstAccount(principal, code)


def recover(db: Database, name: str, code: str, new_password: str) -> FirstAccount:
    """A director's new password from the recovery code; the code is used up and a new
    one is returned (shown once, as the first)."""
    check_password(new_password)
    fresh = new_recovery_code()
    with doing(LOGIN), db.unit_of_work() as session:
        stored = session.get(Setting, RECOVERY_KEY)
        account = _account(session, name.strip())
        if stored is None or not password_matches(stored.value, normal_code(code)):
            raise AccessDenied("auth.wrong_recovery_code")
        if account is None or account.role != Role.DIRECTOR:
            raise NotFoundError("users.no_director", name=name)
        account.password_hash = hash_password(new_password)
        account.disabled = False
        account.failed_logins = 0
        account.retry_after = None
        _store_recovery_hash(session, fresh)
        record(session, "update", "user", account.name, None, {"recovered": True}, account.name)
        key_wraps.wrap_account(db, account.name, new_password)
        key_wraps.wrap_recovery(db, fresh)
        principal = Principal(account.name, account.role, account.staff_uid)
    db.access.principal = principal
    return FirstAccount(principal, fresh)


def _store_recovery_hash(session: Session, code: str) -> None:
    stored = session.get(Setting, RECOVERY_KEY)
    if stored is None:
        session.add(Setting(key=RECOVERY_KEY, value=hash_password(normal_code(code))))
    else:
        stored.value = hash_password(normal_code(code))


# --- user management (the director's) ---------------------------------------------------


def add_user(
    db: Database, name: str, role: str, password: str, staff: str | None = None
) -> AccountRow:
    """A new account. The first account of a site must be a director's
    (``create_first_director``, which also makes the recovery code); an invigilator's
    account names their staff record (``staff``: name or uid) for their rooms."""
    name = check_name(name)
    check_password(password)
    if role not in ROLE_TITLES:
        raise InputError("users.bad_role", role=role, roles="、".join(ROLE_TITLES.values()))
    if not db.access.protected:
        raise InputError("users.first_is_director")
    with db.unit_of_work() as session:
        if _account(session, name) is not None:
            raise InputError("users.exists", name=name)
        staff_uid = None
        if role == Role.INVIGILATOR:
            if not staff:
                raise InputError("users.invigilator_needs_staff", name=name)
            staff_uid = _staff_uid(session, staff)
        account = UserAccount(
            name=name, role=role, password_hash=hash_password(password), staff_uid=staff_uid
        )
        session.add(account)
        session.flush()
        record(session, "create", "user", name, None, {"role": role, "staff": staff_uid}, name)
        key_wraps.wrap_account(db, name, password)
        return _row(session, account)


def list_users(db: Database) -> list[AccountRow]:
    with db.read() as session:
        accounts = session.scalars(select(UserAccount).order_by(UserAccount.id)).all()
        return [_row(session, a) for a in accounts]


def set_disabled(db: Database, name: str, disabled: bool = True) -> AccountRow:
    """Disable an account (it can no longer log in; the audit log still names it) or
    enable it again. The last enabled director is never disabled."""
    with db.unit_of_work() as session:
        account = _existing(session, name)
        if disabled and account.role == Role.DIRECTOR and not account.disabled:
            directors = session.scalar(
                select(func.count(UserAccount.id)).where(
                    UserAccount.role == Role.DIRECTOR, UserAccount.disabled.is_(False)
                )
            )
            if (directors or 0) <= 1:
                raise InputError("users.last_director", name=account.name)
        before = {"disabled": account.disabled}
        account.disabled = disabled
        record(session, "update", "user", account.name, before, {"disabled": disabled}, "")
        if disabled:  # an encrypted site: that password opens the file no more
            key_wraps.drop_account(db, account.name)
        return _row(session, account)


def reset_password(db: Database, name: str, password: str) -> AccountRow:
    """The director sets another account's password (a forgotten one)."""
    check_password(password)
    with db.unit_of_work() as session:
        account = _existing(session, name)
        account.password_hash = hash_password(password)
        account.failed_logins = 0
        account.retry_after = None
        record(session, "update", "user", account.name, None, {"password": "reset"}, "")
        key_wraps.wrap_account(db, account.name, password)
        return _row(session, account)


# --- helpers ---------------------------------------------------------------------------


def _account(session: Session, name: str) -> UserAccount | None:
    return session.scalars(select(UserAccount).where(UserAccount.name == name)).one_or_none()


def _existing(session: Session, name: str) -> UserAccount:
    account = _account(session, name.strip())
    if account is None:
        raise NotFoundError("users.not_found", name=name)
    return account


def _staff_uid(session: Session, staff: str) -> str:
    wanted = staff.strip()
    found = session.scalars(
        select(Staff).where((Staff.uid == wanted) | (Staff.name == wanted))
    ).all()
    if not found:
        raise NotFoundError("users.staff_not_found", staff=staff)
    if len(found) > 1:
        raise InputError("users.staff_ambiguous", staff=staff, count=len(found))
    return found[0].uid


def _row(session: Session, account: UserAccount) -> AccountRow:
    staff_name = ""
    if account.staff_uid:
        staff_name = session.scalar(select(Staff.name).where(Staff.uid == account.staff_uid)) or ""
    return AccountRow(
        name=account.name,
        role=account.role,
        role_title=role_title(account.role),
        staff_uid=account.staff_uid,
        staff_name=staff_name,
        disabled=account.disabled,
        last_login_at=account.last_login_at,
        created_at=account.created_at,
    )


# --- the window's settings (idle lock) and the site's kind ------------------------------

#: ``setting`` key of the minutes without input after which the window locks (0: never).
IDLE_LOCK_KEY: Final = "idle_lock_minutes"
DEFAULT_IDLE_LOCK: Final = 10
MAX_IDLE_LOCK: Final = 240


def idle_lock_minutes(db: Database) -> int:
    """The idle lock's minutes for this database (every role reads it: its window locks)."""
    with doing(SELF), db.read() as session:
        stored = session.get(Setting, IDLE_LOCK_KEY)
        try:
            return int(stored.value) if stored is not None else DEFAULT_IDLE_LOCK
        except ValueError:
            return DEFAULT_IDLE_LOCK


def set_idle_lock_minutes(db: Database, minutes: int) -> int:
    """The director's choice of idle minutes (0: the window never locks)."""
    if not 0 <= minutes <= MAX_IDLE_LOCK:
        raise InputError("users.bad_idle_minutes", minutes=minutes, maximum=MAX_IDLE_LOCK)
    with db.unit_of_work() as session:
        stored = session.get(Setting, IDLE_LOCK_KEY)
        before = {"minutes": int(stored.value)} if stored is not None else None
        if stored is None:
            session.add(Setting(key=IDLE_LOCK_KEY, value=str(minutes)))
        else:
            stored.value = str(minutes)
        record(session, "update", "setting", IDLE_LOCK_KEY, before, {"minutes": minutes}, "")
    return minutes


def is_demo_site(db: Database) -> bool:
    """Whether the database holds the demo site (its marker in ``setting``): the window
    offers a first run's director account on a real site only."""
    from examsite.services.demo import DEMO_MARKER

    with doing(SELF), db.read() as session:
        return session.get(Setting, DEMO_MARKER) is not None
