"""Errors that carry the text the user sees, as a message code with parameters.

``ExamsiteError`` and its subclasses are the environment's or the input's fault and are
shown to the user as they are; any other exception is our bug. Each carries a code from
``examsite.messages`` (so ``--json`` can name it) and renders its Chinese text on demand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Self

from examsite.domain.problems import Level, Problem


class ExamsiteError(Exception):
    """An error meant for the user: ``code`` and ``params`` name its message."""

    exit_code = 1

    def __init__(self, code: str, /, *, problems: Sequence[Problem] = (), **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: Mapping[str, Any] = MappingProxyType(params)
        self.problems = list(problems)

    @classmethod
    def of(cls, problem: Problem, problems: Sequence[Problem] | None = None) -> Self:
        """The error whose message is ``problem``'s (and whose problems default to it)."""
        return cls(
            problem.code,
            problems=[problem] if problems is None else problems,
            **problem.params,
        )

    @property
    def problem(self) -> Problem:
        return Problem(self.code, Level.ERROR, params=self.params)

    @property
    def message(self) -> str:
        """The Chinese sentence for the user."""
        from examsite.messages import text

        return text(self.code, **self.params)

    def __str__(self) -> str:
        return self.message

    def to_plain(self) -> dict[str, Any]:
        """What ``--json`` prints for the error."""
        from examsite.messages import render

        return {
            "code": self.code,
            "message": self.message,
            "params": {k: str(v) for k, v in self.params.items()},
            "problems": [{**p.to_plain(), "message": render(p)} for p in self.problems],
        }


class InputError(ExamsiteError):
    """The user's input was refused as a whole; ``problems`` say why, row by row."""

    exit_code = 2


class NotFoundError(InputError):
    """Something the user named does not exist."""


class AccessDenied(InputError):
    """The account logged in (or nobody, on a site with accounts) may not do this."""


class StorageError(ExamsiteError):
    """The database cannot be used: locked, full disk, newer schema, corrupt file."""


class Cancelled(ExamsiteError):
    """The user cancelled a long job; nothing was written."""

    def __init__(self) -> None:
        super().__init__("app.cancelled")
