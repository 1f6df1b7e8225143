"""Steps 4 to 7 from the window on the demo site, as a newcomer clicks through them:
register every shown candidate, propose rooms from the labs, assign invigilators, arrange;
then every registration has its seats and every room its invigilators, and the four steps
read done."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from examsite.domain.workflow import Step, StepState
from examsite.services.arrangement import arrangement_rows
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.invigilation import plan_overview
from examsite.services.registration_query import list_registrations
from examsite.services.status import round_status
from examsite.ui.main_window import MainWindow
from examsite.ui.pages.arrangement import ArrangementPage
from examsite.ui.pages.registration import RegistrationPage
from examsite.ui.pages.rooms import RoomsPage
from examsite.ui.pages.staff import StaffPage


class RegistrationAnswers:
    """The registration page's questions, answered as a newcomer would: register the
    refused-but-fixable as 社会考生, read the refusals."""

    def __init__(self) -> None:
        self.refusals: list[str] = []

    def ask_as_social(self, parent: object, refusals: object) -> bool:
        return True

    def show_refusals(self, parent: object, title: str, refusals: list) -> None:  # type: ignore[type-arg]
        self.refusals += [r.reason for r in refusals]

    def confirm_remove(self, parent: object, count: int) -> bool:
        return False


def test_register_propose_assign_arrange_from_the_window(
    qtbot, db, runner, shown_errors, demo_site, fixed_clock, monkeypatch
) -> None:
    demo_site(db, 60)  # made at the tests' clock: its registration window is open
    window = MainWindow(runner, db, clock=lambda: fixed_clock, present_error=shown_errors)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    told: list[str] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *a: told.append(text))

    window.show_step(Step.REGISTRATION)
    registration = window.page(Step.REGISTRATION)
    assert isinstance(registration, RegistrationPage)
    answers = RegistrationAnswers()
    registration.dialogs = answers  # type: ignore[assignment]
    assert registration.plan_code == DEMO_PLAN_CODE
    registration.select_all_button.click()
    registration.register_button.click()
    registered = list_registrations(db, DEMO_PLAN_CODE)
    # the demo's candidates without a photo or complete information are refused, saying why
    assert len(registered) >= 50 and answers.refusals
    assert len(registered) + len(answers.refusals) == 60

    window.show_step(Step.ROOMS)
    rooms = window.page(Step.ROOMS)
    assert isinstance(rooms, RoomsPage)
    rooms.propose_button.click()

    window.show_step(Step.STAFF)
    staff = window.page(Step.STAFF)
    assert isinstance(staff, StaffPage)
    staff.tabs.setCurrentIndex(1)
    staff.plan_combo.setCurrentIndex(staff.plan_combo.findData(DEMO_PLAN_CODE))
    staff.assign_button.click()

    window.show_step(Step.ARRANGEMENT)
    arrangement = window.page(Step.ARRANGEMENT)
    assert isinstance(arrangement, ArrangementPage)
    arrangement.run_button.click()

    assert not shown_errors.errors
    assert not any("不足" in t for t in told), told
    seats = arrangement_rows(db, DEMO_PLAN_CODE)
    assert len(seats) == 2 * len(registered)
    busy = [r for r in plan_overview(db, DEMO_PLAN_CODE).rows if r.candidates]
    assert busy and all(len(r.invigilators) >= r.required >= 2 for r in busy)
    states = {s.step: s.state for s in round_status(db).steps}
    for step in (Step.REGISTRATION, Step.ROOMS, Step.STAFF, Step.ARRANGEMENT):
        assert states[step] is StepState.DONE, (step, states[step])
