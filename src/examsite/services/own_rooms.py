"""An invigilator's own room sessions (监考员只管自己监考的考场).

The role gate (``storage.access``) lets an invigilator's account run check-in and
incidents at all; this module narrows it to the room sessions their staff record is
assigned to (``InvigilatorAssignment``). Every writer of attendance and incidents asks
``ensure_own`` and the door lists ask ``own_room_sessions``, so the window, the CLI and
a scanner obey the same limit. Other roles (and a site without accounts) are not limited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.roles import Role
from examsite.errors import AccessDenied
from examsite.storage.access import principal_of
from examsite.storage.models import InvigilatorAssignment, RoomSession, Staff

_CACHE = "examsite_own_room_sessions"
T = TypeVar("T")


def own_room_sessions(session: Session) -> frozenset[str] | None:
    """The uids of the room sessions the logged-in invigilator watches; None when the
    account is not an invigilator's (nothing to narrow)."""
    principal = principal_of(session)
    if principal is None or principal.role != Role.INVIGILATOR:
        return None
    cached = session.info.get(_CACHE)
    if cached is None:
        cached = frozenset(
            session.scalars(
                select(RoomSession.uid)
                .join(
                    InvigilatorAssignment, InvigilatorAssignment.room_session_id == RoomSession.id
                )
                .join(Staff, Staff.id == InvigilatorAssignment.staff_id)
                .where(Staff.uid == (principal.staff_uid or ""))
            )
        )
        session.info[_CACHE] = cached
    return cached


def ensure_own(session: Session, room_session_uids: Iterable[str], room: str) -> None:
    """Refuse (``auth.not_your_room``) when an invigilator's account touches a room
    (a door: one or more room sessions) it does not watch; no uids: a site-wide record."""
    own = own_room_sessions(session)
    if own is None or not own.isdisjoint(room_session_uids):
        return
    principal = principal_of(session)
    raise AccessDenied(
        "auth.not_your_room", name=principal.name if principal else "", room=room or "全考点"
    )


def only_own(
    session: Session, items: Iterable[T], uids_of: Callable[[T], Iterable[str]]
) -> list[T]:
    """``items`` an invigilator may see: those with a room session (``uids_of``) they
    watch; all of them for other roles."""
    own = own_room_sessions(session)
    if own is None:
        return list(items)
    return [item for item in items if not own.isdisjoint(uids_of(item))]
