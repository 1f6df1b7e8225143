"""The results page's statistics tab (统计): pass rates, absences and score distributions as tables and charts.

Embedded by its page as a tab: made with the page (for its ``jobs`` and ``context``), told
the plan in view with ``set_plan``, and re-read with ``refresh``. Every database call runs
through ``page.jobs``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from examsite.ui.pages.base import BasePage


class StatisticsPanel(QWidget):
    """The tab (being built: shows what it will hold)."""

    def __init__(self, page: BasePage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.plan_code = ""
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("统计（建设中）"))

    def set_plan(self, plan_code: str) -> None:
        """Show ``plan_code`` (re-reads)."""
        self.plan_code = plan_code
        self.refresh()

    def refresh(self) -> None:
        """Re-read what the tab shows."""
