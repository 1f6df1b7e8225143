"""Pages editing a record another computer changed meanwhile: the save is refused with
the message naming what changed, nothing is overwritten, and the page shows the change."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from arrangement_data import PLAN, add_registrations, add_rooms
from examsite.domain.candidate_status import FIELDS
from examsite.domain.workflow import Step
from examsite.services.arrangement import arrangement_rows
from examsite.services.candidates import (
    CandidateForm,
    get_candidate,
    list_candidates,
    save_candidate,
)
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.rooms import edit_room, list_rooms
from examsite.services.seating_changes import move
from examsite.storage.db import Database
from examsite.ui.dialogs.room_dialogs import RoomFormDialog
from examsite.ui.main_window import MainWindow
from examsite.ui.pages.arrangement import ArrangementPage
from examsite.ui.pages.candidates import CandidatesPage
from examsite.ui.pages.rooms import RoomsPage

sys.path.insert(0, str(Path(__file__).parent.parent / "integration"))
from rooms_helpers import JUNIOR, register


def test_the_candidate_form_refuses_to_overwrite_another_pcs_change(
    qtbot, window: MainWindow, db: Database, demo_site
) -> None:
    demo_site(db, 20)
    page = window.page(Step.CANDIDATES)
    assert isinstance(page, CandidatesPage)
    window.show_step(Step.CANDIDATES)
    target = list_candidates(db)[3]
    dialog = page.open_form(target)
    # Meanwhile another computer changes the phone number.
    other = Database(db.url, upgrade=False)
    try:
        values = {
            f.name: target.extra.get(f.key) if f.is_extra else getattr(target, f.name)
            for f in FIELDS
        }
        changed = CandidateForm.of(target.kind, {**values, "phone": "13911112222"})
        save_candidate(other, changed, original_id_number=target.id_number, loaded=target)
    finally:
        other.close()
    editor = dialog.editors["major"] if "major" in dialog.editors else dialog.editors["name"]
    editor.setText(editor.text() + "甲")
    editor.textEdited.emit(editor.text())
    editor.editingFinished.emit()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert page.form_dialog is dialog and dialog.isVisible()
    message = dialog.general_label.text()
    assert target.name in message and "其他电脑" in message and "13911112222" in message
    assert get_candidate(db, target.id_number).phone == "13911112222"  # kept
    shown = next(
        r
        for r in (page.model.candidate(i) for i in range(page.model.rowCount()))
        if r.id == target.id
    )
    assert shown.phone == "13911112222"  # the list was refreshed


def test_the_room_form_refuses_to_overwrite_another_pcs_change(
    window: MainWindow, db: Database, demo_site
) -> None:
    demo_site(db, 60)
    register(db, JUNIOR, 45)
    page = window.page(Step.ROOMS)
    assert isinstance(page, RoomsPage)
    window.show_step(Step.ROOMS)
    page.propose_button.click()
    page.rooms_table.selectRow(0)
    page.edit_room_button.click()
    dialog = page.form
    assert isinstance(dialog, RoomFormDialog)
    name = dialog.name_edit.text()
    edit_room(db, DEMO_PLAN_CODE, name, {"address": "另一台电脑改的地址"})
    dialog.seats_spin.setValue(50)
    dialog._on_save_clicked()
    assert dialog.isVisible()
    message = dialog.error_label.text()
    assert name in message and "另一台电脑改的地址" in message and "其他电脑" in message
    room = next(r for r in list_rooms(db, DEMO_PLAN_CODE) if r.name == name)
    assert room.seats != 50 and room.address == "另一台电脑改的地址"


class SeatDialogs:
    def __init__(self) -> None:
        self.move: tuple[str, int | None] | None = None
        self.refusals: list[str] = []

    def ask_move(self, parent, name, rooms, current):
        return self.move

    def show_refusal(self, parent, text):
        self.refusals.append(text)


def test_a_seat_moved_on_another_pc_is_not_moved_back(window: MainWindow, db: Database) -> None:
    add_rooms(db, [12, 12])
    add_registrations(db, [("A", 8), ("B", 8)])
    window.show_step(Step.ARRANGEMENT)
    page = window.page(Step.ARRANGEMENT)
    assert isinstance(page, ArrangementPage)
    dialogs = SeatDialogs()
    page.dialogs = dialogs  # type: ignore[assignment]
    page.run_button.click()
    seat, plan = page.grid.seat_at(0, 0), page.grid.plan
    assert seat is not None and plan is not None
    # Another computer moves the candidate to room 2, seat 12; this page still shows seat 1.
    move(db, PLAN, seat.id_number, plan.session_uid, "第2考场", 12)
    dialogs.move = ("第1考场", 11)
    page.ask_move(seat)
    [refusal] = dialogs.refusals
    assert seat.id_number in refusal and "其他电脑" in refusal and "第2考场 12 号" in refusal
    rows = [r for r in arrangement_rows(db, PLAN) if r.id_number == seat.id_number]
    assert ("第2考场", 12) in {(r.room, r.seat) for r in rows}
    shown = page.grid.seat_at(0, 0)  # the page shows the move now
    assert shown is None or shown.id_number != seat.id_number
