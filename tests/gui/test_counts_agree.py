"""On the demo site, every place that counts candidates and photos says the same numbers:
the dashboard, the sidebar, the candidates page, the photos page and ``status --json``."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

from examsite.cli import main as cli_main
from examsite.domain.candidate_status import CandidateIssue, PhotoState
from examsite.domain.workflow import Step
from examsite.services.candidate_state import candidate_facts, facts_select
from examsite.services.candidates import CandidateForm, list_candidates, save_candidate
from examsite.storage.db import Database
from examsite.ui.main_window import MainWindow
from examsite.ui.models.photos import PhotoFilter

NOW = dt.datetime(2026, 11, 22, 9, 0)


def status_json(db: Database) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main(["--db", db.url, "status", "--json"]) == 0
    return json.loads(out.getvalue())


def test_every_page_counts_the_demo_alike(qtbot, db: Database, runner, shown_errors, demo_site):
    demo_site(db, 40)
    # Two problems at once: no photo and no phone (a social candidate needs a phone).
    two = save_candidate(
        db, CandidateForm(kind="social", name="李四", id_number="110105199003070033")
    )
    assert two.issues == {CandidateIssue.NO_PHOTO, CandidateIssue.INCOMPLETE}
    assert two.status == "no_photo"  # the status column: the platform's word, one of them

    window = MainWindow(runner, db, clock=lambda: NOW, present_error=shown_errors)
    qtbot.addWidget(window)
    document = status_json(db)
    by_issue, by_photo = document["candidates_by_issue"], document["photos_by_state"]

    # The demo's problems on purpose: index 3 has no photo, 11 (blue) and 15 (too big) are
    # rejected, 7 has no phone; and the candidate added above.
    assert by_photo["missing"] == 2 and by_photo["rejected"] == 2
    assert by_issue == {"no_photo": 4, "incomplete": 2}
    assert document["candidates_to_handle"] == 5

    window.show_step(Step.CANDIDATES)
    candidates = window.page(Step.CANDIDATES)
    assert candidates.model.status_counts["no_photo"] == by_issue["no_photo"]
    assert candidates.model.status_counts["incomplete"] == by_issue["incomplete"]
    assert candidates.model.status_total == document["candidates"] == 41
    assert (
        f"{document['candidates_to_handle']} 名需要处理" in candidates.header.subtitle_label.text()
    )
    candidates.set_status_filter("incomplete")
    assert two.id in {candidates.model.candidate(i).id for i in range(candidates.model.rowCount())}
    candidates.set_status_filter("no_photo")
    assert two.id in {candidates.model.candidate(i).id for i in range(candidates.model.rowCount())}

    window.show_step(Step.PHOTOS)
    photos = window.page(Step.PHOTOS).model
    assert photos.count(PhotoFilter.MISSING) == by_photo["missing"]
    assert photos.count(PhotoFilter.REJECTED) == by_photo["rejected"]
    assert (
        photos.count(PhotoFilter.MISSING) + photos.count(PhotoFilter.REJECTED)
        == (by_issue["no_photo"])
    )

    window.show_step(None)
    dashboard = window.page(None)
    assert dashboard.candidates_card.value_label.text() == "41"
    assert dashboard.problems_card.value_label.text() == str(document["candidates_to_handle"])
    assert dashboard.problems_card.hint_label.text() == "无照片 4 · 信息不全 2"
    steps = {s["step"]: s for s in document["steps"]}
    assert steps["photos"]["figure"] == "2 张照片不合格"
    assert window.sidebar.row(Step.PHOTOS).figure_label.text() == steps["photos"]["figure"]
    assert window.sidebar.row(Step.CANDIDATES).figure_label.text() == "41 名考生"
    problems = " ".join(steps["photos"]["problems"] + steps["candidates"]["problems"])
    assert "2 张照片不合格" in problems
    assert "2 名考生还没有照片" in problems
    assert "2 名考生信息不全" in problems


def test_the_stored_status_is_the_decided_one(db: Database, demo_site):
    demo_site(db, 40)
    with db.read() as session:
        rows = list(session.connection().execute(facts_select()).mappings())
    assert rows
    assert all(row["status"] == candidate_facts(row).status for row in rows)
    listed = {r.id_number: r for r in list_candidates(db)}
    assert sum(r.photo_state is PhotoState.REJECTED for r in listed.values()) == 2


def test_the_cli_filters_by_issue_like_the_page(db: Database, tmp_path: Path, demo_site):
    demo_site(db, 40)
    incomplete = list_candidates(db, status="incomplete")
    no_photo = list_candidates(db, status="no_photo")
    assert len(incomplete) == 1 and len(no_photo) == 3
    assert all(CandidateIssue.NO_PHOTO in r.issues for r in no_photo)


def test_the_sidebar_badges_match_the_pages_on_the_demo(
    qtbot, db: Database, runner, shown_errors, demo_site
):
    from examsite.domain.workflow import BUILT_STEPS, STEPS, StepState
    from examsite.ui.pages.placeholder import PlaceholderPage

    demo_site(db, 40)
    window = MainWindow(runner, db, clock=lambda: NOW, present_error=shown_errors)
    qtbot.addWidget(window)
    for step in STEPS:
        window.show_step(step)
        placeholder = isinstance(window.page(step), PlaceholderPage)
        assert placeholder == (step not in BUILT_STEPS), step
        badge = window.sidebar.row(step).badge
        if placeholder:
            assert badge.state is StepState.NOT_STARTED, step  # never 已完成 or 有问题
    # the built steps show the demo's problems on purpose
    assert window.sidebar.row(Step.PHOTOS).badge.state is StepState.PROBLEMS
