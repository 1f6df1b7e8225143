"""Printing or exporting whole ID numbers is itself logged (issue 13): each paper or file
written with candidates' ID numbers in full adds exactly one audit entry (entity
``document``) with the count of candidates, naming the account logged in; masked papers
add none; a file whose entry cannot be written does not stay. On either engine."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from e2e.cli_runner import run_cli
from examsite import clock
from examsite.services import audit
from examsite.services.accounts import add_user, create_first_director, log_in, log_out
from examsite.services.db_copy import copy_database
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.demo_scores import write_demo_score_sheet
from examsite.services.disclosure import FULL_ID_DOCUMENTS, count_ids, record_full_ids
from examsite.services.platform_export import export_platform
from examsite.services.print_run import print_run
from examsite.services.registration_sheets import export_registrations
from examsite.services.score_review import print_review
from examsite.services.transfer import export_transfer
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Candidate, ExamPlan, Registration

PASSWORD = "correct-horse-9"


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(6))
    yield database
    database.close()


def entries(db: Database) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(actor, action, kind, after) of every ``document`` entry, oldest first."""
    with db.read() as session:
        rows = session.execute(
            select(AuditLog.actor, AuditLog.action, AuditLog.entity_id, AuditLog.after)
            .where(AuditLog.entity == "document")
            .order_by(AuditLog.id)
        ).all()
    return [(r.actor, r.action, r.entity_id, dict(r.after)) for r in rows]


def registered(db: Database) -> int:
    """The candidates registered in the demo plan."""
    with db.read() as session:
        return int(
            session.scalar(
                select(func.count(func.distinct(Registration.candidate_id)))
                .join(ExamPlan, ExamPlan.id == Registration.plan_id)
                .where(ExamPlan.code == DEMO_PLAN_CODE)
            )
            or 0
        )


def candidates(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Candidate)) or 0)


def test_the_registration_sheet_logs_one_entry_with_the_ids_it_holds(
    arranged: Database, tmp_path: Path
) -> None:
    path = tmp_path / "报考表.xlsx"
    export_registrations(arranged, DEMO_PLAN_CODE, path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = next(n for n, row in enumerate(rows) if "*证件号码" in [str(c) for c in row])
    at = [str(c) for c in rows[header]].index("*证件号码")
    in_file = count_ids(str(row[at]) for row in rows[header + 1 :])
    assert in_file == registered(arranged) > 0
    after = {"file": str(path), "candidates": in_file, "full_ids": True}
    assert entries(arranged) == [("user", "export", "registration_sheet", after)]


def test_the_bundles_and_the_copy_log_one_entry_each(arranged: Database, tmp_path: Path) -> None:
    bundle = tmp_path / "transfer.zip"
    export_transfer(arranged, bundle, key_folder=tmp_path / "keys")
    upload = export_platform(arranged, DEMO_PLAN_CODE, tmp_path)
    copy = tmp_path / "copy.db"
    copy_database(arranged, copy)
    assert upload.path is not None
    found = entries(arranged)
    assert [(action, kind) for _actor, action, kind, _after in found] == [
        ("export", "transfer_bundle"),
        ("export", "platform_upload"),
        ("export", "db_copy"),
    ]
    assert [after["file"] for *_rest, after in found] == [str(bundle), str(upload.path), str(copy)]
    assert [after["candidates"] for *_rest, after in found] == [
        candidates(arranged),
        registered(arranged),
        candidates(arranged),
    ]
    copied = Database.open(copy)  # the copy carries the entry of its own making
    try:
        assert entries(copied) == found
    finally:
        copied.close()


def test_the_filled_score_review_form_and_the_demo_scores_log(
    arranged: Database, tmp_path: Path
) -> None:
    with arranged.read() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
        start = plan.publication_start
        ids = session.scalars(
            select(Candidate.id_number)
            .join(Registration, Registration.candidate_id == Candidate.id)
            .distinct()
            .order_by(Candidate.id_number)
            .limit(2)
        ).all()
    out = tmp_path / "复查表.pdf"
    with clock.fixed(start + dt.timedelta(hours=1)):
        printed = print_review(arranged, DEMO_PLAN_CODE, ids, out)
    sheet = write_demo_score_sheet(arranged, DEMO_PLAN_CODE, tmp_path / "成绩.xlsx")
    found = entries(arranged)
    assert found == [
        (
            "user",
            "print",
            "score_review_form",
            {"file": str(out), "candidates": 2, "full_ids": True},
        ),
        (
            "user",
            "export",
            "demo_score_sheet",
            {"file": str(sheet.path), "candidates": registered(arranged), "full_ids": True},
        ),
    ]
    assert printed.candidates == 2


def test_masked_and_blank_papers_add_no_entry(arranged: Database, tmp_path: Path) -> None:
    manifest = print_run(arranged, DEMO_PLAN_CODE, tmp_path / "out")
    printed = {entry.key for entry in manifest.entries}
    assert {"tickets", "score_review"} <= printed  # tickets masked, the review form blank
    assert entries(arranged) == []


def test_the_entry_names_the_account_logged_in(arranged: Database, tmp_path: Path) -> None:
    create_first_director(arranged, "王主任", PASSWORD)
    add_user(arranged, "李老师", "staff", PASSWORD)
    log_out(arranged)
    log_in(arranged, "李老师", PASSWORD)
    export_registrations(arranged, DEMO_PLAN_CODE, tmp_path / "报考表.xlsx")
    log_out(arranged)
    log_in(arranged, "王主任", PASSWORD)
    assert [(actor, kind) for actor, _action, kind, _after in entries(arranged)] == [
        ("李老师", "registration_sheet")
    ]


def test_a_file_whose_entry_cannot_be_written_is_removed(
    arranged: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the log cannot be written")

    monkeypatch.setattr(audit, "record", failing)
    path = tmp_path / "报考表.xlsx"
    with pytest.raises(RuntimeError):
        export_registrations(arranged, DEMO_PLAN_CODE, path)
    assert not path.exists()
    bundle = tmp_path / "transfer.zip"
    with pytest.raises(RuntimeError):
        export_transfer(arranged, bundle, key_folder=tmp_path / "keys")
    assert not bundle.exists()


def test_only_known_documents_and_no_empty_ones(arranged: Database, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tickets"):
        record_full_ids(arranged, "print", "tickets", tmp_path / "x.pdf", 3)
    record_full_ids(arranged, "export", "registration_sheet", tmp_path / "x.xlsx", 0)
    assert entries(arranged) == []
    assert set(FULL_ID_DOCUMENTS) >= {"registration_sheet", "score_review_form"}


def test_audit_list_shows_them_by_entity(arranged_db_file: Callable[[int], Path], tmp_path):
    db = arranged_db_file(6)
    sheet = tmp_path / "报考表.xlsx"
    done = run_cli("registration", "export", "--plan", DEMO_PLAN_CODE, "--out", str(sheet), db=db)
    assert done.returncode == 0, done.stderr
    listed = run_cli("audit", "list", "--entity", "document", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    shown = json.loads(listed.stdout)
    rows = shown["entries"] if isinstance(shown, dict) else shown
    assert [(r["action"], r["entity"], r["entity_id"]) for r in rows] == [
        ("export", "document", "registration_sheet")
    ]
    assert rows[0]["after"]["full_ids"] is True
