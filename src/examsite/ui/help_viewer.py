"""帮助 › 使用手册 (F1): the user guide, plain HTML from ``resources/guide/`` in a browser.

One section per workflow step (``<step>.html``), the dashboard's and the round's order in
``index.html``, accounts and personal data in ``accounts.html``. The window is not modal
and there is one per main window: F1 again shows the section of the page in view in it.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from examsite.domain.workflow import Step
from examsite.resources import resource_path
from examsite.ui.widgets import FRAME_MARGINS, button, resize_within_screen

GUIDE_DIR: Final = "guide"
INDEX: Final = "index.html"
ACCOUNTS: Final = "accounts.html"
TITLE: Final = "考点助手使用手册"
# Readable lines beside the main window on a 1366×768 screen (bounded to the screen).
SIZE: Final = QSize(760, 640)
OFFSET: Final = 48  # from the main window's top right corner
# The browser's own look: the style sheet does not reach into its document.
DOCUMENT_CSS: Final = """
body { font-size: 14px; line-height: 150%; }
h1 { font-size: 22px; margin-bottom: 8px; }
h2 { font-size: 17px; margin-top: 18px; margin-bottom: 4px; }
li { margin-bottom: 4px; }
a { color: #1565c0; }
"""


def section_name(step: Step | None) -> str:
    """The guide's file for ``step`` (None: the dashboard, the guide's index)."""
    return INDEX if step is None else f"{step.value}.html"


def section_url(name: str) -> QUrl:
    """The ``file:`` address of a section of the shipped guide."""
    return QUrl.fromLocalFile(str(resource_path(f"{GUIDE_DIR}/{name}")))


class HelpViewer(QWidget):
    """The guide's window: 目录 (the index), 后退 / 前进 and the section's text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpViewer")
        self.setWindowTitle(TITLE)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(True)  # none in the guide; a browser if ever
        self.browser.document().setDefaultStyleSheet(DOCUMENT_CSS)
        self.browser.document().setDocumentMargin(16)

        self.index_button = button("目录", self.show_index)
        self.back_button = button("← 后退", self.browser.backward)
        self.forward_button = button("前进 →", self.browser.forward)
        self.close_button = button("关闭", self.close)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        for widget in (self.index_button, self.back_button, self.forward_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        resize_within_screen(self, SIZE)

    def show_section(self, name: str) -> None:
        """Show the guide's file ``name`` (``index.html``, ``rooms.html``…) in front."""
        url = section_url(name)
        if self.browser.source() != url:
            self.browser.setSource(url)
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        if QGuiApplication.platformName() != "offscreen":  # no stacking there, and it warns
            self.raise_()
        self.activateWindow()

    def show_index(self) -> None:
        self.show_section(INDEX)


def place_beside(viewer: QWidget, window: QWidget) -> None:
    """Put ``viewer`` over the right part of ``window`` (the page, not the sidebar), its
    frame inside the screen's work area."""
    area = window.screen().availableGeometry()
    outer = viewer.size().grownBy(FRAME_MARGINS)
    x = window.frameGeometry().right() - outer.width() - OFFSET
    y = window.frameGeometry().top() + OFFSET
    x = max(area.left(), min(x, area.right() + 1 - outer.width()))
    y = max(area.top(), min(y, area.bottom() + 1 - outer.height()))
    viewer.move(x, y)


def open_help(window: QWidget, step: Step | None) -> HelpViewer:
    """Show the guide's section of ``step`` beside ``window``, in its one guide window."""
    viewer = window.findChild(HelpViewer)
    if viewer is None:
        viewer = HelpViewer(window)
        place_beside(viewer, window)
    viewer.show_section(section_name(step))
    return viewer
