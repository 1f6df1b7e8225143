"""Writing a file so that nobody ever sees half of it: into a temporary file beside the
target, flushed to disk, given the mode a plain new file gets, then renamed over the
target. A crash, a full disk, a cancel or a stick pulled out leaves the old file (or
nothing) under the real name, never a truncated one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _usual_mode() -> int:
    # mkstemp makes the file private (0600); the finished file gets what open() would give.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_path(path: Path, *, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary file beside ``path`` to write; when the block ends without an error it
    is fsynced and renamed over ``path``, else removed. ``OSError`` from making the
    temporary file reaches the caller, who says what it means."""
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix, dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, _usual_mode())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
