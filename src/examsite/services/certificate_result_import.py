"""The platform's certificate results (考证结果), applied row by row into the
``CertificateResult`` table (one per registration: the outcome, the cell as written, the
certificate number, the sheet, when), and read back (``certificate_results``).

Before migration 0005 the results were kept as JSON in the ``Setting`` ``results.<plan
code>`` (``{"<ID>|<certificate code>": {"result", "total", "certificate_no",
"imported_at"}}``). ``adopt_legacy_in`` moves such a setting into the table once, at the
next results import (the write path); until then the readers merge it in, so nothing
stored is lost. Entries whose registration no longer exists stay in the setting.

The table has no column for the platform's total score (总成绩); it is kept as JSON in the
``Setting`` ``certificate_totals.<plan code>`` (``"<ID>|<certificate code>"`` → number),
until a later migration gives ``CertificateResult`` a ``platform_total`` column.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Final, cast

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from examsite import clock
from examsite.domain.problems import Problem, warning
from examsite.services.audit import AuditEntry, record_many
from examsite.services.plans import find_plan
from examsite.services.platform_matching import (
    Outcome,
    RegistrationIndex,
    Row,
    certificate_fits,
    find_registrations,
    plain_text,
)
from examsite.services.score_import import ABSENT_WORDS, NUMBER
from examsite.services.seating_data import ACTOR
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    CertificateResult,
    Registration,
    Setting,
)

LEGACY_SETTING: Final = "results."  # + plan code (before 0005)
TOTALS_SETTING: Final = "certificate_totals."  # + plan code
PASSED: Final = "passed"
FAILED: Final = "failed"
ABSENT: Final = "absent"
#: The longest 证书编号 the table holds.
MAX_NUMBER: Final = cast(String, CertificateResult.__table__.c.certificate_number.type).length or 60
_LEGACY_OUTCOMES: Final = {"pass": PASSED, "fail": FAILED, "absent": ABSENT}
_FAIL_WORDS: Final = ("未通过", "不通过", "不合格", "未合格", "否", "未获证", "不予发证")
_PASS_WORDS: Final = ("通过", "合格", "是", "获证", "已发证")


@dataclass(frozen=True)
class ImportedResult:
    """A certificate result as the platform said it."""

    id_number: str
    certificate_code: str
    outcome: str  # passed / failed / absent
    total: float | None
    certificate_number: str
    written: str
    source_file: str
    imported_at: str  # ISO


def outcome_of(written: str) -> str | None:
    """passed / failed / absent for the cell as written, None when it is neither."""
    text = plain_text(written)
    if not text:
        return None
    if any(w in text for w in ABSENT_WORDS):
        return ABSENT
    if any(w in text for w in _FAIL_WORDS):
        return FAILED
    if any(w in text for w in _PASS_WORDS):
        return PASSED
    return None


def apply_results(
    session: Session,
    index: RegistrationIndex,
    rows: list[Row],
    problems: list[Problem],
    file: str,
) -> Outcome:
    """Apply the result rows: one ``CertificateResult`` per registration, inserted or
    updated (the same sheet twice changes nothing the second time)."""
    outcome = Outcome()
    for plan in sorted({reg.plan for regs in index.by_id.values() for reg in regs}):
        adopt_legacy_in(session, plan)
    # only the numbers no registration has: they say unknown or not registered
    index.candidates_by_id(session, (r.id_number for r in rows if r.id_number not in index.by_id))
    held = {
        r.registration_id: r
        for r in session.scalars(
            select(CertificateResult).where(
                CertificateResult.registration_id.in_(
                    [reg.id for regs in index.by_id.values() for reg in regs]
                )
            )
        )
    }
    totals: dict[str, dict[str, float]] = {}
    seen: dict[int, int] = {}
    entries: list[AuditEntry] = []
    now = clock.now()
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
        written = row.text("result")
        result = outcome_of(written)
        if result is None:
            problems.append(
                warning(
                    "platform.bad_result",
                    row=row.row,
                    column="考证结果",
                    result=written or "（空）",
                )
            )
            continue
        number = row.text("certificate_no")
        if len(number) > MAX_NUMBER:
            problems.append(
                warning(
                    "platform.bad_certificate_number",
                    row=row.row,
                    column="证书编号",
                    number=number[:24] + "…",
                    length=len(number),
                    limit=MAX_NUMBER,
                )
            )
            continue
        first = seen.setdefault(reg.id, row.row)
        if first != row.row:
            problems.append(warning("platform.row_twice", row=row.row, other=first))
            continue
        outcome.matched += 1
        outcome.plans.add(reg.plan)
        key = f"{reg.id_number}|{reg.certificate_code}"
        total_text = plain_text(row.text("total")).removesuffix("分")
        total_changed = False
        if NUMBER.match(total_text):
            plan_totals = totals.get(reg.plan)
            if plan_totals is None:
                plan_totals = totals[reg.plan] = _load_json(session, TOTALS_SETTING + reg.plan)
            if plan_totals.get(key) != float(total_text):
                plan_totals[key] = float(total_text)
                total_changed = True
        value = {"outcome": result, "certificate_number": number}
        current = held.get(reg.id)
        if current is None:
            created = CertificateResult(
                registration_id=reg.id,
                outcome=result,
                written=written[:60],
                certificate_number=number,
                source_file=file,
                imported_at=now,
            )
            session.add(created)
            held[reg.id] = created
            entries.append(AuditEntry("create", "certificate_result", key, None, value, ACTOR))
            outcome.changed += 1
            continue
        before = {"outcome": current.outcome, "certificate_number": current.certificate_number}
        if before == value:
            outcome.changed += total_changed
            continue
        current.outcome, current.certificate_number = result, number
        current.written, current.source_file, current.imported_at = written[:60], file, now
        entries.append(AuditEntry("update", "certificate_result", key, before, value, ACTOR))
        outcome.changed += 1
    for plan, plan_totals in totals.items():
        _store_json(session, TOTALS_SETTING + plan, plan_totals)
    session.flush()
    record_many(session, entries)
    return outcome


# --- the legacy setting -------------------------------------------------------------------


def adopt_legacy_in(session: Session, plan_code: str) -> int:
    """Move the pre-0005 ``results.<plan>`` setting into ``CertificateResult`` (rows
    already in the table win); returns how many were moved. What matches no registration
    any more stays in the setting; the setting goes when it is empty."""
    legacy = _load_json(session, LEGACY_SETTING + plan_code)
    if not legacy:
        return 0
    plan = find_plan(session, plan_code)
    regs = {
        f"{idn}|{code}": reg_id
        for reg_id, idn, code in session.execute(
            select(Registration.id, Candidate.id_number, Certificate.code)
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .join(Certificate, Certificate.id == Registration.certificate_id)
            .where(Registration.plan_id == plan.id)
        )
    }
    have = set(session.scalars(select(CertificateResult.registration_id)))
    totals = _load_json(session, TOTALS_SETTING + plan_code)
    left: dict[str, Any] = {}
    moved = 0
    for key, entry in legacy.items():
        reg_id = regs.get(key)
        if reg_id is None or not isinstance(entry, dict):
            left[key] = entry
            continue
        if isinstance(entry.get("total"), int | float):
            totals.setdefault(key, float(entry["total"]))
        if reg_id in have:
            continue
        session.add(
            CertificateResult(
                registration_id=reg_id,
                outcome=_LEGACY_OUTCOMES.get(str(entry.get("result")), str(entry.get("result"))),
                written="",
                certificate_number=str(entry.get("certificate_no") or ""),
                source_file="",
                imported_at=_when(entry.get("imported_at")),
            )
        )
        have.add(reg_id)
        moved += 1
    if totals:
        _store_json(session, TOTALS_SETTING + plan_code, totals)
    setting = session.get(Setting, LEGACY_SETTING + plan_code)
    if setting is not None:
        if left:
            setting.value = json.dumps(left, ensure_ascii=False, sort_keys=True)
        else:
            session.delete(setting)
    session.flush()
    return moved


def _when(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return clock.now()


def _load_json(session: Session, key: str) -> dict[str, Any]:
    setting = session.get(Setting, key)
    if setting is None:
        return {}
    try:
        value = json.loads(setting.value)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _store_json(session: Session, key: str, value: dict[str, Any]) -> None:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=text))
    else:
        setting.value = text


# --- reading ------------------------------------------------------------------------------


def certificate_results_in(session: Session, plan_code: str) -> dict[str, ImportedResult]:
    """The certificate results imported for a plan, ``"<ID>|<certificate code>"`` → the
    result (the table, and a legacy setting not yet moved)."""
    plan = find_plan(session, plan_code)
    totals = _load_json(session, TOTALS_SETTING + plan.code)
    found: dict[str, ImportedResult] = {}
    for idn, code, res in session.execute(
        select(Candidate.id_number, Certificate.code, CertificateResult)
        .join(Registration, Registration.id == CertificateResult.registration_id)
        .join(Candidate, Candidate.id == Registration.candidate_id)
        .join(Certificate, Certificate.id == Registration.certificate_id)
        .where(Registration.plan_id == plan.id)
    ):
        key = f"{idn}|{code}"
        found[key] = ImportedResult(
            idn,
            code,
            res.outcome,
            totals.get(key),
            res.certificate_number,
            res.written,
            res.source_file,
            res.imported_at.isoformat(timespec="seconds"),
        )
    for key, entry in _load_json(session, LEGACY_SETTING + plan.code).items():
        if key in found or not isinstance(entry, dict) or "|" not in key:
            continue
        idn, code = key.split("|", 1)
        total = entry.get("total")
        found[key] = ImportedResult(
            idn,
            code,
            _LEGACY_OUTCOMES.get(str(entry.get("result")), str(entry.get("result"))),
            float(total) if isinstance(total, int | float) else None,
            str(entry.get("certificate_no") or ""),
            "",
            "",
            str(entry.get("imported_at") or ""),
        )
    return found


def certificate_results(db: Database, plan_code: str) -> dict[str, ImportedResult]:
    """``certificate_results_in`` in a read session."""
    with db.read() as session:
        return certificate_results_in(session, plan_code)
