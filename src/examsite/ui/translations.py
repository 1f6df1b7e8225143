"""Qt's own texts in Chinese: the file dialog, OK / 取消, a text box's context menu.

Qt ships its translations; PySide6 carries them in Qt's translations folder, and
PyInstaller collects them into the same place beside Qt and points ``QLibraryInfo`` there
(its embedded ``qt.conf``), so one lookup serves the frozen build and a checkout alike.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

QT_TRANSLATIONS = "qtbase_zh_CN"
_CATALOGUE_NAME = "examsiteQtCatalogue"

# Texts Qt 6's widgets use that its zh_CN catalogue lacks: the file dialog's labels gained a
# shortcut ("&Look in:") that the catalogue, written for "Look in:", does not know.
MISSING_TEXTS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class MissingTexts(QTranslator):
    """``MISSING_TEXTS``; everything else falls through to the catalogue (None)."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        return MISSING_TEXTS.get((context, source_text))

    def isEmpty(self) -> bool:
        return False


def install_qt_translations(app: QCoreApplication) -> bool:
    """Make Qt's dialogs and buttons speak Chinese, once per application.

    False (and a log line) when Qt's catalogue is missing; the window still works, in
    English where Qt speaks.
    """
    if app.findChild(QTranslator, _CATALOGUE_NAME) is not None:
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    catalogue = QTranslator(app)
    catalogue.setObjectName(_CATALOGUE_NAME)
    if not catalogue.load(QT_TRANSLATIONS, folder):
        log.warning("Qt's Chinese translations %s were not found in %s", QT_TRANSLATIONS, folder)
        catalogue.deleteLater()
        return False
    app.installTranslator(catalogue)
    # Installed last, asked first.
    app.installTranslator(MissingTexts(app))
    return True
