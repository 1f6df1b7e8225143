"""The statistics on the arranged demo with scores and attendance, and the statistics
workbook written and read back (python-calamine)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from examsite.domain.statistics import BAND_LABELS
from examsite.errors import InputError
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.results import certificate_results_of
from examsite.services.statistics import plan_statistics
from examsite.services.statistics_workbook import write_statistics_workbook
from examsite.storage.db import Database
from examsite.storage.models import Attendance, RegistrationSubject, Seat
from statistics_data import seed_scores

SHEETS = [
    "概况",
    "按证书等级",
    "按专业",
    "按班级（入学年份+专业）",
    "按学校班级",
    "各科成绩",
    "场次缺考",
]


@pytest.fixture
def scored(arranged_db_file: Callable[[int], Path]) -> Database:
    db = Database.open(arranged_db_file(40))
    seed_scores(db, seed=3, absent_share=0.1)
    yield db
    db.close()


def test_the_statistics_follow_the_results(scored: Database) -> None:
    results = certificate_results_of(scored, DEMO_PLAN_CODE)
    stats = plan_statistics(scored, DEMO_PLAN_CODE)
    passed = sum(1 for r in results if r.outcome.passed)
    pending = sum(1 for r in results if r.outcome.passed is None)
    assert stats.overall.registered == len(results)
    assert (stats.overall.passed, stats.overall.pending) == (passed, pending)
    assert stats.overall.rate == pytest.approx(passed / (len(results) - pending))
    for table in (stats.by_level, stats.by_major, stats.by_class):
        assert sum(g.counts.registered for g in table) == len(results)
        assert sum(g.counts.passed for g in table) == passed
    with_class = sum(1 for r in results if r.class_name)
    assert sum(g.counts.registered for g in stats.by_class_name) == with_class
    for subject in stats.subjects:
        assert sum(subject.bands) == subject.scored
        assert subject.scored + subject.absent + subject.void + subject.pending == (
            subject.registered
        )


def test_the_sessions_count_the_recorded_absences(scored: Database) -> None:
    with scored.read() as session:
        absent = session.scalar(select(Attendance.id).where(Attendance.status == "absent").limit(1))
        recorded = len(session.scalars(select(Attendance.id)).all())
        seats = len(
            session.scalars(
                select(Seat.id).join(
                    RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id
                )
            ).all()
        )
    assert absent is not None
    stats = plan_statistics(scored, DEMO_PLAN_CODE)
    assert sum(s.seats for s in stats.sessions) == seats
    assert sum(s.seats - s.unrecorded for s in stats.sessions) == recorded
    absences = sum(s.absent for s in stats.sessions)
    assert absences > 0
    # every seat recorded absent is an absent subject in the results, and counted there too
    assert sum(s.absent for s in stats.subjects) >= absences


def test_the_workbook_reads_back_as_the_statistics(scored: Database, tmp_path: Path) -> None:
    stats = plan_statistics(scored, DEMO_PLAN_CODE)
    written = write_statistics_workbook(scored, DEMO_PLAN_CODE, tmp_path / "统计")
    assert written.path == tmp_path / "统计.xlsx"
    book = CalamineWorkbook.from_path(str(written.path))
    assert book.sheet_names == SHEETS == list(written.sheets)
    overview = book.get_sheet_by_name("概况").to_python()
    assert overview[0][:3] == ["考试计划", "计划名称", "报考人数"]
    assert overview[1][0] == DEMO_PLAN_CODE
    assert overview[1][2] == stats.overall.registered
    assert overview[1][-1] == pytest.approx(stats.overall.rate)
    levels = book.get_sheet_by_name("按证书等级").to_python()
    assert levels[0][:3] == ["证书代码", "证书名称", "等级"]
    assert [row[0] for row in levels[1:]] == [
        dict(g.key)["certificate_code"] for g in stats.by_level
    ]
    assert all(isinstance(row[0], str) for row in levels[1:])  # codes stay text
    assert {row[2] for row in levels[1:]} <= {"初级", "中级", "高级"}
    classes = book.get_sheet_by_name("按班级（入学年份+专业）").to_python()
    assert len(classes) == len(stats.by_class) + 1
    assert [row[-1] for row in classes[1:]] == [
        pytest.approx(g.counts.rate) if g.counts.rate is not None else "" for g in stats.by_class
    ]
    subjects = book.get_sheet_by_name("各科成绩").to_python()
    header = subjects[0]
    assert header[-10:] == [f"{band}分" for band in BAND_LABELS]
    for row, subject in zip(subjects[1:], stats.subjects, strict=True):
        assert row[3] == subject.subject
        assert row[-10:] == list(subject.bands)
        assert row[header.index("平均分")] == pytest.approx(round(subject.average or 0, 2))
    sessions = book.get_sheet_by_name("场次缺考").to_python()
    assert len(sessions) == len(stats.sessions) + 1
    assert sum(row[sessions[0].index("缺考人数")] for row in sessions[1:]) == sum(
        s.absent for s in stats.sessions
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("missing/统计.xlsx", "statistics.out_folder_missing"),
        ("统计.csv", "statistics.out_wrong_type"),
    ],
)
def test_a_bad_place_is_refused_before_anything_is_written(
    scored: Database, tmp_path: Path, name: str, code: str
) -> None:
    with pytest.raises(InputError) as caught:
        write_statistics_workbook(scored, DEMO_PLAN_CODE, tmp_path / name)
    assert caught.value.code == code
    assert list(tmp_path.glob("*.xlsx")) == []
