"""The filled exam-day papers as one PDF, outside the print run: the room record form
(考场情况记录表) of one room session or of every one, and the inspection record
(巡考情况记录表). For the exam-day page's "print the form" button and ``incident print``;
the print run makes the same documents (``room_record_filled``,
``inspection_record_filled``) with the rest of the plan's papers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.errors import ExamsiteError, NotFoundError
from examsite.formats.pdf import inspection_record_filled, room_record, room_record_filled
from examsite.formats.pdf.drawing import pdf_canvas
from examsite.formats.pdf.job import PrintJob
from examsite.messages.system import reason
from examsite.progress import Progress
from examsite.services.exam_day_record import load_exam_day_record
from examsite.services.materials_data import load_materials
from examsite.services.print_settings import load_print_settings_in
from examsite.storage.db import Database
from examsite.storage.models import ExamSession, RoomSession

Form = Literal["room", "inspection"]


@dataclass(frozen=True)
class WrittenForm:
    path: Path
    form: Form
    pages: int
    room_sessions: int  # how many room sessions it covers


def write_filled_form(
    db: Database,
    plan_code: str,
    out: Path,
    form: Form = "room",
    room: str = "",
    session_uid: str = "",
    progress: Progress | None = None,
) -> WrittenForm:
    """Draw the filled ``form`` into ``out``: for the room record, only the room session of
    ``room`` + ``session_uid`` when given (``NotFoundError`` when there is none)."""
    progress = progress or Progress()
    with db.read() as session:
        data = load_materials(session, plan_code)
        job = PrintJob(
            data,
            load_print_settings_in(session),
            progress=progress,
            exam_day=load_exam_day_record(session, plan_code),
        )
        if form == "inspection":
            title, pairs = inspection_record_filled.TITLE, list(data.room_sessions())
        else:
            title = room_record.TITLE
            chosen = _in_session(session, session_uid) if session_uid.strip() else None
            pairs = [
                (r, rs)
                for r, rs in data.room_sessions()
                if (not room.strip() or r.name == room.strip())
                and (chosen is None or rs.uid in chosen)
            ]
            if (room or session_uid) and not pairs:
                raise NotFoundError("incident.room_not_in_session", room=room or "—")
    try:
        with pdf_canvas(out, title=title) as canvas:
            if form == "inspection":
                pages = inspection_record_filled.draw(canvas, job, None)
            else:
                pages = room_record_filled.draw_sessions(canvas, job, pairs)
    except OSError as exc:
        raise ExamsiteError(
            "materials.cannot_write", folder=str(out.parent), reason=reason(exc)
        ) from exc
    return WrittenForm(out, form, pages, len(pairs))


def _in_session(session: Session, session_uid: str) -> set[str]:
    """The room sessions (UIDs) of the exam session ``session_uid`` (or its prefix)."""
    return set(
        session.scalars(
            select(RoomSession.uid)
            .join(ExamSession, ExamSession.id == RoomSession.session_id)
            .where(ExamSession.uid.startswith(session_uid.strip()))
        )
    )
