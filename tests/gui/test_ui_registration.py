"""The registration page: choose, register (offering 社会考生 on a major mismatch), the
2-records check, fees, withdraw, import; read-only outside the window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from examsite import clock
from examsite.domain.workflow import Step
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.registration_query import chooser_rows, list_registrations
from examsite.storage.models import Candidate, RegistrationSubject
from examsite.ui.models.registration import ChooserModel, RegistrationsModel
from examsite.ui.pages.registration import RegistrationPage

TEST_NOW = dt.datetime(2026, 12, 20, 9, 0)
JUNIOR = "1630054223010588"


class FakeDialogs:
    def __init__(self) -> None:
        self.social_asked: list[int] = []
        self.social = True
        self.refusals: list[str] = []
        self.open_path: Path | None = None
        self.save_path: Path | None = None

    def ask_as_social(self, parent, refusals) -> bool:
        self.social_asked.append(len(refusals))
        return self.social

    def show_refusals(self, parent, title, refusals) -> None:
        self.refusals += [r.reason for r in refusals]

    def confirm_remove(self, parent, count) -> bool:
        return True

    def open_sheet(self, parent):
        return self.open_path

    def save_sheet(self, parent, title, name):
        return self.save_path


def make_window(qtbot, db, runner, shown_errors, moment: dt.datetime):
    from examsite.ui.main_window import MainWindow

    win = MainWindow(runner, db, clock=lambda: moment, present_error=shown_errors)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_page(win, dialogs: FakeDialogs) -> RegistrationPage:
    page = win.page(Step.REGISTRATION)
    assert isinstance(page, RegistrationPage)
    page.dialogs = dialogs  # type: ignore[assignment]
    win.show_step(Step.REGISTRATION)
    return page


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def page(qtbot, db, runner, shown_errors, demo_site, dialogs) -> RegistrationPage:
    demo_site(db, 30)
    with db.unit_of_work() as session:
        for at, candidate in enumerate(session.scalars(select(Candidate).order_by(Candidate.id))):
            if candidate.kind == "school":
                candidate.class_name = "电商2301" if at % 2 else "营销2301"
    return open_page(make_window(qtbot, db, runner, shown_errors, TEST_NOW), dialogs)


def select_rows(page: RegistrationPage, count: int) -> list[str]:
    table = page.chooser_table
    chosen = []
    for row in range(count):
        table.selectionModel().select(
            page.chooser.index(row, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )
        chosen.append(page.chooser.candidate(row).id_number)
    return chosen


def test_the_page_opens_on_the_demo_plan_and_filters_by_class(page: RegistrationPage):
    assert page.plan_code == DEMO_PLAN_CODE
    assert page.certificate_code == JUNIOR
    assert not page.lock_label.isVisible()
    total = page.chooser.rowCount()
    assert total == 30
    page.class_combo.setCurrentIndex(page.class_combo.findData("电商2301"))
    assert 0 < page.chooser.rowCount() < total
    assert {page.chooser.candidate(r).class_name for r in range(page.chooser.rowCount())} == {
        "电商2301"
    }
    page.status_combo.setCurrentIndex(page.status_combo.findData("no_photo"))
    assert all(
        page.chooser.candidate(r).status == "no_photo" for r in range(page.chooser.rowCount())
    )


def test_registering_the_selected_candidates(page: RegistrationPage, db):
    page.status_combo.setCurrentIndex(page.status_combo.findData("ready"))
    chosen = select_rows(page, 3)
    assert page.register_button.isEnabled()
    page.register_button.click()
    rows = list_registrations(db, DEMO_PLAN_CODE)
    assert sorted(r.id_number for r in rows) == sorted(chosen)
    assert page.registrations.rowCount() == 3
    assert "一致" in page.check_label.text()
    assert "3 人 × 270 元" in page.fee_label.text()
    # registered candidates leave the "not yet registered" list
    assert not {page.chooser.candidate(r).id_number for r in range(page.chooser.rowCount())} & set(
        chosen
    )


def test_a_major_mismatch_is_offered_as_social(page: RegistrationPage, db, dialogs):
    page.status_combo.setCurrentIndex(page.status_combo.findData("ready"))
    page.major_combo.setCurrentIndex(page.major_combo.findData("电子商务"))
    number = page.chooser.candidate(0).id_number
    with db.unit_of_work() as session:
        session.execute(
            update(Candidate).where(Candidate.id_number == number).values(major_code="620201")
        )
    # the certificate's majors are matched by code first, so rename the major too
    with db.unit_of_work() as session:
        session.execute(update(Candidate).where(Candidate.id_number == number).values(major="护理"))
    select_rows(page, 1)
    page.register_button.click()
    assert dialogs.social_asked == [1]
    (row,) = list_registrations(db, DEMO_PLAN_CODE)
    assert (row.id_number, row.kind) == (number, "social")


def test_a_borrowing_candidate_is_registered_with_the_home_school(page: RegistrationPage, db):
    page.status_combo.setCurrentIndex(page.status_combo.findData("ready"))
    select_rows(page, 1)
    page.home_school_edit.setText("武汉示例职业学院")
    page.register_button.click()
    (row,) = list_registrations(db, DEMO_PLAN_CODE)
    assert row.home_school == "武汉示例职业学院"
    assert page.home_school_edit.text() == ""
    assert "借考" in page.registrations.data(page.registrations.index(0, 4))


def test_a_refused_candidate_is_reported(page: RegistrationPage, db, dialogs):
    page.status_combo.setCurrentIndex(page.status_combo.findData("no_photo"))
    select_rows(page, 1)
    page.register_button.click()
    assert dialogs.refusals and "照片" in dialogs.refusals[0]
    assert not list_registrations(db, DEMO_PLAN_CODE)


def test_short_records_are_flagged_and_withdrawal_works(page: RegistrationPage, db):
    page.status_combo.setCurrentIndex(page.status_combo.findData("ready"))
    select_rows(page, 2)
    page.register_button.click()
    with db.unit_of_work() as session:
        first = session.scalars(select(RegistrationSubject).limit(1)).one()
        session.delete(first)
    page.reload()
    assert "✗" in page.check_label.text()
    page.registrations_table.selectRow(0)
    page.remove_button.click()
    assert page.registrations.rowCount() == 1


def test_outside_the_window_the_page_is_read_only(qtbot, db, runner, shown_errors, demo_site):
    demo_site(db, 30)
    after = dt.datetime(2027, 1, 8, 9, 0)
    with clock.fixed(after):
        page = open_page(make_window(qtbot, db, runner, shown_errors, after), FakeDialogs())
        select_rows(page, 2)
        assert page.lock_label.isVisible()
        assert "截止" in page.lock_label.text()
        assert not page.register_button.isEnabled()
        assert not page.import_button.isEnabled()
        assert page.export_button.isEnabled()
        page.register([page.chooser.candidate(0).id_number])  # even if asked: refused
    assert shown_errors.errors and shown_errors.errors[0].code == "registration.closed"
    assert not list_registrations(db, DEMO_PLAN_CODE)


def test_import_and_export_through_the_page(page: RegistrationPage, db, dialogs, tmp_path):
    from examsite.services.registration import register_candidates
    from examsite.services.registration_sheets import export_registrations

    ready = [r.id_number for r in chooser_rows(db, DEMO_PLAN_CODE) if r.status == "ready"][:2]
    register_candidates(db, DEMO_PLAN_CODE, JUNIOR, ready)
    sheet = tmp_path / "out.xlsx"
    export_registrations(db, DEMO_PLAN_CODE, sheet)
    from examsite.services.registration_changes import remove_registrations

    remove_registrations(db, DEMO_PLAN_CODE, JUNIOR, ready)
    dialogs.open_path = sheet
    page.import_button.click()
    assert sorted(r.id_number for r in list_registrations(db, DEMO_PLAN_CODE)) == sorted(ready)
    assert page.registrations.rowCount() == 2
    dialogs.save_path = tmp_path / "again.xlsx"
    page.export_button.click()
    assert dialogs.save_path.exists()


def test_the_models_pass_the_model_tester(qtmodeltester, db, demo_site):
    demo_site(db, 30)
    chooser = ChooserModel()
    chooser.set_rows(chooser_rows(db, DEMO_PLAN_CODE), JUNIOR)
    qtmodeltester.check(chooser)
    from examsite.services.registration import register_candidates

    register_candidates(db, DEMO_PLAN_CODE, JUNIOR, all_ready=True)
    registrations = RegistrationsModel()
    registrations.set_rows(list_registrations(db, DEMO_PLAN_CODE))
    qtmodeltester.check(registrations)
