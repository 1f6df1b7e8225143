"""Two small documents standing in for the real ones in the print-run tests: a plan-wide
roster (one page per room session, the names) and a room's door sign (one page per room
session of the room). ``use_fake_documents(monkeypatch)`` puts them in the registry."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from examsite.domain.materials import RoomFacts
from examsite.formats.pdf.drawing import MARGIN, PAGE_HEIGHT, draw_text
from examsite.formats.pdf.job import PrintJob
from examsite.services import print_documents
from examsite.services.print_documents import DocumentKind


def draw_roster(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    pages = 0
    pairs = list(job.data.room_sessions())
    for done, (r, rs) in enumerate(pairs):
        job.progress.check_cancelled()
        job.progress.step(done, len(pairs), r.name)
        draw_text(canvas, MARGIN, PAGE_HEIGHT - MARGIN, f"{job.header} {r.name}", 14)
        for at, seat in enumerate(rs.seats[:40]):
            draw_text(
                canvas,
                MARGIN,
                PAGE_HEIGHT - MARGIN - 20 - at * 16,
                f"{seat.seat} {seat.name} {seat.ticket}",
                10,
            )
        canvas.showPage()
        pages += 1
    return pages


def draw_door(canvas: Canvas, job: PrintJob, room: RoomFacts | None) -> int:
    pages = 0
    for r in [room] if room is not None else list(job.data.rooms):
        for rs in r.sessions:
            job.progress.check_cancelled()
            draw_text(canvas, MARGIN, PAGE_HEIGHT / 2, f"门贴 {r.name} {rs.subject_name}", 28)
            canvas.showPage()
            pages += 1
    return pages


ROSTER = DocumentKind("roster", "名单", "plan", draw_roster)
DOOR = DocumentKind("door", "门贴", "room", draw_door, needs_seats=False)
FAKE_DOCUMENTS = (ROSTER, DOOR)


def use_fake_documents(monkeypatch, documents=FAKE_DOCUMENTS) -> None:
    monkeypatch.setattr(print_documents, "DOCUMENTS", tuple(documents))
