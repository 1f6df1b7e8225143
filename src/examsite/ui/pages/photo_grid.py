"""The photos page's grid view and what a drag onto the page carries."""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QListView,
    QWidget,
)

from examsite.domain.photo_spec import ACCEPTED_EXTENSIONS
from examsite.ui.models.photos import (
    PhotoDelegate,
)

if TYPE_CHECKING:
    from examsite.ui.pages.photos import PhotosPage

log = logging.getLogger(__name__)

ZIP_FILTER = "照片压缩包 (*.zip);;所有文件 (*)"
IMAGE_FILTER = "照片 (*.jpg *.jpeg *.png);;所有文件 (*)"


class PhotoDialogs:
    """The file dialogs the page opens; tests put a replacement in ``page.dialogs``."""

    def open_zip(self, parent: QWidget) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(parent, "选择照片压缩包", "", ZIP_FILTER)
        return Path(path) if path else None

    def open_folder(self, parent: QWidget) -> Path | None:
        path = QFileDialog.getExistingDirectory(parent, "选择照片所在的文件夹")
        return Path(path) if path else None

    def open_image(self, parent: QWidget) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(parent, "选择新照片", "", IMAGE_FILTER)
        return Path(path) if path else None


class DropKind(Enum):
    NONE = 0
    SOURCE = 1  # a zip or a folder: import it
    IMAGE = 2  # one image file: replace one candidate's photo


def classify_drop(mime: QMimeData) -> tuple[DropKind, Path | None]:
    """What a drag carries: one local zip or folder, one image, or nothing we take."""
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    if len(paths) != 1:
        return DropKind.NONE, None
    path = paths[0]
    if path.is_dir() or path.suffix.lower() == ".zip":
        return DropKind.SOURCE, path
    if path.suffix.lower() in ACCEPTED_EXTENSIONS:
        return DropKind.IMAGE, path
    return DropKind.NONE, None


class PhotoGrid(QListView):
    """The icon grid; takes drops for the page and outlines the cell an image would replace."""

    def __init__(self, page: PhotosPage) -> None:
        super().__init__()
        self._page = page
        self.setObjectName("photoGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)  # also turns dropping off: back on below
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)  # one size hint for 10,000 items
        self.setSpacing(4)
        self.setWrapping(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setMouseTracking(True)  # hover outline
        self.setDragEnabled(False)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    @property
    def delegate(self) -> PhotoDelegate:
        delegate = self.itemDelegate()
        assert isinstance(delegate, PhotoDelegate)
        return delegate

    def _target(self, event: QDragMoveEvent | QDropEvent) -> str | None:
        index = self.indexAt(event.position().toPoint())
        return self._page.model.photo_row(index).id_number if index.isValid() else None

    def _mark(self, row: int) -> None:
        if self.delegate.drop_row != row:
            self.delegate.drop_row = row
            self.viewport().update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.dragMoveEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        kind, _ = classify_drop(event.mimeData())
        index = self.indexAt(event.position().toPoint())
        if kind is DropKind.IMAGE and index.isValid():
            self._mark(index.row())
            event.acceptProposedAction()
        elif kind is DropKind.SOURCE:
            self._mark(-1)
            self._page.set_drop_highlight(True)
            event.acceptProposedAction()
        else:
            self._mark(-1)
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._mark(-1)
        self._page.set_drop_highlight(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._mark(-1)
        self._page.set_drop_highlight(False)
        if self._page.handle_drop(event.mimeData(), self._target(event)):
            event.acceptProposedAction()
        else:
            event.ignore()
