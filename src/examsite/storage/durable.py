"""Making a rename survive a power cut: after ``os.replace`` the folder's entry is
flushed too (a backup, a copied database)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries to disk (nothing to do on Windows: a folder cannot be
    opened there, and NTFS logs the rename itself)."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
