"""The results page's after-the-exam tab (考后): the papers to hand in and the monitoring-video file names.

Embedded by its page as a tab: made with the page (for its ``jobs`` and ``context``), told
the plan in view with ``set_plan``, and re-read with ``refresh``. Every database call runs
through ``page.jobs``. (A placeholder: another helper builds the tab.)
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from examsite.ui.pages.base import BasePage


class AfterExamPanel(QWidget):
    """The tab (being built: shows what it will hold)."""

    def __init__(self, page: BasePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.plan_code = ""
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("考后材料清单与监控录像文件名（建设中）"))

    def set_plan(self, plan_code: str) -> None:
        """Show ``plan_code`` (re-reads)."""
        self.plan_code = plan_code
        self.refresh()

    def refresh(self) -> None:
        """Re-read what the tab shows."""
