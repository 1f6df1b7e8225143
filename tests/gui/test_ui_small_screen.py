"""The window on a 1366×768 screen (a work area of 1366×728 above the taskbar), the
commonest lab PC: it opens inside the screen, the sidebar shows every step, no page cuts
a label off — maximized there, and at the window's minimum size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication
from test_ui_main_window import clipped_labels

from examsite.domain.workflow import STEPS
from examsite.ui.main_window import FRAME_MARGINS, MINIMUM_SIZE, PREFERRED_SIZE, MainWindow
from examsite.ui.sidebar import ENTRIES

WORK_AREA = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-pixel taskbar
# The window maximized there: the work area less the title bar and borders.
MAXIMIZED = WORK_AREA.marginsRemoved(FRAME_MARGINS).size()


def settle() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()


def resize(window: MainWindow, size: QSize) -> None:
    window.resize(size)
    settle()
    assert window.size() == size


@pytest.fixture
def demo_window(window: MainWindow) -> MainWindow:
    """The window with the demo site, so the cards and the deadline card hold text."""
    pytest.importorskip("examsite.services.demo")
    window.create_demo(candidates=30)
    return window


def test_a_small_screen_maximizes_the_window_inside_its_work_area(window: MainWindow):
    assert window.fit_to_screen(WORK_AREA) is True
    frame = window.geometry().marginsAdded(FRAME_MARGINS)
    assert WORK_AREA.contains(frame), frame
    minimum = QRect(QPoint(0, 0), window.minimumSize()).marginsAdded(FRAME_MARGINS)
    assert minimum.width() <= WORK_AREA.width() and minimum.height() <= WORK_AREA.height()
    settle()
    bar = window.statusBar()
    bar_rect = QRect(bar.mapToGlobal(QPoint(0, 0)), bar.size())
    assert bar.isVisible() and WORK_AREA.contains(bar_rect), bar_rect


def test_a_large_screen_opens_the_usual_size_centred(window: MainWindow):
    screen = QRect(0, 0, 1920, 1040)
    assert window.fit_to_screen(screen) is False
    assert window.size() == PREFERRED_SIZE
    assert window.geometry().center().x() in (959, 960)
    assert window.minimumSize() == MINIMUM_SIZE


def test_a_tiny_screen_never_gets_a_minimum_larger_than_itself(window: MainWindow):
    screen = QRect(0, 0, 1093, 582)  # 1366×768 at 125 %
    assert window.fit_to_screen(screen) is True
    inner = screen.marginsRemoved(FRAME_MARGINS).size()
    assert window.minimumSize().width() <= inner.width()
    assert window.minimumSize().height() <= inner.height()


def visible_rows(window: MainWindow) -> list[bool]:
    steps = window.sidebar.list
    viewport = steps.viewport().rect()
    return [
        viewport.contains(steps.visualItemRect(window.sidebar.item(entry))) for entry in ENTRIES
    ]


def test_every_step_shows_in_the_maximized_window(demo_window: MainWindow):
    resize(demo_window, MAXIMIZED)
    assert visible_rows(demo_window) == [True] * (len(STEPS) + 1)
    assert not demo_window.sidebar.list.verticalScrollBar().isVisible()
    for entry in ENTRIES:
        row = demo_window.sidebar.row(entry)
        assert row.height() >= row.sizeHint().height(), entry
    assert clipped_labels(demo_window) == []


def test_a_short_window_scrolls_the_steps_with_a_scroll_bar(demo_window: MainWindow):
    resize(demo_window, QSize(MINIMUM_SIZE.width(), MINIMUM_SIZE.height()))
    rows = visible_rows(demo_window)
    if not all(rows):
        assert demo_window.sidebar.list.verticalScrollBar().isVisible()
    demo_window.sidebar.list.scrollToBottom()
    assert visible_rows(demo_window)[-1]


@pytest.mark.parametrize("size", [MAXIMIZED, MINIMUM_SIZE], ids=["maximized", "minimum"])
def test_no_page_cuts_a_label_off_on_a_small_screen(demo_window: MainWindow, size: QSize):
    resize(demo_window, size)
    for entry in ENTRIES:
        demo_window.show_step(entry)
        settle()
        assert clipped_labels(demo_window) == [], entry


def test_dialogs_are_never_larger_than_their_screen(qtbot):
    from PySide6.QtWidgets import QDialog

    from examsite.ui.widgets import resize_within_screen, screen_room

    dialog = QDialog()
    qtbot.addWidget(dialog)
    resize_within_screen(dialog, QSize(5000, 5000))
    assert dialog.size() == screen_room(dialog)
    resize_within_screen(dialog, QSize(400, 300))
    assert dialog.size() == QSize(400, 300)
