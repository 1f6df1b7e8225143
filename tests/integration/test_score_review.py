"""Score review (services.score_review): refused before publication and after the 7 days
(the edges), the filled 成绩复查表 printed inside the window (the candidates chosen, their
scores, one form per certificate), an unknown ID or an empty choice refused."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from test_platform_import import PLAN, registrations, write_xlsx

from examsite import clock
from examsite.domain.score_review import ReviewState
from examsite.errors import InputError
from examsite.services.platform_import import import_platform
from examsite.services.score_review import print_review, review_sheets_in, review_status
from examsite.storage.db import Database
from examsite.storage.models import ExamPlan

SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def db(arranged_db_file: Callable[[int], Path]) -> Database:
    database = Database.open(arranged_db_file(12))
    yield database
    database.close()


def publication(db: Database) -> dt.datetime:
    with db.read() as session:
        plan = session.scalar(select(ExamPlan).where(ExamPlan.code == PLAN))
        assert plan is not None
        return plan.publication_start


def test_the_print_is_refused_outside_the_window_and_made_inside(db, tmp_path) -> None:
    regs = registrations(db)
    a = regs[0]
    import_platform(
        db,
        write_xlsx(
            tmp_path / "成绩.xlsx",
            ["准考证号", "考试科目", "考试成绩"],
            [[a.ticket, a.theory, 58.5], [a.ticket, a.practical, "缺考"]],
        ),
        PLAN,
    )
    start = publication(db)
    out = tmp_path / "复查表.pdf"
    with clock.fixed(start - SECOND):
        assert review_status(db, PLAN).state is ReviewState.NOT_OPEN
        with pytest.raises(InputError) as caught:
            print_review(db, PLAN, [a.id_number], out)
        assert caught.value.code == "scores.review_not_open"
    with clock.fixed(start + dt.timedelta(days=7)):
        with pytest.raises(InputError) as caught:
            print_review(db, PLAN, [a.id_number], out)
        assert caught.value.code == "scores.review_closed"
    assert not out.exists()
    for moment in (start, start + dt.timedelta(days=7) - SECOND):
        with clock.fixed(moment):
            status = review_status(db, PLAN)
            assert status.state is ReviewState.OPEN
            printed = print_review(db, PLAN, [a.id_number], out, reason_text="核查实操")
    assert printed.candidates == 1
    assert printed.pages == 1
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "yes" in fonts.splitlines()[2]
    body = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert a.id_number in body and a.ticket in body and "58.5" in body and "缺考" in body
    assert "核查实操" in body and "成绩复查表" in body


def test_the_forms_hold_the_chosen_candidates_in_order(db) -> None:
    regs = registrations(db)
    ids = [regs[4].id_number, regs[0].id_number]
    with db.read() as session:
        sheets = review_sheets_in(session, PLAN, ids)
        assert [line.id_number for s in sheets for line in s.lines][:1] == [ids[0]]
        assert {line.id_number for s in sheets for line in s.lines} == set(ids)
        assert all(s.school and s.plan for s in sheets)
        with pytest.raises(InputError) as caught:
            review_sheets_in(session, PLAN, ["110105200201010021"])
        assert caught.value.code == "scores.review_unknown"
        with pytest.raises(InputError) as caught:
            review_sheets_in(session, PLAN, [" "])
        assert caught.value.code == "scores.review_nobody"
