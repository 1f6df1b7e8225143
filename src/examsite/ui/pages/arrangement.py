"""The arrangement page (排考): choose a plan, arrange, see each room session as a seating
plan, what has no seat, and make the late changes.

The list on the left holds the plan's room sessions (time, subject, room, seated/capacity)
and, under it, the records without a seat. The right shows the chosen room session as a
grid (``SeatingPlan``); a right click on a seat offers to move, swap or withdraw that
candidate. "开始排考" seats whoever has no seat (nobody seated moves); "补排考生" seats one
late registrant; "导入官方排考" takes the platform's 排考明细. Every database call runs
through ``self.jobs``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.workflow import Step
from examsite.errors import InputError
from examsite.messages import render
from examsite.progress import Progress
from examsite.services.arrangement import (
    ArrangeResult,
    PlanChoice,
    RoomPlan,
    SeatView,
    Unseated,
    arrangement_plans,
    room_plans,
    run_arrangement,
)
from examsite.services.arrangement_import import ImportedArrangement, import_arrangement
from examsite.services.seating_changes import ChangeResult, move, seat_late, swap, withdraw
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.pages.seating_plan import ArrangementDialogs, SeatingPlan
from examsite.ui.widgets import PageHeader, button, label, page_layout

HINT = (
    "开始排考只为还没有考位的考生排座，已排的考生不会移动；同班考生尽量不前后左右相邻。"
    "同色为同班，⚠ 为同班相邻；双击座位可调整，右键可调整、交换或退出排考。"
)


class ArrangementPage(BasePage):
    """Step 7: seats and ticket numbers."""

    step = Step.ARRANGEMENT

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: ArrangementDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.dialogs = dialogs or ArrangementDialogs()
        self.plans: tuple[RoomPlan, ...] = ()
        self.unseated: tuple[Unseated, ...] = ()
        self._plan_codes: list[str] = []
        self._choices: tuple[PlanChoice, ...] = ()

        self.header = PageHeader("排考", "正在读取…")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("arrangementPlan")
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_combo_current_index_changed)
        self.header.add_beside_title(self.plan_combo)
        self.run_button = button("开始排考", self._on_run_button_clicked, kind="primary")
        self.late_button = button("补排考生…", self._on_late_button_clicked)
        self.import_button = button("导入官方排考…", self._on_import_button_clicked)
        self.spread_check = QCheckBox("同班考生分开坐")
        self.spread_check.setChecked(True)
        self.header.add_actions(self.run_button, self.late_button, self.spread_check)
        self.header.add_end_actions(self.import_button)
        self.jobs.busy_changed.connect(self._on_jobs_busy_changed)
        self.lock_label = label("", "problemWarning", wrap=True)
        self.lock_label.hide()

        self.session_list = QListWidget()
        self.session_list.setObjectName("roomSessionList")
        self.session_list.currentRowChanged.connect(self._on_session_list_current_row_changed)
        self.unseated_title = label("", "sectionTitle")
        self.unseated_list = QListWidget()
        self.unseated_list.setObjectName("unseatedList")
        for widget in (self.session_list, self.unseated_list):
            widget.setWordWrap(True)
            widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(label("考场场次", "sectionTitle"))
        left.addWidget(self.session_list, 3)
        left.addWidget(self.unseated_title)
        left.addWidget(self.unseated_list, 2)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setFixedWidth(250)

        self.plan_title = label("", "sectionTitle", wrap=True)
        self.grid = SeatingPlan()
        self.grid.seat_menu_requested.connect(self._on_grid_seat_menu_requested)
        self.grid.cellDoubleClicked.connect(self._on_grid_cell_double_clicked)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.plan_title)
        right.addWidget(self.grid, 1)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(left_box)
        body.addLayout(right, 1)

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(8)
        layout.addWidget(label(HINT, "pageHint", wrap=True))
        layout.addWidget(self.lock_label)
        layout.addSpacing(10)
        layout.addLayout(body, 1)

    # --- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: arrangement_plans(db), self._on_plans_job_finished)

    @property
    def plan_code(self) -> str | None:
        at = self.plan_combo.currentIndex()
        return self._plan_codes[at] if 0 <= at < len(self._plan_codes) else None

    def _on_plans_job_finished(self, plans: tuple[PlanChoice, ...]) -> None:
        self._choices = plans
        current = self.plan_code
        codes = [p.code for p in plans]
        if codes != self._plan_codes:
            self.plan_combo.blockSignals(True)
            self.plan_combo.clear()
            for p in plans:
                self.plan_combo.addItem(f"{p.name}（{p.registrations} 人报考）")
            self._plan_codes = codes
            self.plan_combo.setCurrentIndex(codes.index(current) if current in codes else 0)
            self.plan_combo.blockSignals(False)
        self.load_plan()

    @property
    def closed(self) -> str:
        """The end of the chosen plan's exams when they are over ("" while open)."""
        at = self.plan_combo.currentIndex()
        return self._choices[at].closed if 0 <= at < len(self._choices) else ""

    def _apply_lock(self) -> None:
        # A plan whose exams are over is read-only: its seats are the exam's record.
        open_ = not self.closed and not self.jobs.busy
        for widget in (self.run_button, self.late_button, self.import_button, self.spread_check):
            widget.setEnabled(open_)
        self.lock_label.setVisible(bool(self.closed))
        if self.closed:
            self.lock_label.setText(
                f"这个考试计划的考试已于 {self.closed} 结束，排考结果只能查看，不能再更改。"
            )

    def _on_jobs_busy_changed(self, _busy: bool) -> None:
        self._apply_lock()

    def load_plan(self) -> None:
        self._apply_lock()
        code, db = self.plan_code, self.context.db
        if code is None:
            self.header.set_subtitle("没有考试计划。请先导入证书目录。")
            return
        # room_plans makes missing room sessions; nothing the step's status counts.
        self.jobs.read(lambda _p: room_plans(db, code), self._on_plan_job_finished)

    def _on_plan_job_finished(
        self, result: tuple[tuple[RoomPlan, ...], tuple[Unseated, ...]]
    ) -> None:
        self.show_plans(*result)

    def show_plans(self, plans: tuple[RoomPlan, ...], unseated: tuple[Unseated, ...]) -> None:
        """Show the room sessions and the records without a seat."""
        chosen = self.grid.plan.uid if self.grid.plan is not None else None
        self.plans, self.unseated = plans, unseated
        self.session_list.blockSignals(True)
        self.session_list.clear()
        for p in plans:
            item = QListWidgetItem(
                f"{p.starts_at:%m-%d %H:%M}  {p.room}  {len(p.seats)}/{p.capacity}\n{p.subject}"
            )
            if len(p.seats) > p.capacity:
                item.setForeground(Qt.GlobalColor.red)
            self.session_list.addItem(item)
        self.session_list.blockSignals(False)
        uids = [p.uid for p in plans]
        self.session_list.setCurrentRow(
            uids.index(chosen) if chosen in uids else (0 if plans else -1)
        )
        if not plans:
            self.grid.show_plan(None)
            self.plan_title.setText("这个考试计划还没有考场。请先在“考场”页设置考场。")
        waiting = [u for u in unseated if not u.withdrawn]
        out = [u for u in unseated if u.withdrawn]
        self.unseated_title.setText(
            f"没有考位（{len(waiting)}）" + (f"　已退出（{len(out)}）" if out else "")
        )
        self.unseated_list.clear()
        for u in unseated:
            mark = "　已退出" if u.withdrawn else ""
            self.unseated_list.addItem(f"{u.name}  {u.id_number}\n{u.subject}{mark}")
        seated = sum(len(p.seats) for p in plans)
        self.header.set_subtitle(
            f"{len(plans)} 个考场场次，已排 {seated} 个考位，{len(waiting)} 条科目报考记录没有考位"
        )

    def _on_plan_combo_current_index_changed(self, _index: int) -> None:
        self.grid.show_plan(None)
        self.load_plan()

    def _on_session_list_current_row_changed(self, row: int) -> None:
        plan = self.plans[row] if 0 <= row < len(self.plans) else None
        self.grid.show_plan(plan)
        if plan is not None:
            self.plan_title.setText(
                f"{plan.room}　{plan.subject}　{plan.starts_at:%m-%d %H:%M}　"
                f"已排 {len(plan.seats)}/{plan.capacity}"
            )

    # --- the run and the import --------------------------------------------------------

    def _on_run_button_clicked(self) -> None:
        code, db = self.plan_code, self.context.db
        if code is None:
            return
        strategy = "class-spread" if self.spread_check.isChecked() else "in-order"

        def job(progress: Progress) -> ArrangeResult:
            return run_arrangement(db, code, strategy, progress)

        self.jobs.change(
            job,
            self._on_run_job_finished,
            progress="正在排考…",
            on_input_error=self._show_refusal,
        )

    def _on_run_job_finished(self, result: ArrangeResult) -> None:
        self.context.notify(
            f"排考完成：新排 {result.seated} 个考位，保留 {result.kept} 个，新发准考证号 {result.tickets} 个。"
        )
        self.load_plan()

    def _show_refusal(self, error: InputError) -> None:
        lines = [error.message] + [
            f"· 第 {p.row} 行 {render(p)}" if p.row else f"· {render(p)}"
            for p in error.problems[:12]
        ]
        if len(error.problems) > 12:
            lines.append(f"……另有 {len(error.problems) - 12} 处")
        self.plan_title.setText("\n".join(lines[:1]))
        self.dialogs.show_refusal(self.window(), "\n".join(lines))

    def _on_import_button_clicked(self) -> None:
        path = self.dialogs.open_sheet(self.window())
        if path is not None:
            self.import_from(path)

    def import_from(self, path: Path) -> None:
        db, code = self.context.db, self.plan_code
        self.jobs.change(
            lambda _p: import_arrangement(db, path, code),
            self._on_import_job_finished,
            progress=f"正在导入官方排考：{path.name}",
            on_input_error=self._show_refusal,
        )

    def _on_import_job_finished(self, result: ImportedArrangement) -> None:
        extra = "；".join(render(p) for p in result.problems[:3])
        self.context.notify(
            f"已导入官方排考：准考证号 {result.tickets} 个，考位 {result.seats} 个。{extra}"
        )
        self.load_plan()

    # --- late changes ------------------------------------------------------------------

    def _on_late_button_clicked(self) -> None:
        people = sorted({(u.id_number, u.name) for u in self.unseated})
        choices = [f"{name}  {idn}" for idn, name in people]
        at = self.dialogs.ask_choice(self.window(), "补排考生", "为哪位考生安排考位：", choices)
        if at is not None and self.plan_code is not None:
            self._change(partial(seat_late, self.context.db, self.plan_code, people[at][0]))

    def _on_grid_seat_menu_requested(self, seat: SeatView, where: QPoint) -> None:
        if self.closed:
            return
        menu = QMenu(self)
        menu.addAction("调整考场或座位…", partial(self.ask_move, seat))
        menu.addAction("与其他考生交换…", partial(self.ask_swap, seat))
        menu.addAction("退出排考…", partial(self.ask_withdraw, seat))
        menu.popup(where)

    def _on_grid_cell_double_clicked(self, row: int, column: int) -> None:
        seat = self.grid.seat_at(row, column)
        if seat is not None and not self.closed and not self.jobs.busy:
            self.ask_move(seat)

    def ask_move(self, seat: SeatView) -> None:
        plan = self.grid.plan
        if plan is None or self.plan_code is None:
            return
        rooms = [p.room for p in self.plans if p.session_uid == plan.session_uid]
        answer = self.dialogs.ask_move(self.window(), seat.name, rooms, plan.room)
        if answer is not None:
            room, number = answer
            self._change(
                partial(
                    move,
                    self.context.db,
                    self.plan_code,
                    seat.id_number,
                    plan.session_uid,
                    room,
                    number,
                    shown=(plan.room, seat.seat),
                )
            )

    def ask_swap(self, seat: SeatView) -> None:
        plan = self.grid.plan
        if plan is None or self.plan_code is None:
            return
        others = [
            (s, p.room)
            for p in self.plans
            if p.session_uid == plan.session_uid
            for s in p.seats
            if s.id_number != seat.id_number
        ]
        choices = [f"{room} {s.seat} 号  {s.name}  {s.id_number}" for s, room in others]
        at = self.dialogs.ask_choice(
            self.window(), "交换考位", f"与 {seat.name} 交换考位的考生：", choices
        )
        if at is not None:
            self._change(
                partial(
                    swap,
                    self.context.db,
                    self.plan_code,
                    seat.id_number,
                    others[at][0].id_number,
                    plan.session_uid,
                    shown=((plan.room, seat.seat), (others[at][1], others[at][0].seat)),
                )
            )

    def ask_withdraw(self, seat: SeatView) -> None:
        if self.plan_code is None:
            return
        text = (
            f"让 {seat.name}（{seat.id_number}）退出排考？\n"
            "其所有科目的考位将被释放，报考和准考证号保留；之后可用“补排考生”恢复。"
        )
        if self.dialogs.confirm(self.window(), "退出排考", text):
            self._change(partial(withdraw, self.context.db, self.plan_code, seat.id_number))

    def _change(self, fn: partial[ChangeResult]) -> None:
        self.jobs.change(
            lambda _p: fn(), self._on_change_job_finished, on_input_error=self._on_change_refused
        )

    def _on_change_refused(self, error: InputError) -> None:
        self._show_refusal(error)
        if error.code.endswith("_elsewhere"):  # another computer changed the seats first
            self.load_plan()

    def _on_change_job_finished(self, result: ChangeResult) -> None:
        titles = {
            "seat": "已安排考位",
            "move": "已调整考位",
            "swap": "已交换考位",
            "withdraw": "已退出排考",
        }
        where = "；".join(
            f"{c.id_number} {c.room} {c.seat} 号" if c.seat else c.id_number for c in result.changes
        )
        self.context.notify(f"{titles.get(result.action, '已完成')}：{where}")
        self.load_plan()
