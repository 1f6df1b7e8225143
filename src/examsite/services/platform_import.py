"""What the platform sends back (``import platform FILE``): candidate statuses, the official
arrangement (排考明细), subject scores (科目成绩) and certificate results (考证结果).

The file is recognised by its header: it is read against each of the four templates and
the one whose required columns are all there and whose header names the most columns wins
(a file that fits none is refused, naming the columns each kind needs). The 排考明细 is
handed to ``services.arrangement_import`` (its own rules: any error refuses the file).

The three others are matched row by row against the database: the rows that match update
their records, the rows that do not (unknown ID or ticket number, a candidate not
registered for that subject, a score out of range, an unknown status …) are reported as
warnings with their row, and nothing else is touched; all in ONE transaction. A file of
which no row matches is refused as a whole (most likely the wrong plan or the wrong site).
``dry_run`` does everything, reports it, and rolls back.

- Statuses: ``Candidate.platform_status`` becomes pending / manual / verified (信息待认证 /
  需人工确认 / 信息准确), ``uploaded_at`` is set when it was empty (the platform knows the
  candidate), and ``status`` is recomputed by ``candidate_state.refresh_statuses``. Once
  verified, the services lock name, ID type and ID number (004). A platform status 无照片
  or 信息不全 changes nothing here (it is what the program decides itself) and is reported.
- Scores: one ``Score`` per subject record, inserted or updated (importing the same file
  twice changes nothing the second time). A number 0–100 is stored with status
  ``scored``; 缺考 (in the score or the 参试状态 column) with status ``absent`` and no score;
  违纪 / 作弊 with status ``void``.
- Certificate results: the schema has no result column on ``Registration``; they are kept
  as JSON in the ``Setting`` ``results.<plan code>``: ``{"<ID number>|<certificate code>":
  {"result": "pass"|"fail"|"absent", "total": float|None, "certificate_no": str,
  "imported_at": iso}}`` (``certificate_results`` reads it). A ``registration.result``
  column would be the lasting home (a later migration).

After a score import the reconciliation of each plan touched (``score_reconciliation``) is
part of the result: records still without a score, the ticket and ID numbers of the file
that matched nothing (kept in the ``Setting`` ``scores.unknown.<plan code>`` so the page
shows them later), and candidates with a theory score but no practical one, or the reverse.
Every change is audit-logged.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.candidate_status import CandidateStatus
from examsite.domain.problems import Problem, notice, warning
from examsite.errors import InputError
from examsite.formats.sheet_reader import Table, read_table, refuse
from examsite.formats.templates import HeaderMatch, TemplateDef, get_template
from examsite.services import bundle_log
from examsite.services.arrangement_import import (
    ImportedArrangement,
    _read_rows,
    import_rows_in,
)
from examsite.services.audit import AuditEntry, record, record_many
from examsite.services.backup import auto_backup
from examsite.services.candidate_state import refresh_statuses
from examsite.services.plans import find_plan
from examsite.services.platform_matching import (
    Outcome,
    RegistrationIndex,
    Row,
    certificate_fits,
    find_registrations,
    pick_subject,
    plain_text,
    read_rows,
)
from examsite.services.score_reconciliation import (
    UNKNOWN_SETTING,
    ScoreGap,
    ScoreReconciliation,
    reconciliation_plain,
    score_reconciliation,
    score_reconciliation_in,
)
from examsite.services.seating_data import ACTOR, WITHDRAWN
from examsite.storage.db import Database
from examsite.storage.models import (
    Score,
    Setting,
)

ARRANGEMENT: Final = "arrangement"
STATUSES: Final = "statuses"
SCORES: Final = "scores"
RESULTS: Final = "results"

#: The templates a platform export may fit, the kind each is, in the order ties go.
KINDS: Final[Mapping[str, str]] = {
    "arrangement.detail": ARRANGEMENT,
    "platform.candidates": STATUSES,
    "platform.scores": SCORES,
    "platform.results": RESULTS,
}
#: Besides the required columns: groups of which at least one column must be there.
_ONE_OF: Final[Mapping[str, tuple[tuple[str, ...], ...]]] = {
    "platform.scores": (("id_number", "ticket"), ("subject", "subject_code")),
    "platform.results": (("id_number", "ticket"),),
}
_KIND_TITLES: Final[Mapping[str, str]] = {
    ARRANGEMENT: "排考明细",
    STATUSES: "考生信息状态",
    SCORES: "科目成绩",
    RESULTS: "考证结果",
}

MAX_SCORE: Final = 100.0  # 003: every subject is scored out of 100
SCORED: Final = "scored"
ABSENT: Final = "absent"
VOID: Final = "void"
_ABSENT_WORDS: Final = ("缺考", "缺席", "未参考", "未参加")
_VOID_WORDS: Final = ("违纪", "作弊", "取消", "无效")

_STATUS_WORDS: Final[Mapping[str, CandidateStatus]] = {
    "信息待认证": CandidateStatus.PENDING,
    "待认证": CandidateStatus.PENDING,
    "需人工确认": CandidateStatus.MANUAL,
    "人工确认": CandidateStatus.MANUAL,
    "认证失败": CandidateStatus.MANUAL,
    "信息准确": CandidateStatus.VERIFIED,
    "认证通过": CandidateStatus.VERIFIED,
    "已认证": CandidateStatus.VERIFIED,
}
_LOCAL_STATUS_WORDS: Final = ("无照片", "信息不全")

PASS: Final = "pass"
FAIL: Final = "fail"
_FAIL_WORDS: Final = ("未通过", "不通过", "不合格", "未合格", "否", "未获证", "不予发证")
_PASS_WORDS: Final = ("通过", "合格", "是", "获证", "已发证")
# "（初级）", "(中级)" or a bare "高级" after a certificate's name (NFKC made them ASCII).
_NUMBER: Final = re.compile(r"^[+-]?\d+(\.\d+)?$")

RESULTS_SETTING: Final = "results."


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformImport:
    """What ``import_platform`` did (or would do, ``dry_run``): the kind recognised, rows
    read, rows that matched a record, records changed and left as they were, the row by
    row problems; the reconciliation of each plan a score import touched; the arrangement
    import's own result when the file was a 排考明细."""

    file: str
    kind: str
    template: str
    dry_run: bool
    rows: int
    matched: int
    changed: int
    unchanged: int
    problems: tuple[Problem, ...] = field(default=())
    reconciliation: tuple[ScoreReconciliation, ...] = field(default=())
    arrangement: ImportedArrangement | None = None


class _Rollback(Exception):  # a signal to roll back a dry run, not an error
    def __init__(self, result: PlatformImport) -> None:
        super().__init__("dry run")
        self.result = result


# --- recognising the file ---------------------------------------------------------------


def recognise(path: Path) -> tuple[str, Table]:
    """The template key ``path`` fits best and its table; ``InputError`` when none fits
    (``platform.unknown_sheet`` names what each kind needs)."""
    best: tuple[int, str, Table] | None = None
    for key in KINDS:
        template = get_template(key)
        try:
            table = read_table(path, template)
        except InputError as exc:
            if exc.code == "import.no_header":
                continue
            raise
        if not _fits(key, template, table.header):
            continue
        if best is None or table.header.score > best[0]:
            best = (table.header.score, key, table)
    if best is None:
        raise refuse("platform.unknown_sheet", file=path.name, expected=expected_columns())
    return best[1], best[2]


def _fits(key: str, template: TemplateDef, header: HeaderMatch) -> bool:
    if header.missing:
        return False
    present = set(header.headers)
    return all(present & set(group) for group in _ONE_OF.get(key, ()))


def expected_columns() -> str:
    """What each kind of export needs, as the refusal says it."""
    parts = []
    for key, kind in KINDS.items():
        template = get_template(key)
        names = [template.by_field[f].header for f in template.required_fields]
        for group in _ONE_OF.get(key, ()):
            names.append("或".join(template.by_field[f].header for f in group))
        parts.append(f"{_KIND_TITLES[kind]}（{'、'.join(names)}）")
    return "；".join(parts)


# --- the entry point ----------------------------------------------------------------------


@bundle_log.logged(bundle_log.IMPORT_PLATFORM)
def import_platform(
    db: Database, path: Path, plan_code: str | None = None, *, dry_run: bool = False
) -> PlatformImport:
    """Recognise ``path`` and apply it (see the module); ``dry_run`` writes nothing."""
    path = Path(path)
    key, table = recognise(path)
    kind = KINDS[key]
    cells = table.rows[table.header.row + 1 :]
    first_row = table.header.row + 2
    if kind == ARRANGEMENT:
        return _arrangement(db, path, key, cells, table.header, first_row, plan_code, dry_run)
    rows = read_rows(cells, table.header.fields, first_row)
    if not rows:
        raise InputError("platform.no_rows", file=path.name, kind=_KIND_TITLES[kind])
    if not dry_run:
        auto_backup(db, "import")  # what the import changes can be taken back
    try:
        with db.unit_of_work() as session:
            result = _apply(session, path.name, key, kind, rows, plan_code, dry_run)
            if dry_run:
                raise _Rollback(result)
            return result
    except _Rollback as rollback:
        return rollback.result


def _apply(
    session: Session,
    file: str,
    key: str,
    kind: str,
    rows: list[Row],
    plan_code: str | None,
    dry_run: bool,
) -> PlatformImport:
    index = RegistrationIndex.load(session, plan_code)
    problems: list[Problem] = []
    if kind == STATUSES:
        outcome = _statuses(session, index, rows, problems)
    elif kind == SCORES:
        outcome = _scores(session, index, rows, problems)
    else:
        outcome = _results(session, index, rows, problems)
    if outcome.matched == 0:
        raise InputError(
            "platform.nothing_matched",
            problems=problems,
            file=file,
            kind=_KIND_TITLES[kind],
            rows=len(rows),
        )
    reconciliation: tuple[ScoreReconciliation, ...] = ()
    if kind == SCORES:
        for plan in sorted(outcome.plans):
            _keep_unknown(session, plan, outcome.unknown)
        reconciliation = tuple(
            score_reconciliation_in(session, plan) for plan in sorted(outcome.plans)
        )
    record(
        session,
        "import",
        f"platform.{kind}",
        file,
        None,
        {
            "rows": len(rows),
            "matched": outcome.matched,
            "changed": outcome.changed,
            "problems": len(problems),
        },
        ACTOR,
    )
    return PlatformImport(
        file,
        kind,
        key,
        dry_run,
        len(rows),
        outcome.matched,
        outcome.changed,
        outcome.matched - outcome.changed,
        tuple(problems),
        reconciliation,
    )


def _arrangement(
    db: Database,
    path: Path,
    key: str,
    cells: Sequence[Sequence[Any]],
    header: HeaderMatch,
    first_row: int,
    plan_code: str | None,
    dry_run: bool,
) -> PlatformImport:
    """The 排考明细: ``arrangement_import``'s rules and its own result, inside a rolled
    back transaction for a dry run."""
    if header.missing:  # not reached: recognise() requires every required column
        raise InputError("platform.no_rows", file=path.name, kind=_KIND_TITLES[ARRANGEMENT])
    rows, problems = _read_rows(cells, header.fields, first_row)
    if not rows and not problems:
        raise InputError("arrange.import_no_rows", file=path.name)
    try:
        with db.unit_of_work() as session:
            done = import_rows_in(session, path.name, rows, problems, plan_code)
            result = PlatformImport(
                path.name,
                ARRANGEMENT,
                key,
                dry_run,
                done.rows,
                done.rows,
                done.seats,
                0,
                done.problems,
                arrangement=done,
            )
            if dry_run:
                raise _Rollback(result)
            return result
    except _Rollback as rollback:
        return rollback.result


# --- candidate statuses -------------------------------------------------------------------


def _statuses(
    session: Session, index: RegistrationIndex, rows: list[Row], problems: list[Problem]
) -> Outcome:
    outcome = Outcome()
    known = index.candidates_by_id(session, (r.id_number for r in rows))
    seen: dict[str, int] = {}
    changed_ids: list[int] = []
    entries: list[AuditEntry] = []
    now = clock.now()
    for row in rows:
        idn = row.id_number
        if not idn:
            problems.append(warning("platform.row_no_id", row=row.row))
            continue
        candidate = known.get(idn)
        if candidate is None:
            problems.append(
                warning("platform.unknown_id", row=row.row, column="证件号码", id_number=idn)
            )
            outcome.unknown.append(idn)
            continue
        if _twice(seen, idn, row, problems):
            continue
        written = row.text("status")
        status = _platform_status(written)
        if status is None:
            if any(w in plain_text(written) for w in _LOCAL_STATUS_WORDS):
                problems.append(
                    notice("platform.status_local", row=row.row, id_number=idn, status=written)
                )
                outcome.matched += 1
            else:
                problems.append(
                    warning(
                        "platform.bad_status",
                        row=row.row,
                        column="信息状态",
                        status=written or "（空）",
                    )
                )
            continue
        name = row.text("name")
        if name and plain_text(name) != plain_text(candidate.name):
            problems.append(
                warning("platform.name_differs", row=row.row, name=name, ours=candidate.name)
            )
        outcome.matched += 1
        if candidate.platform_status == status.value and candidate.uploaded_at is not None:
            continue
        before = {"platform_status": candidate.platform_status}
        candidate.platform_status = status.value
        if candidate.uploaded_at is None:
            candidate.uploaded_at = now
        changed_ids.append(candidate.id)
        entries.append(
            AuditEntry(
                "update",
                "candidate",
                idn,
                before,
                {"platform_status": status.value},
                ACTOR,
            )
        )
        outcome.changed += 1
    if changed_ids:
        refresh_statuses(session, ids=changed_ids)
        record_many(session, entries)
    return outcome


def _platform_status(written: str) -> CandidateStatus | None:
    text = plain_text(written)
    if not text:
        return None
    if text in _STATUS_WORDS:
        return _STATUS_WORDS[text]
    for word, status in _STATUS_WORDS.items():
        if word in text:
            return status
    return None


def _twice(seen: dict[str, int], key: str, row: Row, problems: list[Problem]) -> bool:
    first = seen.setdefault(key, row.row)
    if first != row.row:
        problems.append(warning("platform.row_twice", row=row.row, other=first))
        return True
    return False


# --- scores -------------------------------------------------------------------------------


def _scores(
    session: Session, index: RegistrationIndex, rows: list[Row], problems: list[Problem]
) -> Outcome:
    outcome = Outcome()
    index.candidates_by_id(session, (r.id_number for r in rows))
    existing: dict[int, Score] = {}
    all_records = [rec.id for regs in index.by_id.values() for reg in regs for rec in reg.records]
    for start in range(0, len(all_records), 500):
        for score in session.scalars(
            select(Score).where(Score.registration_subject_id.in_(all_records[start : start + 500]))
        ):
            existing[score.registration_subject_id] = score
    seen: dict[str, int] = {}
    entries: list[AuditEntry] = []
    now = clock.now()
    for row in rows:
        regs = find_registrations(index, row, problems, outcome)
        if regs is None:
            continue
        subject, code = row.text("subject"), "".join(row.text("subject_code").split())
        certificate = row.text("certificate")
        found = pick_subject(
            [
                (reg, rec)
                for reg in regs
                if certificate_fits(reg, certificate, "")
                for rec in reg.records
            ],
            subject,
            code,
        )
        named = subject or code or "（空）"
        if not found:
            problems.append(
                warning(
                    "platform.subject_not_registered",
                    row=row.row,
                    id_number=regs[0].id_number,
                    subject=named,
                )
            )
            continue
        if len(found) > 1:
            problems.append(
                warning(
                    "platform.subject_ambiguous",
                    row=row.row,
                    id_number=regs[0].id_number,
                    subject=named,
                )
            )
            continue
        reg, rec = found[0]
        value = _score_value(row, problems)
        if value is None:
            continue
        if _twice(seen, str(rec.id), row, problems):
            continue
        if rec.status == WITHDRAWN:
            problems.append(
                notice("platform.score_withdrawn", row=row.row, id_number=reg.id_number)
            )
        outcome.matched += 1
        outcome.plans.add(reg.plan)
        number, status = value
        held = existing.get(rec.id)
        after = {"score": number, "status": status}
        key = f"{reg.id_number}/{rec.subject_code}"
        if held is None:
            created = Score(registration_subject_id=rec.id, score=number, status=status)
            created.imported_at = now
            session.add(created)
            existing[rec.id] = created
            entries.append(AuditEntry("create", "score", key, None, after, ACTOR))
            outcome.changed += 1
        elif held.score != number or held.status != status:
            before = {"score": held.score, "status": held.status}
            held.score, held.status, held.imported_at = number, status, now
            entries.append(AuditEntry("update", "score", key, before, after, ACTOR))
            outcome.changed += 1
    session.flush()
    record_many(session, entries)
    return outcome


def _score_value(row: Row, problems: list[Problem]) -> tuple[float | None, str] | None:
    """(score, status) of the row, or None after reporting why it cannot be read."""
    raw = row.values.get("score")
    attendance = plain_text(row.text("attendance"))
    text = plain_text(row.text("score"))
    if any(w in text or w in attendance for w in _VOID_WORDS):
        return None, VOID
    if any(w in text or w in attendance for w in _ABSENT_WORDS):
        return None, ABSENT
    if isinstance(raw, bool):
        raw = None
    number: float | None = None
    if isinstance(raw, int | float):
        number = float(raw)
    elif _NUMBER.match(text.removesuffix("分")):
        number = float(text.removesuffix("分"))
    if number is None or math.isnan(number):
        problems.append(
            warning("platform.bad_score", row=row.row, column="考试成绩", score=text or "（空）")
        )
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


def _keep_unknown(session: Session, plan: str, unknown: list[str]) -> None:
    key = UNKNOWN_SETTING + plan
    value = json.dumps(sorted(set(unknown)), ensure_ascii=False)
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value


# --- certificate results ------------------------------------------------------------------


def _results(
    session: Session, index: RegistrationIndex, rows: list[Row], problems: list[Problem]
) -> Outcome:
    outcome = Outcome()
    index.candidates_by_id(session, (r.id_number for r in rows))
    stored: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    entries: list[AuditEntry] = []
    now = clock.now().isoformat(timespec="seconds")
    for row in rows:
        regs = find_registrations(index, row, problems, outcome)
        if regs is None:
            continue
        certificate, level = row.text("certificate"), row.text("level")
        found = [reg for reg in regs if certificate_fits(reg, certificate, level)]
        if len(found) != 1:
            problems.append(
                warning(
                    "platform.certificate_not_registered"
                    if not found
                    else "platform.certificate_ambiguous",
                    row=row.row,
                    id_number=regs[0].id_number,
                    certificate=(certificate + level) or "（空）",
                )
            )
            continue
        reg = found[0]
        result = _result(row.text("result"))
        if result is None:
            problems.append(
                warning(
                    "platform.bad_result",
                    row=row.row,
                    column="考证结果",
                    result=row.text("result") or "（空）",
                )
            )
            continue
        key = f"{reg.id_number}|{reg.certificate_code}"
        if _twice(seen, key, row, problems):
            continue
        outcome.matched += 1
        outcome.plans.add(reg.plan)
        results = stored.get(reg.plan)
        if results is None:
            results = stored[reg.plan] = _load_results(session, reg.plan)
        total_text = plain_text(row.text("total")).removesuffix("分")
        total = float(total_text) if _NUMBER.match(total_text) else None
        value = {"result": result, "total": total, "certificate_no": row.text("certificate_no")}
        before = results.get(key)
        if before is not None and {k: before.get(k) for k in value} == value:
            continue
        results[key] = {**value, "imported_at": now}
        entries.append(
            AuditEntry(
                "update" if before else "create",
                "certificate_result",
                key,
                before,
                value,
                ACTOR,
            )
        )
        outcome.changed += 1
    for plan, results in stored.items():
        setting_key = RESULTS_SETTING + plan
        text = json.dumps(results, ensure_ascii=False, sort_keys=True)
        setting = session.get(Setting, setting_key)
        if setting is None:
            session.add(Setting(key=setting_key, value=text))
        else:
            setting.value = text
    record_many(session, entries)
    return outcome


def _result(written: str) -> str | None:
    text = plain_text(written)
    if not text:
        return None
    if any(w in text for w in _ABSENT_WORDS):
        return ABSENT
    if any(w in text for w in _FAIL_WORDS):
        return FAIL
    if any(w in text for w in _PASS_WORDS):
        return PASS
    return None


def _load_results(session: Session, plan: str) -> dict[str, dict[str, Any]]:
    setting = session.get(Setting, RESULTS_SETTING + plan)
    if setting is None:
        return {}
    try:
        value = json.loads(setting.value)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def certificate_results(db: Database, plan_code: str) -> dict[str, dict[str, Any]]:
    """The certificate results imported for a plan: ``"<ID number>|<certificate code>"``
    → ``{"result", "total", "certificate_no", "imported_at"}``."""
    with db.read() as session:
        plan = find_plan(session, plan_code)
        return _load_results(session, plan.code)


__all__ = [
    "KINDS",
    "PlatformImport",
    "ScoreGap",
    "ScoreReconciliation",
    "certificate_results",
    "expected_columns",
    "import_platform",
    "recognise",
    "reconciliation_plain",
    "score_reconciliation",
]
