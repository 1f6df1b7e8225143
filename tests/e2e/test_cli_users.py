"""``users`` and ``--user`` end to end (issue 13): the first director and its recovery
code, a wrong or missing password exits 2 and reads nothing, each role's refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import run_cli

PASSWORD = "secret-123"


@pytest.fixture
def protected(
    arranged_db_file: Callable[[int], Path], monkeypatch: pytest.MonkeyPatch
) -> Path | str:
    """The arranged demo with a director 主任 and a staff account 老李 (password PASSWORD)."""
    db = arranged_db_file(6)
    monkeypatch.setenv("EXAMSITE_NEW_PASSWORD", PASSWORD)
    monkeypatch.delenv("EXAMSITE_USER", raising=False)
    monkeypatch.delenv("EXAMSITE_PASSWORD", raising=False)
    first = run_cli("users", "add", "主任", "--role", "director", "--json", db=db)
    assert first.returncode == 0, first.stderr
    code = json.loads(first.stdout)["recovery_code"]
    assert len(code.replace("-", "")) == 25
    monkeypatch.setenv("EXAMSITE_PASSWORD", PASSWORD)
    added = run_cli("--user", "主任", "users", "add", "老李", "--role", "考务人员", "--json", db=db)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["role"] == "staff"
    monkeypatch.delenv("EXAMSITE_PASSWORD")
    return db


def test_no_user_or_a_wrong_password_exits_2_and_reads_nothing(
    protected: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = run_cli("candidates", "list", "--json", db=protected)
    assert missing.returncode == 2
    assert json.loads(missing.stdout)["error"]["code"] == "auth.no_user"
    no_password = run_cli("--user", "老李", "candidates", "list", "--json", db=protected)
    assert no_password.returncode == 2  # stdin is not a terminal: nobody can type it
    assert json.loads(no_password.stdout)["error"]["code"] == "auth.no_password"
    monkeypatch.setenv("EXAMSITE_PASSWORD", "not-the-password")
    wrong = run_cli("--user", "老李", "candidates", "list", "--json", db=protected)
    assert wrong.returncode == 2
    assert json.loads(wrong.stdout)["error"]["code"] == "auth.wrong_password"
    assert "id_number" not in wrong.stdout


def test_staff_sees_masked_ids_and_is_refused_user_management(
    protected: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXAMSITE_PASSWORD", PASSWORD)
    listed = run_cli("--user", "老李", "candidates", "list", "--json", db=protected)
    assert listed.returncode == 0, listed.stderr
    ids = [c["id_number"] for c in json.loads(listed.stdout)]
    assert ids and all("********" in i for i in ids)
    for refused in (("users", "list"), ("audit", "verify"), ("users", "disable", "主任")):
        result = run_cli("--user", "老李", *refused, "--json", db=protected)
        assert result.returncode == 2, refused
        assert json.loads(result.stdout)["error"]["code"] == "auth.forbidden"
    director = run_cli("--user", "主任", "candidates", "list", "--json", db=protected)
    assert not any("*" in c["id_number"] for c in json.loads(director.stdout))


def test_users_list_disable_and_whoami(protected: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMSITE_PASSWORD", PASSWORD)
    me = run_cli("--user", "老李", "users", "whoami", "--json", db=protected)
    assert json.loads(me.stdout) == {"name": "老李", "role": "staff", "role_title": "考务人员"}
    disabled = run_cli("--user", "主任", "users", "disable", "老李", "--json", db=protected)
    assert json.loads(disabled.stdout)["disabled"] is True
    listed = run_cli("--user", "主任", "users", "list", "--json", db=protected)
    assert [(u["name"], u["disabled"]) for u in json.loads(listed.stdout)] == [
        ("主任", False),
        ("老李", True),
    ]
    refused = run_cli("--user", "老李", "status", "--json", db=protected)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "auth.disabled"


def test_recover_needs_no_login_and_issues_a_new_code(
    db_file_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    if engine != "sqlite":
        pytest.skip("a new file each: the server variant is the same code")
    db = tmp_path / db_file_name
    monkeypatch.setenv("EXAMSITE_NEW_PASSWORD", PASSWORD)
    code = json.loads(
        run_cli("users", "add", "主任", "--role", "director", "--json", db=db).stdout
    )["recovery_code"]
    monkeypatch.setenv("EXAMSITE_RECOVERY_CODE", code)
    monkeypatch.setenv("EXAMSITE_NEW_PASSWORD", "another-password")
    recovered = run_cli("users", "recover", "主任", "--json", db=db)
    assert recovered.returncode == 0, recovered.stderr
    assert json.loads(recovered.stdout)["recovery_code"] != code
    monkeypatch.setenv("EXAMSITE_PASSWORD", "another-password")
    assert run_cli("--user", "主任", "status", "--json", db=db).returncode == 0
    again = run_cli("users", "recover", "主任", "--json", db=db)  # the old code is used up
    assert again.returncode == 2
    assert json.loads(again.stdout)["error"]["code"] == "auth.wrong_recovery_code"


def test_the_first_account_must_be_a_director(
    demo_db_file: Callable[[int], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXAMSITE_NEW_PASSWORD", PASSWORD)
    db = demo_db_file(3)
    refused = run_cli("users", "add", "老李", "--role", "staff", "--json", db=db)
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "users.first_is_director"
    still_open = run_cli("candidates", "list", "--json", db=db)
    assert still_open.returncode == 0 and json.loads(still_open.stdout)
