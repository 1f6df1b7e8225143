"""The gate every read and unit of work passes: who is logged in and what they may do.

A database with accounts (``user_account``) is *protected*: nothing is read or written
until someone has logged in (``services.accounts.log_in`` sets ``Database.access.principal``),
and then only the use cases their role allows (``domain.roles.may_use``). The use case is
the service module that opens the session (``storage.activity.current_activity``), so the
window, the CLI and a bundle merge all pass the same rule without each service repeating
it. A database without accounts (the demo, a fresh file, scripts) stays open.

The logged-in account rides on each session (``session.info[PRINCIPAL]``): the audit log
names it, and check-in and incidents compare an invigilator's rooms with it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from examsite.domain.roles import LOGIN, may_use, role_title, sees_full_ids
from examsite.errors import AccessDenied
from examsite.messages import has_message
from examsite.messages import text as message_text
from examsite.storage.activity import current_activity

#: ``session.info`` key of the logged-in ``Principal`` (absent on an open database).
PRINCIPAL = "examsite_principal"
_ANY_ACCOUNT = text("SELECT 1 FROM user_account WHERE disabled = :no LIMIT 1")


@dataclass(frozen=True)
class Principal:
    """The account a program runs as."""

    name: str
    role: str
    staff_uid: str | None = None

    @property
    def role_title(self) -> str:
        return role_title(self.role)


class Access:
    """Whether the database has accounts, and who is logged in."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._protected: bool | None = None
        self._lock = threading.Lock()
        self.principal: Principal | None = None

    @property
    def protected(self) -> bool:
        """Whether the database has an account that can log in (read once, then kept
        until ``refresh``)."""
        with self._lock:
            if self._protected is None:
                self._protected = accounts_exist(self._engine)
            return self._protected

    @property
    def full_ids(self) -> bool:
        """Whether lists may show whole ID numbers to whoever is logged in (a site
        without accounts: yes; staff and invigilators: masked)."""
        if not self.protected:
            return True
        return self.principal is not None and sees_full_ids(self.principal.role)

    def refresh(self) -> None:
        with self._lock:
            self._protected = None

    def check(self, session: Session, *, write: bool) -> None:
        """Refuse the session's use case unless the principal may run it (``AccessDenied``);
        then put the principal on the session."""
        if not self.protected:
            return
        use_case = current_activity()
        principal = self.principal
        if principal is None:
            if use_case == LOGIN:
                return
            raise AccessDenied("auth.login_required")
        if not may_use(principal.role, use_case, write=write):
            code = f"activity.{use_case}"
            action = message_text(code) if has_message(code) else use_case
            raise AccessDenied(
                "auth.forbidden", name=principal.name, role=principal.role_title, action=action
            )
        session.info[PRINCIPAL] = principal


def principal_of(session: Session) -> Principal | None:
    """Who runs the session's use case (None: a database without accounts)."""
    return session.info.get(PRINCIPAL)


def accounts_exist(engine: Engine) -> bool:
    """Whether ``engine``'s database has an enabled account (False before migration 0008)."""
    try:
        with engine.connect() as connection:
            return connection.execute(_ANY_ACCOUNT, {"no": False}).first() is not None
    except DBAPIError:
        return False
