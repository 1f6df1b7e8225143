"""Errors that carry the text the user sees.

``ExamsiteError`` and its subclasses are the environment's or the input's fault and are
shown to the user as they are; any other exception is our bug.
"""

from __future__ import annotations

from collections.abc import Sequence

from examsite.domain.problems import Problem


class ExamsiteError(Exception):
    """An error whose message (Chinese) is meant for the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(ExamsiteError):
    """The user's input was refused as a whole; ``problems`` say why, row by row."""

    exit_code = 2

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class NotFoundError(InputError):
    """Something the user named does not exist."""


class StorageError(ExamsiteError):
    """The database cannot be used: locked, full disk, newer schema, corrupt file."""


class Cancelled(ExamsiteError):
    """The user cancelled a long job; nothing was written."""

    def __init__(self, message: str = "操作已取消，未做任何更改。") -> None:
        super().__init__(message)
