"""Running ``examsite-cli`` as a coordinator's script would, for the end-to-end tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, db: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """``examsite-cli --db DB ARGS…`` in a fresh interpreter; output decoded as UTF-8."""
    return subprocess.run(
        [sys.executable, "-m", "examsite.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
