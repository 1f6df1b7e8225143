"""The statistics tables on a small hand-built case (services.statistics.statistics_from):
exact rates, pending apart from failed, absences, bands at their edges, the groups."""

from __future__ import annotations

import datetime as dt

import pytest

from examsite.domain.certificate_rules import ScoringRule
from examsite.domain.results import SubjectScore, SubjectState, certificate_outcome
from examsite.services.results import CertificateResultRow, SubjectResult
from examsite.services.statistics import (
    NO_MAJOR,
    AttendanceRow,
    PlanStatistics,
    statistics_from,
)

WEIGHTED = ScoringRule.from_plain({"kind": "weighted", "pass_mark": 60.0})
SCORED, ABSENT, PENDING, VOID = (
    SubjectState.SCORED,
    SubjectState.ABSENT,
    SubjectState.PENDING,
    SubjectState.VOID,
)
JUNIOR, INTERMEDIATE = "1630054223010588", "1630054223020943"
NAME = "数字营销技术应用职业技能等级证书"


def registration(
    n: int,
    theory: tuple[SubjectState, float | None],
    practical: tuple[SubjectState, float | None],
    *,
    code: str = JUNIOR,
    level: str = "junior",
    major: str = "电子商务",
    year: int | None = 2024,
    class_name: str = "",
    kind: str = "school",
) -> CertificateResultRow:
    """One registration; its outcome from the real rule (the statistics never apply it)."""
    subjects = [
        SubjectScore("theory", "理论知识考试", 0.3, 60.0, theory[0], theory[1]),
        SubjectScore("practical", "实操技能考试", 0.7, 60.0, practical[0], practical[1]),
    ]
    return CertificateResultRow(
        id_number=f"ID{n}",
        name=f"考生{n}",
        ticket=f"T{n}",
        kind=kind,
        major=major,
        enrollment_year=year,
        class_name=class_name,
        certificate_code=code,
        certificate_name=NAME,
        level=level,
        subjects=tuple(SubjectResult(s.name, s.kind, s.score, s.state) for s in subjects),
        outcome=certificate_outcome(WEIGHTED, subjects),
    )


START = dt.datetime(2026, 12, 19, 8, 30)


def seat(session: int, status: str | None, *, kind: str = "theory") -> AttendanceRow:
    starts = START + dt.timedelta(hours=2 * session)
    return AttendanceRow(
        session, starts, starts + dt.timedelta(hours=1), JUNIOR, NAME, "junior",
        "理论知识考试" if kind == "theory" else "实操技能考试", kind, status,
    )  # fmt: skip


@pytest.fixture
def stats() -> PlanStatistics:
    rows = [
        # 2024 电子商务, class 电商2401: passes at exactly 60, passes at 100
        registration(1, (SCORED, 60.0), (SCORED, 60.0), class_name="电商2401"),
        registration(2, (SCORED, 100.0), (SCORED, 100.0), class_name="电商2401"),
        # fails just under the mark: 0.3 x 59.9 + 0.7 x 59.9 = 59.9
        registration(3, (SCORED, 59.9), (SCORED, 59.9), class_name="电商2402"),
        # absent from theory: failed and absent
        registration(4, (ABSENT, None), (SCORED, 80.0)),
        # practical not in yet: pending, not failed
        registration(5, (SCORED, 70.0), (PENDING, None), year=2025),
        # intermediate, other major: void practical -> failed, not absent
        registration(
            6, (SCORED, 90.0), (VOID, None), code=INTERMEDIATE, level="intermediate",
            major="网络营销", year=2025,
        ),
        # a social candidate without a major, passing
        registration(7, (SCORED, 75.0), (SCORED, 65.0), major="", year=2025, kind="social"),
    ]  # fmt: skip
    attendance = [
        seat(0, "present"),
        seat(0, "absent"),
        seat(0, "late"),
        seat(0, "refused_late"),
        seat(0, None),
        seat(1, "present", kind="practical"),
        seat(1, "left_early", kind="practical"),
    ]
    return statistics_from("P1", "计划", rows, attendance)


def test_the_overall_rate_leaves_pending_results_out(stats: PlanStatistics) -> None:
    overall = stats.overall
    assert (overall.registered, overall.passed, overall.failed, overall.pending) == (7, 3, 3, 1)
    assert overall.absent == 1  # only registration 4; a void subject is not an absence
    assert overall.decided == 6
    assert overall.rate == pytest.approx(3 / 6)


def test_pass_rates_by_certificate_level(stats: PlanStatistics) -> None:
    levels = {dict(g.key)["level"]: g.counts for g in stats.by_level}
    assert levels["junior"].registered == 6
    assert levels["junior"].rate == pytest.approx(3 / 5)
    assert levels["junior"].pending == 1
    assert levels["intermediate"].rate == 0.0
    assert [g.label for g in stats.by_level] == [f"{NAME}（初级）", f"{NAME}（中级）"]


def test_pass_rates_by_major_with_no_major_last(stats: PlanStatistics) -> None:
    assert [g.label for g in stats.by_major] == ["电子商务", "网络营销", NO_MAJOR]
    commerce = stats.by_major[0].counts
    assert (commerce.registered, commerce.passed, commerce.failed, commerce.pending) == (5, 2, 2, 1)
    assert commerce.rate == pytest.approx(0.5)
    assert stats.by_major[2].counts.rate == 1.0


def test_pass_rates_by_class_are_by_enrolment_year_and_major(stats: PlanStatistics) -> None:
    labels = [g.label for g in stats.by_class]
    assert labels == ["2024级 电子商务", "2025级 电子商务", "2025级 网络营销", NO_MAJOR]
    year_2024 = stats.by_class[0]
    assert dict(year_2024.key) == {"enrollment_year": 2024, "major": "电子商务"}
    assert year_2024.counts.rate == pytest.approx(2 / 4)
    only_pending = stats.by_class[1].counts
    assert only_pending.pending == 1 and only_pending.rate is None  # nothing decided: no rate


def test_the_school_class_table_holds_only_filled_class_names(stats: PlanStatistics) -> None:
    assert [(g.label, g.counts.registered) for g in stats.by_class_name] == [
        ("电商2401", 2),
        ("电商2402", 1),
    ]
    assert stats.by_class_name[0].counts.rate == 1.0
    assert stats.by_class_name[1].counts.rate == 0.0


def test_each_subject_has_its_figures_and_bands(stats: PlanStatistics) -> None:
    subjects = {(s.certificate_code, s.kind): s for s in stats.subjects}
    theory = subjects[(JUNIOR, "theory")]
    assert (theory.registered, theory.scored, theory.absent, theory.pending) == (6, 5, 1, 0)
    assert theory.minimum == 59.9 and theory.maximum == 100.0
    assert theory.average == pytest.approx((60 + 100 + 59.9 + 70 + 75) / 5)
    assert theory.bands[5] == 1  # 59.9
    assert theory.bands[6] == 1  # 60
    assert theory.bands[7] == 2  # 70, 75
    assert theory.bands[9] == 1  # 100 in the top band
    assert sum(theory.bands) == theory.scored
    practical = subjects[(JUNIOR, "practical")]
    assert (practical.scored, practical.pending, practical.absent) == (5, 1, 0)
    void = subjects[(INTERMEDIATE, "practical")]
    assert (void.void, void.scored, void.average, void.bands) == (1, 0, None, (0,) * 10)
    assert [s.kind for s in stats.subjects[:2]] == ["theory", "practical"]


def test_absences_per_session_from_the_attendance(stats: PlanStatistics) -> None:
    first, second = stats.sessions
    assert (first.seats, first.sat, first.absent, first.refused_late, first.unrecorded) == (
        5, 2, 2, 1, 1,
    )  # fmt: skip
    assert first.absent_rate == pytest.approx(2 / 5)
    assert (second.seats, second.sat, second.absent) == (2, 2, 0)
    assert second.absent_rate == 0.0
    assert first.starts_at < second.starts_at


def test_the_plain_form_carries_rates_beside_their_counts(stats: PlanStatistics) -> None:
    plain = stats.as_dict()
    assert plain["overall"]["pass_rate"] == 0.5
    assert plain["overall"]["pending"] == 1
    first = plain["by_class"][0]
    assert first["enrollment_year"] == 2024 and first["decided"] == 4
    assert plain["subjects"][0]["bands"][9] == {"band": "90–100", "count": 1}
    assert plain["sessions"][0]["absent_rate"] == 0.4


def test_no_registrations_give_empty_tables() -> None:
    empty = statistics_from("P", "计划", [], [])
    assert empty.overall.registered == 0 and empty.overall.rate is None
    assert empty.by_level == () and empty.subjects == () and empty.sessions == ()
