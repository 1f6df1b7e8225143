"""文件 › 清除到期个人信息…: each round's retention date, and the purge of a due round's
personal data after the director has seen what goes (PIPL art. 19).

The dialog lists the rounds (exam plans with registrations) with their retention dates;
for a due one it shows the preview — the counts, the candidates whose data goes and those
kept for another round, and what the director must know (the audit log keeps its entries;
the backup holds the data) — and purges once the director ticks the confirmation (and, on
a school server, that the IT staff's pg_dump is done). The periods (the site's default,
the round's own) are set here too. Everything runs on the worker through ``PageJobs``;
the services refuse anyone but the director.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.retention import MAX_MONTHS
from examsite.messages import KIND_TITLES, text
from examsite.services import retention
from examsite.ui.widgets import ReadOnlyTable, button, chosen_code, label, resize_within_screen

if TYPE_CHECKING:
    from examsite.progress import Progress
    from examsite.storage.db import Database
    from examsite.ui.tasks import PageJobs

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS: Final = ("身份证号", "姓名", "类别", "手机号", "照片", "处理")
_KEPT_COLOR: Final = QColor("#1a7f37")
_GONE_COLOR: Final = QColor("#cf222e")


class PurgeModel(QAbstractTableModel):
    """The preview's candidates: those whose data goes, then those kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[retention.PurgeCandidate] = []

    def set_rows(self, rows: Sequence[retention.PurgeCandidate]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cells(row)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == len(HEADERS) - 1:
            return _KEPT_COLOR if row.kept_for else _GONE_COLOR
        return None


def _cells(row: retention.PurgeCandidate) -> tuple[str, ...]:
    what = ("保留（仍在 " + "、".join(row.kept_for) + "）") if row.kept_for else "清除"
    return (
        row.id_number,
        row.name,
        KIND_TITLES.get(row.kind, row.kind),
        "有" if row.phone else "无",
        "有" if row.photo else "无",
        what,
    )


class RetentionDialog(QDialog):
    """The rounds, the preview of a due one, and the purge; see the module."""

    def __init__(self, jobs: PageJobs, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self.setWindowTitle("清除到期个人信息")
        self.jobs, self.db = jobs, db
        self.status: retention.RetentionStatus | None = None
        self.preview: retention.PurgePreview | None = None
        self.on_server = db.file_path is None

        self.round_combo = QComboBox()
        self.round_combo.setObjectName("retentionRound")
        self.round_combo.currentIndexChanged.connect(self._on_round_combo_changed)
        self.round_label = label("", "dialogHint", wrap=True)
        self.default_spin = _months_spin("retentionDefault")
        self.plan_spin = _months_spin("retentionPlanMonths")
        self.save_default_button = button("保存", self._on_save_default_clicked)
        self.save_plan_button = button("保存", self._on_save_plan_clicked)
        self.counts_label = label("", "", wrap=True)
        self.counts_label.setObjectName("retentionCounts")
        self.model = PurgeModel(self)
        self.table = ReadOnlyTable(
            self.model,
            name="retentionTable",
            selectable=False,
            widths={0: 300, 1: 110, 2: 90, 3: 70, 4: 60},
            stretch=5,
            row_height=28,
        )
        self.notes_label = label("", "dialogHint", wrap=True)
        self.notes_label.setText("\n".join("· " + note for note in retention.preview_notes()))
        self.server_box = QCheckBox("学校信息中心已用 pg_dump 为服务器上的数据库做好了备份")
        self.server_box.setVisible(self.on_server)
        self.confirm_box = QCheckBox("我已看过上面的清单，确认清除（清除后不能撤销）")
        for box in (self.server_box, self.confirm_box):
            box.toggled.connect(self._update)
        self.result_label = label("", "dialogHint", wrap=True)
        self.purge_button = button("先备份，再清除", self._on_purge_clicked, kind="danger")
        self.close_button = button("关闭", self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(
            label(
                "考生的个人信息只保存到成绩公布期结束后的保存期限为止（个人信息保护法第十九条）。"
                "期满后，由考点负责人在这里清除；清除前会先备份。",
                "dialogHint",
                wrap=True,
            )
        )
        top = QHBoxLayout()
        top.addWidget(label("考试计划"))
        top.addWidget(self.round_combo, 1)
        top.addSpacing(16)
        top.addWidget(label("本计划保存"))
        top.addWidget(self.plan_spin)
        top.addWidget(self.save_plan_button)
        top.addSpacing(16)
        top.addWidget(label("全站默认"))
        top.addWidget(self.default_spin)
        top.addWidget(self.save_default_button)
        layout.addLayout(top)
        layout.addWidget(self.round_label)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.server_box)
        layout.addWidget(self.confirm_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.result_label, 1)
        bottom.addWidget(self.close_button)
        bottom.addWidget(self.purge_button)
        layout.addLayout(bottom)
        resize_within_screen(self, QSize(1100, 700))
        self._update()
        self.reload()

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the rounds again (then the chosen round's preview)."""
        db = self.db

        def job(_progress: Progress) -> retention.RetentionStatus:
            return retention.retention_status(db)

        self.jobs.read(job, self._on_status_read)

    def _on_status_read(self, status: retention.RetentionStatus) -> None:
        self.status = status
        current = chosen_code(self.round_combo)
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in status.rounds:
            self.round_combo.addItem(f"{r.plan_code} {r.plan_name}（{_state(r)}）", r.plan_code)
        offered = [r.plan_code for r in status.rounds if r.offered]
        wanted = current if current else (offered[0] if offered else None)
        index = self.round_combo.findData(wanted) if wanted else -1
        self.round_combo.setCurrentIndex(max(index, 0))
        self.round_combo.blockSignals(False)
        self.default_spin.setValue(status.default_months)
        if not status.rounds:
            self.round_label.setText(text("retention.nothing_due"))
        self._show_round()

    def _on_round_combo_changed(self, _index: int) -> None:
        self._show_round()

    def chosen_round(self) -> retention.RoundRetention | None:
        code = chosen_code(self.round_combo)
        if self.status is None or code is None:
            return None
        return next((r for r in self.status.rounds if r.plan_code == code), None)

    def _show_round(self) -> None:
        self.preview = None
        self.model.set_rows([])
        self.counts_label.setText("")
        self.confirm_box.setChecked(False)
        chosen = self.chosen_round()
        if chosen is None:
            self._update()
            return
        self.plan_spin.setValue(chosen.months)
        own = "本计划自己的期限" if chosen.own_months else "全站默认期限"
        self.round_label.setText(
            f"成绩公布期 {chosen.publication_end:%Y-%m-%d} 结束，按{own} {chosen.months} 个月，"
            f"个人信息保存到 {chosen.retain_until:%Y-%m-%d}；本计划有考生 {chosen.candidates} 人。"
            + (f" 已于 {chosen.purged_at:%Y-%m-%d} 清除过。" if chosen.purged_at else "")
        )
        if not chosen.due:
            self.counts_label.setText("还没有到期：到期后才能清除。")
            self._update()
            return
        db, code = self.db, chosen.plan_code

        def job(_progress: Progress) -> retention.PurgePreview:
            return retention.preview_purge(db, code)

        self.jobs.read(job, self._on_preview_read)

    def _on_preview_read(self, preview: retention.PurgePreview) -> None:
        chosen = self.chosen_round()
        if chosen is None or chosen.plan_code != preview.round.plan_code:
            return  # another round was chosen meanwhile
        self.preview = preview
        c = preview.counts
        self.counts_label.setText(
            f"将清除：{c.candidates} 名考生的个人信息、{c.photos} 张照片、{c.tickets} 个准考证号、"
            f"{c.certificate_numbers} 个证书编号、{c.notes} 条备注和突发情况说明。"
            f"保留：{c.kept} 名仍在其他未到期考试计划中的考生的身份信息。"
        )
        self.model.set_rows([*preview.purged, *preview.kept])
        self._update()

    # -- actions --------------------------------------------------------------------------

    def _on_save_default_clicked(self) -> None:
        self._set_months(self.default_spin.value(), None)

    def _on_save_plan_clicked(self) -> None:
        chosen = self.chosen_round()
        if chosen is not None:
            self._set_months(self.plan_spin.value(), chosen.plan_code)

    def _set_months(self, months: int, plan: str | None) -> None:
        db = self.db

        def job(_progress: Progress) -> retention.RetentionStatus:
            return retention.set_months(db, months, plan)

        self.jobs.change(job, self._on_status_read)

    def _on_purge_clicked(self) -> None:
        if self.preview is None or not self.purge_allowed():
            return
        db, code, server = self.db, self.preview.round.plan_code, self.server_box.isChecked()

        def job(_progress: Progress) -> retention.PurgeResult:
            return retention.purge_plan(db, code, server_backup_done=server)

        self.jobs.change(job, self._on_purged, progress="正在备份并清除个人信息…")

    def _on_purged(self, result: retention.PurgeResult) -> None:
        c = result.counts
        said = text(
            "retention.purged",
            plan=result.plan_code,
            candidates=c.candidates,
            photos=c.photos,
            kept=c.kept,
        )
        where = (
            text("retention.backup_at", file=result.backup)
            if result.backup is not None
            else text("retention.backup_server")
        )
        self.result_label.setText(f"{said}\n{where}")
        self.reload()

    def purge_allowed(self) -> bool:
        """Whether 清除 may be pressed: a due round previewed with something to purge,
        confirmed (and, on a server, the pg_dump confirmed)."""
        if self.preview is None or not self.confirm_box.isChecked():
            return False
        if self.on_server and not self.server_box.isChecked():
            return False
        c = self.preview.counts
        return bool(c.candidates or c.tickets or c.certificate_numbers or c.notes)

    def _update(self, *_args: object) -> None:
        self.confirm_box.setEnabled(self.preview is not None)
        self.purge_button.setEnabled(self.purge_allowed())


def _months_spin(name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(1, MAX_MONTHS)
    spin.setSuffix(" 个月")
    return spin


def _state(r: retention.RoundRetention) -> str:
    if r.purged_at is not None:
        return f"已清除 {r.purged_at:%Y-%m-%d}"
    if r.due:
        return f"{r.retain_until:%Y-%m-%d} 到期，可清除"
    return f"保存到 {r.retain_until:%Y-%m-%d}"
