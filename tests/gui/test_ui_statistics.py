"""The charts (painted offscreen into a QImage: the bars follow the data) and the
statistics tab on the arranged demo with scores: its tables, charts, the histogram that
follows the subject picked, the export, and that it fits a tab of the results page."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFontMetricsF, QImage
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from python_calamine import CalamineWorkbook

from examsite.domain.statistics import BAND_LABELS
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.statistics import plan_statistics
from examsite.storage.db import Database
from examsite.ui.charts import (
    BAR_COLOR,
    LOW_BAR_COLOR,
    Bar,
    BarChart,
    Histogram,
    render_image,
)
from examsite.ui.pages.base import BasePage, PageContext
from examsite.ui.statistics_panel import StatisticsPanel, rate_bar
from examsite.ui.status_watcher import StatusWatcher
from examsite.ui.tasks import TaskRunner
from statistics_data import seed_scores

SIZE = QSize(480, 240)


def _is(image: QImage, x: float, y: float, color: QColor) -> bool:
    return image.pixelColor(int(x), int(y)).rgb() == color.rgb()


def _run(image: QImage, color: QColor, *, x: float | None = None, y: float | None = None) -> int:
    """How many pixels of ``color`` along the row ``y`` or the column ``x``."""
    if y is not None:
        return sum(_is(image, i, y, color) for i in range(image.width()))
    assert x is not None
    return sum(_is(image, x, j, color) for j in range(image.height()))


def test_the_bars_lengths_follow_the_rates(qtbot) -> None:
    chart = BarChart(maximum=1.0, mark=0.5)
    qtbot.addWidget(chart)
    chart.set_bars(
        [Bar("初级", 0.8), Bar("中级", 0.4), Bar("高级", 1.0), Bar("无结果", None, "尚无结果")],
        title="通过率",
    )
    image = render_image(chart, SIZE)
    rects = chart.bar_rects(image.rect().toRectF())
    assert rects[3] is None
    full, low, top = rects[0], rects[1], rects[2]
    assert full is not None and low is not None and top is not None
    assert full.width() == pytest.approx(top.width() * 0.8)
    assert low.width() == pytest.approx(top.width() * 0.4)
    # the pixels: the bar of 0.8 is blue and twice as long as the red one of 0.4 (under 0.5)
    blue = _run(image, BAR_COLOR, y=full.center().y())
    red = _run(image, LOW_BAR_COLOR, y=low.center().y())
    assert blue == pytest.approx(2 * red, abs=2)
    assert _run(image, BAR_COLOR, y=top.center().y()) == pytest.approx(blue / 0.8, abs=2)
    assert full.top() > 0 and top.bottom() < SIZE.height()


def test_the_histogram_bars_heights_follow_the_counts(qtbot) -> None:
    chart = Histogram()
    qtbot.addWidget(chart)
    counts = [0, 1, 2, 4, 0, 0, 0, 0, 0, 8]
    chart.set_bars([Bar(b, c) for b, c in zip(BAND_LABELS, counts, strict=True)], title="分布")
    image = render_image(chart, SIZE)
    rects = chart.bar_rects(image.rect().toRectF())
    heights = [_run(image, BAR_COLOR, x=r.center().x()) if r else 0 for r in rects]
    assert heights[0] == 0
    tallest_height = heights[9]
    for count, height in zip(counts, heights, strict=True):
        assert height == pytest.approx(tallest_height * count / 8, abs=2), (count, heights)
    tallest = rects[9]
    assert tallest is not None and tallest.top() > 0  # room for its count above it
    assert [r.center().x() for r in rects if r] == sorted(r.center().x() for r in rects if r)


def test_an_empty_chart_draws_no_bar_and_says_so(qtbot) -> None:
    chart = BarChart(maximum=1.0)
    qtbot.addWidget(chart)
    image = render_image(chart, SIZE)
    assert all(_run(image, BAR_COLOR, y=y) == 0 for y in range(0, SIZE.height(), 3))
    assert any(  # "暂无数据" in the middle
        image.pixelColor(x, SIZE.height() // 2).lightness() < 200
        for x in range(SIZE.width() // 3, 2 * SIZE.width() // 3)
    )


def test_the_ui_font_has_the_chinese_of_the_charts() -> None:
    metrics = QFontMetricsF(QApplication.font())
    for text in ("通过率已出结果待定不计", "初级中级高级理论实操成绩分布缺考人数暂无数据"):
        assert all(metrics.inFontUcs4(ord(c)) for c in text), text


class FakeDialogs:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.asked: list[str] = []

    def save_workbook(self, parent: object, name: str) -> Path:
        self.asked.append(name)
        return self.folder / name


@pytest.fixture
def scored_db(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    db = Database.open(arranged_db_file(40))
    seed_scores(db, seed=7, absent_share=0.1)
    yield db
    db.close()


@pytest.fixture
def panel(qtbot, scored_db: Database, runner: TaskRunner, tmp_path: Path) -> StatisticsPanel:
    notes: list[str] = []
    context = PageContext(
        scored_db, runner, StatusWatcher(scored_db, runner), lambda _step: None, notes.append
    )
    page = BasePage(context)
    built = StatisticsPanel(page, dialogs=FakeDialogs(tmp_path))  # type: ignore[arg-type]
    QVBoxLayout(page).addWidget(built)
    window = QWidget()
    QVBoxLayout(window).addWidget(page)
    qtbot.addWidget(window)
    window.resize(1300, 600)
    window.show()
    qtbot.waitExposed(window)
    built.notes = notes  # type: ignore[attr-defined]
    built.host = window  # type: ignore[attr-defined]  # keeps the window alive
    return built


def test_the_tab_shows_each_table_and_its_chart(
    panel: StatisticsPanel, scored_db: Database, qtmodeltester
) -> None:
    assert panel.summary_label.text() == "请先选择考试计划。"
    assert not panel.export_button.isEnabled()
    panel.set_plan(DEMO_PLAN_CODE)
    stats = plan_statistics(scored_db, DEMO_PLAN_CODE)
    assert panel.stats == stats
    assert f"报考 {stats.overall.registered} 人" in panel.summary_label.text()
    assert f"{stats.overall.rate:.1%}" in panel.summary_label.text()
    assert panel.export_button.isEnabled()
    for view, groups in (
        (panel.level_view, stats.by_level),
        (panel.major_view, stats.by_major),
        (panel.class_view, stats.by_class),
        (panel.class_name_view, stats.by_class_name),
    ):
        qtmodeltester.check(view.model)
        assert view.model.rowCount() == len(groups) > 0
        assert [b.value for b in view.chart.bars] == [g.counts.rate for g in groups]
        assert view.model.row(0).cells[-1] == rate_bar("", groups[0].counts).text.split("（")[0]
    assert [b.label for b in panel.level_view.chart.bars] == ["初级", "中级"]
    assert panel.session_view.model.rowCount() == len(stats.sessions) == 4
    assert [b.value for b in panel.session_view.chart.bars] == [s.absent for s in stats.sessions]
    qtmodeltester.check(panel.subject_view.model)


def test_the_histogram_follows_the_subject_picked(panel: StatisticsPanel) -> None:
    panel.set_plan(DEMO_PLAN_CODE)
    assert panel.stats is not None
    subjects = panel.stats.subjects
    panel.tabs.setCurrentWidget(panel.subject_view)
    chart = panel.subject_view.chart
    assert [b.value for b in chart.bars] == list(subjects[0].bands)
    panel.subject_view.table.selectRow(3)
    assert [b.value for b in chart.bars] == list(subjects[3].bands)
    assert [b.label for b in chart.bars] == list(BAND_LABELS)
    assert "中级实操成绩分布" in chart.title
    image = render_image(chart, QSize(500, 260))
    assert (
        sum(
            _run(image, BAR_COLOR, x=r.center().x())
            for r in chart.bar_rects(image.rect().toRectF())
            if r
        )
        > 0
    )


def test_the_export_button_writes_the_workbook(panel: StatisticsPanel, tmp_path: Path) -> None:
    panel.set_plan(DEMO_PLAN_CODE)
    panel.export_button.click()
    path = tmp_path / f"统计表-{DEMO_PLAN_CODE}.xlsx"
    assert panel.last_written is not None and panel.last_written.path == path
    assert "概况" in CalamineWorkbook.from_path(str(path)).sheet_names
    assert any(str(path) in note for note in panel.notes)  # type: ignore[attr-defined]


def test_the_tab_fits_the_results_page_at_1366_by_768(panel: StatisticsPanel) -> None:
    # What a tab of a page gets at 1366 x 768: the window less the sidebar, the page's
    # margins, its header and the tab bar.
    panel.set_plan(DEMO_PLAN_CODE)
    room = QSize(1040, 440)
    hint = panel.minimumSizeHint()
    assert hint.width() <= room.width() and hint.height() <= room.height()
    window = panel.window()
    window.resize(room)
    QApplication.processEvents()
    for view in (panel.level_view, panel.class_view, panel.subject_view, panel.session_view):
        panel.tabs.setCurrentWidget(view)
        QApplication.processEvents()
        assert view.table.width() >= 380 and view.chart_area.width() >= 300
        header = view.table.horizontalHeader()
        assert header.sectionSize(0) >= 120  # the group's name stays readable
        widths = sum(header.sectionSize(c) for c in range(header.count()))
        assert widths <= view.table.viewport().width() + 1  # no column cut off
    assert panel.export_button.isVisible()
    assert panel.export_button.geometry().right() <= panel.width()


def test_results_not_in_yet_show_as_pending_not_failed(
    qtbot, arranged_db_file: Callable[[int], Path], runner: TaskRunner, tmp_path: Path
) -> None:
    db = Database.open(arranged_db_file(12))  # arranged, no score yet
    context = PageContext(db, runner, StatusWatcher(db, runner), lambda _step: None, print)
    page = BasePage(context)
    qtbot.addWidget(page)
    panel = StatisticsPanel(page, dialogs=FakeDialogs(tmp_path))  # type: ignore[arg-type]
    panel.set_plan(DEMO_PLAN_CODE)
    assert panel.stats is not None
    registered = panel.stats.overall.registered
    assert registered > 0 and panel.stats.overall.pending == registered
    assert "未通过 0" in panel.summary_label.text()
    assert f"待定 {registered}" in panel.summary_label.text()
    assert "通过率 —" in panel.summary_label.text()
    bars = panel.level_view.chart.bars
    assert bars and all(b.value is None and b.text == "尚无结果" for b in bars)
    image = render_image(panel.level_view.chart, SIZE)
    # no bar drawn for no result, anywhere
    assert all(_run(image, BAR_COLOR, y=y) == 0 for y in range(0, SIZE.height(), 3))
    db.close()


def test_many_groups_scroll_instead_of_overlapping(qtbot) -> None:
    from PySide6.QtWidgets import QScrollArea

    chart = BarChart(maximum=1.0)
    chart.set_bars([Bar(f"班级{n:02d}", n / 30) for n in range(30)], title="通过率")
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(chart)
    qtbot.addWidget(area)
    area.resize(400, 300)
    area.show()
    qtbot.waitExposed(area)
    assert chart.height() >= 30 * BarChart.MIN_ROW
    assert area.verticalScrollBar().maximum() > 0
    rects = [r for r in chart.bar_rects(chart.rect().toRectF()) if r]
    assert all(b.top() >= a.bottom() for a, b in itertools.pairwise(rects))
    assert rects[-1].bottom() <= chart.height()
