"""Score review (成绩复查): whether the plan's review window is open (``domain.score_review``
says which dates: 7 days from the start of the publication window), and the school's
成绩复查表 (003 annex 1) printed filled in for the candidates chosen — one form per
certificate, the candidates' scores as this PC holds them (``services.results``).

Outside the window the print is refused (``scores.review_not_open`` /
``scores.review_closed``): the platform locks the scores after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.problems import warning
from examsite.domain.results import SubjectState
from examsite.domain.score_review import (
    ReviewLine,
    ReviewSheet,
    ReviewState,
    review_window,
)
from examsite.errors import ExamsiteError, InputError
from examsite.formats.pdf.drawing import pdf_canvas
from examsite.formats.pdf.score_review_sheet import ReviewJob
from examsite.messages import LEVEL_TITLES, SUBJECT_KIND_TITLES
from examsite.messages.system import reason
from examsite.services.disclosure import count_ids, record_full_ids
from examsite.services.materials_data import load_materials
from examsite.services.plans import find_plan
from examsite.services.print_documents import document
from examsite.services.results import CertificateResultRow, results_in
from examsite.storage.db import Database
from examsite.storage.models import School, Site

_STATE_WORDS = {
    SubjectState.ABSENT: "缺考",
    SubjectState.VOID: "违纪",
    SubjectState.PENDING: "无成绩",
}


@dataclass(frozen=True)
class ReviewStatus:
    """The plan's review window and where ``now`` is in it."""

    plan: str
    state: ReviewState
    start: dt.datetime
    end: dt.datetime  # exclusive
    now: dt.datetime

    @property
    def days_left(self) -> int:
        """Whole days (started ones count) until the window closes; 0 when not open."""
        if self.state is not ReviewState.OPEN:
            return 0
        return -(-(self.end - self.now) // dt.timedelta(days=1))


@dataclass(frozen=True)
class ReviewPrinted:
    """The form printed: the file, its pages, the candidates on it, their certificates."""

    file: Path
    pages: int
    candidates: int
    certificates: tuple[str, ...]


def review_status_in(session: Session, plan_code: str) -> ReviewStatus:
    plan = find_plan(session, plan_code)
    window = review_window(plan.publication_start, plan.publication_end)
    now = clock.now()
    return ReviewStatus(plan.code, window.state(now), window.start, window.end, now)


def review_status(db: Database, plan_code: str) -> ReviewStatus:
    with db.read() as session:
        return review_status_in(session, plan_code)


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def check_open(status: ReviewStatus) -> None:
    """Refuse outside the window, saying when it opens or that it has closed."""
    if status.state is ReviewState.NOT_OPEN:
        raise InputError("scores.review_not_open", start=_when(status.start), end=_when(status.end))
    if status.state is ReviewState.CLOSED:
        raise InputError("scores.review_closed", end=_when(status.end))


def score_text(row: CertificateResultRow) -> str:
    """理论 58；实操 62；总分 60.8 — the candidate's scores as the form shows them."""
    parts = []
    for subject in row.subjects:
        kind = SUBJECT_KIND_TITLES.get(subject.kind, subject.kind)
        shown = (
            f"{subject.score:g}"
            if subject.status is SubjectState.SCORED and subject.score is not None
            else _STATE_WORDS.get(subject.status, "")
        )
        parts.append(f"{kind} {shown}")
    if row.outcome.total is not None:
        parts.append(f"总分 {row.outcome.total:g}")
    return "；".join(parts)


def review_sheets_in(
    session: Session, plan_code: str, id_numbers: Sequence[str], reason_text: str = ""
) -> tuple[ReviewSheet, ...]:
    """The forms for ``id_numbers`` (every registration of each in the plan), one per
    certificate; refuses an empty choice or an ID not registered in the plan."""
    wanted = list(dict.fromkeys(i.strip().upper() for i in id_numbers if i.strip()))
    if not wanted:
        raise InputError("scores.review_nobody")
    plan = find_plan(session, plan_code)
    rows = results_in(session, plan)
    known = {r.id_number for r in rows}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise InputError(
            "scores.review_unknown",
            problems=[
                warning("scores.review_unknown", id_number=i, plan=plan.code) for i in unknown
            ],
            id_number=unknown[0],
            plan=plan.code,
        )
    order = {idn: n for n, idn in enumerate(wanted)}
    chosen = sorted((r for r in rows if r.id_number in order), key=lambda r: order[r.id_number])
    site = session.execute(
        select(Site.director, Site.phone, School.name)
        .join(School, School.id == Site.school_id)
        .order_by(Site.id)
    ).first()
    director, phone, school = site if site is not None else ("", "", "")
    by_certificate: dict[str, list[ReviewLine]] = {}
    for row in chosen:
        by_certificate.setdefault(row.certificate_name, []).append(
            ReviewLine(
                row.name,
                row.id_number,
                row.ticket,
                LEVEL_TITLES.get(row.level, row.level),
                score_text(row),
            )
        )
    return tuple(
        ReviewSheet(name, school, director, phone, plan.name, tuple(lines), reason_text)
        for name, lines in by_certificate.items()
    )


def print_review(
    db: Database,
    plan_code: str,
    id_numbers: Iterable[str],
    out: Path,
    *,
    reason_text: str = "",
) -> ReviewPrinted:
    """Print the filled 成绩复查表 of ``id_numbers`` into ``out`` (refused outside the
    review window)."""
    with db.read() as session:
        check_open(review_status_in(session, plan_code))
        sheets = review_sheets_in(session, plan_code, list(id_numbers), reason_text)
        job = ReviewJob(load_materials(session, plan_code), sheets=sheets)
    kind = document("score_review")
    try:
        with pdf_canvas(out, title=kind.title) as canvas:
            pages = kind.draw(canvas, job, None)
    except OSError as exc:
        raise ExamsiteError("scores.cannot_write", file=str(out), reason=reason(exc)) from exc
    people = count_ids(line.id_number for s in sheets for line in s.lines)
    record_full_ids(db, "print", "score_review_form", out, people)
    return ReviewPrinted(out, pages, people, tuple(s.certificate for s in sheets))
