"""The menu line 文件 › 清除到期个人信息… (director only: the services refuse anyone else).

Apart from ``ui.retention_dialog`` so that the window's modules load no database library
before the first paint: the dialog (and the services under it) is imported on the click.
"""

from __future__ import annotations

from typing import Any, Final

from PySide6.QtGui import QAction

ACTION_TEXT: Final = "清除到期个人信息(&P)…"


def retention_action(window: Any) -> QAction:
    """The menu line of ``window`` (the main window: its ``jobs`` and open ``db``); the
    dialog is kept on the window as ``retention_dialog``."""
    action = QAction(ACTION_TEXT, window)
    action.setObjectName("retentionAction")

    def open_dialog() -> None:
        from examsite.ui.retention_dialog import RetentionDialog

        if window.db is not None:
            window.retention_dialog = RetentionDialog(window.jobs, window.db, parent=window)
            window.retention_dialog.open()

    action.triggered.connect(open_dialog)
    return action
