"""The candidate page's services: list, get, save (add and edit), delete."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from candidate_forms import A, B, form
from examsite.domain.id_number import synthetic_id
from examsite.errors import InputError, NotFoundError
from examsite.services.candidates import (
    check_form,
    delete_candidate,
    get_candidate,
    list_candidates,
    mask_id,
    save_candidate,
)
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Candidate, Certificate, ExamPlan, Registration

C = synthetic_id("440106", dt.date(2004, 1, 2), 5, "女")


def audit(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as session:
        return [
            (e.action, e.entity_id, e.actor)
            for e in session.scalars(select(AuditLog).order_by(AuditLog.id))
        ]


def test_add_fills_what_it_can_and_is_audited(db: Database) -> None:
    row = save_candidate(db, form())
    assert (row.name, row.pinyin, row.gender, row.id_type) == (
        "曾小红",
        "Zeng Xiaohong",
        "女",
        "身份证",
    )
    assert row.status == "no_photo" and row.photo is None and row.missing == ()
    assert audit(db) == [("create", A, "user")]
    assert get_candidate(db, A) == row


def test_add_refuses_per_field(db: Database) -> None:
    with pytest.raises(InputError) as caught:
        save_candidate(db, form(phone="12345", id_number=A[:-1] + "0"))
    assert {p.column for p in caught.value.problems} == {"phone", "id_number"}
    save_candidate(db, form())
    with pytest.raises(InputError) as twice:
        save_candidate(db, form(name="王五"))
    assert [(p.code, p.column) for p in twice.value.problems] == [("candidate.exists", "id_number")]
    assert "曾小红" in twice.value.message


def test_incomplete_candidate_can_be_saved(db: Database) -> None:
    row = save_candidate(db, form(phone="", major="", major_code=""))
    assert set(row.missing) == {"phone", "major", "major_code"}


def test_edit_and_change_the_id_number(db: Database) -> None:
    save_candidate(db, form())
    changed = save_candidate(db, form(id_number=C, phone="13900000000"), original_id_number=A)
    assert (changed.id_number, changed.phone) == (C, "13900000000")
    with pytest.raises(NotFoundError):
        get_candidate(db, A)
    actions = audit(db)
    assert actions[-1] == ("update", A, "user")
    with db.read() as session:
        entry = session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
        assert entry is not None and entry.after is not None
        assert entry.after["id_number"] == C and entry.after["phone"] == "13900000000"
    with pytest.raises(NotFoundError):
        save_candidate(db, form(), original_id_number=B)


def test_verified_candidate_locks_name_type_and_number(db: Database) -> None:
    save_candidate(db, form())
    with db.unit_of_work() as session:
        found = session.scalar(select(Candidate).where(Candidate.id_number == A))
        assert found is not None
        found.platform_status = found.status = "verified"
    with pytest.raises(InputError) as caught:
        save_candidate(db, form(name="曾晓红"), original_id_number=A)
    assert [(p.code, p.column) for p in caught.value.problems] == [("candidate.locked", "name")]
    row = save_candidate(db, form(phone="13700000000"), original_id_number=A)
    assert row.phone == "13700000000" and row.status == "verified"


def test_delete_is_refused_with_registrations(db: Database) -> None:
    save_candidate(db, form())
    save_candidate(db, form(B, name="李强"))
    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan)).first()
        certificate = session.scalars(select(Certificate)).first()
        candidate = session.scalar(select(Candidate).where(Candidate.id_number == A))
        assert plan and certificate and candidate
        session.add(
            Registration(candidate_id=candidate.id, plan_id=plan.id, certificate_id=certificate.id)
        )
    with pytest.raises(InputError) as caught:
        delete_candidate(db, A)
    assert "报考" in caught.value.message
    delete_candidate(db, B)
    assert [r.id_number for r in list_candidates(db)] == [A]
    assert audit(db)[-1] == ("delete", B, "user")
    with pytest.raises(NotFoundError):
        delete_candidate(db, B)


def test_list_filters_and_search(db: Database) -> None:
    save_candidate(db, form())
    save_candidate(db, form(B, name="李强", kind="social", phone="13911112222"))
    save_candidate(db, form(C, name="王芳", phone=""))
    assert [r.name for r in list_candidates(db)] == ["曾小红", "李强", "王芳"]
    assert [r.name for r in list_candidates(db, kind="social")] == ["李强"]
    assert [r.name for r in list_candidates(db, search="Zeng")] == ["曾小红"]
    assert [r.name for r in list_candidates(db, search="1111")] == ["李强"]
    assert [r.name for r in list_candidates(db, search=B[-6:].lower())] == ["李强"]
    assert list_candidates(db, search="%") == []
    assert list_candidates(db, status="ready") == []
    assert len(list_candidates(db, status="no_photo")) == 3


def test_check_form_reports_warnings_for_the_page() -> None:
    problems = check_form(form(name="曾"))
    assert [(p.code, p.column, p.level.value) for p in problems] == [
        ("name.too_short", "name", "warning")
    ]


def test_mask_id() -> None:
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("H12345678") == "H1*****78"
    assert mask_id("123") == "123"
