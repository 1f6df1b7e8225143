"""The photos page's detail panel: the selected candidate's photo, larger, with every
problem in Chinese and the way to replace it.

The panel does not know the page: its buttons and a dropped image become signals.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QImage,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from examsite.domain.photo_spec import HEIGHT, WIDTH, Verdict
from examsite.domain.problems import Level, Problem
from examsite.messages import CANDIDATE_STATUS_TITLES, KIND_TITLES, render
from examsite.services.candidates import mask_id
from examsite.services.photos import (
    PhotoRow,
)
from examsite.ui.models.photos import (
    PhotoDelegate,
    badge,
)
from examsite.ui.pages.photo_grid import DropKind, classify_drop
from examsite.ui.widgets import Card, label, repolish

log = logging.getLogger(__name__)

BACKGROUND_TITLES = {"red": "红色", "blue": "蓝色", "white": "白色", "unclear": "无法确定"}
PROBLEM_ROLES = {Level.ERROR: "problemError", Level.WARNING: "problemWarning"}
FIX_HINT = "这些问题可以自动修复：点上方的“自动修复”，照片会被处理成 295×413 的合格照片。"


class DetailPanel(Card):
    """The selected candidate: the photo larger, who it is, and what the check found.

    更换照片… is ``replace_requested(row)``, 查看原图 ``original_requested(row)``; an image
    dropped here is ``image_dropped(id_number, path)``: a new photo for the candidate shown.
    While ``set_busy(True)`` it offers neither a replacement nor a drop.
    """

    PHOTO = QSize(177, 248)  # 295 × 413 at 60 %

    replace_requested = Signal(object)  # PhotoRow
    original_requested = Signal(object)  # PhotoRow
    image_dropped = Signal(str, object)  # id number, Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, name="photoDetail")
        self._busy = False
        self.row: PhotoRow | None = None
        self.setAcceptDrops(True)

        self.photo_label = QLabel()
        self.photo_label.setObjectName("detailPhoto")
        self.photo_label.setFixedSize(self.PHOTO)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_label = label("", "detailName", wrap=True)
        self.badge_label = QLabel()
        self.badge_label.setObjectName("verdictBadge")
        self.badge_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.id_label = label("", "detailValue")
        self.kind_label = label("", "detailValue")
        self.status_label = label("", "detailValue")
        info = QVBoxLayout()
        info.setSpacing(2)
        info.addWidget(self.name_label)
        info.addSpacing(4)
        info.addWidget(self.badge_label)
        info.addSpacing(10)
        for caption, value in (
            ("证件号码", self.id_label),
            ("考生类型", self.kind_label),
            ("考生状态", self.status_label),
        ):
            info.addWidget(label(caption, "detailCaption"))
            info.addWidget(value)
            info.addSpacing(6)
        info.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.photo_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(info, 1)

        self.message_label = label("", "detailMessage", wrap=True)
        self.message_label.hide()
        self.pixels_label = label("", "detailValue", wrap=True)
        self.background_label = label("", "detailValue")
        self.source_label = label("", "detailValue", wrap=True)
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(6)
        for line, (caption, value) in enumerate(
            (
                ("像素尺寸", self.pixels_label),
                ("背景颜色", self.background_label),
                ("源文件", self.source_label),
            )
        ):
            facts.addWidget(label(caption, "detailCaption"), line, 0, Qt.AlignmentFlag.AlignTop)
            facts.addWidget(value, line, 1)
        facts.setColumnStretch(1, 1)
        self.problems_box = QVBoxLayout()
        self.problems_box.setSpacing(6)
        self.problem_labels: list[QLabel] = []
        self.hint_label = label(FIX_HINT, "detailHint", wrap=True)

        self.replace_button = QPushButton("更换照片…")
        self.replace_button.clicked.connect(self._on_replace_button_clicked)
        self.original_button = QPushButton("查看原图")
        self.original_button.clicked.connect(self._on_original_button_clicked)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.replace_button)
        buttons.addWidget(self.original_button)
        buttons.addStretch(1)

        content = QWidget()
        content.setObjectName("detailContent")
        body = QVBoxLayout(content)
        body.setContentsMargins(18, 18, 18, 18)
        body.setSpacing(0)
        body.addLayout(top)
        body.addSpacing(12)
        body.addWidget(self.message_label)
        body.addSpacing(6)
        body.addWidget(label("照片信息", "detailSection"))
        body.addSpacing(8)
        body.addLayout(facts)
        body.addSpacing(16)
        body.addWidget(label("检查结果", "detailSection"))
        body.addSpacing(8)
        body.addLayout(self.problems_box)
        body.addSpacing(8)
        body.addWidget(self.hint_label)
        body.addSpacing(16)
        body.addLayout(buttons)
        body.addSpacing(6)
        body.addWidget(label("也可以把新照片直接拖到这里或考生的格子上。", "pageHint", wrap=True))
        body.addStretch(1)

        scroll = QScrollArea()
        scroll.setObjectName("detailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        self.empty_label = label(
            "选择一位考生，查看照片的检查结果。\n\n照片不合格时，这里会说明原因和处理办法。",
            "detailEmpty",
            wrap=True,
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(scroll)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(1, 1, 1, 1)
        outer.addWidget(self.stack)

    @property
    def photo_size(self) -> QSize:
        return self.PHOTO

    def set_busy(self, busy: bool) -> None:
        """The page is busy with a job: no replacing meanwhile."""
        self._busy = busy
        self.replace_button.setEnabled(not busy and self.row is not None)

    def clear(self) -> None:
        self.row = None
        self.stack.setCurrentIndex(0)
        self.replace_button.setEnabled(False)

    def show_row(self, row: PhotoRow) -> None:
        """Fill in the candidate and the check (the picture comes with ``show_image``)."""
        changed = self.row is None or self.row.id_number != row.id_number
        self.row = row
        self.stack.setCurrentIndex(1)
        tag = badge(row)
        self.name_label.setText(row.name)
        self.badge_label.setText(tag.text)
        self.badge_label.setStyleSheet(
            f"color: {tag.foreground.name()}; background: {tag.background.name()};"
        )
        self.id_label.setText(mask_id(row.id_number))
        self.kind_label.setText(KIND_TITLES.get(row.kind, row.kind))
        self.status_label.setText(CANDIDATE_STATUS_TITLES.get(row.status, row.status))
        self.pixels_label.setText(_pixels_text(row))
        self.background_label.setText(BACKGROUND_TITLES.get(row.background, "—"))
        self.source_label.setText(row.source_name or "—")
        self._show_problems(row)
        self.hint_label.setVisible(row.verdict is Verdict.REJECTED and row.fixable)
        self.replace_button.setEnabled(not self._busy)
        self.original_button.setVisible(row.verdict is Verdict.FIXED)
        if changed:
            self.photo_label.clear()
            if row.verdict is None:
                self.photo_label.setPixmap(self._placeholder())
            else:
                self.photo_label.setText("正在读取…")

    def _placeholder(self) -> QPixmap:
        """The grid's "无照片" drawing, at the panel's size."""
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(round(self.PHOTO.width() * ratio), round(self.PHOTO.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        PhotoDelegate.paint_placeholder(
            painter, QRectF(0.5, 0.5, self.PHOTO.width() - 1, self.PHOTO.height() - 1)
        )
        painter.end()
        return pixmap

    def _show_problems(self, row: PhotoRow) -> None:
        for old in self.problem_labels:
            self.problems_box.removeWidget(old)
            old.deleteLater()
        self.problem_labels = []
        if row.verdict is None:
            lines = [
                ("这位考生还没有照片。导入照片压缩包，或点“更换照片…”选择一张。", "problemWarning")
            ]
        else:
            lines = [
                (f"•  {render(p)}", PROBLEM_ROLES.get(p.level, "problemNotice"))
                for p in row.problems
            ]
            if not any(p.level is not Level.NOTICE for p in row.problems):
                lines.insert(0, ("符合平台的全部要求。", "okText"))
        for text, role in lines:
            line = label(text, role, wrap=True)
            self.problem_labels.append(line)
            self.problems_box.addWidget(line)

    def show_image(self, image: QImage | None) -> None:
        if image is None:
            self.photo_label.clear()
            if self.row is not None and self.row.verdict is None:
                self.photo_label.setPixmap(self._placeholder())
            else:
                self.photo_label.setText("无法显示")
        else:
            self.photo_label.setPixmap(QPixmap.fromImage(image))

    def set_message(self, text: str, problems: Iterable[Problem] = ()) -> None:
        """An in-place note about the last replace (e.g. the new photo was refused)."""
        details = [render(p) for p in problems if p.level is not Level.NOTICE]
        self.message_label.setText("\n".join([text, *details]) if text else "")
        self.message_label.setVisible(bool(text))

    def _on_replace_button_clicked(self) -> None:
        if self.row is not None:
            self.replace_requested.emit(self.row)

    def _on_original_button_clicked(self) -> None:
        if self.row is not None:
            self.original_requested.emit(self.row)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        kind, _ = classify_drop(event.mimeData())
        if kind is DropKind.IMAGE and self.row is not None and not self._busy:
            self.setProperty("dropping", True)
            repolish(self)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.setProperty("dropping", False)
        repolish(self)

    def dropEvent(self, event: QDropEvent) -> None:
        self.setProperty("dropping", False)
        repolish(self)
        kind, path = classify_drop(event.mimeData())
        if kind is DropKind.IMAGE and path is not None and self.row is not None and not self._busy:
            event.acceptProposedAction()
            self.image_dropped.emit(self.row.id_number, path)
        else:
            event.ignore()


def _pixels_text(row: PhotoRow) -> str:
    if row.verdict is None:
        return "—"
    if not row.width:
        return "无法读取"
    size = f"{row.width} × {row.height}"
    if row.verdict is Verdict.FIXED and (row.width, row.height) != (WIDTH, HEIGHT):
        return f"原图 {size}，已缩放为 {WIDTH} × {HEIGHT}"
    if (row.width, row.height) != (WIDTH, HEIGHT):
        return f"{size}（平台要求 {WIDTH} × {HEIGHT}）"
    return size
