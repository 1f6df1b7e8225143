"""帮助 › 使用手册 (F1): the guide's section of the page in view, in one non-modal window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtWidgets import QPushButton

from examsite.domain.workflow import STEPS, Step
from examsite.ui.help_viewer import INDEX, HelpViewer, section_name, section_url
from examsite.ui.main_window import MainWindow

SMALL_SCREEN = QSize(1366, 728)  # a 1366×768 screen above the taskbar


def press_f1(qtbot, window: MainWindow) -> HelpViewer:
    window.activateWindow()
    qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_F1)
    viewers = window.findChildren(HelpViewer)
    assert len(viewers) == 1, "one guide window, reused"
    return viewers[0]


def file_name(url: QUrl) -> str:
    """The section a ``file:`` address shows (``rooms.html``)."""
    return url.fileName()


@pytest.mark.parametrize("step", [None, *STEPS])
def test_f1_opens_the_section_of_the_page_in_view(qtbot, window: MainWindow, step: Step | None):
    window.show_step(step)
    assert window.current_page() is window.page(step)
    viewer = press_f1(qtbot, window)
    assert viewer.isVisible()
    assert not viewer.isModal()
    assert viewer.browser.source() == section_url(section_name(step))
    assert file_name(viewer.browser.source()) == (INDEX if step is None else f"{step}.html")
    assert "未找到" not in viewer.browser.toPlainText()
    assert len(viewer.browser.toPlainText()) > 150  # the section's text, not an empty page


def test_one_window_follows_the_page_in_view(qtbot, window: MainWindow):
    window.show_step(Step.ROOMS)
    first = press_f1(qtbot, window)
    window.show_step(Step.PHOTOS)
    second = press_f1(qtbot, window)
    assert second is first
    assert file_name(second.browser.source()) == "photos.html"
    assert window.isEnabled()  # not modal: the window goes on working behind it


def test_the_menu_has_the_guide_beside_about(window: MainWindow):
    help_menu = window.help_action.associatedObjects()[-1]
    texts = [action.text() for action in help_menu.actions()]
    assert texts.index("使用手册(&M)") < texts.index("关于考点助手(&A)")
    assert window.help_action.shortcut().toString() == "F1"
    window.show_step(Step.SYNC)
    window.help_action.trigger()
    viewer = window.findChild(HelpViewer)
    assert viewer is not None and file_name(viewer.browser.source()) == "sync.html"


def test_links_back_forward_and_contents(qtbot, window: MainWindow):
    window.show_step(None)
    viewer = press_f1(qtbot, window)
    assert not viewer.back_button.isEnabled()
    viewer.browser.setSource(section_url("staff.html"))  # what a click on the link does
    assert viewer.back_button.isEnabled()
    qtbot.mouseClick(viewer.back_button, Qt.MouseButton.LeftButton)
    assert file_name(viewer.browser.source()) == INDEX
    assert viewer.forward_button.isEnabled()
    qtbot.mouseClick(viewer.forward_button, Qt.MouseButton.LeftButton)
    assert file_name(viewer.browser.source()) == "staff.html"
    qtbot.mouseClick(viewer.index_button, Qt.MouseButton.LeftButton)
    assert file_name(viewer.browser.source()) == INDEX
    viewer.browser.setSource(section_url("accounts.html"))
    assert "恢复码" in viewer.browser.toPlainText()


def test_every_link_of_the_index_opens_a_section(qtbot, window: MainWindow):
    viewer = press_f1(qtbot, window)
    index = viewer.browser.source()
    after_href = viewer.browser.toHtml().split('href="')[1:]
    targets = [rest.split('"', 1)[0] for rest in after_href]
    assert len(targets) == len(STEPS) + 1
    for target in targets:
        viewer.browser.setSource(index.resolved(QUrl(target)))
        assert file_name(viewer.browser.source()) == target
        assert viewer.browser.document().toPlainText().strip()


def test_the_window_fits_a_small_screen(qtbot, window: MainWindow):
    viewer = press_f1(qtbot, window)
    assert viewer.width() <= SMALL_SCREEN.width() and viewer.height() <= SMALL_SCREEN.height()
    area = window.screen().availableGeometry()
    assert area.contains(viewer.geometry()), (area, viewer.geometry())
    assert viewer.minimumSizeHint().width() <= 600
    viewer.close()
    assert not viewer.isVisible()
    assert press_f1(qtbot, window) is viewer and viewer.isVisible()


@pytest.mark.parametrize("step", [None, Step.CANDIDATES, Step.EXAM_DAY])
def test_the_help_button_of_a_page_opens_its_section(qtbot, window: MainWindow, step: Step | None):
    window.show_step(step)
    page = window.page(step)
    headers = [b for b in page.findChildren(QPushButton) if b.text() == "帮助"]
    assert len(headers) == 1 and headers[0].isVisible()
    qtbot.mouseClick(headers[0], Qt.MouseButton.LeftButton)
    viewer = window.findChild(HelpViewer)
    assert viewer is not None and viewer.isVisible()
    assert viewer.browser.source() == section_url(section_name(step))
    window.show_step(Step.ROOMS)
    rooms_help = [
        b for b in window.page(Step.ROOMS).findChildren(QPushButton) if b.text() == "帮助"
    ]
    qtbot.mouseClick(rooms_help[0], Qt.MouseButton.LeftButton)
    assert window.findChildren(HelpViewer) == [viewer]
    assert file_name(viewer.browser.source()) == "rooms.html"
