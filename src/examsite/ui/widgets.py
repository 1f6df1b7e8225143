"""Small widgets shared by the sidebar, the pages and the dialogs; their look is in
``style.qss``.

A page is built from ``page_layout`` (the margins every page has), a ``PageHeader``
(title, subtitle, the row of actions), ``button`` and, for lists to read,
``ReadOnlyTable``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Literal

from PySide6.QtCore import QAbstractItemModel, QMargins, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.workflow import StepState
from examsite.messages import STATE_TITLES
from examsite.ui.wording import clear_text, no_match_text

# What the system adds around a window: a Windows 10/11 title bar and borders at 100 %.
FRAME_MARGINS = QMargins(8, 32, 8, 8)


def screen_room(widget: QWidget) -> QSize:
    """The most a window of ``widget`` can be, title bar included, on its screen's work
    area (1366×728 on the commonest lab PC)."""
    screen = widget.screen()
    return screen.availableGeometry().marginsRemoved(FRAME_MARGINS).size()


def resize_within_screen(widget: QWidget, wanted: QSize) -> None:
    """Resize a dialog to ``wanted``, or less where its screen is smaller."""
    widget.resize(wanted.boundedTo(screen_room(widget)))


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


ButtonKind = Literal["", "primary", "danger", "link"]
BUTTON_NAMES = {"primary": "primaryButton", "danger": "dangerButton", "link": "linkButton"}


def button(
    text: str,
    on_clicked: Callable[[], object] | None = None,
    *,
    kind: ButtonKind = "",
    tooltip: str = "",
) -> QPushButton:
    """A push button: ``kind`` picks its look (the page's main action is "primary")."""
    widget = QPushButton(text)
    if kind:
        widget.setObjectName(BUTTON_NAMES[kind])
    if kind == "link":
        widget.setCursor(Qt.CursorShape.PointingHandCursor)
    if tooltip:
        widget.setToolTip(tooltip)
    if on_clicked is not None:
        widget.clicked.connect(on_clicked)
    return widget


PAGE_MARGINS = (36, 28, 36, 24)  # left, top, right, bottom


def page_layout(widget: QWidget) -> QVBoxLayout:
    """The vertical layout of a page's content, with the margins every page has."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(*PAGE_MARGINS)
    layout.setSpacing(0)
    return layout


def chosen_code(combo: QComboBox) -> str | None:
    """The code (item data) chosen in ``combo``, None when nothing is (an empty list)."""
    data = combo.currentData()
    return str(data) if data else None


def refill_combo(combo: QComboBox, items: Iterable[tuple[str, str]]) -> None:
    """Replace ``combo``'s items with ``items`` (text, data), keeping the item chosen
    before when it is still there (else the first), without emitting a change: the
    caller reloads what depends on the choice itself."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class PageHeader(QWidget):
    """The top of a page: the title, a subtitle that says where things stand, widgets
    beside the title (a search box), and the row of actions under it.

    ``add_actions`` puts buttons at the start of the row, ``add_end_actions`` at its end;
    the row stays hidden while it holds nothing (the dashboard has none).
    """

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageHeader")
        self.title_label = label(title, "pageTitle")
        self.subtitle_label = label(subtitle, "pageSubtitle", wrap=True)
        # 帮助 beside the title: the guide's section of this page, as F1 opens it.
        self.help_button = button(
            "帮助", self._on_help_button_clicked, kind="link", tooltip="本页的使用说明（F1）"
        )
        title_row = QHBoxLayout()
        title_row.setSpacing(12)
        title_row.addWidget(self.title_label)
        title_row.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        heading = QVBoxLayout()
        heading.setContentsMargins(0, 0, 0, 0)
        heading.setSpacing(4)
        heading.addLayout(title_row)
        heading.addWidget(self.subtitle_label)
        self._top = QHBoxLayout()
        self._top.setSpacing(8)
        self._top.addLayout(heading, 1)

        self.actions_bar = QWidget()
        self._start = QHBoxLayout()
        self._end = QHBoxLayout()
        row = QHBoxLayout(self.actions_bar)
        row.setContentsMargins(0, 16, 0, 0)
        for part in (self._start, self._end):
            part.setSpacing(8)
        row.addLayout(self._start)
        row.addStretch(1)
        row.addLayout(self._end)
        self.actions_bar.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._top)
        layout.addWidget(self.actions_bar)

    def set_subtitle(self, text: str) -> None:
        self.subtitle_label.setText(text)

    def _on_help_button_clicked(self) -> None:
        from examsite.ui.help_viewer import open_help
        from examsite.ui.pages.base import BasePage

        page = self.parentWidget()
        while page is not None and not isinstance(page, BasePage):
            page = page.parentWidget()
        open_help(self.window(), page.step if page is not None else None)

    def add_beside_title(self, *widgets: QWidget) -> None:
        """Widgets right of the title, level with the subtitle's last line."""
        for widget in widgets:
            self._top.addWidget(widget, 0, Qt.AlignmentFlag.AlignBottom)

    def add_actions(self, *widgets: QWidget) -> None:
        """Widgets at the start of the action row, in order."""
        for widget in widgets:
            self._start.addWidget(widget)
        self.actions_bar.show()

    def add_end_actions(self, *widgets: QWidget) -> None:
        """Widgets at the end of the action row, in order."""
        for widget in widgets:
            self._end.addWidget(widget)
        self.actions_bar.show()


class NoMatch(QWidget):
    """Stands in for an empty list when the search or the filters found nothing: says so,
    and offers to clear them (``clear_requested``)."""

    clear_requested = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.text_label = label("", "emptyText", wrap=True)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = button("", self.clear_requested.emit, kind="link")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(8)
        layout.addStretch(1)
        layout.addWidget(self.text_label)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_for(self, search: str, *, filtered: bool, things: str = "考生") -> None:
        """Word it for the search text and whether filters are on."""
        self.text_label.setText(no_match_text(search, filtered=filtered, things=things))
        self.clear_button.setText(clear_text(search, filtered=filtered))


class ReadOnlyTable(QTableView):
    """A table to read: no editing, no grid, no row numbers, a header that stays quiet.

    ``selectable``: a click picks one whole row (else nothing is picked and the table takes
    no focus). Columns: ``widths`` are starting widths the user may drag, ``stretch`` is
    the column that takes the spare width, ``fit`` are as wide as their content. Rows:
    ``row_height`` fixes their height; without it a table that ``wrap``s makes each row as
    tall as its text, as long as it has at most ``WRAP_ROWS_UP_TO`` rows (measuring more
    is slow), and follows the model when its rows change. ``scrollbars=False``: the page
    sizes the table to its rows.
    """

    WRAP_ROWS_UP_TO = 400

    def __init__(
        self,
        model: QAbstractItemModel,
        *,
        name: str,
        selectable: bool = True,
        wrap: bool = False,
        alternating: bool = False,
        widths: Mapping[int, int] | None = None,
        stretch: int | None = None,
        fit: Iterable[int] = (),
        row_height: int | None = None,
        header_alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
        | Qt.AlignmentFlag.AlignVCenter,
        scrollbars: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        if selectable:
            self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        else:
            self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setShowGrid(False)
        self.setWordWrap(wrap)
        self.setAlternatingRowColors(alternating)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        if not scrollbars:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()

        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(header_alignment)
        for column, width in (widths or {}).items():
            header.resizeSection(column, width)
        for column in fit:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

        self._wrap_rows = wrap and row_height is None
        if row_height is not None:
            self.set_row_height(row_height)
        elif self._wrap_rows:
            for changed in (model.modelReset, model.rowsInserted, model.rowsRemoved):
                changed.connect(self._fit_rows)
            self._fit_rows()
        else:
            self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def set_row_height(self, height: int) -> None:
        """Every row ``height`` pixels high."""
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(height)

    def _fit_rows(self, *_args: object) -> None:
        few = self.model().rowCount() <= self.WRAP_ROWS_UP_TO
        mode = QHeaderView.ResizeMode.ResizeToContents if few else QHeaderView.ResizeMode.Fixed
        self.verticalHeader().setSectionResizeMode(mode)


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
