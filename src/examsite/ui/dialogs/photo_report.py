"""What a photo import found: the counts, the photos to look at, the files left out.

The page runs ``import_photos`` and hands the ``PhotoImportReport`` here; the dialog only
shows it. 查看不合格的照片 closes it with ``show_rejected_requested`` so the page can set
its filter. ``OriginalPhotoDialog`` shows one photo as it came (查看原图).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QStringListModel, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.photo_spec import Verdict
from examsite.domain.problems import notice
from examsite.messages import render
from examsite.services.photos import PhotoImportReport, PhotoRow
from examsite.ui.models.photos import ReportColumn, ReportModel
from examsite.ui.widgets import Card, ReadOnlyTable, label, resize_within_screen

NAMING_HINT = (
    "照片要以考生的证件号码命名，例如 420102200501011234.jpg，"
    "且该考生已在“考生”页导入。请改名后重新导入这些照片。"
)


class CountCard(Card):
    """One figure of the import: 合格, 已修复, 不合格, 未匹配."""

    def __init__(self, caption: str, value: int, tone: str) -> None:
        super().__init__(name="reportCount")
        self.setProperty("tone", tone if value else "zero")
        self.value_label = label(f"{value:,}", "reportCountValue")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 12)
        layout.setSpacing(0)
        layout.addWidget(label(caption, "cardCaption"))
        layout.addWidget(self.value_label)


class PhotoReportDialog(QDialog):
    """The result of one photo import (modal to the window, opened with ``open()``)."""

    show_rejected_requested = Signal()

    def __init__(
        self, report: PhotoImportReport, source: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("photoReport")
        self.setWindowTitle("照片导入结果")
        self.report = report
        checked = len(report.results)
        rejected = report.count(Verdict.REJECTED)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(0)
        layout.addWidget(label("照片导入结果", "reportTitle"))
        layout.addSpacing(2)
        self.summary_label = label(_summary(report, source), "pageSubtitle", wrap=True)
        layout.addWidget(self.summary_label)
        layout.addSpacing(14)

        self.counts = {
            "pass": CountCard("合格", report.count(Verdict.PASS), "pass"),
            "fixed": CountCard("已修复", report.count(Verdict.FIXED), "fixed"),
            "rejected": CountCard("不合格", rejected, "rejected"),
            "unmatched": CountCard("未匹配的文件", len(report.unmatched), "unmatched"),
        }
        cards = QHBoxLayout()
        cards.setSpacing(12)
        for card in self.counts.values():
            cards.addWidget(card, 1)
        layout.addLayout(cards)

        self.model = ReportModel(report.results, self)
        self.table = ReadOnlyTable(
            self.model,
            name="photoReportTable",
            wrap=True,
            widths={ReportColumn.FILE: 200, ReportColumn.CANDIDATE: 170},
            fit=[ReportColumn.RESULT],
            stretch=ReportColumn.EXPLANATION,
        )
        self.table.setMinimumHeight(220)
        layout.addSpacing(18)
        if self.model.rowCount():
            layout.addWidget(label(f"需要处理的照片（{self.model.rowCount()}）", "sectionTitle"))
            layout.addSpacing(8)
            layout.addWidget(self.table, 3)
        else:
            self.table.hide()
            text = "所有照片都合格，已保存。" if checked else "没有找到可导入的照片。"
            layout.addWidget(label(text, "okText" if checked else "problemWarning"))

        self.unmatched_model = QStringListModel(list(report.unmatched), self)
        self.unmatched_list = self._build_list("unmatchedList", self.unmatched_model)
        if report.unmatched:
            layout.addSpacing(16)
            layout.addWidget(
                label(f"未匹配到考生的文件（{len(report.unmatched)}）", "sectionTitle")
            )
            layout.addSpacing(4)
            layout.addWidget(label(NAMING_HINT, "reportHint", wrap=True))
            layout.addSpacing(6)
            layout.addWidget(self.unmatched_list)

        lines = [f"{name}　—　{render(notice(reason))}" for name, reason in report.ignored]
        self.ignored_model = QStringListModel(lines, self)
        self.ignored_list = self._build_list("ignoredList", self.ignored_model)
        if report.ignored:
            layout.addSpacing(16)
            layout.addWidget(
                label(f"已忽略的文件（{len(report.ignored)}，不是照片）", "sectionTitle")
            )
            layout.addSpacing(6)
            layout.addWidget(self.ignored_list)

        self.show_rejected_button = QPushButton("查看不合格的照片")
        self.show_rejected_button.clicked.connect(self._on_show_rejected_button_clicked)
        self.show_rejected_button.setVisible(rejected > 0)
        self.close_button = QPushButton("关闭")
        self.close_button.setObjectName("primaryButton")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.show_rejected_button)
        buttons.addWidget(self.close_button)
        layout.addSpacing(18)
        layout.addLayout(buttons)
        resize_within_screen(self, QSize(860, 720 if self.model.rowCount() else 420))

    @staticmethod
    def _build_list(name: str, model: QStringListModel) -> QListView:
        view = QListView()
        view.setObjectName(name)
        view.setModel(model)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setUniformItemSizes(True)
        view.setMinimumHeight(48)
        view.setMaximumHeight(96)
        return view

    def _on_show_rejected_button_clicked(self) -> None:
        self.show_rejected_requested.emit()
        self.accept()


def _summary(report: PhotoImportReport, source: Path) -> str:
    checked = len(report.results)
    stored = sum(1 for r in report.results if r.stored)
    parts = [f"来源：{source.name}", f"检查了 {checked} 张照片，保存了 {stored} 张"]
    if report.ignored:
        parts.append(f"忽略了 {len(report.ignored)} 个非照片文件")
    return "　·　".join(parts)


class OriginalPhotoDialog(QDialog):
    """A candidate's photo as it came, before the automatic fix (查看原图)."""

    MAX_SIZE = QSize(560, 620)

    def __init__(self, row: PhotoRow, image: QImage | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("originalPhoto")
        self.setWindowTitle(f"原图 — {row.name}")
        self.image_label = QLabel()
        self.image_label.setObjectName("originalImage")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if image is None:
            self.image_label.setText("原图无法显示。")
            caption = "原图无法显示：文件可能已损坏，或不是 jpg、png 图片。"
        else:
            ratio = self.devicePixelRatioF()
            target = QSize(
                round(self.MAX_SIZE.width() * ratio), round(self.MAX_SIZE.height() * ratio)
            )
            if image.width() > target.width() or image.height() > target.height():
                image = image.scaled(
                    target,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            self.image_label.setPixmap(pixmap)
            caption = f"原图 {row.width} × {row.height} 像素，来自“{row.source_name}”。"
            if row.verdict is Verdict.FIXED:
                caption += "上传平台的是自动修复后的 295 × 413 照片。"
        self.caption_label = label(caption, "pageSubtitle", wrap=True)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(self.image_label, 1)
        layout.addWidget(self.caption_label)
        layout.addLayout(buttons)
