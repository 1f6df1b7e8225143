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

    def to_plain(self) -> dict[str, Any]:
        """A dict of plain values: for JSON columns and for pickling to worker processes
        (a ``MappingProxyType`` does neither)."""
        plain: dict[str, Any] = {
            "code": self.code,
            "level": self.level.value,
            "params": dict(self.params),
        }
        if self.row is not None:
            plain["row"] = self.row
        if self.column is not None:
            plain["column"] = self.column
        return plain

    @classmethod
    def from_plain(cls, plain: Mapping[str, Any]) -> Problem:
        """The problem ``to_plain`` described."""
        return cls(
            plain["code"],
            Level(plain.get("level", Level.ERROR.value)),
            plain.get("row"),
            plain.get("column"),
            MappingProxyType(dict(plain.get("params", {}))),
        )


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
