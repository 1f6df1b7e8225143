"""The photos page's grid view and what a drag onto the page carries.

The grid does not know the page: it says what was dropped on it (``source_dropped``,
``image_dropped``) and the page decides what to do.
"""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QSize, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QWidget,
)

from examsite.domain.photo_spec import ACCEPTED_EXTENSIONS
from examsite.ui.dialogs.file_dialogs import FileDialogs, Purpose
from examsite.ui.models.photos import PhotoDelegate, PhotosModel
from examsite.ui.widgets import repolish

log = logging.getLogger(__name__)

ZIP_FILTER = "照片压缩包 (*.zip);;所有文件 (*)"
IMAGE_FILTER = "照片 (*.jpg *.jpeg *.png);;所有文件 (*)"


class PhotoDialogs(FileDialogs):
    """The file dialogs the page opens; tests put a replacement in ``page.dialogs``.

    A zip and a folder of photos share their folder; a single new photo has its own.
    """

    def open_zip(self, parent: QWidget) -> Path | None:
        return self.ask_open(Purpose.PHOTOS, parent, "选择照片压缩包", ZIP_FILTER)

    def open_folder(self, parent: QWidget) -> Path | None:
        return self.ask_folder(Purpose.PHOTOS, parent, "选择照片所在的文件夹")

    def open_image(self, parent: QWidget) -> Path | None:
        return self.ask_open(Purpose.PHOTO, parent, "选择新照片", IMAGE_FILTER)


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
    """The icon grid; takes drops and outlines the cell an image would replace.

    As many columns as the width holds, spread over the whole width: a wider window gets
    more columns, never a strip of empty space on the right.

    A zip or folder dropped anywhere on it is ``source_dropped(path)``; an image dropped on
    a cell is ``image_dropped(id_number, path)``. While ``set_busy(True)`` it takes none.
    """

    GAP = 8  # the least space between two cells

    source_dropped = Signal(object)  # Path
    image_dropped = Signal(str, object)  # the cell's id number, Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self._drop_highlight = False
        self.setObjectName("photoGrid")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)  # also turns dropping off: back on below
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # lay out again on every resize
        self.setUniformItemSizes(True)  # one size hint for 10,000 items
        self._fit_columns()
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setMouseTracking(True)  # hover outline
        self.setDragEnabled(False)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def columns(self) -> int:
        """How many cells a row of the grid holds at its width."""
        return max(1, self.viewport().width() // (PhotoDelegate.CELL.width() + self.GAP))

    def _fit_columns(self) -> None:
        # The grid's cells share the width; each item sits centred in its cell.
        cell = PhotoDelegate.CELL
        # One pixel short of the whole width: a row exactly as wide as the view wraps.
        width = max(cell.width() + self.GAP, (self.viewport().width() - 1) // self.columns())
        grid = QSize(width, cell.height() + self.GAP)
        if self.gridSize() != grid:
            self.setGridSize(grid)

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport, not the view: it also narrows when the scroll bar appears.
        if event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().viewportEvent(event)

    @property
    def delegate(self) -> PhotoDelegate:
        delegate = self.itemDelegate()
        assert isinstance(delegate, PhotoDelegate)
        return delegate

    def set_busy(self, busy: bool) -> None:
        """The page is busy with a job: take no drops meanwhile."""
        self._busy = busy

    def set_drop_highlight(self, on: bool) -> None:
        """Outline the whole grid: a zip or folder is being dragged over the page."""
        # Kept here, not read back with property(): PySide6 6.12 loses a reference to None
        # when property() of an unset name returns it.
        if self._drop_highlight != on:
            self._drop_highlight = on
            self.setProperty("dropping", on)
            repolish(self)

    def _target(self, event: QDragMoveEvent | QDropEvent) -> str | None:
        index = self.indexAt(event.position().toPoint())
        model = self.model()
        if not index.isValid() or not isinstance(model, PhotosModel):
            return None
        return model.photo_row(index).id_number

    def _mark(self, row: int) -> None:
        if self.delegate.drop_row != row:
            self.delegate.drop_row = row
            self.viewport().update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.dragMoveEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        kind, _ = classify_drop(event.mimeData())
        index = self.indexAt(event.position().toPoint())
        if self._busy:
            kind = DropKind.NONE
        if kind is DropKind.IMAGE and index.isValid():
            self._mark(index.row())
            event.acceptProposedAction()
        elif kind is DropKind.SOURCE:
            self._mark(-1)
            self.set_drop_highlight(True)
            event.acceptProposedAction()
        else:
            self._mark(-1)
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._mark(-1)
        self.set_drop_highlight(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._mark(-1)
        self.set_drop_highlight(False)
        kind, path = classify_drop(event.mimeData())
        target = self._target(event)
        if self._busy or path is None:
            event.ignore()
        elif kind is DropKind.SOURCE:
            event.acceptProposedAction()
            self.source_dropped.emit(path)
        elif target is not None:
            event.acceptProposedAction()
            self.image_dropped.emit(target, path)
        else:
            event.ignore()
