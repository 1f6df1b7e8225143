"""The dashboard: figures, the deadlines table, problems that jump to their step."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from examsite.domain.workflow import Step, StepState
from examsite.services.candidates import CandidateForm, save_candidate
from examsite.services.catalog import load_catalog
from examsite.ui.main_window import MainWindow
from examsite.ui.models.deadlines import HEADERS, PAST, URGENT, DeadlinesModel
from examsite.ui.pages.dashboard import DashboardPage


def dashboard(window: MainWindow) -> DashboardPage:
    page = window.page(None)
    assert isinstance(page, DashboardPage)
    return page


def make_window(qtbot, db, runner, shown_errors, now: dt.datetime) -> MainWindow:
    win = MainWindow(runner, db, clock=lambda: now, present_error=shown_errors)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def test_an_empty_database_suggests_import_or_demo(window: MainWindow):
    page = dashboard(window)
    assert page.empty_card.isVisible()
    assert page.import_button.text() == "导入考生"
    assert page.demo_button.text() == "创建演示考点"
    for card in (page.candidates_card, page.registrations_card, page.rooms_card):
        assert card.value_label.text() == "0"
    assert page.problems_card.hint_label.text() == "没有需要处理的考生"
    assert page.no_problems_label.isVisible()
    assert "2027年数字营销技术应用全国统考" in page.header.subtitle_label.text()


def test_import_button_opens_the_candidates_page(qtbot, window: MainWindow):
    qtbot.mouseClick(dashboard(window).import_button, Qt.MouseButton.LeftButton)
    assert window.current_page() is window.page(Step.CANDIDATES)
    assert window.sidebar.current_step() is Step.CANDIDATES


def test_the_deadlines_table_shows_days_left_for_every_plan(window: MainWindow, now):
    model = dashboard(window).deadlines_model
    assert model.rowCount() == 3
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == list(HEADERS)
    names = [model.index(r, 0).data() for r in range(3)]
    assert names[0] == "2027年数字营销技术应用全国统考"
    assert model.index(0, 1).data() == "2027-01-07\n还剩 47 天"
    assert model.index(0, 3).data() == "2027-01-10\n还剩 49 天"  # 08:30, the exam starts
    for row in range(3):
        for column in range(1, 6):
            assert "还剩" in model.index(row, column).data()
    assert dashboard(window).deadlines_table.isVisible()


def test_past_windows_are_greyed_and_near_ones_red(db):
    plans = load_catalog(db).plans
    model = DeadlinesModel()
    model.set_plans(plans, dt.datetime(2027, 1, 9, 12, 0))
    registration = model.index(0, 1)
    assert registration.data() == "2027-01-07\n已结束"
    assert registration.data(Qt.ItemDataRole.ForegroundRole) == PAST
    arrangement = model.index(0, 2)
    assert arrangement.data() == "2027-01-09\n进行中，还剩 1 天"
    assert arrangement.data(Qt.ItemDataRole.ForegroundRole) == URGENT
    assert "至" in arrangement.data(Qt.ItemDataRole.ToolTipRole)


def test_deadlines_model_passes_the_model_tester(qtmodeltester, db, now):
    model = DeadlinesModel()
    model.set_plans(load_catalog(db).plans, now)
    qtmodeltester.check(model, force_py=True)


def test_a_problem_jumps_to_its_step(qtbot, db, runner, shown_errors):
    # A social candidate without a phone: incomplete (and without a photo yet).
    save_candidate(db, CandidateForm(kind="social", name="张三", id_number="11010519491231002X"))
    win = make_window(qtbot, db, runner, shown_errors, dt.datetime(2027, 1, 4, 9, 0))
    page = dashboard(win)
    # the registration step (built) warns of its deadline, four days away
    assert list(page.groups) == [Step.CANDIDATES, Step.REGISTRATION]
    group = page.groups[Step.CANDIDATES]
    assert "1 名考生信息不全" in group.problem_labels[0].text()
    assert page.problems_card.value_label.text() == "1"
    assert page.problems_card.hint_label.text() == "无照片 1 · 信息不全 1"
    assert not page.no_problems_label.isVisible()
    with qtbot.waitSignal(group.step_requested, timeout=1000) as asked:
        qtbot.mouseClick(group.jump_button, Qt.MouseButton.LeftButton)
    assert asked.args == [Step.CANDIDATES]
    assert win.current_page() is win.page(Step.CANDIDATES)


def test_a_step_without_its_page_neither_warns_nor_reads_done(
    qtbot, db, runner, shown_errors, monkeypatch
):
    # Four days before the registration deadline, with the registration page taken out of
    # the built steps.
    import examsite.services.status as status_module

    monkeypatch.setattr(status_module, "BUILT_STEPS", frozenset({Step.CANDIDATES, Step.PHOTOS}))
    win = make_window(qtbot, db, runner, shown_errors, dt.datetime(2027, 1, 4, 9, 0))
    assert Step.REGISTRATION not in dashboard(win).groups
    assert win.sidebar.row(Step.REGISTRATION).badge.state is StepState.NOT_STARTED


@pytest.fixture
def demo_module():
    return pytest.importorskip("examsite.services.demo")


def test_the_demo_button_fills_the_dashboard(qtbot, window: MainWindow, demo_module):
    page = dashboard(window)
    # The button's job creates 200 candidates; a small demo keeps the test quick.
    window.create_demo(candidates=20)
    assert not page.empty_card.isVisible()
    assert page.candidates_card.value_label.text() == "20"
    status = window.context.status.current.status
    with_problems = [s.step for s in status.steps if s.problems]
    assert list(page.groups) == with_problems
    for step, group in page.groups.items():
        assert len(group.problem_labels) == len(status.step(step).problems)
    if with_problems:
        step = with_problems[0]
        qtbot.mouseClick(page.groups[step].jump_button, Qt.MouseButton.LeftButton)
        assert window.current_page() is window.page(step)
        assert window.sidebar.row(step).badge.state is not StepState.NOT_STARTED


def test_the_demo_button_runs_the_demo_service(qtbot, window: MainWindow, demo_module, monkeypatch):
    monkeypatch.setattr("examsite.ui.main_window.DEMO_CANDIDATES", 12)
    qtbot.mouseClick(dashboard(window).demo_button, Qt.MouseButton.LeftButton)
    assert window.sidebar.row(Step.CANDIDATES).figure_label.text() == "12 名考生"
    assert "已创建演示考点：12 名考生" in window.statusBar().currentMessage()
    assert dashboard(window).demo_button.isEnabled()


def test_the_window_makes_the_demo_one_at_a_time(qtbot, window: MainWindow, monkeypatch):
    from examsite.services.demo import DemoResult

    page = dashboard(window)
    made: list[int] = []

    def fake_create_demo(db, *, candidates, progress):
        made.append(candidates)
        # While it runs the button and the menu's 打开 / 新建 are off, and a second
        # request queues nothing.
        assert not page.demo_button.isEnabled()
        assert not window.open_action.isEnabled() and not window.new_action.isEnabled()
        assert window.create_demo() is None
        return DemoResult(True, candidates, 0, 0, 0)

    monkeypatch.setattr("examsite.services.demo.create_demo", fake_create_demo)
    with qtbot.waitSignal(page.demo_requested, timeout=1000):
        qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    assert made == [200]
    assert page.demo_button.isEnabled() and window.open_action.isEnabled()
    assert window.statusBar().currentMessage() == (
        "已创建演示考点：200 名考生，0 张照片，0 个考场，0 名考务人员。"
    )
