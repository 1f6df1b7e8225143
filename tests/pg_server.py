"""A throwaway PostgreSQL server for the tests (issue 12): ``initdb`` in a temporary
folder, ``pg_ctl start`` on a free local port, stopped at the end; as an unprivileged user
when the tests run as root (PostgreSQL refuses to run as root).

``TestServer.database(name, template)`` makes a database (from a template database: a
migrated one with the catalog, copied in a few milliseconds) and returns its URL.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin")


def find_binaries() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl`` (the newest Debian version first)."""
    import glob

    for pattern in SEARCH:
        for folder in sorted(glob.glob(pattern), reverse=True):
            if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
                return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class TestServer:
    __test__ = False  # not a test class, whatever pytest thinks of the name

    port: int
    folder: Path
    binaries: Path
    user: str = "examsite"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def start(self) -> None:
        """Start the server (again: after ``stop``) and wait until it answers."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [str(self.binaries / "pg_ctl"), "-D", str(self.data),
                 "-l", str(self.folder / "server.log"), "-o", options, "-w", "-t", "60", "start"]
            ),
            check=True, capture_output=True, timeout=90,
        )  # fmt: skip
        _wait_for(self)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``immediate`` drops every connection at once, as a crash or a
        pulled cable would."""
        subprocess.run(
            _as_postgres([str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", mode, "stop"]),
            capture_output=True,
            timeout=60,
        )

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run ``sql`` outside a transaction on the maintenance database."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres",
            autocommit=True,
        ) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def database(self, name: str, template: str | None = None) -> str:
        """A new database ``name`` (a copy of ``template`` when given); its URL."""
        clause = f' TEMPLATE "{template}"' if template else ""
        self.admin(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_postgres(command: list[str]) -> list[str]:
    """``command`` as the ``postgres`` user when running as root."""
    if os.geteuid() != 0:
        return command
    runner = shutil.which("runuser")
    if runner:
        return [runner, "-u", "postgres", "--", *command]
    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]


@contextlib.contextmanager
def running_server() -> Iterator[TestServer]:
    """Start a server; stop it and remove its folder at the end."""
    binaries = find_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (initdb, pg_ctl not found)")
    folder = Path(tempfile.mkdtemp(prefix="examsite-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = TestServer(_free_port(), folder, binaries)
    try:
        subprocess.run(
            _as_postgres(
                [str(binaries / "initdb"), "-D", str(server.data), "-U", server.user,
                 "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
            ),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        server.start()
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(server: TestServer, seconds: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            server.admin("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
