"""``scores import``: the platform's 科目成绩 export with all its columns (title row or not,
in any order), each kind of bad row reported by row, the previous score kept on an
update, the reconciliation's absent-but-scored and changed lists, both scoring rules at
the pass boundary through the import, and the certificate results in their table (a
legacy setting moved once)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from test_platform_import import PLAN, Reg, registrations, write_xlsx

from examsite.domain.attendance import AttendanceStatus
from examsite.domain.certificate_rules import ScoringKind, ScoringRule
from examsite.errors import InputError
from examsite.messages import render
from examsite.services.certificate_result_import import certificate_results
from examsite.services.platform_import import import_platform
from examsite.services.results import certificate_results_of
from examsite.services.score_reconciliation import score_reconciliation
from examsite.storage.db import Database
from examsite.storage.models import (
    Attendance,
    Certificate,
    CertificateResult,
    Registration,
    RegistrationSubject,
    Score,
    Seat,
    Setting,
    Subject,
)

HEADER = (
    "考试计划", "考生编号", "考生姓名", "身份证号", "准考证号", "考生类型", "所属院校",
    "科目编号", "考试科目", "考试方式", "考试证书", "考核单位", "考试成绩", "考试时间",
    "考试状态", "考核站点",
)  # fmt: skip


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> tuple[Database, list[Reg]]:
    database = Database.open(arranged_db_file(24))
    yield database, registrations(database)
    database.close()


def line(reg: Reg, kind: str, score: Any, status: str = "已登记") -> list[Any]:
    subject = reg.theory if kind == "theory" else reg.practical
    return [
        PLAN, "S1", reg.name, reg.id_number, reg.ticket, "院校考生", "示范学院", "",
        subject, "机考", reg.certificate, "中教畅享", score, "2026-12-19 08:30", status, "示范考点",
    ]  # fmt: skip


def sheet(
    tmp_path: Path, rows: Sequence[Sequence[Any]], *, name: str = "科目成绩.xlsx", title: str = ""
) -> Path:
    return write_xlsx(tmp_path / name, HEADER, rows, title=title)


def record_id(db: Database, reg: Reg, kind: str) -> int:
    with db.read() as session:
        found = session.scalar(
            select(RegistrationSubject.id)
            .join(Registration, Registration.id == RegistrationSubject.registration_id)
            .join(Subject, Subject.id == RegistrationSubject.subject_id)
            .where(Registration.ticket_number == reg.ticket, Subject.kind == kind)
        )
    assert found is not None
    return found


def mark_absent(db: Database, reg: Reg, kind: str) -> None:
    rec = record_id(db, reg, kind)
    with db.unit_of_work() as session:
        seat = session.scalar(select(Seat).where(Seat.registration_subject_id == rec))
        assert seat is not None
        session.add(Attendance(seat_id=seat.id, status=AttendanceStatus.ABSENT))


def score_of(db: Database, reg: Reg, kind: str) -> Score:
    rec = record_id(db, reg, kind)
    with db.read() as session:
        score = session.scalar(select(Score).where(Score.registration_subject_id == rec))
        assert score is not None
        session.expunge(score)
        return score


def test_the_full_export_is_read_with_a_title_row_and_columns_in_any_order(
    arranged, tmp_path
) -> None:
    db, regs = arranged
    a = regs[0]
    rows = [line(a, "theory", 80), line(a, "practical", 70)]
    order = list(reversed(range(len(HEADER))))
    shuffled = write_xlsx(
        tmp_path / "乱序.xlsx",
        [HEADER[i] for i in order],
        [[r[i] for i in order] for r in rows],
        title="科目成绩 批量导出",
    )
    result = import_platform(db, shuffled, PLAN)
    assert (result.kind, result.matched, result.changed) == ("scores", 2, 2)
    held = score_of(db, a, "theory")
    assert (held.score, held.status, held.exam_status, held.source_file) == (
        80.0,
        "scored",
        "已登记",
        "乱序.xlsx",
    )
    assert (held.previous_score, held.previous_status) == (None, "")


def test_each_kind_of_bad_row_is_reported_on_its_row(arranged, tmp_path) -> None:
    db, regs = arranged
    a, b, c, d = regs[0], regs[2], regs[4], regs[6]
    mark_absent(db, b, "theory")
    mark_absent(db, d, "practical")  # absent on exam day, and the platform says 缺考 too
    with db.unit_of_work() as session:  # c sat the practical
        rec = record_id(db, c, "practical")
        seat = session.scalar(select(Seat).where(Seat.registration_subject_id == rec))
        assert seat is not None
        session.add(Attendance(seat_id=seat.id, status=AttendanceStatus.PRESENT))
    unknown_ticket = line(a, "theory", 70)
    unknown_ticket[4] = "NO-SUCH-TICKET"
    unknown_id = line(a, "theory", 70)
    unknown_id[3], unknown_id[4] = "110105200201010021", ""
    path = sheet(
        tmp_path,
        [
            line(a, "theory", 85),  # 2: fine
            line(a, "practical", 101),  # 3: above the maximum
            line(b, "practical", -1),  # 4: below 0
            line(b, "theory", 66),  # 5: a score although recorded absent
            line(c, "theory", "缺考", "缺考"),  # 6: 缺考 in the score column
            line(c, "practical", "缺考"),  # 7: 缺考 although recorded present
            line(d, "theory", "违纪"),  # 8: 违纪
            line(d, "practical", "缺考"),  # 9: 缺考, also absent on exam day: a notice
            unknown_ticket,  # 10
            unknown_id,  # 11
            line(a, "theory", 85),  # 12: the same row again
            line(a, "theory", 90),  # 13: the same record with another score
            line(a, "practical", "优"),  # 14: not a number
            line(b, "practical", "", "未登记"),  # 15: not scored yet on the platform
        ],
    )
    result = import_platform(db, path, PLAN)
    by_row = {p.row: p.code for p in result.problems}
    assert by_row == {
        3: "platform.score_out_of_range",
        4: "platform.score_out_of_range",
        5: "scores.score_for_absent",
        6: "scores.absent_text",
        7: "scores.absent_but_sat",
        8: "scores.void_text",
        9: "scores.absent_text",
        10: "platform.unknown_ticket",
        11: "platform.unknown_id",
        12: "platform.row_twice",
        13: "scores.row_twice_differs",
        14: "platform.bad_score",
        15: "scores.not_yet",
    }
    assert all(render(p) != p.code for p in result.problems)
    differs = next(p for p in result.problems if p.row == 13)
    assert "85" in render(differs) and "90" in render(differs)
    assert (result.matched, result.changed) == (6, 6)
    assert score_of(db, b, "theory").score == 66.0  # imported, and reported
    assert score_of(db, c, "theory").status == "absent"
    assert score_of(db, d, "theory").status == "void"
    rec = result.reconciliation[0]
    assert [(x.gap.ticket, x.gap.subject, x.score) for x in rec.absent_scored] == [
        (b.ticket, b.theory, 66.0)
    ]


def test_an_update_keeps_what_the_import_before_said(arranged, tmp_path) -> None:
    db, regs = arranged
    a, b = regs[0], regs[2]
    first = sheet(
        tmp_path,
        [line(a, "theory", 58), line(a, "practical", 60), line(b, "theory", 70)],
        name="第一次.xlsx",
    )
    import_platform(db, first, PLAN)
    assert score_reconciliation(db, PLAN).changed == ()
    second = sheet(
        tmp_path,
        [line(a, "theory", 61), line(a, "practical", 60), line(b, "theory", "缺考")],
        name="复查后.xlsx",
    )
    result = import_platform(db, second, PLAN)
    assert (result.matched, result.changed) == (3, 2)
    held = score_of(db, a, "theory")
    assert (held.score, held.previous_score, held.previous_status) == (61.0, 58.0, "scored")
    assert held.source_file == "复查后.xlsx"
    unchanged = score_of(db, a, "practical")
    assert (unchanged.previous_score, unchanged.source_file) == (None, "第一次.xlsx")
    changes = {(c.gap.ticket, c.gap.subject): c for c in score_reconciliation(db, PLAN).changed}
    assert set(changes) == {(a.ticket, a.theory), (b.ticket, b.theory)}
    assert (changes[(b.ticket, b.theory)].previous_score, changes[(b.ticket, b.theory)].status) == (
        70.0,
        "absent",
    )
    # the same sheet again changes nothing: the difference stays visible
    again = import_platform(db, second, PLAN)
    assert again.changed == 0
    assert len(score_reconciliation(db, PLAN).changed) == 2


def _set_rule(db: Database, reg: Reg, kind: ScoringKind) -> None:
    with db.unit_of_work() as session:
        certificate = session.scalar(
            select(Certificate)
            .join(Registration, Registration.certificate_id == Certificate.id)
            .where(Registration.ticket_number == reg.ticket)
        )
        assert certificate is not None
        certificate.scoring_rule = ScoringRule(
            kind, 60.0 if kind is ScoringKind.WEIGHTED else None, "test"
        )


@pytest.mark.parametrize(
    ("kind", "theory", "practical", "passed"),
    [
        (ScoringKind.WEIGHTED, 59.9, 59.9, False),
        (ScoringKind.WEIGHTED, 60, 60, True),
        (ScoringKind.WEIGHTED, 45, 66.43, True),  # 13.5 + 46.501 = 60.001 → 60.0
        (ScoringKind.ALL_PASS, 59.9, 100, False),
        (ScoringKind.ALL_PASS, 60, 60, True),
    ],
)
def test_both_scoring_rules_at_the_pass_mark_through_the_import(
    arranged, tmp_path, kind, theory, practical, passed
) -> None:
    db, regs = arranged
    a = regs[0]
    _set_rule(db, a, kind)
    import_platform(db, sheet(tmp_path, [line(a, "theory", theory), line(a, "practical", practical)]), PLAN)  # fmt: skip
    row = next(r for r in certificate_results_of(db, PLAN) if r.ticket == a.ticket)
    assert row.outcome.passed is passed
    expected = (
        "passed"
        if passed
        else ("below_pass_mark" if kind is ScoringKind.WEIGHTED else "subject_failed")
    )
    assert row.outcome.reason.value == expected


def test_a_candidate_absent_in_a_subject_has_not_passed_with_the_reason(arranged, tmp_path) -> None:
    db, regs = arranged
    a = regs[0]
    import_platform(db, sheet(tmp_path, [line(a, "theory", 95), line(a, "practical", "缺考")]), PLAN)  # fmt: skip
    row = next(r for r in certificate_results_of(db, PLAN) if r.ticket == a.ticket)
    plain = row.as_dict()
    assert (plain["passed"], plain["reason"]) == (False, "absent")
    assert a.practical in plain["reason_text"]


def test_a_sheet_of_another_kind_is_refused_by_scores_import(arranged, tmp_path) -> None:
    db, regs = arranged
    path = write_xlsx(
        tmp_path / "状态.xlsx", ["证件号码", "信息状态"], [[regs[0].id_number, "信息准确"]]
    )
    with pytest.raises(InputError) as caught:
        import_platform(db, path, PLAN, only=("scores", "results"))
    assert caught.value.code == "scores.other_sheet"


# --- certificate results in their table ----------------------------------------------------


def test_certificate_results_go_to_the_table_and_a_legacy_setting_moves_once(
    arranged, tmp_path
) -> None:
    db, regs = arranged
    a, b = regs[0], regs[2]
    with db.read() as session:
        code_b = session.scalar(
            select(Certificate.code)
            .join(Registration, Registration.certificate_id == Certificate.id)
            .where(Registration.ticket_number == b.ticket)
        )
    legacy = {
        f"{b.id_number}|{code_b}": {
            "result": "pass",
            "total": 77.5,
            "certificate_no": "OLD-1",
            "imported_at": "2027-01-20T10:00:00",
        },
        "110105200201010021|NOPE": {"result": "fail", "total": None, "certificate_no": ""},
    }
    with db.unit_of_work() as session:
        session.add(Setting(key=f"results.{PLAN}", value=json.dumps(legacy)))
    before = certificate_results(db, PLAN)  # read before any move: the legacy entry shows
    assert before[f"{b.id_number}|{code_b}"].outcome == "passed"
    path = write_xlsx(
        tmp_path / "考证结果.xlsx",
        ["身份证号", "准考证号", "考试证书", "总成绩", "考证结果", "证书编号"],
        [[a.id_number, a.ticket, a.certificate, 71.2, "通过", "ZS-1"]],
    )
    result = import_platform(db, path, PLAN)
    assert (result.kind, result.matched, result.changed) == ("results", 1, 1)
    with db.read() as session:
        rows = [
            (r.outcome, r.certificate_number) for r in session.scalars(select(CertificateResult))
        ]
        left = session.get(Setting, f"results.{PLAN}")
        assert left is not None
        assert list(json.loads(left.value)) == ["110105200201010021|NOPE"]
    assert sorted(rows) == [
        ("passed", "OLD-1"),
        ("passed", "ZS-1"),
    ]
    kept = certificate_results(db, PLAN)
    assert kept[f"{b.id_number}|{code_b}"].total == 77.5
    mine = next(v for k, v in kept.items() if k.startswith(a.id_number + "|"))
    assert (mine.total, mine.source_file, mine.written) == (71.2, "考证结果.xlsx", "通过")
    assert import_platform(db, path, PLAN).changed == 0


def test_the_platform_result_is_shown_beside_the_one_worked_out(arranged, tmp_path) -> None:
    db, regs = arranged
    a, b = regs[0], regs[2]
    import_platform(
        db,
        sheet(tmp_path, [line(a, "theory", 80), line(a, "practical", 80), line(b, "theory", 90)]),
        PLAN,
    )
    path = write_xlsx(
        tmp_path / "考证结果.xlsx",
        ["准考证号", "考证结果"],
        [[a.ticket, "未通过"], [b.ticket, "通过"]],
    )
    import_platform(db, path, PLAN)
    rows = {r.ticket: r for r in certificate_results_of(db, PLAN)}
    assert (rows[a.ticket].outcome.passed, rows[a.ticket].platform_outcome) == (True, "failed")
    assert rows[a.ticket].as_dict()["platform_outcome"] == "failed"
    assert (rows[b.ticket].outcome.passed, rows[b.ticket].platform_outcome) == (None, "passed")
    assert rows[regs[4].ticket].platform_outcome == ""


def test_the_results_step_reports_scores_missing_and_absent_but_scored(arranged, tmp_path) -> None:
    from examsite.domain.workflow import Step, StepState
    from examsite.messages import render as say
    from examsite.services.status import round_status

    db, regs = arranged
    before = round_status(db).step(Step.RESULTS)
    assert (before.state, before.summary["scores"]) == (StepState.NOT_STARTED, 0)
    assert say(before.figure) == "尚未导入成绩"
    a = regs[0]
    mark_absent(db, a, "theory")
    import_platform(db, sheet(tmp_path, [line(a, "theory", 70), line(a, "practical", 70)]), PLAN)
    after = round_status(db).step(Step.RESULTS)
    records = 2 * len(regs)
    assert dict(after.summary) == {"scores": 2, "missing": records - 2, "absent_scored": 1}
    assert after.state is StepState.IN_PROGRESS  # warnings, not errors: under way
    assert [p.code for p in after.problems] == [
        "scores.status_missing",
        "scores.status_absent_scored",
    ]
    assert say(after.figure) == f"成绩 2/{records} 条"
