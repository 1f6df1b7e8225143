"""The subject scores (科目成绩) of a platform export, applied row by row
(``services.platform_import`` recognises the sheet and calls ``apply_scores``).

Each row names a registration (by ticket, else by ID number: ``platform_matching``) and a
subject (by code, else by name). What a row may be, and what is done with it:

- a number 0–100 (003: every subject is out of 100; "85分" and full-width digits read):
  stored with status ``scored``; a number of a candidate recorded absent on exam day
  (``Attendance`` in ``domain.attendance.NOT_SAT``) is stored too (the platform's score is
  the official one) and reported, and the reconciliation keeps listing it;
- 缺考 (in the score or the 考试状态 column): status ``absent``, no score, reported as a
  notice, and as a warning when the site recorded the candidate as sitting that subject;
- 违纪 / 作弊 / 取消: status ``void``, reported as a notice;
- no score with a 考试状态 of 未开始 / 考试中 / 未登记: not scored yet, a notice, not stored;
- above the maximum, below 0, or any other text: reported, not stored;
- the same record twice: the later row is skipped (a warning; it says so louder when the
  two rows disagree);
- unknown ticket or ID, a subject not registered: reported (``platform_matching``).

On an update ``previous_score`` / ``previous_status`` take what the import before said,
but only when the new import changes the score or the status: importing the same sheet
again changes nothing, so a difference stays visible to the reconciliation until a later
import changes that record again. ``exam_status`` keeps the platform's 考试状态 text and
``source_file`` the sheet's name. New scores go in with one bulk insert, updates with one
executemany (the 20,000-row benchmark).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, cast

from sqlalchemy import String, Table, bindparam, select, update
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.attendance import NOT_SAT, SAT
from examsite.domain.problems import Problem, notice, warning
from examsite.services.audit import AuditEntry, record_many
from examsite.services.platform_matching import (
    Outcome,
    RegistrationIndex,
    Row,
    certificate_fits,
    find_registrations,
    pick_subject,
    plain_text,
)
from examsite.services.score_reconciliation import UNKNOWN_SETTING
from examsite.services.seating_data import ACTOR, WITHDRAWN
from examsite.storage.bulk import insert_rows
from examsite.storage.models import Attendance, Score, Seat, Setting

MAX_SCORE: Final = 100.0  # 003: every subject is scored out of 100
MAX_EXAM_STATUS: Final = cast(String, Score.__table__.c.exam_status.type).length or 40
SCORED: Final = "scored"
ABSENT: Final = "absent"
VOID: Final = "void"
ABSENT_WORDS: Final = ("缺考", "缺席", "未参考", "未参加")
VOID_WORDS: Final = ("违纪", "作弊", "取消", "无效")
#: The platform's 考试状态 of a subject not scored yet (its list: 未开始, 考试中, 未登记, 已登记).
NOT_YET_WORDS: Final = frozenset({"未开始", "考试中", "未登记", "待登记"})
NUMBER: Final = re.compile(r"^[+-]?\d+(\.\d+)?$")
_STATUS_TITLES: Final = {SCORED: "有成绩", ABSENT: "缺考", VOID: "违纪作废"}
_SCORE_TABLE = cast(Table, Score.__table__)


@dataclass
class _Held:
    """A score already stored: what an update compares with."""

    id: int
    score: float | None
    status: str
    exam_status: str
    source_file: str


def apply_scores(
    session: Session,
    index: RegistrationIndex,
    rows: list[Row],
    problems: list[Problem],
    file: str,
) -> Outcome:
    """Apply the score rows (see the module); returns what it came to."""
    outcome = Outcome()
    # only the numbers no registration has: they say unknown or not registered
    index.candidates_by_id(session, (r.id_number for r in rows if r.id_number not in index.by_id))
    record_ids = [rec.id for regs in index.by_id.values() for reg in regs for rec in reg.records]
    held = _held_scores(session, record_ids)
    attendance = _attendance(session, record_ids)
    seen: dict[int, tuple[int, tuple[float | None, str]]] = {}
    entries: list[AuditEntry] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    now = clock.now()
    for row in rows:
        regs = find_registrations(index, row, problems, outcome)
        if regs is None:
            continue
        subject, code = row.text("subject"), "".join(row.text("subject_code").split())
        certificate = row.text("certificate")
        pairs = [
            (reg, rec)
            for reg in regs
            if certificate_fits(reg, certificate, "")
            for rec in reg.records
        ]
        found = pick_subject(pairs, subject, code)
        named = subject or code or "（空）"
        if len(found) != 1:
            problems.append(
                warning(
                    "platform.subject_not_registered"
                    if not found
                    else "platform.subject_ambiguous",
                    row=row.row,
                    id_number=regs[0].id_number,
                    subject=named,
                )
            )
            continue
        reg, rec = found[0]
        value = score_value(row, problems)
        if value is None:
            continue
        first = seen.get(rec.id)
        if first is not None:
            if first[1] == value:
                problems.append(warning("platform.row_twice", row=row.row, other=first[0]))
            else:
                problems.append(
                    warning(
                        "scores.row_twice_differs",
                        row=row.row,
                        other=first[0],
                        first=_shown(*first[1]),
                        this=_shown(*value),
                    )
                )
            continue
        seen[rec.id] = (row.row, value)
        number, status = value
        sat = attendance.get(rec.id)
        idn, name = reg.id_number, rec.subject
        if status == SCORED and sat in NOT_SAT:
            problems.append(
                warning(
                    "scores.score_for_absent",
                    row=row.row,
                    id_number=idn,
                    subject=name,
                    score=f"{number:g}",
                )
            )
        elif status == ABSENT and sat in SAT:
            problems.append(
                warning("scores.absent_but_sat", row=row.row, id_number=idn, subject=name)
            )
        elif status == ABSENT:
            problems.append(notice("scores.absent_text", row=row.row, id_number=idn, subject=name))
        elif status == VOID:
            problems.append(notice("scores.void_text", row=row.row, id_number=idn, subject=name))
        if rec.status == WITHDRAWN:
            problems.append(
                notice("platform.score_withdrawn", row=row.row, id_number=reg.id_number)
            )
        outcome.matched += 1
        outcome.plans.add(reg.plan)
        # The platform's 考试状态 as written, kept to show; no longer than its column.
        exam_status = row.text("attendance")[:MAX_EXAM_STATUS]
        before = held.get(rec.id)
        after = {"score": number, "status": status}
        key = f"{reg.id_number}/{rec.subject_code}"
        if before is None:
            inserts.append(
                {
                    "registration_subject_id": rec.id,
                    "score": number,
                    "status": status,
                    "imported_at": now,
                    "exam_status": exam_status,
                    "previous_score": None,
                    "previous_status": "",
                    "source_file": file,
                }
            )
            entries.append(AuditEntry("create", "score", key, None, after, ACTOR))
            outcome.changed += 1
        elif before.score != number or before.status != status:
            updates.append(
                {
                    "b_id": before.id,
                    "score": number,
                    "status": status,
                    "imported_at": now,
                    "exam_status": exam_status,
                    "previous_score": before.score,
                    "previous_status": before.status,
                    "source_file": file,
                }
            )
            entries.append(
                AuditEntry(
                    "update",
                    "score",
                    key,
                    {"score": before.score, "status": before.status},
                    {**after, "source_file": file},
                    ACTOR,
                )
            )
            outcome.changed += 1
    insert_rows(session, _SCORE_TABLE, inserts, once=("imported_at",))
    if updates:
        session.connection().execute(
            update(_SCORE_TABLE)
            .where(_SCORE_TABLE.c.id == bindparam("b_id"))
            .values(
                score=bindparam("score"),
                status=bindparam("status"),
                imported_at=bindparam("imported_at"),
                exam_status=bindparam("exam_status"),
                previous_score=bindparam("previous_score"),
                previous_status=bindparam("previous_status"),
                source_file=bindparam("source_file"),
            ),
            updates,
        )
    session.expire_all()  # ORM objects of scores loaded earlier see the new values
    record_many(session, entries)
    return outcome


def _shown(score: float | None, status: str) -> str:
    return f"{score:g}" if score is not None else _STATUS_TITLES.get(status, status)


def _held_scores(session: Session, record_ids: list[int]) -> dict[int, _Held]:
    held: dict[int, _Held] = {}
    for start in range(0, len(record_ids), 900):
        chunk = record_ids[start : start + 900]
        for row in session.execute(
            select(
                Score.registration_subject_id,
                Score.id,
                Score.score,
                Score.status,
                Score.exam_status,
                Score.source_file,
            ).where(Score.registration_subject_id.in_(chunk))
        ):
            held[row[0]] = _Held(row[1], row[2], row[3], row[4] or "", row[5] or "")
    return held


def _attendance(session: Session, record_ids: list[int]) -> dict[int, str]:
    """Each subject record's attendance status on exam day (when recorded)."""
    found: dict[int, str] = {}
    for start in range(0, len(record_ids), 900):
        chunk = record_ids[start : start + 900]
        for rec_id, status in session.execute(
            select(Seat.registration_subject_id, Attendance.status)
            .join(Attendance, Attendance.seat_id == Seat.id)
            .where(Seat.registration_subject_id.in_(chunk))
        ):
            found[rec_id] = status
    return found


def score_value(row: Row, problems: list[Problem]) -> tuple[float | None, str] | None:
    """(score, status) of the row, or None after reporting why it cannot be read."""
    raw = row.values.get("score")
    status = plain_text(row.text("attendance"))
    if type(raw) is float or type(raw) is int:  # a number cell (the usual case): no words in it
        marked = _marked(status)
        if marked is not None:
            return None, marked
        return _in_range(row, float(raw), problems)
    text = plain_text(row.text("score"))
    marked = _marked(text) or _marked(status)
    if marked is not None:
        return None, marked
    if not text and status in NOT_YET_WORDS:
        problems.append(notice("scores.not_yet", row=row.row, status=status))
        return None
    written = text.removesuffix("分")  # a text cell: "85", "85.5分", full-width digits
    if not NUMBER.match(written):
        problems.append(
            warning("platform.bad_score", row=row.row, column="考试成绩", score=text or "（空）")
        )
        return None
    return _in_range(row, float(written), problems)


def _in_range(row: Row, number: float, problems: list[Problem]) -> tuple[float | None, str] | None:
    if math.isnan(number):
        problems.append(warning("platform.bad_score", row=row.row, column="考试成绩", score="NaN"))
        return None
    if not 0 <= number <= MAX_SCORE:
        problems.append(
            warning(
                "platform.score_out_of_range",
                row=row.row,
                column="考试成绩",
                score=f"{number:g}",
                max=f"{MAX_SCORE:g}",
            )
        )
        return None
    return round(number, 2), SCORED


@lru_cache(maxsize=1024)
def _marked(text: str) -> str | None:
    """void / absent when the text says 违纪 / 缺考 (or their variants), else None."""
    if any(w in text for w in VOID_WORDS):
        return VOID
    if any(w in text for w in ABSENT_WORDS):
        return ABSENT
    return None


def keep_unknown(session: Session, plan: str, unknown: list[str]) -> None:
    """Remember the numbers of the last score import that matched nothing (the page and
    ``scores reconcile`` show them later)."""
    key = UNKNOWN_SETTING + plan
    value = json.dumps(sorted(set(unknown)), ensure_ascii=False)
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value
