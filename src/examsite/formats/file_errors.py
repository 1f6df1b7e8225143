"""The errors of a file that could not be read or written, with the reason in Chinese
(``messages.system``: never the system's own "[Errno 13] Permission denied")."""

from __future__ import annotations

from pathlib import Path

from examsite.errors import ExamsiteError, InputError
from examsite.messages.system import reason as os_reason

__all__ = ["cannot_read", "cannot_write", "os_reason"]


def cannot_write(path: Path, exc: OSError) -> ExamsiteError:
    """The error for a file that could not be written (a fault of the environment)."""
    return ExamsiteError("import.cannot_write", file=str(path), reason=os_reason(exc))


def cannot_read(path: Path, exc: OSError) -> InputError:
    """The error for a file that could not be read (the input is refused)."""
    return InputError("import.cannot_read", file=Path(path).name, reason=os_reason(exc))
