"""The left column: the app's name, the next deadline, and the eleven steps with badges.

Its rows are compact enough for all twelve entries to show on a 1366×768 screen (the
window maximized under the taskbar); on a shorter window the list scrolls, with its
scroll bar showing.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.workflow import STEPS, Step, StepState
from examsite.messages import STEP_TITLES, render
from examsite.ui.status_watcher import RoundView
from examsite.ui.widgets import Badge, Card, label, repolish
from examsite.ui.wording import current_plan, deadline_headline, key_figure

DASHBOARD_TITLE = "概览"
ENTRIES: tuple[Step | None, ...] = (None, *STEPS)  # list rows: the dashboard, then the steps
ROW_PADDING = 4  # above and below a row's two lines


class StepRow(QWidget):
    """One entry of the list: number, title, key figure and (for a step) its badge."""

    def __init__(self, number: str, title: str, figure: str, with_badge: bool) -> None:
        super().__init__()
        self.setObjectName("stepRow")
        self.number_label = label(number, "stepNumber")
        self.number_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label = label(title, "stepTitle")
        self.figure_label = label(figure, "stepFigure")
        self.badge = Badge() if with_badge else None

        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(0)
        text.addWidget(self.title_label)
        text.addWidget(self.figure_label)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, ROW_PADDING, 12, ROW_PADDING)
        layout.setSpacing(10)
        layout.addWidget(self.number_label, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(text, 1)
        if self.badge is not None:
            layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)

    def set_selected(self, selected: bool) -> None:
        # Labels pick their selected colours up from the row's property.
        self.setProperty("selected", selected)
        for child in (self, self.number_label, self.title_label, self.figure_label):
            repolish(child)


class DeadlineCard(Card):
    """The highlighted card with the current plan's next deadline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="deadlineCard")
        self.caption_label = label("", "deadlineCaption")
        self.figure_label = label("", "deadlineFigure")
        self.date_label = label("", "deadlineDate")
        self.plan_label = label("", "deadlinePlan", wrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(1)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.caption_label, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addWidget(self.figure_label, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.date_label)
        layout.addWidget(self.plan_label)
        self.show_loading()

    def show_loading(self) -> None:
        self._set("正在读取考试计划…", "", "", "", urgent=False)

    def show_view(self, view: RoundView) -> None:
        plan = current_plan(view.status.plans)
        if plan is None:
            text = "本轮考试计划均已结束" if view.status.plans else "还没有考试计划"
            self._set(text, "", "", "", urgent=False)
            return
        headline = deadline_headline(plan, view.now)
        self._set(
            headline.caption, headline.figure, headline.date, plan.name, urgent=headline.urgent
        )

    def _set(self, caption: str, figure: str, date: str, plan: str, *, urgent: bool) -> None:
        self.caption_label.setText(caption)
        self.figure_label.setText(figure)
        self.figure_label.setVisible(bool(figure))
        self.date_label.setText(date)
        self.date_label.setVisible(bool(date))
        self.plan_label.setText(plan)
        self.plan_label.setToolTip(plan)
        self.plan_label.setVisible(bool(plan))
        self.setProperty("urgent", urgent)
        repolish(self)


class Sidebar(QFrame):
    """Emits ``step_selected(step)`` when the user picks an entry (None: the dashboard)."""

    step_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFixedWidth(292)

        self.app_label = label("考点助手", "appName")
        self.app_hint_label = label("1+X 职业技能等级证书考核站点", "appHint")
        self.deadline_card = DeadlineCard()

        self.list = QListWidget()
        self.list.setObjectName("stepList")
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A short window scrolls the steps: the bar shows whenever one is out of sight.
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)  # rows follow the list's width
        self.list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._rows: dict[Step | None, StepRow] = {}
        self._items: dict[Step | None, QListWidgetItem] = {}
        self._add_entry(None, "◆", DASHBOARD_TITLE, "本轮进度一览")
        for number, step in enumerate(STEPS, start=1):
            self._add_entry(step, str(number), STEP_TITLES[step], "")
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 8)
        layout.setSpacing(0)
        layout.addWidget(self.app_label)
        layout.addWidget(self.app_hint_label)
        layout.addSpacing(10)
        layout.addWidget(self.deadline_card)
        layout.addSpacing(8)
        layout.addWidget(self.list, 1)

    def _add_entry(self, step: Step | None, number: str, title: str, figure: str) -> None:
        row = StepRow(number, title, figure, with_badge=step is not None)
        row.ensurePolished()  # the style sheet's fonts decide the row's height
        item = QListWidgetItem(self.list)
        # The row is the item's accessible face; screen readers read the title.
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        item.setSizeHint(QSize(0, row.sizeHint().height()))
        self.list.setItemWidget(item, row)
        self._rows[step] = row
        self._items[step] = item

    def row(self, step: Step | None) -> StepRow:
        return self._rows[step]

    def item(self, step: Step | None) -> QListWidgetItem:
        return self._items[step]

    def current_step(self) -> Step | None:
        row = self.list.currentRow()
        return ENTRIES[row] if row >= 0 else None

    def select(self, step: Step | None) -> None:
        """Make ``step`` the current entry (emits ``step_selected`` if it changed)."""
        self.list.setCurrentItem(self._items[step])

    def show_view(self, view: RoundView) -> None:
        """Update the deadline card, the badges and the key figures."""
        self.deadline_card.show_view(view)
        for status in view.status.steps:
            row = self._rows[status.step]
            if row.badge is not None:
                row.badge.set_state(status.state)
            row.figure_label.setText(key_figure(status))
            row.setToolTip("\n".join(f"• {render(p)}" for p in status.problems))

    def show_loading(self) -> None:
        self.deadline_card.show_loading()
        for step, row in self._rows.items():
            if step is not None and row.badge is not None:
                row.badge.set_state(StepState.NOT_STARTED)
                row.figure_label.setText("")

    def _on_list_current_item_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if previous is not None:
            self._rows[ENTRIES[self.list.row(previous)]].set_selected(False)
        if current is not None:
            step = ENTRIES[self.list.row(current)]
            self._rows[step].set_selected(True)
            self.step_selected.emit(step)
