"""A room session drawn as a seating plan: a grid of seats, ``COLUMNS`` to a row (as the
seating rule numbers them), each with its number, the candidate's name and ticket number,
coloured by class (classmates share a colour; one sitting next to a classmate is marked);
and the small dialogs of the late changes, replaceable in tests (``ArrangementDialogs``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from examsite.domain.seating import COLUMNS, neighbours
from examsite.services.arrangement import RoomPlan, SeatView
from examsite.ui.dialogs.candidate_dialogs import IMPORT_FILTER
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose

# Light colours that keep black text readable; classes take them in turn.
PALETTE = (
    "#dbeafe",
    "#fde68a",
    "#bbf7d0",
    "#fbcfe8",
    "#ddd6fe",
    "#fed7aa",
    "#a5f3fc",
    "#e5e7eb",
    "#d9f99d",
    "#fecaca",
)
EMPTY = "#ffffff"
CELL_HEIGHT = 58
SEAT_ROLE = Qt.ItemDataRole.UserRole


def short_ticket(ticket: str) -> str:
    """A ticket as it fits a cell: the platform's 26-digit ones keep their last 14."""
    return ticket if len(ticket) <= 18 else "…" + ticket[-14:]


def class_colours(seats: tuple[SeatView, ...]) -> dict[str, str]:
    groups = sorted({s.group for s in seats if s.group})
    return {group: PALETTE[at % len(PALETTE)] for at, group in enumerate(groups)}


class SeatingPlan(QTableWidget):
    """The seats of one room session; ``seat_menu_requested(seat, global position)`` on a
    right click of an occupied seat."""

    seat_menu_requested = Signal(object, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, COLUMNS, parent)
        self.setObjectName("seatingPlan")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setHorizontalHeaderLabels([f"第{c + 1}列" for c in range(COLUMNS)])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Seat numbers are in the cells: the row numbers would only take width.
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(CELL_HEIGHT)
        font = self.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() - 1.5))
        self.setFont(font)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_self_custom_context_menu_requested)
        self.plan: RoomPlan | None = None

    def show_plan(self, plan: RoomPlan | None) -> None:
        self.plan = plan
        self.clearContents()
        if plan is None:
            self.setRowCount(0)
            return
        rows = max(
            1, -(-max(plan.capacity, max((s.seat for s in plan.seats), default=0)) // COLUMNS)
        )
        self.setRowCount(rows)
        colours = class_colours(plan.seats)
        by_seat = {s.seat: s for s in plan.seats}
        for number in range(1, rows * COLUMNS + 1):
            self.setItem(
                (number - 1) // COLUMNS,
                (number - 1) % COLUMNS,
                self._item(number, plan, by_seat, colours),
            )

    def _item(
        self,
        number: int,
        plan: RoomPlan,
        by_seat: dict[int, SeatView],
        colours: dict[str, str],
    ) -> QTableWidgetItem:
        seat = by_seat.get(number)
        item = QTableWidgetItem()
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if number > plan.capacity and seat is None:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            return item
        if seat is None:
            item.setText(f"{number}\n（空）")
            item.setBackground(QBrush(QColor(EMPTY)))
            return item
        beside = [
            n
            for n in neighbours(number, max(plan.capacity, number))
            if seat.group and n in by_seat and by_seat[n].group == seat.group
        ]
        mark = " ⚠" if beside else ""
        item.setText(f"{number}  {seat.name}{mark}\n{short_ticket(seat.ticket)}")
        item.setBackground(QBrush(QColor(colours.get(seat.group, EMPTY))))
        item.setForeground(QBrush(QColor("#111827")))
        klass = seat.group.split("/", 1)[-1] if seat.group else "无班级"
        tips = [
            f"{number} 号：{seat.name}（{seat.id_number}）",
            f"班级：{klass}",
            f"准考证号：{seat.ticket}{'（平台官方）' if seat.official else ''}",
        ]
        if beside:
            tips.append("与同班同学相邻：" + "、".join(f"{n} 号" for n in beside))
        if number > plan.capacity:
            tips.append(f"超出考试容量 {plan.capacity}")
        item.setToolTip("\n".join(tips))
        item.setData(SEAT_ROLE, seat)
        return item

    def seat_at(self, row: int, column: int) -> SeatView | None:
        item = self.item(row, column)
        value = item.data(SEAT_ROLE) if item is not None else None
        return value if isinstance(value, SeatView) else None

    def _on_self_custom_context_menu_requested(self, point: QPoint) -> None:
        index = self.indexAt(point)
        seat = self.seat_at(index.row(), index.column()) if index.isValid() else None
        if seat is not None:
            self.seat_menu_requested.emit(seat, self.viewport().mapToGlobal(point))


class MoveDialog(QDialog):
    """Choose the room (of the same session) and the seat (0: the best free one)."""

    def __init__(
        self, name: str, rooms: list[str], current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"调整考位：{name}")
        self.room_box = QComboBox()
        self.room_box.addItems(rooms)
        if current in rooms:
            self.room_box.setCurrentText(current)
        self.seat_box = QSpinBox()
        self.seat_box.setRange(0, 999)
        self.seat_box.setSpecialValueText("自动选择空座位")
        form = QFormLayout(self)
        form.addRow("考场", self.room_box)
        form.addRow("座位号", self.seat_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ArrangementDialogs(FileDialogs):
    """The questions the page asks; tests put a replacement in ``page.dialogs``."""

    def open_sheet(self, parent: QWidget) -> Path | None:
        return self.ask_open(Purpose.IMPORT, parent, "选择平台导出的排考明细", IMPORT_FILTER)

    def ask_move(
        self, parent: QWidget, name: str, rooms: list[str], current: str
    ) -> tuple[str, int | None] | None:
        dialog = MoveDialog(name, rooms, current, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        seat = dialog.seat_box.value()
        return dialog.room_box.currentText(), seat or None

    def ask_choice(
        self, parent: QWidget, title: str, prompt: str, choices: list[str]
    ) -> int | None:
        if not choices:
            return None
        text, ok = QInputDialog.getItem(parent, title, prompt, choices, 0, False)
        return choices.index(text) if ok and text in choices else None

    def confirm(self, parent: QWidget, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def show_refusal(self, parent: QWidget, text: str) -> None:
        QMessageBox.warning(parent, "没有完成", text)
