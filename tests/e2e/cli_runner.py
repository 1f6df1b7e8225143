"""Running ``examsite-cli`` as a coordinator's script would, for the end-to-end tests.

``run_cli`` calls ``examsite.cli.main`` in this process with stdout and stderr captured:
the same arguments, exit code and output as a fresh interpreter, without paying ~2 s of
interpreter start and imports per call. ``run_cli_subprocess`` starts a real
``python -m examsite.cli`` for the few smoke tests (marked ``subprocess``) that check what
only a separate process shows: the ``__main__`` entry, UTF-8 on a pipe, cold imports.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

from examsite import cli


def run_cli(*args: str, db: Path | str) -> subprocess.CompletedProcess[str]:
    """``examsite-cli --db DB ARGS…`` in this process; what it printed, as text."""
    argv = ["--db", str(db), *args]
    stdout, stderr = io.StringIO(), io.StringIO()
    # StringIO.isatty() is False, as a pipe's is: no progress bar, as in a script.
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            returncode = cli.main(argv)
        except SystemExit as exit_:  # argparse: --help, --version, a usage error
            returncode = _exit_code(exit_.code)
    return subprocess.CompletedProcess(
        ["examsite-cli", *argv], returncode, stdout.getvalue(), stderr.getvalue()
    )


def run_cli_subprocess(
    *args: str, db: Path | str, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """``examsite-cli --db DB ARGS…`` in a fresh interpreter; output decoded as UTF-8."""
    return subprocess.run(
        [sys.executable, "-m", "examsite.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def _exit_code(code: object) -> int:
    """The process exit status ``sys.exit(code)`` would give."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message") prints it and exits with 1
    return 1
