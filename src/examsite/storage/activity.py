"""Who is writing and what they are doing, for the coordinator another PC keeps waiting.

Each unit of work on a server names itself in its session's ``application_name``:
``ExamSite|<computer>|<use case>``. A writer that waits too long for the write lock reads
the holder's name from ``pg_stat_activity`` and says "另一台电脑（办公室-PC2）正在导入考生"
instead of just "locked".

The use case is found without the services having to say it: the nearest caller in
``examsite.services.<module>`` names it (``activity.<module>`` in messages/activity.py);
a caller may set it explicitly with ``doing("candidate_import")``. PostgreSQL keeps only
printable ASCII in ``application_name``, so the computer name is percent-encoded there.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import quote, unquote

from examsite.messages import has_message, text

PREFIX = "ExamSite"
#: PostgreSQL cuts ``application_name`` at 63 bytes.
MAX_NAME = 63
_SERVICES = "examsite.services."
_DOING: ContextVar[str | None] = ContextVar("examsite_doing", default=None)


@dataclass(frozen=True)
class Writer:
    """Another program holding the write lock: its computer and what it is doing."""

    computer: str
    activity: str  # a key of messages/activity.py ("candidate_import")

    @property
    def doing(self) -> str:
        """What it is doing, in Chinese ("导入考生")."""
        code = f"activity.{self.activity}"
        return text(code) if has_message(code) else text("activity.writing")


@contextmanager
def doing(activity: str) -> Iterator[None]:
    """Name what the units of work opened inside the block are doing."""
    token = _DOING.set(activity)
    try:
        yield
    finally:
        _DOING.reset(token)


def computer_name() -> str:
    """This computer's name as Windows shows it (the host name elsewhere)."""
    return os.environ.get("COMPUTERNAME") or socket.gethostname() or "?"


def current_activity() -> str:
    """What the unit of work being opened is doing: ``doing``'s name, else the module of
    the nearest service on the call stack, else "writing"."""
    named = _DOING.get()
    if named:
        return named
    frame = sys._getframe(1)
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith(_SERVICES):
            return module[len(_SERVICES) :].split(".", 1)[0]
        frame = frame.f_back  # type: ignore[assignment]
    return "writing"


def application_name(activity: str, computer: str | None = None) -> str:
    """``ExamSite|<computer>|<activity>``, ASCII, at most 63 bytes (the computer name
    shortened when it must be, by whole characters)."""
    head, tail = f"{PREFIX}|", f"|{activity[:24]}"
    room = MAX_NAME - len(head) - len(tail)
    encoded = ""
    for char in computer or computer_name():
        piece = quote(char, safe="-_.")
        if len(encoded) + len(piece) > room:
            break
        encoded += piece
    return head + encoded + tail


def parse_application_name(name: str | None) -> Writer | None:
    """The writer an ``application_name`` names, or None when it is not ours."""
    parts = (name or "").split("|")
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    return Writer(unquote(parts[1], errors="replace"), parts[2] or "writing")
