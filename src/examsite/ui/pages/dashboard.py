"""The dashboard (概览): the round's figures, the plans' deadlines and what needs fixing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.workflow import STEPS, Step, StepState
from examsite.messages import (
    CANDIDATE_ISSUE_TITLES,
    CANDIDATE_STATUS_TITLES,
    STEP_TITLES,
    render,
)
from examsite.services.status import RoundStatus, StepStatus
from examsite.ui.models.deadlines import DeadlinesModel
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.status_watcher import RoundView
from examsite.ui.widgets import (
    Badge,
    Card,
    PageHeader,
    ReadOnlyTable,
    button,
    label,
    page_layout,
    repolish,
)
from examsite.ui.wording import current_plan


class NumberCard(Card):
    """A big figure with a caption above and a hint below."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="numberCard")
        self.caption_label = label(caption, "cardCaption")
        self.value_label = label("—", "cardValue")
        self.hint_label = label("", "cardHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(2)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.hint_label)

    def set(self, value: int, hint: str, *, alert: bool = False) -> None:
        self.value_label.setText(f"{value:,}")
        self.hint_label.setText(hint)
        self.value_label.setProperty("alert", alert)
        repolish(self.value_label)


class ProblemGroup(Card):
    """The problems of one step, with a button that asks for the step's page."""

    step_requested = Signal(object)  # Step

    def __init__(self, status: StepStatus) -> None:
        super().__init__(name="problemCard")
        self.step = status.step
        number = STEPS.index(status.step) + 1
        title = STEP_TITLES[status.step]
        heading = label(f"{number}  {title}", "groupTitle")
        self.jump_button = button(f"前往“{title}” →", self._on_jump_button_clicked, kind="link")

        header = QHBoxLayout()
        header.setSpacing(10)
        header.addWidget(heading)
        header.addWidget(Badge(status.state))
        header.addStretch(1)
        header.addWidget(self.jump_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 14)
        layout.setSpacing(6)
        layout.addLayout(header)
        self.problem_labels = []
        for problem in status.problems:
            role = "problemError" if problem.is_error else "problemWarning"
            text = label(f"•  {render(problem)}", role, wrap=True)
            self.problem_labels.append(text)
            layout.addWidget(text)

    def _on_jump_button_clicked(self) -> None:
        self.step_requested.emit(self.step)


class DashboardPage(BasePage):
    """The first page: how far the round is, what is due and what is wrong.

    创建演示考点 emits ``demo_requested``; the window makes the demo (the one place that
    does) and turns the button off meanwhile with ``set_demo_enabled``.
    """

    step = None
    demo_requested = Signal()

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.groups: dict[Step, ProblemGroup] = {}

        self.header = PageHeader("概览", "正在读取…")

        self.empty_card = self._build_empty_card()
        self.empty_box = QWidget()  # the card and the gap below it, hidden together
        empty_layout = QVBoxLayout(self.empty_box)
        empty_layout.setContentsMargins(0, 0, 0, 20)
        empty_layout.addWidget(self.empty_card)
        self.empty_box.hide()

        self.candidates_card = NumberCard("考生")
        self.registrations_card = NumberCard("报考")
        self.rooms_card = NumberCard("考场")
        self.problems_card = NumberCard("需处理的考生")
        cards = QHBoxLayout()
        cards.setSpacing(16)
        for card in (
            self.candidates_card,
            self.registrations_card,
            self.rooms_card,
            self.problems_card,
        ):
            cards.addWidget(card, 1)

        self.deadlines_model = DeadlinesModel()
        self.deadlines_table = ReadOnlyTable(
            self.deadlines_model,
            name="deadlinesTable",
            selectable=False,
            wrap=True,
            stretch=0,
            fit=range(1, self.deadlines_model.columnCount()),
            row_height=self._row_height(),
            header_alignment=Qt.AlignmentFlag.AlignCenter,
            scrollbars=False,
        )

        self.problems_box = QVBoxLayout()
        self.problems_box.setSpacing(12)
        self.no_problems_label = label("目前没有需要处理的问题。", "okText")

        content = QWidget()
        content.setObjectName("pageContent")
        layout = page_layout(content)
        layout.addWidget(self.header)
        layout.addSpacing(20)
        layout.addWidget(self.empty_box)
        layout.addLayout(cards)
        layout.addSpacing(28)
        layout.addWidget(label("考试计划与截止时间", "sectionTitle"))
        layout.addSpacing(10)
        layout.addWidget(self.deadlines_table)
        layout.addSpacing(28)
        layout.addWidget(label("待解决的问题", "sectionTitle"))
        layout.addSpacing(10)
        layout.addWidget(self.no_problems_label)
        layout.addLayout(self.problems_box)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setObjectName("pageScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        context.status.refreshed.connect(self._on_status_refreshed)
        if context.status.current is not None:
            self.show_view(context.status.current)

    def _build_empty_card(self) -> Card:
        card = Card(name="emptyCard")
        title = label("这个考点数据库还是空的", "emptyCardTitle")
        text = label(
            "从平台下载的考生模板开始：先导入考生，再检查照片、报考和安排考场。"
            "想先看看完整的流程，可以创建一个演示考点（200 名虚构考生）。",
            "emptyCardText",
            wrap=True,
        )
        self.import_button = button("导入考生", self._on_import_button_clicked, kind="primary")
        self.demo_button = button("创建演示考点", self._on_demo_button_clicked)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        return card

    def _on_status_refreshed(self, view: RoundView) -> None:
        self.show_view(view)

    def show_view(self, view: RoundView) -> None:
        status = view.status
        self.header.set_subtitle(_subtitle(view))
        self.empty_box.setVisible(_is_empty(status))
        self._show_numbers(status)
        self.deadlines_model.set_plans(view.plans, view.now)
        self._fit_table()
        self._show_problems(status)

    def _show_numbers(self, status: RoundStatus) -> None:
        counts = status.candidates
        by_status = sorted(counts.by_status.items(), key=lambda kv: -kv[1])
        hint = " · ".join(f"{CANDIDATE_STATUS_TITLES.get(k, k)} {v}" for k, v in by_status[:2])
        self.candidates_card.set(counts.total, hint or "尚未导入考生")
        records = status.step(Step.REGISTRATION).summary.get("subject_records", 0)
        self.registrations_card.set(status.registrations, f"{records} 条科目记录")
        seats = status.step(Step.ROOMS).summary.get("seats", 0)
        self.rooms_card.set(status.rooms, f"共 {seats} 个考位")
        # The same count as the candidates page's "N 名需要处理", each candidate once.
        issues = [
            f"{CANDIDATE_ISSUE_TITLES[issue]} {counts.by_issue[issue]}"
            for issue in CANDIDATE_ISSUE_TITLES
            if counts.by_issue.get(issue)
        ]
        hint = " · ".join(issues) if issues else "没有需要处理的考生"
        self.problems_card.set(counts.to_handle, hint, alert=counts.to_handle > 0)

    def _row_height(self) -> int:
        # Two lines a row: the date and the days left.
        return 2 * self.fontMetrics().lineSpacing() + 22

    def _fit_table(self) -> None:
        # The table is as tall as its rows: no scrolling.
        table = self.deadlines_table
        row_height = self._row_height()
        table.set_row_height(row_height)
        rows = row_height * self.deadlines_model.rowCount()
        height = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth()
        table.setFixedHeight(height)

    def _show_problems(self, status: RoundStatus) -> None:
        for group in self.groups.values():
            self.problems_box.removeWidget(group)
            group.hide()  # out of the layout, it would keep a stale size until deleted
            group.deleteLater()
        self.groups = {}
        for step_status in status.steps:
            if step_status.problems:
                group = ProblemGroup(step_status)
                group.step_requested.connect(self._on_group_step_requested)
                self.groups[step_status.step] = group
                self.problems_box.addWidget(group)
        self.no_problems_label.setVisible(not self.groups)

    def _on_group_step_requested(self, step: Step) -> None:
        self.context.navigate(step)

    def _on_import_button_clicked(self) -> None:
        self.context.navigate(Step.CANDIDATES)

    def _on_demo_button_clicked(self) -> None:
        self.demo_requested.emit()

    def set_demo_enabled(self, enabled: bool) -> None:
        """Whether 创建演示考点 can be clicked (not while the window is busy)."""
        self.demo_button.setEnabled(enabled)


def _is_empty(status: RoundStatus) -> bool:
    return status.candidates.total == 0 and all(
        s.state is StepState.NOT_STARTED for s in status.steps
    )


def _subtitle(view: RoundView) -> str:
    plan = current_plan(view.status.plans)
    site = view.status.site_name
    parts = [f"当前考试计划：{plan.name}" if plan else "没有进行中的考试计划"]
    parts.append(f"数据更新于 {view.now:%H:%M}")
    # The site's name is long (school + certificate): it gets a line of its own.
    return "\n".join([site, "　·　".join(parts)] if site else ["　·　".join(parts)])
