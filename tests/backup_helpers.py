"""Helpers for the backup tests: damage a SQLite file's pages, close a database cleanly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

PAGE = 4096


def flip_pages(path: Path) -> None:
    """Overwrite bytes inside every third page after the first two (the schema pages
    stay readable, so SQLite opens the file and its integrity check finds the damage)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    finally:
        connection.close()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for page in range(3, size // page_size, 3):
            handle.seek(page * page_size + 200)
            handle.write(b"\xff" * 300)
