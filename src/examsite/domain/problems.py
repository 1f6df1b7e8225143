"""Problems found in the user's input, as plain values.

A rule never formats text for people: it returns a ``Problem`` with a stable ``code`` and
the ``params`` the message needs. ``examsite.messages`` turns it into Chinese for the CLI
and the window alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Level(StrEnum):
    """How bad a problem is: an error keeps the row (or file) out, a warning does not."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``row`` is the 1-based row of the spreadsheet as Excel shows it (None when not about a
    row); ``column`` is the column's header as the user wrote it (or a field name).
    """

    code: str
    level: Level = Level.ERROR
    row: int | None = None
    column: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR


def error(
    code: str, *, row: int | None = None, column: str | None = None, **params: Any
) -> Problem:
    """Shorthand for an error ``Problem``."""
    return Problem(code, Level.ERROR, row, column, MappingProxyType(dict(params)))


def warning(
    code: str, *, row: int | None = None, column: str | None = None, **params: Any
) -> Problem:
    """Shorthand for a warning ``Problem``."""
    return Problem(code, Level.WARNING, row, column, MappingProxyType(dict(params)))


def notice(
    code: str, *, row: int | None = None, column: str | None = None, **params: Any
) -> Problem:
    """Shorthand for a notice: nothing is wrong, but the user should know."""
    return Problem(code, Level.NOTICE, row, column, MappingProxyType(dict(params)))
