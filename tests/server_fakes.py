"""A credential store in memory and a fake ``psycopg.connect`` for the server settings'
tests: no keyring daemon and no PostgreSQL server needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from examsite.services import server_settings


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict, as the Windows Credential Manager keeps them on disk."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """A fresh in-memory credential store, and the settings file in ``tmp_path``."""
    before = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    monkeypatch.setattr(server_settings, "settings_file", lambda: tmp_path / "server.json")
    try:
        yield store
    finally:
        keyring.set_keyring(before)


class FakeInfo:
    def __init__(self, version: int, tls: bool) -> None:
        self.server_version = version
        self.pgconn = type("PGconn", (), {"ssl_in_use": tls})()


class FakeConnection:
    def __init__(self, version: int = 150004, tls: bool = True) -> None:
        self.info = FakeInfo(version, tls)
        self.closed = False

    def close(self) -> None:
        self.closed = True


class FakeConnect:
    """``psycopg.connect`` answering with ``result``: a connection, or an error raised."""

    def __init__(self, result: Any = None) -> None:
        self.result = result if result is not None else FakeConnection()
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result
