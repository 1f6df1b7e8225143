"""A throwaway PostgreSQL server that offers TLS and asks a password, as a school's IT
staff would set one up: ``pg_server.running_server`` plus a self-signed certificate
(``openssl``), ``ssl = on``, a role ``kaowu`` with a password (scram-sha-256 over TCP)
owning the database ``examsite``. For the connection dialog's end-to-end test and its
screenshots."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pg_server import TestServer, running_server

ROLE = "kaowu"
PASSWORD = "Kw-2026:考务"
DATABASE = "examsite"
HBA = """\
local all all trust
host all examsite 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


@dataclass
class TlsServer:
    server: TestServer

    @property
    def port(self) -> int:
        return self.server.port

    def url(self, *, sslmode: str = "prefer") -> str:
        """The URL the program builds for it (password included)."""
        from urllib.parse import quote

        return (
            f"postgresql+psycopg://{ROLE}:{quote(PASSWORD, safe='')}@127.0.0.1:{self.port}"
            f"/{DATABASE}?sslmode={sslmode}"
        )


def _owned_by_postgres(*paths: Path) -> None:
    if os.geteuid() == 0:
        for path in paths:
            shutil.chown(path, "postgres", "postgres")


def _make_certificate(data: Path) -> None:
    key, certificate = data / "server.key", data / "server.crt"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    key.chmod(0o600)
    _owned_by_postgres(key, certificate)


@contextlib.contextmanager
def running_tls_server() -> Iterator[TlsServer]:
    """Start the server (``RuntimeError`` without PostgreSQL or openssl); stop it after."""
    if shutil.which("openssl") is None:
        raise RuntimeError("openssl is not installed")
    with running_server() as server:
        data = server.folder / "data"
        _make_certificate(data)
        (data / "pg_hba.conf").write_text(HBA)
        _owned_by_postgres(data / "pg_hba.conf")
        server.admin("ALTER SYSTEM SET ssl = on")
        server.admin("ALTER SYSTEM SET password_encryption = 'scram-sha-256'")
        server.admin(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
        server.admin(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")
        server.admin("SELECT pg_reload_conf()")
        found = TlsServer(server)
        _wait_for_tls(found)
        yield found


def _wait_for_tls(found: TlsServer, seconds: float = 20) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(
                host="127.0.0.1", port=found.port, user=ROLE, password=PASSWORD,
                dbname=DATABASE, sslmode="require",
            ):  # fmt: skip
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
