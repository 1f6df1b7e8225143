"""巡考情况记录表 (003 materials checklist no. 7: one for the whole site, 一式两份): for each
exam session time (certificate, level, subject, date and time) the rooms in use, each
with its counts, invigilators, what the room recorded, and columns for the inspection time
and the inspector's signature; the site's inspectors (staff with role ``inspector``) named
at the top; the overall remarks and signatures at the end. 003: inspect from 15 minutes
before the start to the end, every room at least once during the session.

The layout is ``inspection_record_filled``'s; the blank form is that one with nothing of
exam day known. Here: the session groups and the inspectors both forms are made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import MaterialsData, RoomFacts, RoomSessionFacts
from examsite.domain.staff_roles import Role
from examsite.formats.pdf.forms import (
    date_with_weekday,
    time_range,
)
from examsite.formats.pdf.job import PrintJob
from examsite.messages import certificate_title

TITLE = "巡考情况记录表"


@dataclass(frozen=True)
class SessionGroup:
    """The rooms of one exam session time."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    heading: str
    rooms: tuple[tuple[RoomFacts, RoomSessionFacts], ...]


def inspectors(data: MaterialsData) -> tuple[str, ...]:
    return tuple(s.name for s in data.staff if Role.INSPECTOR.value in s.roles)


def session_groups(data: MaterialsData) -> tuple[SessionGroup, ...]:
    """Room sessions grouped by time, certificate, level and subject (time order)."""
    groups: dict[tuple[object, ...], list[tuple[RoomFacts, RoomSessionFacts]]] = {}
    for room, rs in data.room_sessions():
        key = (rs.starts_at, rs.ends_at, rs.certificate_name, rs.level, rs.subject_name)
        groups.setdefault(key, []).append((room, rs))
    result = []
    for pairs in groups.values():
        rs = pairs[0][1]
        heading = (
            f"{date_with_weekday(rs.starts_at.date())} {time_range(rs.starts_at, rs.ends_at)}　"
            f"{certificate_title(rs.certificate_name, rs.level)}{rs.subject_name}"
        )
        result.append(SessionGroup(rs.starts_at, rs.ends_at, heading, tuple(pairs)))
    return tuple(result)


def draw(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    """The blank record: the filled one's layout (``inspection_record_filled``) with
    nothing of exam day known, its counts and the rooms' records left to write in."""
    from examsite.formats.pdf import inspection_record_filled  # it builds on this module

    return inspection_record_filled.draw(canvas, replace(job, exam_day=None), room)
