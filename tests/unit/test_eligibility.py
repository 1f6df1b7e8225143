"""The registration rules of ``domain.eligibility``, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from examsite.domain.eligibility import (
    REGISTRABLE_STATUSES,
    Applicant,
    Level,
    QuotaLedger,
    decide,
    fee_of,
    overlaps,
    window_problem,
)

START = dt.datetime(2026, 12, 16, 9, 30)
END = dt.datetime(2027, 1, 7, 23, 59)
LEVEL = Level(7, "C1", "数字营销技术应用职业技能等级证书", "junior", (("630801", "电子商务"),))


def applicant(**changes: object) -> Applicant:
    values: dict[str, object] = {
        "id": 1,
        "id_number": "110105200201010021",
        "name": "王玉霞",
        "kind": "school",
        "status": "ready",
        "major_code": "630801",
        "major": "电子商务",
        "school_id": 1,
    }
    values.update(changes)
    return Applicant(**values)  # type: ignore[arg-type]


def no_quota() -> QuotaLedger:
    return QuotaLedger({}, {})


@pytest.mark.parametrize(
    ("now", "code"),
    [
        (START - dt.timedelta(minutes=1), "registration.not_open"),
        (START, None),
        (END, None),
        (END + dt.timedelta(minutes=1), "registration.closed"),
    ],
)
def test_the_window_includes_its_ends(now: dt.datetime, code: str | None) -> None:
    problem = window_problem(START, END, now, "计划")
    assert (problem.code if problem else None) == code


@pytest.mark.parametrize("status", sorted(REGISTRABLE_STATUSES))
def test_registrable_statuses_are_accepted(status: str) -> None:
    decision = decide(applicant(status=status), LEVEL, quota=no_quota())
    assert decision.kind == "school"
    assert [p.code for p in decision.problems] == (
        ["registration.manual_status"] if status == "manual" else []
    )


@pytest.mark.parametrize(
    ("status", "code"),
    [("no_photo", "registration.no_photo"), ("incomplete", "registration.incomplete")],
)
def test_no_photo_and_incomplete_are_refused(status: str, code: str) -> None:
    decision = decide(applicant(status=status), LEVEL, quota=no_quota())
    assert not decision.accepted
    assert [p.code for p in decision.problems] == [code]
    assert not decision.social_possible


def test_a_major_outside_the_certificate_can_sit_as_social() -> None:
    other = applicant(major_code="530605", major="护理")
    refused = decide(other, LEVEL, quota=no_quota())
    assert [p.code for p in refused.problems] == ["registration.major_mismatch"]
    assert refused.social_possible
    assert decide(other, LEVEL, quota=no_quota(), as_social=True).kind == "social"
    # the major matches by name too when the code is missing
    assert decide(applicant(major_code=""), LEVEL, quota=no_quota()).kind == "school"


def test_the_quota_counts_school_registrations_only() -> None:
    ledger = QuotaLedger({(1, 7): 2}, {(1, 7): 1})
    assert decide(applicant(), LEVEL, quota=ledger).kind == "school"
    full = decide(applicant(id=2), LEVEL, quota=ledger)
    assert [p.code for p in full.problems] == ["registration.quota_full"]
    assert full.social_possible
    assert decide(applicant(id=2), LEVEL, quota=ledger, as_social=True).kind == "social"
    assert ledger.used[(1, 7)] == 2  # the social one took no place


def test_without_a_quota_nothing_is_limited() -> None:
    ledger = no_quota()
    for at in range(50):
        assert decide(applicant(id=at), LEVEL, quota=ledger).accepted


def test_duplicates_and_clashing_sessions_are_refused() -> None:
    assert decide(applicant(), LEVEL, quota=no_quota(), registered={7}).problems[0].code == (
        "registration.duplicate"
    )
    clash = decide(applicant(), LEVEL, quota=no_quota(), registered={8}, clash="某证书（高级）")
    assert [p.code for p in clash.problems] == ["registration.sessions_clash"]
    assert decide(applicant(), LEVEL, quota=no_quota(), registered={8}).accepted


def test_a_social_candidate_never_sits_as_school() -> None:
    social = applicant(kind="social", major_code="", major="", school_id=None)
    assert decide(social, LEVEL, quota=no_quota()).kind == "social"
    refused = decide(social, LEVEL, quota=no_quota(), requested_kind="school")
    assert [p.code for p in refused.problems] == ["registration.social_as_school"]


def test_a_sheet_may_ask_for_social() -> None:
    assert decide(applicant(), LEVEL, quota=no_quota(), requested_kind="social").kind == "social"


def test_overlaps() -> None:
    a = [(dt.datetime(2027, 1, 10, 8, 30), dt.datetime(2027, 1, 10, 9, 30))]
    b = [(dt.datetime(2027, 1, 10, 9, 30), dt.datetime(2027, 1, 10, 10, 0))]
    c = [(dt.datetime(2027, 1, 10, 9, 0), dt.datetime(2027, 1, 10, 10, 0))]
    assert not overlaps(a, b)
    assert overlaps(a, c)
    assert not overlaps(a, [])


def test_a_certificate_without_majors_admits_everyone() -> None:
    assert Level(1, "X", "X", "junior", ()).admits("", "")


def test_fee_of_takes_the_province_override() -> None:
    assert fee_of(270, {"湖北省": 300}, "湖北省") == (300, True)
    assert fee_of(270, {"湖北省": 300}, "广东省") == (270, False)
    assert fee_of(270, {"湖北省": 300}, "") == (270, False)
