"""The results page (成绩, step 11): the scores back from the platform and what they mean.

Header: the plan, and 导入成绩… (the platform's 科目成绩 or 考证结果: a dry run first,
its row-by-row report shown, then the import). Tabs: 成绩 (every registration's result —
total, passed, the reason, the platform's own 考证结果 when imported — with a search and a
filter, "与平台不一致" among them), 核对 (the reconciliation: missing
scores, unknown numbers, one-sided, absent but scored, changed since the previous
import), 复查 (the review window's state; tick candidates and print the 成绩复查表),
统计 (``StatisticsPanel``) and 考后 (``AfterExamPanel``). Every database call runs through
``self.jobs``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.workflow import Step
from examsite.messages import certificate_title, level_title, render
from examsite.services.arrangement import PlanChoice, arrangement_plans
from examsite.services.platform_import import RESULTS, SCORES, PlatformImport, import_platform
from examsite.services.results import CertificateResultRow
from examsite.services.results_view import ResultsView, results_view
from examsite.ui.after_exam_panel import AfterExamPanel
from examsite.ui.dialogs.file_dialogs import documents_folder
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.pages.results_tabs import ReconcileTab, ReviewTab, subject_cell
from examsite.ui.statistics_panel import StatisticsPanel
from examsite.ui.widgets import (
    PageHeader,
    ReadOnlyTable,
    button,
    chosen_code,
    label,
    page_layout,
    refill_combo,
)

COLUMNS = (
    "姓名",
    "证件号码",
    "准考证号",
    "级别",
    "理论",
    "实操",
    "总分",
    "结果",
    "平台结果",
    "原因",
)
FILTERS = (
    ("全部", None),
    ("通过", True),
    ("未通过", False),
    ("待定", "pending"),
    ("与平台不一致", "differs"),
)
PLATFORM_WORDS = {"passed": "通过", "failed": "未通过", "absent": "缺考"}
PREVIEW_PROBLEMS = 12


class ResultsDialogs:
    """The page's dialogs; tests hand in a fake."""

    def open_path(self, parent: QWidget, title: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, str(documents_folder()), filters)
        return Path(path) if path else None

    def save_path(self, parent: QWidget, title: str, suggested: Path) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), "PDF (*.pdf)")
        return Path(path) if path else None

    def confirm(self, parent: QWidget, title: str, body: str) -> bool:
        answer = QMessageBox.question(parent, title, body)
        return answer == QMessageBox.StandardButton.Yes

    def inform(self, parent: QWidget, title: str, body: str) -> None:
        QMessageBox.information(parent, title, body)


def outcome_text(row: CertificateResultRow) -> str:
    passed = row.outcome.passed
    return "通过" if passed is True else "未通过" if passed is False else "待定"


def differs(row: CertificateResultRow) -> bool:
    """The platform's 考证结果 and the result worked out here disagree."""
    if not row.platform_outcome or row.outcome.passed is None:
        return False
    return (row.platform_outcome == "passed") != row.outcome.passed


def reason_text(row: CertificateResultRow) -> str:
    return str(row.as_dict()["reason_text"])


class ResultsPage(BasePage):
    """Step 11: scores, results, reconciliation, review, statistics, after the exam."""

    step = Step.RESULTS

    def __init__(
        self,
        context: PageContext,
        parent: QWidget | None = None,
        *,
        dialogs: ResultsDialogs | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.dialogs = dialogs or ResultsDialogs()
        self.view: ResultsView | None = None

        self.header = PageHeader("成绩", "正在读取…")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("resultsPlan")
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(lambda _i: self._plan_changed())
        self.header.add_beside_title(self.plan_combo)
        self.import_button = button("导入成绩…", self._on_import_clicked, kind="primary")
        self.header.add_actions(self.import_button)

        self.search = QLineEdit()
        self.search.setObjectName("resultsSearch")
        self.search.setPlaceholderText("搜索姓名、证件号码或准考证号")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._fill_results())
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("resultsFilter")
        for title, _value in FILTERS:
            self.filter_combo.addItem(title)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self._fill_results())
        self.summary_label = label("", "pageHint")
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = ReadOnlyTable(
            self.model,
            name="resultsTable",
            widths={0: 76, 1: 152, 2: 156, 3: 48, 4: 52, 5: 52, 6: 56, 7: 60, 8: 68},
            stretch=9,
            row_height=28,
        )
        results_tab = QWidget()
        results_layout = QVBoxLayout(results_tab)
        results_layout.setContentsMargins(0, 8, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.filter_combo)
        filters.addWidget(self.summary_label, 3)
        results_layout.addLayout(filters)
        results_layout.addWidget(self.table, 1)

        self.reconcile_tab = ReconcileTab()
        self.review_tab = ReviewTab(self)
        self.statistics = StatisticsPanel(self)
        self.after_exam = AfterExamPanel(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("resultsTabs")
        self.tabs.addTab(results_tab, "成绩")
        self.tabs.addTab(self.reconcile_tab, "核对")
        self.tabs.addTab(self.review_tab, "复查")
        self.tabs.addTab(self.statistics, "统计")
        self.tabs.addTab(self.after_exam, "考后")

        layout = page_layout(self)
        layout.addWidget(self.header)
        layout.addSpacing(8)
        layout.addWidget(self.tabs, 1)

    # --- reading -----------------------------------------------------------------------

    @property
    def plan_code(self) -> str | None:
        return chosen_code(self.plan_combo)

    def refresh(self) -> None:
        db = self.context.db
        self.jobs.read(lambda _p: arrangement_plans(db), self._on_plans_loaded)

    def _on_plans_loaded(self, plans: tuple[PlanChoice, ...]) -> None:
        refill_combo(
            self.plan_combo, ((f"{p.name}（{p.registrations} 人报考）", p.code) for p in plans)
        )
        self._plan_changed()

    def _plan_changed(self) -> None:
        code = self.plan_code
        if code is None:
            self.header.set_subtitle("没有考试计划。请先导入证书目录。")
            return
        self.statistics.set_plan(code)
        self.after_exam.set_plan(code)
        self.load()

    def load(self) -> None:
        code, db = self.plan_code, self.context.db
        if code is None:
            return
        self.jobs.read(lambda _p: results_view(db, code), self.show_view)

    def show_view(self, view: ResultsView) -> None:
        self.view = view
        rec = view.reconciliation
        self.header.set_subtitle(
            f"{view.plan_name}：{len(view.rows)} 人次，通过 {view.passed}，"
            f"未通过 {view.failed}，待定 {view.pending}；成绩 {rec.scored}/{rec.records} 条"
        )
        self._fill_results()
        self.reconcile_tab.show_reconciliation(rec)
        self.review_tab.show_view(view)

    def shown_rows(self) -> list[CertificateResultRow]:
        if self.view is None:
            return []
        wanted = FILTERS[self.filter_combo.currentIndex()][1]
        search = self.search.text().strip().upper()
        rows = []
        for row in self.view.rows:
            passed = row.outcome.passed
            if wanted == "pending" and passed is not None:
                continue
            if wanted == "differs" and not differs(row):
                continue
            if isinstance(wanted, bool) and passed is not wanted:
                continue
            if search and not any(
                search in v.upper() for v in (row.name, row.id_number, row.ticket)
            ):
                continue
            rows.append(row)
        return rows

    def _fill_results(self) -> None:
        rows = self.shown_rows()
        self.model.removeRows(0, self.model.rowCount())
        for row in rows:
            by_kind = {s.kind: subject_cell(s) for s in row.subjects}
            total = "" if row.outcome.total is None else f"{row.outcome.total:g}"
            items = [
                QStandardItem(text)
                for text in (
                    row.name,
                    row.id_number,
                    row.ticket,
                    level_title(row.level),
                    by_kind.get("theory", ""),
                    by_kind.get("practical", ""),
                    total,
                    outcome_text(row),
                    PLATFORM_WORDS.get(row.platform_outcome, row.platform_outcome),
                    reason_text(row),
                )
            ]
            if differs(row):
                items[8].setForeground(QBrush(QColor("#c62828")))
                items[8].setToolTip(
                    "平台的考证结果与按成绩算出的结果不同，请核对成绩或向平台核实。"
                )
            items[3].setToolTip(certificate_title(row.certificate_name, row.level))
            items[9].setToolTip(items[9].text())  # the whole reason when the column is narrow
            self.model.appendRow(items)
        total = len(self.view.rows) if self.view else 0
        self.summary_label.setText(f"显示 {len(rows)} / {total} 人次")

    # --- importing -----------------------------------------------------------------------

    def _on_import_clicked(self) -> None:
        path = self.dialogs.open_path(
            self.window(), "选择平台导出的科目成绩或考证结果", "表格 (*.xlsx *.xls *.csv)"
        )
        if path is None:
            return
        db, code = self.context.db, self.plan_code
        self.jobs.read(
            lambda _p: import_platform(db, path, code, dry_run=True, only=(SCORES, RESULTS)),
            lambda preview: self._import_after_preview(path, preview),
            progress="正在检查…",
        )

    def _import_after_preview(self, path: Path, preview: PlatformImport) -> None:
        body = preview_text(path, preview)
        if not self.dialogs.confirm(self.window(), "导入成绩", f"{body}\n\n现在导入吗？"):
            return
        db, code = self.context.db, self.plan_code

        def done(result: PlatformImport) -> None:
            self.dialogs.inform(self.window(), "已导入", f"已更新 {result.changed} 条记录。")
            self.load()

        self.jobs.change(
            lambda _p: import_platform(db, path, code, only=(SCORES, RESULTS)),
            done,
            progress="正在导入…",
        )


def preview_text(path: Path, preview: PlatformImport) -> str:
    """The dry run, as the confirmation says it: counts, then the first rows' problems."""
    kind = "科目成绩" if preview.kind == SCORES else "考证结果"
    lines = [
        f"{path.name}（{kind}）：共 {preview.rows} 行，对上 {preview.matched} 行，"
        f"将新增或更新 {preview.changed} 条，未变 {preview.unchanged} 条；"
        f"提示 {len(preview.problems)} 条。"
    ]
    for problem in preview.problems[:PREVIEW_PROBLEMS]:
        where = f"第 {problem.row} 行：" if problem.row else ""
        lines.append(f"· {where}{render(problem)}")
    if len(preview.problems) > PREVIEW_PROBLEMS:
        lines.append(f"……另有 {len(preview.problems) - PREVIEW_PROBLEMS} 条")
    return "\n".join(lines)
