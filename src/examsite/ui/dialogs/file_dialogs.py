"""Where the file dialogs open: the user's Documents folder the first time, then the folder
last used for the same purpose (an import, the photos, a template …), remembered across
runs in ``QSettings``.

The window and each page have an object with their dialogs (``DatabaseDialogs``,
``CandidateDialogs``, ``PhotoDialogs``) built on ``FileDialogs``, which asks a
``FileChooser`` for the path; tests hand in a fake chooser, or a fake dialogs object.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


class Purpose(StrEnum):
    """What a dialog is for; each remembers its own last folder."""

    DATABASE = "database"
    IMPORT = "import"  # a candidate list to import
    TEMPLATE = "template"  # where a blank template is saved
    PROBLEMS = "problems"  # where an import's problem table is saved
    PHOTOS = "photos"  # a zip or a folder of photos
    PHOTO = "photo"  # one photo replacing a candidate's


def documents_folder() -> Path:
    """The user's Documents folder (the home folder where there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class RecentFolders:
    """The last folder used for each ``Purpose``; ``default`` (Documents) before any.

    ``settings`` defaults to the application's (the registry on Windows), opened on first
    use; a remembered folder that has gone (a USB stick taken out) counts as none.
    """

    KEY = "recentFolders/{}"

    def __init__(self, settings: QSettings | None = None, default: Path | None = None) -> None:
        self._settings = settings
        self._default = default

    @property
    def settings(self) -> QSettings:
        if self._settings is None:
            self._settings = QSettings()
        return self._settings

    @property
    def default(self) -> Path:
        return self._default if self._default is not None else documents_folder()

    def remembered(self, purpose: Purpose) -> Path | None:
        value = self.settings.value(self.KEY.format(purpose.value))
        if not isinstance(value, str) or not value:
            return None
        folder = Path(value)
        return folder if folder.is_dir() else None

    def folder(self, purpose: Purpose) -> Path:
        """Where a dialog for ``purpose`` opens."""
        return self.remembered(purpose) or self.default

    def remember(self, purpose: Purpose, chosen: Path) -> None:
        """Remember the folder of ``chosen`` (a file, or a folder itself)."""
        folder = chosen if chosen.is_dir() else chosen.parent
        self.settings.setValue(self.KEY.format(purpose.value), str(folder))


class FileChooser:
    """Qt's file dialogs (the system's own on Windows); tests hand in a fake."""

    def open_file(self, parent: QWidget, title: str, start: Path, filters: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, str(start), filters)
        return Path(path) if path else None

    def save_file(
        self,
        parent: QWidget,
        title: str,
        start: Path,
        filters: str,
        *,
        confirm_overwrite: bool = True,
    ) -> Path | None:
        options = QFileDialog.Option(0)
        if not confirm_overwrite:
            options |= QFileDialog.Option.DontConfirmOverwrite
        path, _ = QFileDialog.getSaveFileName(parent, title, str(start), filters, options=options)
        return Path(path) if path else None

    def open_folder(self, parent: QWidget, title: str, start: Path) -> Path | None:
        path = QFileDialog.getExistingDirectory(parent, title, str(start))
        return Path(path) if path else None


class FileDialogs:
    """The base of a window's or a page's dialogs: open and save in the right folder, and
    remember the folder the user chose."""

    def __init__(
        self, folders: RecentFolders | None = None, chooser: FileChooser | None = None
    ) -> None:
        self.folders = folders or RecentFolders()
        self.chooser = chooser or FileChooser()

    def ask_open(self, purpose: Purpose, parent: QWidget, title: str, filters: str) -> Path | None:
        path = self.chooser.open_file(parent, title, self.folders.folder(purpose), filters)
        return self._chosen(purpose, path)

    def ask_save(
        self,
        purpose: Purpose,
        parent: QWidget,
        title: str,
        filters: str,
        name: str,
        *,
        start: Path | None = None,
        confirm_overwrite: bool = True,
    ) -> Path | None:
        """Ask where to save ``name``: in the folder last used for ``purpose``, else in
        ``start``'s folder when given, else in Documents."""
        folder = self.folders.remembered(purpose) or start or self.folders.default
        path = self.chooser.save_file(
            parent, title, folder / name, filters, confirm_overwrite=confirm_overwrite
        )
        return self._chosen(purpose, path)

    def ask_folder(self, purpose: Purpose, parent: QWidget, title: str) -> Path | None:
        path = self.chooser.open_folder(parent, title, self.folders.folder(purpose))
        return self._chosen(purpose, path)

    def _chosen(self, purpose: Purpose, path: Path | None) -> Path | None:
        if path is not None:
            self.folders.remember(purpose, path)
        return path
