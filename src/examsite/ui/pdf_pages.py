"""A PDF's pages on screen and on paper: pypdfium2 renders them, Qt shows or prints them.

``render_pages`` (a job for the worker) renders the first pages of a PDF to ``QImage``s
(a ``QImage`` may be made off the GUI thread; a ``QPixmap`` is made from it on the GUI
thread); ``PdfPreviewDialog`` shows them one under the other in a scroll area.
``print_pdf`` paints each page, rendered at the printer's resolution, onto a ``QPrinter``
(a job too: Qt paints on a printer from any thread); on Windows the printer is any
installed one, in tests a PDF file (``QPrinter.OutputFormat.PdfFormat``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from PIL import Image
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from examsite.progress import Progress
from examsite.ui.widgets import label, resize_within_screen

PREVIEW_PAGES = 12  # pages shown at most; the rest are printed, not previewed
PREVIEW_SCALE = 1.25  # an A4 page 744 pixels wide
PRINT_DPI_CAP = 300  # render no finer than this (a page is then ~25 MB in memory)


@dataclass(frozen=True)
class RenderedPages:
    path: Path
    images: tuple[QImage, ...]
    total: int  # pages in the file (more than ``images`` for a long one)


def to_qimage(image: Image.Image) -> QImage:
    """A copy of a PIL image as an RGB ``QImage``."""
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    return QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888).copy()


def render_pages(
    path: Path, progress: Progress, *, scale: float = PREVIEW_SCALE, limit: int = PREVIEW_PAGES
) -> RenderedPages:
    """The first ``limit`` pages of ``path`` as images (a job for the worker)."""
    document = pypdfium2.PdfDocument(path)
    try:
        total = len(document)
        shown = min(total, limit)
        images = []
        for index in range(shown):
            progress.check_cancelled()
            progress.step(index, shown, f"第 {index + 1} 页")
            images.append(to_qimage(document[index].render(scale=scale).to_pil()))
        return RenderedPages(path, tuple(images), total)
    finally:
        document.close()


def print_pdf(path: Path, printer: QPrinter, progress: Progress) -> int:
    """Paint the pages of ``path`` (the printer's page range, else all) onto ``printer``,
    each rendered at the printer's resolution and fitted to the paper; the pages printed."""
    document = pypdfium2.PdfDocument(path)
    painter = QPainter()
    try:
        total = len(document)
        first = max(printer.fromPage(), 1) if printer.fromPage() else 1
        last = min(printer.toPage(), total) if printer.toPage() else total
        scale = min(printer.resolution(), PRINT_DPI_CAP) / 72
        if not painter.begin(printer):
            raise OSError(f"the printer {printer.printerName()!r} cannot start")
        printed = 0
        for number in range(first, last + 1):
            progress.check_cancelled()
            progress.step(number - first, last - first + 1, f"第 {number} 页")
            if printed:
                printer.newPage()
            image = to_qimage(document[number - 1].render(scale=scale).to_pil())
            area = painter.viewport()
            fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x(), area.y(), fitted.width(), fitted.height())
            target.moveCenter(area.center())
            painter.drawImage(target, image)
            printed += 1
        return printed
    finally:
        if painter.isActive():
            painter.end()
        document.close()


class PdfPreviewDialog(QDialog):
    """The rendered pages of one PDF, one under the other, in a scroll area."""

    def __init__(self, pages: RenderedPages, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"预览：{title}")
        self.pages = pages
        note = f"{pages.path.name}，共 {pages.total} 页"
        if pages.total > len(pages.images):
            note += f"，这里显示前 {len(pages.images)} 页（打印时打印全部）"
        self.note = label(note, "pageHint", wrap=True)
        column = QWidget()
        column.setObjectName("previewPages")
        inner = QVBoxLayout(column)
        inner.setSpacing(12)
        self.page_labels: list[QLabel] = []
        for image in pages.images:
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            page.setStyleSheet("background: white; border: 1px solid #c8c8c8;")
            inner.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(page)
        self.scroll = QScrollArea()
        self.scroll.setWidget(column)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(buttons)
        width = max((i.width() for i in pages.images), default=600) + 80
        resize_within_screen(self, QSize(width, 900))
