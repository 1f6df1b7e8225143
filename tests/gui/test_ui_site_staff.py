"""The site page and the staff page on the demo site: the record, the checklist, the
roster, the automatic and hand-made assignments, the sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import staff_world as w
from examsite.domain.workflow import Step
from examsite.services.demo import STAFF_TEAM
from examsite.services.invigilation import plan_overview
from examsite.services.site import show_site
from examsite.services.staff import StaffInput, list_staff, save_staff
from examsite.ui.main_window import MainWindow
from examsite.ui.models.staff import AssignmentModel, RosterModel
from examsite.ui.pages.site import SitePage
from examsite.ui.pages.staff import StaffPage


@pytest.fixture
def demo_window(db, demo_site, window: MainWindow) -> MainWindow:
    demo_site(db, 20)
    w.rooms(db, [45, 45])  # the demo makes none: rooms come from registrations
    return window


def site_page(window: MainWindow) -> SitePage:
    window.show_step(Step.SITE)
    page = window.page(Step.SITE)
    assert isinstance(page, SitePage)
    return page


def staff_page(window: MainWindow) -> StaffPage:
    window.show_step(Step.STAFF)
    page = window.page(Step.STAFF)
    assert isinstance(page, StaffPage)
    return page


def test_the_site_page_shows_the_record_and_the_readiness(demo_window, db):
    page = site_page(demo_window)
    info = show_site(db)
    assert page.name_label.text() == info.name
    assert page.fields["director"].text() == "周建国"
    r = info.readiness
    assert page.readiness_label.text() == f"达标 {r.done}/{r.total}（{r.percent}%）"
    assert not page.checks["staff_team"].isEnabled() and page.checks["staff_team"].isChecked()
    assert "未确认" in page.missing_label.text()
    page.checks["servers"].click()
    assert show_site(db).readiness.done == r.done + 1
    assert page.readiness_label.text().startswith(f"达标 {r.done + 1}/")


def test_the_site_page_saves_the_form_and_renames_with_the_certificates(demo_window, db):
    page = site_page(demo_window)
    page.fields["province"].setText("湖北省")
    page.save_button.click()
    assert show_site(db).province == "湖北省"
    senior = next(
        page.certificates.item(i)
        for i in range(page.certificates.count())
        if page.certificates.item(i).data(Qt.ItemDataRole.UserRole) == "1630054223031298"
    )
    senior.setCheckState(Qt.CheckState.Checked)
    assert show_site(db).name.endswith("（初级、中级、高级）考核站点")
    assert page.name_label.text() == show_site(db).name


def test_the_staff_page_lists_the_roster_and_the_team_check(demo_window, qtmodeltester):
    page = staff_page(demo_window)
    assert page.roster_model.rowCount() == len(STAFF_TEAM)
    assert page.tabs.tabText(0) == f"考务人员（{len(STAFF_TEAM)}）"
    assert "岗位齐全" in page.team_label.text()
    qtmodeltester.check(page.roster_model)
    assert page.cap_spin.value() == 3


class FakeStaffDialog:
    values_given = StaffInput("新监考", "13900001111", "艺术设计学院", ("invigilator",))

    def __init__(self, person, parent) -> None:
        self.person = person

    def exec(self) -> bool:
        return True

    def values(self) -> StaffInput:
        return self.values_given


def test_adding_and_removing_a_person(demo_window, db, monkeypatch):
    page = staff_page(demo_window)
    page.staff_dialog = FakeStaffDialog
    page.add_button.click()
    assert "新监考" in [s.name for s in list_staff(db).staff]
    assert page.roster_model.rowCount() == len(STAFF_TEAM) + 1
    row = [s.name for s in page.roster_model.staff].index("新监考")
    page.roster_table.selectRow(row)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    page.remove_button.click()
    assert page.roster_model.rowCount() == len(STAFF_TEAM)


def test_automatic_then_hand_made_assignment(demo_window, db, tmp_path: Path, qtmodeltester):
    w.register(db, [w.Group(40)])
    page = staff_page(demo_window)
    page.refresh()
    page.tabs.setCurrentIndex(1)
    assert page.plan_code() == w.PLAN
    assert page.assign_model.rowCount() == len(plan_overview(db, w.PLAN).rows)
    page.assign_button.click()
    rows = page.assign_model.rows
    busy = [r for r in rows if r.candidates]
    assert busy and all(len(r.invigilators) == r.required for r in busy)
    qtmodeltester.check(page.assign_model)
    index = rows.index(busy[0])
    text = page.assign_model.index(index, 5).data()
    assert text == "、".join(a.name for a in busy[0].invigilators)

    chief = next(s.name for s in list_staff(db).staff if s.roles == ("chief",))

    class FakeManual:
        def __init__(self, explanation, parent) -> None:
            self.explanation = explanation

        def exec(self) -> bool:
            return True

        def changes(self):
            person = next(p for p in self.explanation.people if p.name == chief)
            assert [r.code for r in person.reasons] == ["staff.reason_not_invigilator"]
            return [person.uid], []

    page.manual_dialog = FakeManual
    page.assign_table.selectRow(index)
    page.manual_button.click()
    row = page.assign_model.rows[index]
    assert chief in [a.name for a in row.invigilators]
    warnings = page.assign_model.index(index, AssignmentModel.WARNINGS).data()
    assert f"{chief}：不是监考员" in warnings

    page.ask_path = lambda parent, suggested: tmp_path / suggested
    page.sheet_button.click()
    assert (tmp_path / f"监考人员表_{w.PLAN}.xlsx").exists()


def test_a_short_assignment_is_said_out_loud(demo_window, db, monkeypatch):
    w.register(db, [w.Group(40)])
    invigilators = [s for s in list_staff(db).staff if s.roles == ("invigilator",)]
    for person in invigilators[2:]:  # two invigilators left
        save_staff(db, StaffInput(person.name, roles=("logistics",)), person.uid)
    page = staff_page(demo_window)
    page.refresh()
    page.cap_spin.setValue(1)
    page.cap_button.click()
    assert list_staff(db).duty_cap == 1
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    page.assign_button.click()  # theory at 8:30 takes both; the practical has nobody
    assert len(shown) == 1 and "监考员不足" in shown[0] and "当天监考已达上限" in shown[0]
    assert "1 个场次监考员不足" in page.summary_label.text()


def test_models_pass_the_model_tester(qtmodeltester):
    roster = RosterModel()
    qtmodeltester.check(roster)
    assignments = AssignmentModel()
    qtmodeltester.check(assignments)


def test_a_new_database_creates_its_site_from_the_page(window: MainWindow, db):
    page = site_page(window)
    assert "还没有考核站点" in page.header.subtitle_label.text()
    assert not page.checks["servers"].isEnabled()
    page.fields["school"].setText("新学院")
    page.save_button.click()
    assert show_site(db).name == "新学院考核站点"
    assert page.checks["servers"].isEnabled()
    first = page.certificates.item(0)
    assert first.flags() & Qt.ItemFlag.ItemIsEnabled


def test_the_staff_dialog_round_trips_a_person(qtbot, demo_window, db):
    from examsite.ui.dialogs.staff_dialogs import StaffDialog

    person = next(s for s in list_staff(db).staff if s.majors)
    dialog = StaffDialog(person)
    qtbot.addWidget(dialog)
    values = dialog.values()
    assert (values.name, values.department, values.roles) == (
        person.name,
        person.department,
        person.roles,
    )
    assert values.majors == person.majors and values.daily_duty_cap is None
    dialog.majors.setText("530605：市场营销，电子商务")
    dialog.roles["sysadmin"].setChecked(True)
    dialog.cap.setValue(2)
    changed = dialog.values()
    assert [(m.code, m.name) for m in changed.majors] == [("530605", "市场营销"), ("", "电子商务")]
    assert "sysadmin" in changed.roles and changed.daily_duty_cap == 2


def test_the_manual_dialog_lists_everyone_with_the_reasons(qtbot, demo_window, db):
    from examsite.services.invigilation import assign_plan, explain
    from examsite.ui.dialogs.staff_dialogs import ManualDialog

    w.register(db, [w.Group(40)])
    assign_plan(db, w.PLAN)
    row = next(r for r in plan_overview(db, w.PLAN).rows if r.invigilators)
    explanation = explain(db, w.PLAN, row.room, row.session_uid)
    dialog = ManualDialog(explanation)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(list_staff(db).staff)
    texts = [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    assert any("不是监考员" in t for t in texts) and any(t.startswith("已安排") for t in texts)
    out = row.invigilators[0].name
    chief = next(s.name for s in list_staff(db).staff if s.roles == ("chief",))
    dialog.set_ticked(out, False)
    dialog.set_ticked(chief, True)
    add, remove = dialog.changes()
    names = {p.uid: p.name for p in explanation.people}
    assert [names[u] for u in add] == [chief] and [names[u] for u in remove] == [out]
