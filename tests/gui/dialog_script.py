"""``DialogScript``: stands in for a dialog's ``exec`` in the window's tests — each dialog
shown goes to the next step of the script (which fills it in and presses its buttons)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog


class DialogScript:
    def __init__(self, *steps: Callable[[QDialog], int]) -> None:
        self.steps = list(steps)
        self.shown: list[QDialog] = []

    def __call__(self, dialog: QDialog) -> int:
        self.shown.append(dialog)
        return self.steps.pop(0)(dialog) if self.steps else QDialog.DialogCode.Rejected
