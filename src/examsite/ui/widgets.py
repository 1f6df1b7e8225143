"""Small widgets shared by the sidebar and the pages; their look is in ``style.qss``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget

from examsite.domain.workflow import StepState
from examsite.messages import STATE_TITLES


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property that it selects on changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def label(text: str = "", role: str = "", *, wrap: bool = False) -> QLabel:
    """A label whose look comes from the style sheet's ``QLabel[role="..."]`` rule."""
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


class Badge(QLabel):
    """A coloured pill with a step's state: 已完成, 有问题, 进行中, 未开始."""

    def __init__(
        self, state: StepState = StepState.NOT_STARTED, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("badge")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._state: StepState | None = None
        self.set_state(state)

    @property
    def state(self) -> StepState | None:
        return self._state

    def set_state(self, state: StepState) -> None:
        if state is self._state:
            return
        self._state = state
        self.setText(STATE_TITLES[state])
        self.setProperty("state", state.value)
        repolish(self)


class Card(QFrame):
    """A white rounded box with a thin border."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "card") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
