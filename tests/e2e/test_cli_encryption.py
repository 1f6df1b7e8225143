"""``db encrypt`` and an encrypted site through the command line: one password opens
and logs in, a wrong one exits 2 and reads nothing, a lost sidecar is said, backups
restore, ``users recover`` uses the recovery code; a school server refuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import run_cli

from encryption_helpers import cheap_argon2  # noqa: F401 (an autouse fixture)
from examsite.storage import cipher

PASSWORD = "director-password"


@pytest.fixture
def as_director(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMSITE_NEW_PASSWORD", PASSWORD)
    monkeypatch.setenv("EXAMSITE_PASSWORD", PASSWORD)
    monkeypatch.delenv("EXAMSITE_USER", raising=False)
    monkeypatch.delenv("EXAMSITE_BUNDLE_PASSPHRASE", raising=False)


def encrypted(path: Path) -> dict[str, object]:
    added = run_cli("users", "add", "boss", "--role", "director", "--json", db=path)
    assert added.returncode == 0, added.stderr
    done = run_cli("--user", "boss", "db", "encrypt", "--json", db=path)
    assert done.returncode == 0, done.stderr
    cipher.forget_all()
    document: dict[str, object] = json.loads(done.stdout)
    return document


@pytest.mark.sqlite_only
def test_db_encrypt_then_one_password_opens_and_logs_in(
    demo_db_file: Callable[[int], Path], as_director: None
):
    path = demo_db_file(20)
    document = encrypted(path)
    assert document["file"] == str(path)
    assert document["keys_file"] == str(path) + ".keys"
    assert document["encrypted"] is True and document["old_backups_plain"] is True
    assert document["can_open"] == ["boss"] and document["need_reset"] == []
    assert isinstance(document["recovery_code"], str) and len(document["recovery_code"]) == 29
    assert b"SQLite format 3" not in path.read_bytes()

    listed = run_cli("--user", "boss", "users", "list", "--json", db=path)
    assert listed.returncode == 0, listed.stderr
    assert [row["name"] for row in json.loads(listed.stdout)] == ["boss"]

    again = run_cli("--user", "boss", "db", "encrypt", "--json", db=path)
    assert again.returncode == 2
    assert json.loads(again.stdout)["error"]["code"] == "crypt.already"


@pytest.mark.sqlite_only
def test_a_wrong_password_exits_2_and_reads_nothing(
    demo_db_file: Callable[[int], Path], as_director: None, monkeypatch: pytest.MonkeyPatch
):
    path = demo_db_file(20)
    encrypted(path)
    before = path.read_bytes()
    monkeypatch.setenv("EXAMSITE_PASSWORD", "wrong-password")
    refused = run_cli("--user", "boss", "candidates", "list", "--json", db=path)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "auth.wrong_password"
    nobody = run_cli("candidates", "list", db=path)
    assert nobody.returncode == 2 and "--user" in nobody.stderr
    assert path.read_bytes() == before


@pytest.mark.sqlite_only
def test_a_missing_sidecar_is_a_clear_refusal(
    demo_db_file: Callable[[int], Path], as_director: None
):
    path = demo_db_file(20)
    encrypted(path)
    cipher.keys_path(path).rename(path.with_name("elsewhere.keys"))
    refused = run_cli("--user", "boss", "candidates", "list", db=path)
    assert refused.returncode == 2
    assert "密钥文件" in refused.stderr and str(path) + ".keys" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.sqlite_only
def test_backup_and_restore_of_an_encrypted_site(
    demo_db_file: Callable[[int], Path], as_director: None, tmp_path: Path
):
    path = demo_db_file(20)
    encrypted(path)
    copy = tmp_path / "copy.db"
    made = run_cli("--user", "boss", "backup", "create", "--out", str(copy), "--json", db=path)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["backup"]["counts"]["candidates"] == 20
    assert cipher.keys_path(copy).is_file() and b"SQLite format 3" not in copy.read_bytes()
    cipher.forget_all()
    back = run_cli("--user", "boss", "backup", "restore", str(copy), "--yes", "--json", db=path)
    assert back.returncode == 0, back.stderr
    cipher.forget_all()
    listed = run_cli("--user", "boss", "candidates", "list", "--json", db=path)
    assert listed.returncode == 0, listed.stderr


@pytest.mark.sqlite_only
def test_users_recover_opens_an_encrypted_site_with_the_code(
    demo_db_file: Callable[[int], Path], as_director: None, monkeypatch: pytest.MonkeyPatch
):
    path = demo_db_file(20)
    code = encrypted(path)["recovery_code"]
    assert isinstance(code, str)
    monkeypatch.setenv("EXAMSITE_RECOVERY_CODE", code)
    monkeypatch.setenv("EXAMSITE_NEW_PASSWORD", "brand-new-password")
    recovered = run_cli("users", "recover", "boss", "--json", db=path)
    assert recovered.returncode == 0, recovered.stderr
    cipher.forget_all()
    monkeypatch.setenv("EXAMSITE_PASSWORD", "brand-new-password")
    assert run_cli("--user", "boss", "users", "whoami", db=path).returncode == 0


def test_db_encrypt_on_a_server_is_refused(
    demo_db_file: Callable[[int], Path], engine: str, as_director: None
):
    target = demo_db_file(20)
    refused = run_cli("db", "encrypt", "--json", db=target)
    assert refused.returncode == 2
    code = json.loads(refused.stdout)["error"]["code"]
    if engine == "postgresql":
        assert code == "crypt.on_server"
        assert "服务器" in json.loads(refused.stdout)["error"]["message"]
    else:
        assert code == "crypt.needs_accounts"  # a file: refused until it has accounts
