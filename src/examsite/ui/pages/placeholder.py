"""The page of a step that is not built yet: what it will hold, in a friendly empty state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from examsite.domain.workflow import STEPS, Step
from examsite.messages import STEP_DESCRIPTIONS, STEP_TITLES
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.widgets import label

COMING_LATER = "此功能将在后续版本提供"


class PlaceholderPage(BasePage):
    """Says what the step's page will hold (``STEP_DESCRIPTIONS``)."""

    def __init__(self, context: PageContext, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.step = step
        number = STEPS.index(step) + 1

        self.title_label = label(f"第 {number} 步 · {STEP_TITLES[step]}", "emptyTitle")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.description_label = label(STEP_DESCRIPTIONS[step], "emptyText", wrap=True)
        self.description_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.description_label.setFixedWidth(560)
        self.later_label = label(COMING_LATER, "pill")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(16)
        layout.addStretch(2)
        layout.addWidget(self.title_label, 0, Qt.AlignmentFlag.AlignHCenter)
        # Centred by stretches, not an alignment flag: with a flag the layout ignores the
        # label's height-for-width and cuts the second line off.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.description_label)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(8)
        layout.addWidget(self.later_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
