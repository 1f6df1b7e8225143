"""After the exam (``domain.after_exam``): the checklist of the papers to hand in, whose
ticks are kept per plan in the ``Setting`` table (``after_exam.<plan code>``, JSON: each
tick's key and when it was ticked), and the monitoring videos' file names per room.

Ticking is logged in the audit log (entity ``after_exam``, the plan's code).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.after_exam import (
    PAPERS,
    Copy,
    Scope,
    copies_needed,
    expand_tick,
    tick_key,
    tick_keys,
    video_name,
)
from examsite.errors import InputError
from examsite.messages import text
from examsite.messages.after_exam import PAPER_TITLES
from examsite.services.audit import record
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import (
    ExamPlan,
    ExamSession,
    Room,
    RoomSession,
    School,
    Seat,
    Setting,
    Site,
    Subject,
)

ACTOR = "user"
SETTING_PREFIX = "after_exam."
NOTES = {
    "commitment": "afterexam.note_commitment",
    "monitoring_video": "afterexam.note_monitoring_video",
    "sign_in": "afterexam.note_sign_in",
}


@dataclass(frozen=True)
class PaperItem:
    key: str
    title: str
    scope: str  # site / room_session
    copies: int  # handed in and kept together
    quantity: str  # 003's count in words
    note: str
    sent: bool
    kept: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "scope": self.scope,
            "copies": self.copies,
            "quantity": self.quantity,
            "note": self.note,
            "sent": self.sent,
            "kept": self.kept,
        }


@dataclass(frozen=True)
class PaperChecklist:
    plan_code: str
    room_sessions: int
    items: tuple[PaperItem, ...]

    @property
    def done(self) -> int:
        """Ticks made (two a paper)."""
        return sum(int(i.sent) + int(i.kept) for i in self.items)

    @property
    def total(self) -> int:
        return 2 * len(self.items)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_code,
            "room_sessions": self.room_sessions,
            "done": self.done,
            "total": self.total,
            "papers": [i.as_dict() for i in self.items],
        }


@dataclass(frozen=True)
class SessionSpan:
    subject: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class VideoName:
    """The monitoring video of one room on one exam day."""

    room: str
    day: dt.date
    name: str
    sessions: tuple[SessionSpan, ...]  # what it shows, by start

    def as_dict(self) -> dict[str, Any]:
        return {
            "room": self.room,
            "date": self.day.isoformat(),
            "name": self.name,
            "sessions": [
                {
                    "subject": s.subject,
                    "start": s.starts_at.isoformat(timespec="minutes"),
                    "end": s.ends_at.isoformat(timespec="minutes"),
                }
                for s in self.sessions
            ],
        }


def paper_checklist(db: Database, plan_code: str) -> PaperChecklist:
    with db.read() as session:
        return paper_checklist_in(session, plan_code)


def tick_papers(
    db: Database, plan_code: str, tick: Iterable[str] = (), untick: Iterable[str] = ()
) -> PaperChecklist:
    with db.unit_of_work() as session:
        return tick_papers_in(session, plan_code, tick, untick)


def video_names(db: Database, plan_code: str) -> tuple[VideoName, ...]:
    with db.read() as session:
        return video_names_in(session, plan_code)


def paper_checklist_in(session: Session, plan_code: str) -> PaperChecklist:
    plan = find_plan(session, plan_code)
    ticks = _ticks(session, plan)
    room_sessions = _room_sessions(session, plan)
    items = []
    for paper in PAPERS:
        copies = copies_needed(paper, room_sessions)
        if paper.scope is Scope.ROOM_SESSION:
            quantity = text(
                "afterexam.quantity_room_session", sessions=room_sessions, copies=copies
            )
        else:
            quantity = text("afterexam.quantity_site", copies=copies)
        items.append(
            PaperItem(
                paper.key,
                PAPER_TITLES[paper.key],
                paper.scope.value,
                copies,
                quantity,
                text(NOTES[paper.key]) if paper.key in NOTES else "",
                tick_key(paper.key, Copy.SENT) in ticks,
                tick_key(paper.key, Copy.KEPT) in ticks,
            )
        )
    return PaperChecklist(plan.code, room_sessions, tuple(items))


def tick_papers_in(
    session: Session, plan_code: str, tick: Iterable[str] = (), untick: Iterable[str] = ()
) -> PaperChecklist:
    """Tick and untick (``InputError`` naming the unknown keys, nothing changed)."""
    plan = find_plan(session, plan_code)
    wanted = {key: expand_tick(_by_title(key)) for key in (*tick, *untick)}
    unknown = [key for key, keys in wanted.items() if keys is None]
    if unknown:
        known = "、".join(f"{PAPER_TITLES[p.key]}（{p.key}）" for p in PAPERS)
        raise InputError("afterexam.unknown_paper", key="、".join(unknown), known=known)
    before = _ticks(session, plan)
    after = dict(before)
    now = clock.now().isoformat(timespec="seconds")
    for key in tick:
        for one in wanted[key] or ():
            after.setdefault(one, now)
    for key in untick:
        for one in wanted[key] or ():
            after.pop(one, None)
    if after != before:
        _store(session, plan, after)
        record(
            session,
            "update",
            "after_exam",
            plan.code,
            {"ticks": sorted(before)},
            {"ticks": sorted(after)},
            ACTOR,
        )
    return paper_checklist_in(session, plan_code)


def _by_title(text: str) -> str:
    """``考场签到表`` or ``考场签到表.sent`` as the key it names (other text as it is)."""
    name, dot, copy = text.strip().partition(".")
    keys = {title: key for key, title in PAPER_TITLES.items()}
    return f"{keys[name]}{dot}{copy}" if name in keys else text


def video_names_in(session: Session, plan_code: str) -> tuple[VideoName, ...]:
    """One name per physical room (by name) and exam day, for the room sessions that have
    candidates; by day, then room."""
    plan = find_plan(session, plan_code)
    site = _site_part(session)
    spans: dict[tuple[dt.date, str], dict[tuple[dt.datetime, str], SessionSpan]] = {}
    for room, subject, starts_at, ends_at in session.execute(
        select(Room.name, Subject.name, ExamSession.starts_at, ExamSession.ends_at)
        .join(RoomSession, RoomSession.room_id == Room.id)
        .join(ExamSession, ExamSession.id == RoomSession.session_id)
        .join(Subject, Subject.id == ExamSession.subject_id)
        .where(Room.plan_id == plan.id)
        .where(select(Seat.id).where(Seat.room_session_id == RoomSession.id).exists())
    ):
        spans.setdefault((starts_at.date(), room), {})[(starts_at, subject)] = SessionSpan(
            subject, starts_at, ends_at
        )
    return tuple(
        VideoName(
            room,
            day,
            video_name(day, site, room),
            tuple(spans[(day, room)][k] for k in sorted(spans[(day, room)])),
        )
        for day, room in sorted(spans)
    )


def _site_part(session: Session) -> str:
    """The school's name (003's example "某学院"), else the site's."""
    row = session.execute(
        select(School.name, Site.name).outerjoin(School, School.id == Site.school_id)
    ).first()
    if row is None:
        return ""
    school, site = row
    return school or site


def _room_sessions(session: Session, plan: ExamPlan) -> int:
    """Room sessions with candidates (each needs its sign-in sheet and record form)."""
    return int(
        session.scalar(
            select(func.count(func.distinct(Seat.room_session_id)))
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .join(Room, Room.id == RoomSession.room_id)
            .where(Room.plan_id == plan.id)
        )
        or 0
    )


def _ticks(session: Session, plan: ExamPlan) -> dict[str, str]:
    setting = session.get(Setting, SETTING_PREFIX + plan.code)
    if setting is None:
        return {}
    try:
        stored = json.loads(setting.value)
    except ValueError:
        return {}
    ticks = stored.get("ticks", {}) if isinstance(stored, dict) else {}
    valid = set(tick_keys())
    return {k: str(v) for k, v in ticks.items() if k in valid} if isinstance(ticks, dict) else {}


def _store(session: Session, plan: ExamPlan, ticks: dict[str, str]) -> None:
    value = json.dumps({"ticks": dict(sorted(ticks.items()))}, ensure_ascii=False)
    setting = session.get(Setting, SETTING_PREFIX + plan.code)
    if setting is None:
        session.add(Setting(key=SETTING_PREFIX + plan.code, value=value))
    else:
        setting.value = value
