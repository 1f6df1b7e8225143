"""A 科目成绩 sheet for the demo site, as the platform exports it after the exam: so that a
newcomer can walk the results step (导入成绩…, the reconciliation, the results, the
statistics) on the demo without a platform account.

One row per seated subject record of the plan, in the columns of the platform's export
(``formats.platform_templates.PLATFORM_SCORES``), with seeded scores: most pass, some fail,
a few are 缺考 — and every candidate recorded absent on exam day is 缺考 too. Only a demo
database gets one (``demo.not_a_demo`` otherwise): its scores are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select

from examsite.domain.attendance import NOT_SAT
from examsite.errors import InputError
from examsite.formats.atomic import atomic_path
from examsite.formats.file_errors import cannot_write
from examsite.formats.platform_templates import PLATFORM_SCORES
from examsite.formats.template_workbook import filled_template
from examsite.formats.workbook_writer import check_output_path
from examsite.messages import certificate_title
from examsite.services.demo import DEMO_MARKER
from examsite.services.disclosure import count_ids, record_full_ids
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    Candidate,
    Certificate,
    ExamSession,
    Org,
    Registration,
    RegistrationSubject,
    RoomSession,
    Seat,
    Setting,
    Site,
    Subject,
)

ABSENT_SHARE: Final = 0.03  # of the candidates not recorded absent, some never came
KIND_TITLES: Final = {"school": "院校考生", "social": "社会考生"}


@dataclass(frozen=True)
class DemoScoreSheet:
    path: Path
    rows: int
    absent: int

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "rows": self.rows, "absent": self.absent}


def write_demo_score_sheet(
    db: Database, plan_code: str, out: Path, *, seed: int = 20270120
) -> DemoScoreSheet:
    """Write the demo plan's 科目成绩 export to ``out`` (.xlsx), atomically."""
    out = check_output_path(Path(out))
    with db.read() as session:
        if session.get(Setting, DEMO_MARKER) is None:
            raise InputError("demo.not_a_demo")
        plan = find_plan(session, plan_code)
        site = session.scalars(select(Site).order_by(Site.id)).first()
        site_name = site.name if site else ""
        school_name = site.school.name if site else ""
        seated = session.execute(
            select(
                Candidate.name, Candidate.id_number, Registration.ticket_number,
                Registration.kind, Certificate.name, Certificate.level, Org.name,
                Subject.code, Subject.name, Subject.mode, ExamSession.starts_at,
                ExamSession.ends_at, Attendance.status,
            )
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .join(Certificate, Certificate.id == Registration.certificate_id)
            .join(Org, Org.id == Certificate.org_id)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Subject, Subject.id == RegistrationSubject.subject_id)
            .join(Seat, Seat.registration_subject_id == RegistrationSubject.id)
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .join(ExamSession, ExamSession.id == RoomSession.session_id)
            .outerjoin(Attendance, Attendance.seat_id == Seat.id)
            .where(Registration.plan_id == plan.id)
            .order_by(Registration.ticket_number, Subject.kind.desc())
        ).all()  # fmt: skip
        code_of_plan = plan.code
        if not seated:
            raise InputError("demo.nothing_seated", plan=code_of_plan)
    rng = random.Random(seed)
    rows: list[list[object]] = []
    absent = 0
    for number, row in enumerate(seated, start=1):
        (name, id_number, ticket, kind, certificate, level, org, code, subject, mode,
         starts, ends, attendance) = row  # fmt: skip
        missed = attendance in NOT_SAT or (attendance is None and rng.random() < ABSENT_SHARE)
        absent += missed
        values = {
            "index": number,
            "plan": code_of_plan,
            "student_no": "",
            "name": name,
            "id_number": id_number,
            "ticket": ticket or "",
            "candidate_kind": KIND_TITLES.get(kind, kind),
            "school": school_name,
            "subject_code": code,
            "subject": subject,
            "mode": mode,
            "score": "缺考" if missed else round(max(0.0, min(100.0, rng.gauss(68, 14))), 1),
            "start": f"{starts:%Y-%m-%d %H:%M}-{ends:%H:%M}",
            "attendance": "缺考" if missed else "已考",
            "certificate": certificate_title(certificate, level),
            "org": org,
            "site": site_name,
        }
        rows.append([values.get(column.field, "") for column in PLATFORM_SCORES.columns])
    data = filled_template(PLATFORM_SCORES, rows)
    try:
        with atomic_path(out) as temporary:
            temporary.write_bytes(data)
    except OSError as exc:
        raise cannot_write(out, exc) from exc
    record_full_ids(db, "export", "demo_score_sheet", out, count_ids(r[1] for r in seated))
    return DemoScoreSheet(out, len(rows), absent)
