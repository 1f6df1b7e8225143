"""The two dialogs of a candidate import: its options before, the dry run's result after.

``ImportOptionsDialog`` asks what the file holds (院校考生 or 社会考生) and whether existing
candidates may be updated. ``ImportResultDialog`` shows what the dry run found — how many
would be imported, updated or refused, and every problem row by row — and lets the
coordinator import the good rows, save the problems as a workbook for the class teacher,
or stop. Neither touches the database: the page runs the services and listens to
``accepted`` (import) and ``report_requested`` (save the problems).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.problems import Level
from examsite.formats.templates import column_title
from examsite.messages import KIND_TITLES, PROBLEM_LEVEL_TITLES
from examsite.services.candidate_import import ImportProblem, ImportReport
from examsite.ui.widgets import Card, ReadOnlyTable, label, resize_within_screen

AnyIndex = QModelIndex | QPersistentModelIndex

IMPORT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
LEVEL_COLOURS = {
    Level.ERROR: QColor("#cf222e"),
    Level.WARNING: QColor("#9a6700"),
    Level.NOTICE: QColor("#656d76"),
}
_LEVEL_RANK = {Level.ERROR: 0, Level.WARNING: 1, Level.NOTICE: 2}


@dataclass(frozen=True)
class ImportRequest:
    """What to import: the file, as which kind, and whether to update existing ones."""

    path: Path
    kind: str
    update: bool = False


def guess_kind(path: Path, default: str) -> str:
    """The kind a file name suggests ("社会考生名单.xlsx"), else ``default``."""
    name = path.stem
    if "社会" in name:
        return "social"
    if any(word in name for word in ("院校", "本校", "学生", "班")):
        return "school"
    return default


class ImportOptionsDialog(QDialog):
    """The file to import and its kind; 检查文件 starts the dry run."""

    def __init__(
        self, path: Path, kind: str = "school", update: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importOptions")
        self.setWindowTitle("导入考生")
        self.path = path

        file_label = label(path.name, "dialogFile")
        folder_label = label(str(path.parent), "dialogHint", wrap=True)
        self.school_radio = QRadioButton("院校考生（本校试点专业的学生，计入试点名额）")
        self.social_radio = QRadioButton("社会考生（本校学生以外的考生）")
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.school_radio)
        self.kind_group.addButton(self.social_radio)
        (self.social_radio if kind == "social" else self.school_radio).setChecked(True)
        self.update_check = QCheckBox("更新已有考生")
        self.update_check.setChecked(update)
        update_hint = label(
            "证件号码已在名单中的考生，用表中填写的内容补充和更新；不勾选时这些行不导入。",
            "dialogHint",
            wrap=True,
        )
        note = label(
            "先检查整个文件，不会写入任何数据；检查结果中可以再决定是否导入。",
            "dialogHint",
            wrap=True,
        )

        self.check_button = QPushButton("检查文件")
        self.check_button.setObjectName("primaryButton")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.check_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(6)
        layout.addWidget(label("文件", "dialogCaption"))
        layout.addWidget(file_label)
        layout.addWidget(folder_label)
        layout.addSpacing(12)
        layout.addWidget(label("表中的考生是", "dialogCaption"))
        layout.addWidget(self.school_radio)
        layout.addWidget(self.social_radio)
        layout.addSpacing(12)
        layout.addWidget(self.update_check)
        layout.addWidget(update_hint)
        layout.addSpacing(10)
        layout.addWidget(note)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

    def request(self) -> ImportRequest:
        kind = "social" if self.social_radio.isChecked() else "school"
        return ImportRequest(self.path, kind, self.update_check.isChecked())


class ProblemsModel(QAbstractTableModel):
    """The problems of an import, by row (the file's own problems first); notices hidden
    unless asked for."""

    HEADERS = ("行", "列", "证件号码", "级别", "说明")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[ImportProblem] = []
        self._shown: list[ImportProblem] = []
        self._show_notices = False

    def set_problems(self, problems: Sequence[ImportProblem]) -> None:
        self.beginResetModel()
        self._all = sorted(
            problems, key=lambda p: (p.row is not None, p.row or 0, _LEVEL_RANK[p.level])
        )
        self._filter()
        self.endResetModel()

    def set_show_notices(self, show: bool) -> None:
        if show == self._show_notices:
            return
        self.beginResetModel()
        self._show_notices = show
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        # The file's notices (ignored columns …) are always worth reading; per row they
        # are mostly "pinyin filled in".
        self._shown = [
            p
            for p in self._all
            if self._show_notices or p.level is not Level.NOTICE or p.row is None
        ]

    @property
    def notice_count(self) -> int:
        return sum(1 for p in self._all if p.level is Level.NOTICE and p.row is not None)

    def problem(self, row: int) -> ImportProblem:
        return self._shown[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignHCenter if section in (0, 3) else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        problem = self._shown[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(problem, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return problem.message
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return LEVEL_COLOURS[problem.level]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            vertical = Qt.AlignmentFlag.AlignTop
            if column in (0, 3):
                return int(Qt.AlignmentFlag.AlignHCenter | vertical)
            return int(Qt.AlignmentFlag.AlignLeft | vertical)
        return None


WHOLE_ROW, WHOLE_FILE = "整行", "—"


def problem_column(problem: ImportProblem) -> str:
    """The column a problem is about, as its header reads without the template's "*";
    for a problem about several columns, their names; else the whole row (or file)."""
    if problem.column:
        return column_title(problem.column)
    for several in ("fields", "columns"):  # import.incomplete, the header's notices
        names = problem.params.get(several)
        if names:
            return str(names)
    return WHOLE_FILE if problem.row is None else WHOLE_ROW


def _cell(problem: ImportProblem, column: int) -> str:
    if column == 0:
        return "—" if problem.row is None else str(problem.row)
    if column == 1:
        return problem_column(problem)
    if column == 2:  # whole: the coordinator's own file (the candidate list masks it)
        return problem.id_number or ""
    if column == 3:
        return PROBLEM_LEVEL_TITLES[problem.level]
    return problem.message


class Figure(Card):
    """A number with its caption, in a small card."""

    def __init__(self, caption: str, value: int, *, tone: str = "") -> None:
        super().__init__(name="importFigure")
        self.value_label = label(f"{value:,}", "figureValue")
        if tone:
            self.value_label.setProperty("tone", tone)
        self.caption_label = label(caption, "figureCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(0)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)


class ImportResultDialog(QDialog):
    """The dry run's outcome: figures, problems, and 导入 / 保存问题表… / 取消.

    ``accepted`` means: import for real; ``report_requested`` asks the page to save the
    problems as a workbook (the dialog stays open).
    """

    report_requested = Signal()

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importResult")
        self.setWindowTitle("导入考生 — 检查结果")
        self.report = report

        kind = KIND_TITLES.get(report.kind, report.kind)
        title = label(f"{report.source}", "dialogTitle")
        where = label(
            f"{kind}　·　工作表“{report.sheet_name}”，表头在第 {report.header_row} 行，"
            f"共 {report.rows} 行考生信息",
            "dialogHint",
            wrap=True,
        )
        figures = QHBoxLayout()
        figures.setSpacing(12)
        self.figures = {
            "imported": Figure("可导入", report.imported, tone="good"),
            "rejected": Figure("未通过检查（不导入）", report.rejected, tone="bad"),
            "incomplete": Figure("信息不全（可稍后补全）", report.incomplete, tone="warn"),
        }
        if report.updated or report.unchanged:
            self.figures["updated"] = Figure("将更新", report.updated)
            self.figures["unchanged"] = Figure("没有变化", report.unchanged)
        for figure in self.figures.values():
            figures.addWidget(figure, 1)

        self.summary_label = label(_summary(report), "dialogText", wrap=True)

        self.problems_model = ProblemsModel(self)
        self.problems_model.set_problems(report.problems)
        self.problems_table = ReadOnlyTable(
            self.problems_model,
            name="problemsTable",
            wrap=True,
            widths={0: 52, 1: 110, 2: self._id_width(), 3: 56},
            stretch=4,
        )
        notices = self.problems_model.notice_count
        self.notices_check = QCheckBox(f"显示提示（{notices} 条，如自动填写的拼音、性别）")
        self.notices_check.setVisible(notices > 0)
        self.notices_check.toggled.connect(self._on_notices_check_toggled)
        self.no_problems_label = label("没有发现问题，全部考生都可以导入。", "okText")

        self.report_button = QPushButton("保存问题表…")
        self.report_button.setToolTip("保存为 Excel：在原表格旁标出每行的问题，交给班主任修改")
        self.report_button.clicked.connect(self.report_requested)
        self.report_button.setVisible(bool(report.problems))
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.reject)
        self.import_button = QPushButton(_import_text(report))
        self.import_button.setObjectName("primaryButton")
        self.import_button.setEnabled(report.imported + report.updated > 0)
        self.import_button.setDefault(self.import_button.isEnabled())
        self.import_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(0)
        layout.addWidget(title)
        layout.addSpacing(2)
        layout.addWidget(where)
        layout.addSpacing(14)
        layout.addLayout(figures)
        layout.addSpacing(12)
        layout.addWidget(self.summary_label)
        layout.addSpacing(12)
        layout.addWidget(self.problems_table, 1)
        layout.addWidget(self.no_problems_label)
        layout.addSpacing(6)
        layout.addWidget(self.notices_check)
        layout.addSpacing(14)
        layout.addLayout(buttons)
        self._show_table()
        resize_within_screen(self, QSize(920, 640))

    def _id_width(self) -> int:
        """Wide enough for any 18-character ID number, whole."""
        return self.fontMetrics().horizontalAdvance("4" * 17 + "X") + 28

    def _show_table(self) -> None:
        self.problems_table.setVisible(self.problems_model.rowCount() > 0)
        self.no_problems_label.setVisible(not self.report.problems)

    def _on_notices_check_toggled(self, checked: bool) -> None:
        self.problems_model.set_show_notices(checked)
        self._show_table()


def _import_text(report: ImportReport) -> str:
    if report.imported and report.updated:
        return f"导入 {report.imported} 名、更新 {report.updated} 名考生"
    if report.updated:
        return f"更新 {report.updated} 名考生"
    if report.imported:
        return f"导入 {report.imported} 名合格考生"
    return "没有可导入的考生"


def _summary(report: ImportReport) -> str:
    parts = []
    if report.rejected:
        parts.append(
            f"有 {report.rejected} 行没有通过检查，这些行不会导入。可以点“保存问题表…”，"
            "把标出问题的表格交给班主任修改，改好后再导入这些行。"
        )
    if report.incomplete:
        parts.append(
            f"{report.incomplete} 名考生的信息不全，导入后显示为“信息不全”，可在考生列表中补全。"
        )
    exists = sum(1 for p in report.problems if p.code == "import.exists")
    if exists:
        parts.append(
            f"{exists} 名考生已在名单中；要用表中信息更新他们，请勾选“更新已有考生”后重新导入。"
        )
    if not parts:
        parts.append("检查通过，没有写入任何数据；点“导入”后才会保存。")
    return "".join(parts)
