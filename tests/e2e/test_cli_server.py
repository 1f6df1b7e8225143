"""``examsite-cli server …`` with ``--json``: the settings, the password only in the
credential store (never printed), the test's reason, and the database the CLI opens."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run_cli

from examsite.commands.context import Context
from examsite.services import server_settings as ss
from examsite.storage.db import Database
from server_fakes import MemoryKeyring, memory_keyring

__all__ = ["memory_keyring"]

SECRET = "Kw@2026:/中文%"
SET = ("server", "set", "--host", "192.168.1.10", "--database", "examsite", "--user", "kaowu")


def cli(
    *args: str, db: Path, stdin: str = "", monkeypatch: pytest.MonkeyPatch
) -> tuple[int, dict[str, Any], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    result = run_cli(*args, "--json", db=db)
    assert SECRET not in result.stdout and SECRET not in result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


def test_set_show_use_forget(
    memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "unused.db"
    code, shown, _ = cli("server", "show", db=db, monkeypatch=monkeypatch)
    assert code == 0 and shown["settings"] is None and shown["password_stored"] is False

    code, saved, _ = cli(
        *SET,
        "--tls",
        "require",
        "--password-stdin",
        db=db,
        stdin=SECRET + "\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0
    assert saved["settings"]["label"] == "kaowu@192.168.1.10:5432/examsite"
    assert saved["settings"]["tls"] == "require"
    assert saved["password_stored"] is True and saved["use_server"] is False
    assert memory_keyring.secrets[(ss.KEYRING_SERVICE, "kaowu@192.168.1.10")] == SECRET
    assert SECRET.encode() not in ss.settings_file().read_bytes()

    code, used, _ = cli("server", "use", "on", db=db, monkeypatch=monkeypatch)
    assert code == 0 and used["use_server"] is True
    # Setting the same server again keeps it in use and its password.
    code, again, _ = cli(*SET, "--port", "6543", db=db, monkeypatch=monkeypatch)
    assert again["use_server"] is True and again["password_stored"] is True
    assert again["settings"]["port"] == 6543

    code, off, _ = cli("server", "use", "off", db=db, monkeypatch=monkeypatch)
    assert code == 0 and off["use_server"] is False

    code, forgotten, _ = cli("server", "forget", db=db, monkeypatch=monkeypatch)
    assert code == 0 and forgotten["forgotten"]["host"] == "192.168.1.10"
    assert memory_keyring.secrets == {} and not ss.settings_file().exists()
    assert not db.exists()  # no command here opened a database


def test_refused_input_exits_2_and_saves_nothing(
    memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "unused.db"
    code, answer, _ = cli(*SET[:-2], "--user", " ", db=db, monkeypatch=monkeypatch)
    assert code == 2 and answer["error"]["code"] == "server.field_missing"
    code, answer, _ = cli("server", "use", "on", db=db, monkeypatch=monkeypatch)
    assert code == 2 and answer["error"]["code"] == "server.not_set"
    code, answer, _ = cli(*SET, "--password-stdin", db=db, stdin="\n", monkeypatch=monkeypatch)
    assert code == 2 and answer["error"]["code"] == "server.password_empty"
    code, answer, _ = cli(*SET, db=db, monkeypatch=monkeypatch)
    code, answer, _ = cli("server", "use", "on", db=db, monkeypatch=monkeypatch)
    assert code == 2 and answer["error"]["code"] == "server.no_password"
    assert ss.load() == ss.checked(host="192.168.1.10", database="examsite", user="kaowu")


def test_test_reports_the_reason(
    memory_keyring: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    def refuse(**kwargs: Any) -> Any:
        assert kwargs["password"] == SECRET
        raise psycopg.OperationalError(
            'connection failed: FATAL:  password authentication failed for user "kaowu"'
        )

    monkeypatch.setattr(ss, "_psycopg_connect", refuse)
    db = tmp_path / "unused.db"
    cli(*SET, "--password-stdin", db=db, stdin=SECRET + "\n", monkeypatch=monkeypatch)
    code, answer, _ = cli("server", "test", db=db, monkeypatch=monkeypatch)
    assert code == 1
    assert answer["check"]["ok"] is False
    assert answer["check"]["code"] == "server.wrong_password"
    assert "密码不对" in answer["check"]["message"]


def test_without_db_the_cli_opens_the_server_in_use(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def fake_open(path_or_url: Any = None) -> Database:
        opened.append(str(path_or_url))
        raise RuntimeError("stop here")

    monkeypatch.setattr(Database, "open", fake_open)
    ss.save(ss.checked(host="db.lan", database="examsite", user="kaowu"), SECRET)
    ss.set_use(True)
    with pytest.raises(RuntimeError):
        _ = Context(argparse.Namespace(db=None)).db
    with pytest.raises(RuntimeError):
        _ = Context(argparse.Namespace(db="/tmp/given.db")).db
    assert opened[0] == ss.server_url(
        ss.load() or ss.checked(host="x", database="x", user="x"), SECRET
    )
    assert opened[1] == "/tmp/given.db"
