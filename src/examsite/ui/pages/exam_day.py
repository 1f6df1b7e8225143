"""The exam-day page (考试, step 10): check-in at the door and the day's incidents.

Tab 签到: pick the door (a room at one time; the one on now is chosen at first), a clock
with the session's phase on 003's timeline and the time to the next one, one scan field
that keeps the focus (a USB scanner types the ticket's QR code and Enter; a ticket or ID
number may be typed by hand), the candidate shown large with a green / amber / red
verdict, and the door's attendance list with its counts and the marks (缺考, 迟到,
提前离场, 违纪 …). Tab 突发情况: ``IncidentsPanel``. Every database call runs through
``self.jobs``; a scan is a change (the sidebar's figure follows).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPixmap, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.attendance import AttendanceStatus, Phase
from examsite.domain.workflow import Step
from examsite.messages.checkin import ATTENDANCE_TITLES, PHASE_TITLES
from examsite.services.arrangement import PlanChoice
from examsite.services.checkin import (
    DoorChoice,
    DoorList,
    ScanResult,
    door_choices,
    door_list,
    door_plans,
    scan,
)
from examsite.services.checkin_data import Counts, Door, SeatInfo, count
from examsite.services.checkin_marks import mark, mark_rest_absent
from examsite.ui.incidents_panel import IncidentsPanel
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.widgets import (
    PageHeader,
    ReadOnlyTable,
    button,
    chosen_code,
    label,
    page_layout,
    refill_combo,
)

COLUMNS = ("座位", "姓名", "准考证号", "科目", "状态", "时间", "备注")
SUBJECT_COLUMN = 3  # shown only at a door with two subjects (two certificates share a room)
PHOTO_SIZE = (118, 165)
STATUS_AFTER_MS = 8000  # the sidebar's figure is refreshed this long after the last scan  # the 295 × 413 photo at 40 %
#: What the clock says the next phase is.
NEXT_TITLES = {
    Phase.ENTRY_OPEN: "开始入场",
    Phase.LATE_ENTRY: "开考",
    Phase.ENTRY_CLOSED: "停止入场",
    Phase.ENDING_SOON: "结束前 15 分钟提醒",
    Phase.ENDED: "考试结束",
}
PHASE_TONES = {
    Phase.BEFORE_ENTRY: "idle",
    Phase.ENTRY_OPEN: "ok",
    Phase.LATE_ENTRY: "warn",
    Phase.ENTRY_CLOSED: "bad",
    Phase.ENDING_SOON: "warn",
    Phase.ENDED: "idle",
}
STATUS_COLOURS = {
    "present": "#1a7f37",
    "late": "#9a6700",
    "left_early": "#9a6700",
    "absent": "#cf222e",
    "refused_late": "#cf222e",
    "misconduct": "#cf222e",
}
#: The page's own look: the verdict banner, the clock, the big name.
STYLE = """
QLabel[role="verdict"] { border-radius: 6px; padding: 10px 14px; font-size: 15pt;
    font-weight: bold; }
QLabel[role="verdict"][tone="ok"] { background: #dafbe1; color: #116329;
    border: 2px solid #4ac26b; }
QLabel[role="verdict"][tone="warn"] { background: #fff8c5; color: #7d4e00;
    border: 2px solid #d4a72c; }
QLabel[role="verdict"][tone="bad"] { background: #ffebe9; color: #a40e26;
    border: 2px solid #ff8182; }
QLabel[role="verdict"][tone="idle"] { background: #f6f8fa; color: #656d76;
    border: 2px dashed #d0d7de; font-weight: normal; }
QLabel[role="clock"] { font-size: 26pt; font-weight: bold; color: #1f2328; }
QLabel[role="phase"] { border-radius: 4px; padding: 3px 10px; font-size: 11pt;
    font-weight: bold; }
QLabel[role="phase"][tone="ok"] { background: #dafbe1; color: #116329; }
QLabel[role="phase"][tone="warn"] { background: #fff8c5; color: #7d4e00; }
QLabel[role="phase"][tone="bad"] { background: #ffebe9; color: #a40e26; }
QLabel[role="phase"][tone="idle"] { background: #eaeef2; color: #57606a; }
QLabel[role="bigName"] { font-size: 24pt; font-weight: bold; color: #1f2328; }
QLabel[role="bigSeat"] { font-size: 16pt; font-weight: bold; color: #0550ae; }
QLabel#checkinPhoto { background: #f6f8fa; border: 1px solid #d0d7de; color: #8c959f; }
QLineEdit#checkinScan { font-size: 15pt; padding: 6px 10px; border: 2px solid #1f6feb;
    border-radius: 6px; }
QFrame#checkinCard { background: #ffffff; border: 1px solid #d0d7de; border-radius: 8px; }
"""


class ExamDayDialogs:
    """The page's questions; tests hand in a fake."""

    def ask_note(self, parent: QWidget, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, prompt)
        return text if ok else None

    def confirm(self, parent: QWidget, title: str, body: str) -> bool:
        answer = QMessageBox.question(parent, title, body)
        return answer == QMessageBox.StandardButton.Yes


def _set_tone(widget: QLabel, tone: str) -> None:
    widget.setProperty("tone", tone)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def _span(delta: dt.timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class CandidateCard(QFrame):
    """The scanned candidate, large: photo, name, masked ID, ticket, room and seat, and
    the verdict."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkinCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.photo = QLabel("照片")
        self.photo.setObjectName("checkinPhoto")
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = label("", "bigName")
        self.id_label = label("", "cardHint")
        self.ticket_label = label("", "cardHint")
        self.seat_label = label("", "bigSeat", wrap=True)
        self.subject_label = label("", "cardHint", wrap=True)
        self.verdict_label = label("等待扫码…", "verdict", wrap=True)
        self.verdict_label.setMinimumHeight(64)
        self.tip_label = label(
            "核对准考证和身份证（缺一不可），确认是本人后引导入座。", "cardHint", wrap=True
        )

        facts = QVBoxLayout()
        facts.setSpacing(4)
        for widget in (
            self.name_label,
            self.id_label,
            self.ticket_label,
            self.seat_label,
            self.subject_label,
        ):
            facts.addWidget(widget)
        facts.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(facts, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(12)
        layout.addWidget(self.verdict_label)
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addWidget(self.tip_label)
        _set_tone(self.verdict_label, "idle")

    def show_result(self, result: ScanResult) -> None:
        seat = result.seat
        self._show_photo(result.photo)
        if seat is None:
            self.name_label.setText("—")
            for widget in (self.id_label, self.ticket_label, self.seat_label, self.subject_label):
                widget.setText("")
            self.ticket_label.setText(f"扫到：{result.scanned}" if result.scanned else "")
        else:
            self.name_label.setText(seat.name)
            self.id_label.setText(f"证件号码　{seat.masked_id}")
            self.ticket_label.setText(f"准考证号　{seat.ticket}")
            where = (
                "应到 " if not result.accepted and result.verdict.value.startswith("wrong") else ""
            )
            self.seat_label.setText(f"{where}{seat.room}　{seat.seat} 号座位")
            self.subject_label.setText(f"{seat.subject}　{seat.session_start:%m月%d日 %H:%M}")
        self.verdict_label.setText(result.message)
        _set_tone(self.verdict_label, result.tone)

    def _show_photo(self, photo: bytes | None) -> None:
        pixmap = QPixmap()
        if photo and pixmap.loadFromData(photo):
            self.photo.setPixmap(
                pixmap.scaled(
                    *PHOTO_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.photo.setPixmap(QPixmap())
            self.photo.setText("无照片")


class ExamDayPage(BasePage):
    """Step 10: check-in at the door, and the incidents tab."""

    step = Step.EXAM_DAY

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: ExamDayDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.setStyleSheet(STYLE)
        self.dialogs = dialogs or ExamDayDialogs()
        self.doors: dict[str, Door] = {}
        self.seats: list[SeatInfo] = []
        self.last_result: ScanResult | None = None

        self.header = PageHeader("考试", "正在读取…")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("examDayPlan")
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(lambda _i: self._load_doors())
        self.rest_absent_button = button("未到者记为缺考…", self._on_rest_absent_clicked)
        self.rest_absent_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.header.add_beside_title(self.rest_absent_button, self.plan_combo)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("examDayTabs")
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.addTab(self._build_checkin_tab(), "签到")
        self.incidents = IncidentsPanel(self)
        self.tabs.addTab(self.incidents, "突发情况")
        self.tabs.currentChanged.connect(lambda _i: self._focus_scan())

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(8)
        layout.addWidget(self.tabs, 1)

        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._tick)
        self.clock_timer.start()
        self.status_timer = QTimer(self)
        self.status_timer.setSingleShot(True)
        self.status_timer.setInterval(STATUS_AFTER_MS)
        self.status_timer.timeout.connect(self.context.status.request)

    def _build_checkin_tab(self) -> QWidget:
        tab = QWidget()
        self.door_combo = QComboBox()
        self.door_combo.setObjectName("examDayDoor")
        self.door_combo.setMinimumWidth(330)
        self.door_combo.currentIndexChanged.connect(lambda _i: self._load_list())
        self.door_combo.activated.connect(lambda _i: self._focus_scan())
        # Chosen with the mouse, never focused: a scan typed into a focused combo box
        # would pick another door by its first letters.
        for combo in (self.door_combo, self.plan_combo):
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clock_label = label("--:--:--", "clock")
        self.phase_label = label("", "phase")
        self.next_label = label("", "pageHint")
        self.times_label = label("", "pageHint")
        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("checkinScan")
        self.scan_field.setPlaceholderText("扫码，或输入准考证号 / 证件号后回车")
        self.scan_field.returnPressed.connect(self._on_scan_field_return_pressed)

        clock_box = QGridLayout()
        clock_box.setHorizontalSpacing(12)
        clock_box.setVerticalSpacing(2)
        clock_box.addWidget(self.clock_label, 0, 0, 2, 1)
        clock_box.addWidget(self.phase_label, 0, 1, Qt.AlignmentFlag.AlignLeft)
        clock_box.addWidget(self.next_label, 1, 1)
        door_box = QVBoxLayout()
        door_box.setSpacing(4)
        door_box.addWidget(self.door_combo)
        door_box.addWidget(self.times_label)
        top = QHBoxLayout()
        top.setSpacing(20)
        top.addLayout(door_box)
        top.addLayout(clock_box)
        top.addStretch(1)

        self.card = CandidateCard()
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.scan_field)
        left.addWidget(self.card, 1)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = ReadOnlyTable(
            self.model,
            name="checkinList",
            widths={0: 44, 1: 80, 2: 160, 3: 130, 4: 80, 5: 56},
            stretch=6,
            row_height=26,
        )
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps it
        self.counts_label = label("", "pageHint", wrap=True)
        self.mark_buttons = [
            button("已签到", lambda: self._mark(AttendanceStatus.PRESENT)),
            button("缺考", lambda: self._mark(AttendanceStatus.ABSENT)),
            button("迟到", lambda: self._mark(AttendanceStatus.LATE)),
            button("提前离场…", lambda: self._mark(AttendanceStatus.LEFT_EARLY)),
            button("违纪…", lambda: self._mark(AttendanceStatus.MISCONDUCT), kind="danger"),
            button("撤销记录", lambda: self._mark(None)),
        ]
        marks = QHBoxLayout()
        marks.setSpacing(6)
        for widget in self.mark_buttons:
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for widget in self.mark_buttons:
            marks.addWidget(widget)
        marks.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(self.counts_label)
        right.addWidget(self.table, 1)
        right.addLayout(marks)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(left, 5)
        body.addLayout(right, 6)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        return tab

    # --- reading -----------------------------------------------------------------------

    @property
    def plan_code(self) -> str | None:
        return chosen_code(self.plan_combo)

    @property
    def door(self) -> Door | None:
        uid = self.door_combo.currentData()
        return self.doors.get(uid) if isinstance(uid, str) else None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._focus_scan()

    def refresh(self) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: door_plans(db), self._on_plans_loaded)

    def _on_plans_loaded(self, plans: tuple[PlanChoice, ...]) -> None:
        refill_combo(self.plan_combo, ((plan.name, plan.code) for plan in plans))
        self._load_doors()

    def _load_doors(self) -> None:
        code, db = self.plan_code, self.context.db
        if code is None:
            self.header.set_subtitle("没有考试计划。请先导入证书目录。")
            return
        self.incidents.set_plan(code)
        self.jobs.read(lambda _p: door_choices(db, code), self._on_doors_loaded)

    def _on_doors_loaded(self, choice: DoorChoice) -> None:
        chosen = self.door_combo.currentData() if self.doors else None
        self.doors = {d.room_session_uid: d for d in choice.doors}
        self.door_combo.blockSignals(True)
        self.door_combo.clear()
        for door in choice.doors:
            self.door_combo.addItem(door.label, door.room_session_uid)
        wanted = chosen if chosen in self.doors else choice.current
        self.door_combo.setCurrentIndex(max(self.door_combo.findData(wanted), 0))
        self.door_combo.blockSignals(False)
        if not choice.doors:
            self.header.set_subtitle("这个考试计划还没有排考。请先在“排考”中安排考场座位。")
            self._show_list(None)
            return
        self._load_list()

    def _load_list(self) -> None:
        door, code, db = self.door, self.plan_code, self.context.db
        self._tick()
        if door is None or code is None:
            return
        uid = door.room_session_uid
        self.jobs.read(lambda _p: door_list(db, code, uid), self._show_list)

    def _show_list(self, listing: DoorList | None) -> None:
        self.seats = list(listing.seats) if listing else []
        if listing is not None:
            self.doors[listing.door.room_session_uid] = listing.door  # its extension, fresh
        self.model.removeRows(0, self.model.rowCount())
        subjects = listing.door.subjects if listing else ()
        self.table.setColumnHidden(SUBJECT_COLUMN, len(subjects) < 2)
        for seat in self.seats:
            self.model.appendRow(self._row_items(seat))
        self._show_counts()
        self._tick()

    def _row_items(self, seat: SeatInfo) -> list[QStandardItem]:
        status = ATTENDANCE_TITLES.get(seat.status or "", seat.status or "")
        moment = seat.left_at if seat.status == "left_early" else seat.checked_in_at
        cells = [
            str(seat.seat),
            seat.name,
            seat.ticket,
            seat.subject,
            status,
            f"{moment:%H:%M}" if moment else "",
            seat.note,
        ]
        items = [QStandardItem(text) for text in cells]
        colour = STATUS_COLOURS.get(seat.status or "")
        if colour:
            items[4].setForeground(QBrush(QColor(colour)))
        items[0].setData(seat.seat_id, Qt.ItemDataRole.UserRole)
        return items

    def _show_counts(self) -> None:
        counts: Counts = count(self.seats)
        self.counts_label.setText(
            f"应到 {counts.seats} 人　已到 {counts.present}（迟到 {counts.late}）　"
            f"未签到 {counts.unmarked}　缺考 {counts.absent}　"
            f"提前离场 {counts.left_early}　违纪 {counts.misconduct}"
        )
        door = self.door
        if door is not None:
            self.header.set_subtitle(
                f"{door.room}：{'、'.join(door.subjects)}，已到 {counts.present}/{counts.seats}"
            )

    def _replace_seat(self, seat: SeatInfo) -> None:
        """Put a changed seat in the list in place (no re-read: a scan must be quick)."""
        for row, old in enumerate(self.seats):
            if old.seat_id == seat.seat_id:
                self.seats[row] = seat
                for column, item in enumerate(self._row_items(seat)):
                    self.model.setItem(row, column, item)
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                break
        self._show_counts()

    # --- the clock ---------------------------------------------------------------------

    def _tick(self) -> None:
        now = self.context.clock()
        self.clock_label.setText(f"{now:%H:%M:%S}")
        door = self.door
        if door is None:
            self.phase_label.setText("")
            self.next_label.setText("")
            self.times_label.setText("")
            return
        timeline = door.timeline
        extension = f"（延时 {door.extension_minutes} 分钟）" if door.extension_minutes else ""
        self.times_label.setText(
            f"{door.starts:%m月%d日} {door.starts:%H:%M}–{timeline.ends:%H:%M}{extension}　"
            f"{timeline.entry_opens:%H:%M} 入场，{timeline.entry_closes:%H:%M} 后禁止入场"
        )
        at = door.phase(now)
        self.phase_label.setText(PHASE_TITLES[at.phase])
        _set_tone(self.phase_label, PHASE_TONES[at.phase])
        if at.next_phase is None or at.until_next is None:
            self.next_label.setText("本场考试已结束")
        elif at.until_next > dt.timedelta(hours=12):
            self.next_label.setText(f"{door.starts:%m月%d日} 考试")
        else:
            self.next_label.setText(f"距{NEXT_TITLES[at.next_phase]} {_span(at.until_next)}")
        self.rest_absent_button.setEnabled(now > timeline.entry_closes)

    # --- scanning and marking -------------------------------------------------------------

    def _focus_scan(self) -> None:
        if self.tabs.currentIndex() == 0:
            self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_scan_field_return_pressed(self) -> None:
        code = self.scan_field.text()
        self.scan_field.clear()
        door, plan, db = self.door, self.plan_code, self.context.db
        if not code.strip():
            return
        if door is None or plan is None:
            self.context.notify("没有可签到的考场场次：请先在“排考”中安排考场座位")
            return
        uid = door.room_session_uid
        # A scan writes one row, but runs as a read job: no status refresh of the whole
        # round after each one (a second on 10,000 candidates, holding up the next scan);
        # the sidebar is refreshed once the door has been quiet a while. Not exclusive:
        # scans queue on the worker one after another, none is dropped.
        self.jobs.read(lambda _p: scan(db, plan, code, uid), self._show_scan)
        self.status_timer.start()

    def _show_scan(self, result: ScanResult) -> None:
        self.last_result = result
        self.card.show_result(result)
        door = self.door
        if (
            result.seat is not None
            and door is not None
            and result.seat.room_session_uid in door.room_session_uids
        ):
            self._replace_seat(result.seat)
        self._focus_scan()

    def _selected_seat(self) -> SeatInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.seats):
            return None
        return self.seats[rows[0].row()]

    def _mark(self, status: AttendanceStatus | None) -> None:
        seat, plan, db = self._selected_seat(), self.plan_code, self.context.db
        self._focus_scan()
        if seat is None or plan is None:
            self.context.notify("请先在名单中选中一名考生")
            return
        note: str | None = None
        if status in (AttendanceStatus.MISCONDUCT, AttendanceStatus.LEFT_EARLY):
            title = ATTENDANCE_TITLES[status.value]
            note = self.dialogs.ask_note(self.window(), title, f"{seat.name}：{title}的情况说明")
            self._focus_scan()
            if note is None:
                return
        uid = seat.room_session_uid
        self.jobs.change(
            lambda _p: mark(db, plan, seat.ticket, status, note=note, room_session_uid=uid),
            self._replace_seat,
        )

    def _on_rest_absent_clicked(self) -> None:
        door, plan, db = self.door, self.plan_code, self.context.db
        self._focus_scan()
        if door is None or plan is None:
            return
        unmarked = count(self.seats).unmarked
        if not unmarked or not self.dialogs.confirm(
            self.window(), "记为缺考", f"把 {door.room} 未签到的 {unmarked} 名考生记为缺考吗？"
        ):
            return
        uid = door.room_session_uid
        self.jobs.change(lambda _p: mark_rest_absent(db, plan, uid), lambda _n: self._load_list())
