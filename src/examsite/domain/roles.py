"""Who may do what: the three roles of an ExamSite account (issue 13, from 003's duties).

- 考点负责人 (director): everything, full ID numbers, user management, purging, the audit log.
- 考务人员 (staff): the whole workflow; ID numbers masked except where a document needs them.
- 监考员 (invigilator): at the door PC, the check-in and incidents of their own room sessions.

The rule is one table keyed by *use case*: the service module that opens a unit of work or
a read (``storage.activity.current_activity``), so every path — window, CLI, bundle merge —
passes the same gate (``storage.access``). What is not listed for a role is refused: a
new service module is director-only until it is placed here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Role(StrEnum):
    DIRECTOR = "director"
    STAFF = "staff"
    INVIGILATOR = "invigilator"


ROLE_TITLES: Final[dict[str, str]] = {
    Role.DIRECTOR: "考点负责人",
    Role.STAFF: "考务人员",
    Role.INVIGILATOR: "监考员",
}

#: Use cases only the director may run (read or write): accounts, purging, the audit log
#: (it names candidates by full ID number), moving the whole site's data.
DIRECTOR_ONLY: Final = frozenset(
    {
        "accounts",
        "retention",
        "audit",
        "audit_verify",
        "db_copy",
        "db_copy_merge",
        "encryption",
    }
)

#: What an invigilator's door PC reads: the check-in of their sessions, incidents, and the
#: catalogue, step figures and session list the window needs to show that page.
INVIGILATOR_READS: Final = frozenset(
    {
        "accounts_self",
        "catalog",
        "checkin",
        "checkin_data",
        "checkin_marks",
        "checkin_status",
        "incidents",
        "sessions",
        "status",
        "step_status",
        "writing",
    }
)
#: What it changes: check-in marks and incidents, and its own password.
INVIGILATOR_WRITES: Final = frozenset({"accounts_self", "checkin", "checkin_marks", "incidents"})

#: Use cases open before anyone has logged in: checking a password.
LOGIN: Final = "accounts_login"


def may_use(role: str, use_case: str, *, write: bool) -> bool:
    """Whether ``role`` may run ``use_case`` (a service module's name)."""
    if use_case == LOGIN or role == Role.DIRECTOR:
        return True
    if role == Role.STAFF:
        return use_case not in DIRECTOR_ONLY
    if role == Role.INVIGILATOR:
        return use_case in (INVIGILATOR_WRITES if write else INVIGILATOR_READS)
    return False


def sees_full_ids(role: str | None) -> bool:
    """Whether lists show whole ID numbers (None: a site without accounts)."""
    return role is None or role == Role.DIRECTOR


def role_title(role: str) -> str:
    return ROLE_TITLES.get(role, role)
