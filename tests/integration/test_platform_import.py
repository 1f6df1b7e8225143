"""``import platform``: each export of the platform recognised by its header (clean, messy
with a title row and aliases, GBK CSV), applied row by row in one transaction, the rest
reported; the 排考明细 handed to the arrangement import; scores upserted and reconciled;
a dry run writing nothing."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from examsite.errors import InputError
from examsite.messages import render, text
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.platform_import import (
    certificate_results,
    import_platform,
    recognise,
    score_reconciliation,
)
from examsite.storage.db import Database
from examsite.storage.models import (
    AuditLog,
    Candidate,
    Certificate,
    Registration,
    RegistrationSubject,
    Room,
    RoomSession,
    Score,
    Seat,
    Subject,
)

PLAN = DEMO_PLAN_CODE


@dataclass(frozen=True)
class Reg:
    ticket: str
    id_number: str
    name: str
    certificate: str
    level: str
    theory: str  # subject names
    practical: str
    theory_code: str


def registrations(db: Database) -> list[Reg]:
    with db.read() as session:
        rows = session.execute(
            select(
                Registration.id,
                Registration.ticket_number,
                Candidate.id_number,
                Candidate.name,
                Certificate.name,
                Certificate.level,
                Subject.name,
                Subject.kind,
                Subject.code,
            )
            .join(Candidate, Candidate.id == Registration.candidate_id)
            .join(Certificate, Certificate.id == Registration.certificate_id)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Subject, Subject.id == RegistrationSubject.subject_id)
            .order_by(Registration.id)
        ).all()
    by_reg: dict[int, dict[str, Any]] = {}
    for reg_id, ticket, idn, name, cert, level, subject, kind, code in rows:
        entry = by_reg.setdefault(
            reg_id, {"ticket": ticket, "id": idn, "name": name, "cert": cert, "level": level}
        )
        entry[kind] = subject
        if kind == "theory":
            entry["code"] = code
    return [
        Reg(
            e["ticket"],
            e["id"],
            e["name"],
            e["cert"],
            e["level"],
            e["theory"],
            e["practical"],
            e["code"],
        )
        for e in by_reg.values()
    ]


def write_xlsx(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], title: str = ""
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_gbk_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def full_width(digits: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in digits)


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> tuple[Database, list[Reg]]:
    database = Database.open(arranged_db_file(60))
    yield database, registrations(database)
    database.close()


def count(db: Database, model: Any) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def codes(result: Any) -> list[str]:
    return [p.code for p in result.problems]


# --- the three sheets in three shapes ------------------------------------------------------

STATUS_WORDS = ("信息待认证", "需人工确认", "信息准确")


def status_sheet(tmp_path: Path, regs: list[Reg], shape: str) -> Path:
    ids = [r.id_number for r in regs[:3]]
    names = [r.name for r in regs[:3]]
    if shape == "clean":
        header = ["序号", "学生姓名", "证件号码", "手机号码", "所属院校", "信息状态"]
        rows = [[i + 1, names[i], ids[i], "", "", STATUS_WORDS[i]] for i in range(3)]
        return write_xlsx(tmp_path / "考生信息.xlsx", header, rows)
    if shape == "messy":
        header = ["＊姓名", "身份证号（必填）", "认证状态", "备注"]
        rows = [[f" {names[i]} ", full_width(ids[i]), f" {STATUS_WORDS[i]} ", ""] for i in range(3)]
        return write_xlsx(tmp_path / "导出.xlsx", header, rows, title="2027 年考生信息导出")
    header = ["学生姓名", "身份证号码", "状态"]
    rows = [[names[i], ids[i], STATUS_WORDS[i]] for i in range(3)]
    return write_gbk_csv(tmp_path / "考生.csv", header, rows)


def score_sheet(tmp_path: Path, regs: list[Reg], shape: str) -> Path:
    a, b = regs[0], regs[1]
    if shape == "clean":
        header = [
            "序号",
            "考试计划",
            "考生姓名",
            "身份证号",
            "准考证号",
            "考试科目",
            "考试成绩",
            "参试状态",
        ]
        rows = [
            [1, PLAN, a.name, a.id_number, a.ticket, a.theory, 85, "已登记"],
            [2, PLAN, a.name, a.id_number, a.ticket, a.practical, 72.5, "已登记"],
            [3, PLAN, b.name, b.id_number, b.ticket, b.theory, 90, "已登记"],
        ]
        return write_xlsx(tmp_path / "科目成绩.xlsx", header, rows)
    if shape == "messy":
        header = ["姓名", "证件号", "准考证", "科目名称", "成绩（分）"]
        rows = [
            [a.name, full_width(a.id_number), " " + a.ticket, "理论", "85"],
            [a.name, a.id_number, a.ticket, "实操", "72.5分"],
            [b.name, b.id_number, b.ticket, b.theory, 90],
        ]
        return write_xlsx(tmp_path / "成绩导出.xlsx", header, rows, title="科目成绩 批量导出")
    header = ["考生姓名", "身份证号", "考试科目", "考试成绩"]
    rows = [
        [a.name, a.id_number, a.theory, "85"],
        [a.name, a.id_number, a.practical, "72.5"],
        [b.name, b.id_number, b.theory, "90"],
    ]
    return write_gbk_csv(tmp_path / "成绩.csv", header, rows)


def result_sheet(tmp_path: Path, regs: list[Reg], shape: str) -> Path:
    a, b = regs[0], regs[1]
    if shape == "clean":
        header = [
            "序号",
            "学生姓名",
            "身份证号",
            "准考证号",
            "考试证书",
            "总成绩",
            "考证结果",
            "证书编号",
        ]
        rows = [
            [1, a.name, a.id_number, a.ticket, a.certificate, 76.1, "通过", "ZS0001"],
            [2, b.name, b.id_number, b.ticket, b.certificate, 40, "未通过", ""],
        ]
        return write_xlsx(tmp_path / "考证结果.xlsx", header, rows)
    if shape == "messy":
        header = ["姓名", "证件号码", "报考证书", "等级", "是否通过"]
        level = {"junior": "初级", "intermediate": "中级", "senior": "高级"}
        rows = [
            [a.name, full_width(a.id_number), a.certificate, level[a.level], "合格"],
            [b.name, b.id_number, b.certificate, level[b.level], "不合格"],
        ]
        return write_xlsx(tmp_path / "结果.xlsx", header, rows, title="考证结果查询")
    header = ["学生姓名", "准考证号", "考核结果"]
    rows = [[a.name, a.ticket, "通过"], [b.name, b.ticket, "未通过"]]
    return write_gbk_csv(tmp_path / "结果.csv", header, rows)


SHAPES = ("clean", "messy", "gbk")


@pytest.mark.parametrize("shape", SHAPES)
def test_statuses_update_the_candidates(arranged, tmp_path, shape) -> None:
    db, regs = arranged
    path = status_sheet(tmp_path, regs, shape)
    assert recognise(path)[0] == "platform.candidates"
    result = import_platform(db, path, PLAN)
    assert (result.kind, result.rows, result.matched, result.changed) == ("statuses", 3, 3, 3)
    with db.read() as session:
        got = {
            c.id_number: (c.platform_status, c.status, c.uploaded_at is not None)
            for c in session.scalars(
                select(Candidate).where(Candidate.id_number.in_([r.id_number for r in regs[:3]]))
            )
        }
    assert got[regs[0].id_number] == ("pending", "pending", True)
    assert got[regs[1].id_number] == ("manual", "manual", True)
    assert got[regs[2].id_number] == ("verified", "verified", True)
    again = import_platform(db, path, PLAN)
    assert (again.matched, again.changed, again.unchanged) == (3, 0, 3)
    with db.read() as session:
        logged = session.scalars(
            select(AuditLog.entity_id).where(
                AuditLog.entity == "candidate", AuditLog.action == "update"
            )
        ).all()
    assert set(logged) == {r.id_number for r in regs[:3]}


@pytest.mark.parametrize("shape", SHAPES)
def test_scores_are_read_in_every_shape(arranged, tmp_path, shape) -> None:
    db, regs = arranged
    path = score_sheet(tmp_path, regs, shape)
    assert recognise(path)[0] == "platform.scores"
    result = import_platform(db, path, PLAN)
    assert (result.kind, result.rows, result.matched, result.changed) == ("scores", 3, 3, 3)
    assert result.problems == ()
    with db.read() as session:
        scores = sorted(s.score for s in session.scalars(select(Score)))
    assert scores == [72.5, 85.0, 90.0]


@pytest.mark.parametrize("shape", SHAPES)
def test_certificate_results_are_kept_per_plan(arranged, tmp_path, shape) -> None:
    db, regs = arranged
    path = result_sheet(tmp_path, regs, shape)
    assert recognise(path)[0] == "platform.results"
    result = import_platform(db, path, PLAN)
    assert (result.kind, result.matched, result.changed) == ("results", 2, 2), codes(result)
    kept = certificate_results(db, PLAN)
    assert len(kept) == 2
    first = next(v for k, v in kept.items() if k.startswith(regs[0].id_number + "|"))
    second = next(v for k, v in kept.items() if k.startswith(regs[1].id_number + "|"))
    assert (first.outcome, second.outcome) == ("passed", "failed")
    assert import_platform(db, path, PLAN).changed == 0


# --- recognising and refusing ----------------------------------------------------------


def test_an_unknown_sheet_is_refused_naming_what_is_expected(arranged, tmp_path) -> None:
    db, _regs = arranged
    audit = count(db, AuditLog)
    path = write_xlsx(tmp_path / "其他.xlsx", ["姓名", "证件号码", "班级"], [["张三", "1", "一班"]])
    with pytest.raises(InputError) as caught:
        import_platform(db, path, PLAN)
    assert caught.value.code == "platform.unknown_sheet"
    message = caught.value.message
    for words in ("排考明细", "考位号", "科目成绩", "考试成绩", "考证结果", "信息状态"):
        assert words in message
    assert count(db, AuditLog) == audit


def test_the_arrangement_detail_is_handed_to_the_arrangement_import(arranged, tmp_path) -> None:
    db, regs = arranged
    with db.read() as session:
        placed = session.execute(
            select(Candidate.id_number, Room.name, Seat.seat_number)
            .join(Registration, Registration.candidate_id == Candidate.id)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Seat, Seat.registration_subject_id == RegistrationSubject.id)
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .join(Room, Room.id == RoomSession.room_id)
            .join(Subject, Subject.id == RegistrationSubject.subject_id)
            .where(Registration.ticket_number == regs[0].ticket, Subject.kind == "theory")
        ).first()
    assert placed is not None
    idn, room, seat = placed
    path = write_xlsx(
        tmp_path / "排考明细.xlsx",
        ["序号", "学生姓名", "身份证号", "准考证号", "所属院校", "考位号", "考场名称", "考试科目"],
        [[1, regs[0].name, idn, "OFFICIAL-0001", "", seat, room, regs[0].theory]],
        title="排考明细",
    )
    assert recognise(path)[0] == "arrangement.detail"
    dry = import_platform(db, path, PLAN, dry_run=True)
    assert dry.kind == "arrangement" and dry.dry_run and dry.arrangement is not None
    with db.read() as session:
        assert session.scalar(select(Registration).where(Registration.ticket_official)) is None
    result = import_platform(db, path, PLAN)
    assert result.arrangement is not None and result.arrangement.tickets == 1
    with db.read() as session:
        official = session.scalars(
            select(Registration.ticket_number).where(Registration.ticket_official)
        ).all()
    assert list(official) == ["OFFICIAL-0001"]


# --- scores: upsert, problems, reconciliation, dry run ---------------------------------


def test_scores_import_twice_gives_no_duplicates_and_updates_a_changed_score(
    arranged, tmp_path
) -> None:
    db, regs = arranged
    path = score_sheet(tmp_path, regs, "clean")
    import_platform(db, path, PLAN)
    again = import_platform(db, path, PLAN)
    assert (again.matched, again.changed, again.unchanged) == (3, 0, 3)
    assert count(db, Score) == 3
    a = regs[0]
    changed = write_xlsx(
        tmp_path / "复查.xlsx",
        ["身份证号", "考试科目", "考试成绩"],
        [[a.id_number, a.theory, 88], [a.id_number, a.practical, "缺考"]],
    )
    result = import_platform(db, changed, PLAN)
    assert (result.matched, result.changed) == (2, 2)
    assert count(db, Score) == 3
    with db.read() as session:
        statuses = sorted((s.status, s.score) for s in session.scalars(select(Score)))
        updates = session.scalars(
            select(AuditLog.id).where(AuditLog.entity == "score", AuditLog.action == "update")
        ).all()
    assert ("absent", None) in statuses and ("scored", 88.0) in statuses
    assert len(updates) == 2


def test_rows_that_do_not_match_are_reported_and_the_rest_imported(arranged, tmp_path) -> None:
    db, regs = arranged
    a, b = regs[0], regs[1]
    path = write_xlsx(
        tmp_path / "成绩.xlsx",
        ["身份证号", "准考证号", "考试科目", "考试成绩"],
        [
            [a.id_number, a.ticket, a.theory, 85],  # 2: fine
            ["110105200201010021", "", a.theory, 70],  # 3: unknown ID
            ["", "NO-SUCH-TICKET", a.theory, 70],  # 4: unknown ticket
            [b.id_number, b.ticket, "不存在的科目", 70],  # 5: not registered for it
            [b.id_number, b.ticket, b.theory, 130],  # 6: out of range
            [b.id_number, b.ticket, b.practical, "优秀"],  # 7: not a number
            [a.id_number, a.ticket, a.theory, 85],  # 8: the same record again
            [b.id_number, a.ticket, b.theory, 60],  # 9: ticket of someone else
        ],
    )
    result = import_platform(db, path, PLAN)
    assert (result.matched, result.changed) == (1, 1)
    by_row = {p.row: p.code for p in result.problems}
    assert by_row == {
        3: "platform.unknown_id",
        4: "platform.unknown_ticket",
        5: "platform.subject_not_registered",
        6: "platform.score_out_of_range",
        7: "platform.bad_score",
        8: "platform.row_twice",
        9: "platform.ticket_other_candidate",
    }
    assert all(not p.is_error for p in result.problems)
    assert all(render(p) != p.code for p in result.problems)
    assert count(db, Score) == 1


def test_the_reconciliation_lists_missing_unknown_and_one_sided(arranged, tmp_path) -> None:
    db, regs = arranged
    a, b, c = regs[0], regs[1], regs[2]
    path = write_xlsx(
        tmp_path / "成绩.xlsx",
        ["准考证号", "考试科目", "考试成绩"],
        [
            [a.ticket, a.theory, 80],
            [a.ticket, a.practical, 70],
            [b.ticket, b.theory, 90],  # theory but no practical
            [c.ticket, c.practical, 66],  # practical but no theory
            ["UNKNOWN-1", "理论", 50],
        ],
    )
    result = import_platform(db, path, PLAN)
    assert len(result.reconciliation) == 1
    rec = result.reconciliation[0]
    assert rec == score_reconciliation(db, PLAN)  # the page sees the same
    total = 2 * len(regs)
    assert (rec.plan, rec.records, rec.scored) == (PLAN, total, 4)
    assert len(rec.missing) == total - 4
    assert rec.unknown == ("UNKNOWN-1",)
    assert [(g.ticket, g.subject) for g in rec.theory_only] == [(b.ticket, b.practical)]
    assert [(g.ticket, g.subject) for g in rec.practical_only] == [(c.ticket, c.theory)]
    assert {(g.ticket, g.subject) for g in rec.missing} >= {
        (b.ticket, b.practical),
        (c.ticket, c.theory),
    }
    assert a.ticket not in {g.ticket for g in rec.missing}
    # every candidate sits two levels: the other registration of b is missing whole
    assert sum(g.id_number == b.id_number for g in rec.missing) == 3
    assert not rec.complete


def test_a_dry_run_writes_nothing(arranged, tmp_path) -> None:
    db, regs = arranged
    audit, scores = count(db, AuditLog), count(db, Score)
    for path in (
        score_sheet(tmp_path, regs, "clean"),
        status_sheet(tmp_path, regs, "clean"),
        result_sheet(tmp_path, regs, "clean"),
    ):
        result = import_platform(db, path, PLAN, dry_run=True)
        assert result.dry_run and result.changed > 0
    assert (count(db, AuditLog), count(db, Score)) == (audit, scores)
    with db.read() as session:
        assert (
            session.scalar(select(Candidate).where(Candidate.platform_status.is_not(None))) is None
        )
    assert certificate_results(db, PLAN) == {}
    dry = import_platform(db, score_sheet(tmp_path, regs, "clean"), PLAN, dry_run=True)
    assert dry.reconciliation and dry.reconciliation[0].scored == 3
    assert score_reconciliation(db, PLAN).scored == 0


def test_a_file_that_matches_nothing_is_refused_whole(arranged, tmp_path) -> None:
    db, _regs = arranged
    audit = count(db, AuditLog)
    path = write_xlsx(
        tmp_path / "别的考点.xlsx",
        ["证件号码", "信息状态"],
        [["110105200201010021", "信息准确"], ["110105200201010030", "信息准确"]],
    )
    with pytest.raises(InputError) as caught:
        import_platform(db, path, PLAN)
    assert caught.value.code == "platform.nothing_matched"
    assert [p.code for p in caught.value.problems] == ["platform.unknown_id"] * 2
    assert count(db, AuditLog) == audit


def test_the_refusal_and_row_messages_read() -> None:
    assert "考位号" in text("platform.unknown_sheet", file="x.xlsx", expected="排考明细（考位号）")
    assert json.dumps(text("platform.row_twice", other=3), ensure_ascii=False)


def test_two_levels_are_told_apart_by_the_subject_or_the_certificate(arranged, tmp_path) -> None:
    db, regs = arranged
    a = regs[0]
    other = next(r for r in regs if r.id_number == a.id_number and r.ticket != a.ticket)
    level = {"junior": "初级", "intermediate": "中级", "senior": "高级"}
    path = write_xlsx(
        tmp_path / "成绩.xlsx",
        ["身份证号", "考试证书", "考试科目", "考试成绩"],
        [
            [a.id_number, "", "理论", 70],  # 2: two registrations fit
            [a.id_number, "", other.theory, 71],  # 3: the subject's name holds the level
            [a.id_number, f"{a.certificate}（{level[a.level]}）", "理论", 72],  # 4: by certificate
        ],
    )
    result = import_platform(db, path, PLAN)
    assert [(p.row, p.code) for p in result.problems] == [(2, "platform.subject_ambiguous")]
    rec = score_reconciliation(db, PLAN)
    scored = {(g.ticket, g.subject) for g in rec.missing}
    assert (a.ticket, a.theory) not in scored and (other.ticket, other.theory) not in scored
    assert (a.ticket, a.practical) in scored

    results = write_xlsx(
        tmp_path / "结果.xlsx",
        ["身份证号", "考试证书", "考证结果"],
        [
            [a.id_number, a.certificate, "通过"],  # 2: which level?
            [a.id_number, f"{a.certificate}{level[other.level]}", "通过"],  # 3
            [a.id_number, f"{a.certificate}（{level[a.level]}）", "待定"],  # 4: no result
        ],
    )
    done = import_platform(db, results, PLAN)
    assert [(p.row, p.code) for p in done.problems] == [
        (2, "platform.certificate_ambiguous"),
        (4, "platform.bad_result"),
    ]
    assert list(certificate_results(db, PLAN)) == [f"{a.id_number}|{other_code(db, other)}"]


def other_code(db: Database, reg: Reg) -> str:
    with db.read() as session:
        return session.scalar(
            select(Certificate.code)
            .join(Registration, Registration.certificate_id == Certificate.id)
            .where(Registration.ticket_number == reg.ticket)
        )


def test_statuses_the_program_decides_itself_change_nothing(arranged, tmp_path) -> None:
    db, regs = arranged
    path = write_xlsx(
        tmp_path / "考生.xlsx",
        ["证件号码", "学生姓名", "信息状态"],
        [
            [regs[0].id_number, regs[0].name, "无照片"],
            [regs[1].id_number, regs[1].name, "审核中"],
            [regs[2].id_number, "别的名字", "信息准确"],
        ],
    )
    result = import_platform(db, path, PLAN)
    assert [(p.row, p.code) for p in result.problems] == [
        (2, "platform.status_local"),
        (3, "platform.bad_status"),
        (4, "platform.name_differs"),
    ]
    assert (result.matched, result.changed) == (2, 1)
    with db.read() as session:
        statuses = dict(
            session.execute(
                select(Candidate.id_number, Candidate.platform_status).where(
                    Candidate.id_number.in_([r.id_number for r in regs[:3]])
                )
            ).all()
        )
    assert statuses == {
        regs[0].id_number: None,
        regs[1].id_number: None,
        regs[2].id_number: "verified",
    }


@pytest.mark.sqlite_only  # the backup copies the SQLite file
def test_an_import_is_preceded_by_an_automatic_backup_and_a_dry_run_is_not(
    arranged, tmp_path, monkeypatch
) -> None:
    from examsite.services.backup import list_backups

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # a backup folder of its own
    db, regs = arranged
    import_platform(db, score_sheet(tmp_path, regs, "clean"), PLAN, dry_run=True)
    assert list(list_backups(db)) == []
    import_platform(db, score_sheet(tmp_path, regs, "clean"), PLAN)
    backups = list_backups(db)
    assert [(b.kind, b.reason) for b in backups] == [("auto", "import")]
    assert backups[0].counts is not None and backups[0].counts.seats > 0
