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
- Scores: ``services.score_import`` (one ``Score`` per subject record, inserted or
  updated with the previous value kept; absent, void, out of range, recorded absent on
  exam day … each reported by row).
- Certificate results: ``services.certificate_result_import`` (the ``CertificateResult``
  table, a legacy ``results.<plan>`` setting moved into it once).

After a score import the reconciliation of each plan touched (``score_reconciliation``) is
part of the result: records still without a score, the ticket and ID numbers of the file
that matched nothing (kept in the ``Setting`` ``scores.unknown.<plan code>`` so the page
shows them later), and candidates with a theory score but no practical one, or the reverse.
Every change is audit-logged.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from sqlalchemy.orm import Session

from examsite import clock
from examsite.collections_pause import with_fewer_collections
from examsite.domain.candidate_status import CandidateStatus
from examsite.domain.problems import Problem, notice, warning
from examsite.errors import InputError
from examsite.formats.sheet_reader import Table, read_table, refuse
from examsite.formats.templates import HeaderMatch, TemplateDef, find_header, get_template
from examsite.services import bundle_log
from examsite.services.arrangement_import import (
    ImportedArrangement,
    _read_rows,
    import_rows_in,
)
from examsite.services.audit import AuditEntry, record, record_many
from examsite.services.backup import auto_backup
from examsite.services.candidate_state import refresh_statuses
from examsite.services.certificate_result_import import apply_results, certificate_results
from examsite.services.platform_matching import (
    Outcome,
    RegistrationIndex,
    Row,
    plain_text,
    read_rows,
)
from examsite.services.score_import import apply_scores, keep_unknown
from examsite.services.score_reconciliation import (
    ScoreGap,
    ScoreReconciliation,
    reconciliation_plain,
    score_reconciliation,
    score_reconciliation_in,
)
from examsite.services.seating_data import ACTOR
from examsite.storage.db import Database

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
    (``platform.unknown_sheet`` names what each kind needs).

    The sheet is read once (reading a 20,000-row sheet is most of an import's time): the
    first template that finds a header there picks the sheet, and every template's header
    is sought in those rows. Only when none fits them is the file read again per template
    (a workbook whose other sheet is the export)."""
    first: Table | None = None
    for key in KINDS:
        try:
            first = read_table(path, get_template(key))
        except InputError as exc:
            if exc.code == "import.no_header":
                continue
            raise
        break
    if first is not None:
        best = _best_of(
            (key, replace(first, header=match))
            for key in KINDS
            if (match := find_header(get_template(key), first.rows)) is not None
        )
        if best is not None:
            return best
    tables: list[tuple[str, Table]] = []
    for key in KINDS:
        try:
            tables.append((key, read_table(path, get_template(key))))
        except InputError as exc:
            if exc.code == "import.no_header":
                continue
            raise
    best = _best_of(tables)
    if best is None:
        raise refuse("platform.unknown_sheet", file=path.name, expected=expected_columns())
    return best


def _best_of(tables: Iterable[tuple[str, Table]]) -> tuple[str, Table] | None:
    best: tuple[str, Table] | None = None
    for key, table in tables:
        if not _fits(key, get_template(key), table.header):
            continue
        if best is None or table.header.score > best[1].header.score:
            best = (key, table)
    return best


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
@with_fewer_collections
def import_platform(
    db: Database,
    path: Path,
    plan_code: str | None = None,
    *,
    dry_run: bool = False,
    only: Collection[str] = (),
) -> PlatformImport:
    """Recognise ``path`` and apply it (see the module); ``dry_run`` writes nothing;
    ``only`` (kinds) refuses a sheet of another kind (``scores import`` takes the 科目成绩
    and the 考证结果 only)."""
    path = Path(path)
    key, table = recognise(path)
    kind = KINDS[key]
    if only and kind not in only:
        raise InputError(
            "scores.other_sheet",
            file=path.name,
            kind=_KIND_TITLES[kind],
            expected="、".join(_KIND_TITLES[k] for k in only),
        )
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
        outcome = apply_scores(session, index, rows, problems, file)
    else:
        outcome = apply_results(session, index, rows, problems, file)
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
            keep_unknown(session, plan, outcome.unknown)
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
