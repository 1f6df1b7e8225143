"""The results page's statistics tab (统计): pass rates, score distributions and absences
as tables and charts, and the statistics workbook (导出统计表…).

Embedded by its page as a tab: made with the page (for its ``jobs`` and ``context``), told
the plan in view with ``set_plan``, and re-read with ``refresh``. Every database call runs
through ``page.jobs``. Each view is a table on the left and its chart on the right: pass
rates by certificate level, major, class (enrolment year + major) and the school's class;
each subject's figures with the histogram of the subject picked in the table; the
absences of each exam session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.statistics import BAND_LABELS
from examsite.messages.titles import SUBJECT_KIND_TITLES, level_title
from examsite.progress import Progress
from examsite.services.statistics import (
    GroupRate,
    PassCounts,
    PlanStatistics,
    SessionAbsence,
    SubjectStatistics,
    plan_statistics,
)
from examsite.services.statistics_workbook import WrittenStatistics, write_statistics_workbook
from examsite.ui.charts import Bar, BarChart, Histogram
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose
from examsite.ui.models.statistics import StatRow, StatTableModel
from examsite.ui.pages.base import BasePage
from examsite.ui.widgets import ReadOnlyTable, button, label

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
RATE_HEADERS = ("报考", "通过", "未通过", "其中缺考", "待定", "通过率")


class StatisticsDialogs(FileDialogs):
    """Where the statistics workbook is saved; tests replace it."""

    def save_workbook(self, parent: QWidget, name: str) -> Path | None:
        return self.ask_save(Purpose.TEMPLATE, parent, "导出统计表", XLSX_FILTER, name)


def percent(value: float | None) -> str:
    """0.7734 → "77.3%"; None → "—"."""
    return "—" if value is None else f"{value:.1%}"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _rate_cells(counts: PassCounts) -> tuple[str, ...]:
    return (
        str(counts.registered),
        str(counts.passed),
        str(counts.failed),
        str(counts.absent),
        str(counts.pending),
        percent(counts.rate),
    )


def rate_bar(label: str, counts: PassCounts) -> Bar:
    """A bar of a pass rate: the rate, with "77.3%（215/278）" at its end."""
    if counts.rate is None:
        return Bar(label, None, "尚无结果")
    return Bar(label, counts.rate, f"{percent(counts.rate)}（{counts.passed}/{counts.decided}）")


class _View(QWidget):
    """A table and its chart side by side (the chart in a scroll area for many bars)."""

    def __init__(self, name: str, model: StatTableModel, chart: BarChart | Histogram) -> None:
        super().__init__()
        self.setObjectName(name)
        self.model = model
        self.chart = chart
        self.table = ReadOnlyTable(model, name=f"{name}Table", stretch=0, selectable=True)
        metrics = self.table.horizontalHeader().fontMetrics()
        for column, title in enumerate(model.headers[1:], start=1):  # figures: header + room
            width = max(
                metrics.horizontalAdvance(title) + 18, metrics.horizontalAdvance("100.0") + 18
            )
            self.table.horizontalHeader().resizeSection(column, width)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(chart)
        self.chart_area = scroll
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 11)
        splitter.setStretchFactor(1, 9)
        splitter.setSizes([1100, 900])  # scaled to the width the splitter gets
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(splitter)


class StatisticsPanel(QWidget):
    """The tab: a line of totals, the export button, and one view per table."""

    def __init__(
        self,
        page: BasePage,
        parent: QWidget | None = None,
        *,
        dialogs: StatisticsDialogs | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsPanel")
        self.page = page
        self.plan_code = ""
        self.dialogs = dialogs or StatisticsDialogs()
        self.stats: PlanStatistics | None = None
        self.last_written: WrittenStatistics | None = None

        self.summary_label = label("", "pageSubtitle", wrap=True)
        self.export_button = button("导出统计表…", self._on_export_clicked)
        self.export_button.setEnabled(False)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)

        def rates(name: str, what: str) -> _View:
            model = StatTableModel((what, *RATE_HEADERS))
            return _View(name, model, BarChart(maximum=1.0))

        self.level_view = rates("byLevel", "证书等级")
        self.major_view = rates("byMajor", "专业")
        self.class_view = rates("byClass", "班级（入学年份+专业）")
        self.class_name_view = rates("byClassName", "学校班级")
        self.subject_view = _View(
            "bySubject",
            StatTableModel(("科目", "报考", "有成绩", "缺考", "待定", "平均", "最低", "最高")),
            Histogram(),
        )
        self.session_view = _View(
            "bySession",
            StatTableModel(("场次", "应考", "实考", "缺考", "迟到禁入", "未记录", "缺考率")),
            BarChart(maximum=None),
        )
        self.subject_view.table.selectionModel().selectionChanged.connect(
            self._on_subject_selection_changed
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("statisticsTabs")
        self.tabs.setDocumentMode(True)
        for view, title in (
            (self.level_view, "按证书等级"),
            (self.major_view, "按专业"),
            (self.class_view, "按班级"),
            (self.class_name_view, "按学校班级"),
            (self.subject_view, "各科成绩"),
            (self.session_view, "缺考"),
        ):
            self.tabs.addTab(view, title)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        page.jobs.busy_changed.connect(self._on_jobs_busy_changed)
        self._show(None)

    # -- the interface the page uses -------------------------------------------------

    def set_plan(self, plan_code: str) -> None:
        """Show ``plan_code`` (re-reads)."""
        self.plan_code = plan_code
        self.refresh()

    def refresh(self) -> None:
        """Re-read what the tab shows."""
        if not self.plan_code:
            self._show(None)
            return
        db, code = self.page.context.db, self.plan_code
        self.page.jobs.read(lambda _progress: plan_statistics(db, code), self._show)

    # -- showing -----------------------------------------------------------------------

    def _show(self, stats: PlanStatistics | None) -> None:
        self.stats = stats
        self.export_button.setEnabled(stats is not None and not self.page.jobs.busy)
        if stats is None:
            self.summary_label.setText("请先选择考试计划。")
        elif not stats.overall.registered:
            self.summary_label.setText("这个考试计划还没有报考，没有可统计的内容。")
        else:
            self.summary_label.setText(summary_text(stats.overall))
        self._show_rates(self.level_view, stats.by_level if stats else (), _level_labels)
        self._show_rates(self.major_view, stats.by_major if stats else ())
        self._show_rates(self.class_view, stats.by_class if stats else ())
        self._show_rates(self.class_name_view, stats.by_class_name if stats else ())
        self._show_subjects(stats.subjects if stats else ())
        self._show_sessions(stats.sessions if stats else ())

    def _show_rates(
        self,
        view: _View,
        groups: Sequence[GroupRate],
        short_labels: Callable[[Sequence[GroupRate]], list[str]] | None = None,
    ) -> None:
        labels = short_labels(groups) if short_labels else [g.label for g in groups]
        view.model.set_rows(
            [
                StatRow((text, *_rate_cells(g.counts)), g.label)
                for text, g in zip(labels, groups, strict=True)
            ]
        )
        bars = [rate_bar(text, g.counts) for text, g in zip(labels, groups, strict=True)]
        view.chart.set_bars(bars, title="通过率（通过 / 已出结果，待定不计）")

    def _show_subjects(self, subjects: Sequence[SubjectStatistics]) -> None:
        view = self.subject_view
        single = len({s.certificate_name for s in subjects}) == 1
        view.model.set_rows(
            [
                StatRow(
                    (
                        s.subject if single else s.label,
                        str(s.registered),
                        str(s.scored),
                        str(s.absent),
                        str(s.pending),
                        _score(s.average),
                        _score(s.minimum),
                        _score(s.maximum),
                    ),
                    s.label,
                )
                for s in subjects
            ]
        )
        if subjects:
            view.table.selectRow(0)  # the histogram follows the selection
        else:
            view.chart.set_bars([], title="成绩分布")

    def _on_subject_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.subject_view.table.selectionModel().selectedRows()
        if self.stats is None or not rows or rows[0].row() >= len(self.stats.subjects):
            return
        self.show_histogram(self.stats.subjects[rows[0].row()])

    def show_histogram(self, subject: SubjectStatistics) -> None:
        """The histogram of ``subject`` (the one picked in the table)."""
        bars = [Bar(band, count) for band, count in zip(BAND_LABELS, subject.bands, strict=True)]
        title = f"{level_title(subject.level)}{SUBJECT_KIND_TITLES.get(subject.kind, subject.kind)}"
        average = "" if subject.average is None else f"，平均 {subject.average:.1f} 分"
        self.subject_view.chart.set_bars(
            bars, title=f"{title}成绩分布（{subject.scored} 人有成绩{average}）"
        )

    def _show_sessions(self, sessions: Sequence[SessionAbsence]) -> None:
        view = self.session_view
        single = len({s.certificate_name for s in sessions}) == 1
        view.model.set_rows(
            [
                StatRow(
                    (
                        _session_label(s) if single else s.label,
                        str(s.seats),
                        str(s.sat),
                        str(s.absent),
                        str(s.refused_late),
                        str(s.unrecorded),
                        percent(s.absent_rate),
                    ),
                    f"{s.label}（{s.subject}）",
                )
                for s in sessions
            ]
        )
        bars = [
            Bar(
                _session_label(s),
                s.absent,
                f"{s.absent} 人（{percent(s.absent_rate)}）",
            )
            for s in sessions
        ]
        view.chart.set_bars(bars, title="各场次缺考人数")

    def _on_jobs_busy_changed(self, busy: bool) -> None:
        self.export_button.setEnabled(self.stats is not None and not busy)

    # -- export ------------------------------------------------------------------------

    def _on_export_clicked(self) -> None:
        if not self.plan_code:
            return
        path = self.dialogs.save_workbook(self.window(), f"统计表-{self.plan_code}.xlsx")
        if path is None:
            return
        db, code = self.page.context.db, self.plan_code

        def write(_progress: Progress) -> WrittenStatistics:
            return write_statistics_workbook(db, code, path)

        self.page.jobs.read(write, self._on_written, progress="正在导出统计表", exclusive=True)

    def _on_written(self, written: WrittenStatistics) -> None:
        self.last_written = written
        self.page.context.notify(f"已导出统计表：{written.path}")


def summary_text(overall: PassCounts) -> str:
    """The line of totals above the views."""
    text = (
        f"报考 {overall.registered} 人：通过 {overall.passed}，未通过 {overall.failed}"
        f"（其中缺考 {overall.absent}）"
    )
    if overall.pending:
        text += f"，待定 {overall.pending}（成绩未齐，不计入通过率）"
    return text + f"。通过率 {percent(overall.rate)}。"


def _session_label(session: SessionAbsence) -> str:
    """ "12-19 08:30 初级理论": a session told apart within one certificate."""
    kind = SUBJECT_KIND_TITLES.get(session.kind, session.kind)
    return f"{session.starts_at:%m-%d %H:%M} {level_title(session.level)}{kind}"


def _level_labels(groups: Sequence[GroupRate]) -> list[str]:
    """Labels of the levels: just the level when every group is one certificate."""
    names = {dict(g.key)["certificate_name"] for g in groups}
    if len(names) == 1:
        return [level_title(dict(g.key)["level"]) for g in groups]
    return [g.label for g in groups]
