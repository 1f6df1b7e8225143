"""The school server's connection settings: the file, the credential store, the URL and
the connection test's message for each kind of failure."""

from __future__ import annotations

import json
import os
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url

from examsite.errors import ExamsiteError, InputError
from examsite.paths import data_dir, default_db_path
from examsite.services import server_settings as ss
from server_fakes import FakeConnect, FakeConnection, MemoryKeyring, memory_keyring

__all__ = ["memory_keyring"]

SECRET = "p@ss:w/rd%中文 &?#"


def school() -> ss.ServerSettings:
    return ss.checked(host="192.168.1.10", database="examsite", user="kaowu")


def test_round_trip_keeps_the_password_out_of_the_file(memory_keyring: MemoryKeyring) -> None:
    settings = ss.ServerSettings(
        host="db.school.lan", port=6543, database="考点", user="kaowu", tls="require"
    )
    ss.save(settings, SECRET)
    assert ss.load() == settings
    raw = ss.settings_file().read_bytes()
    assert SECRET.encode() not in raw
    assert b"p@ss" not in raw and "中文".encode() not in raw
    assert "password" not in json.loads(raw)
    assert memory_keyring.secrets == {(ss.KEYRING_SERVICE, "kaowu@db.school.lan"): SECRET}
    assert ss.stored_password(settings) == SECRET
    assert not list(ss.settings_file().parent.glob(".server.*"))  # no temporary left


def test_nothing_saved_means_the_default_file(memory_keyring: MemoryKeyring) -> None:
    assert ss.load() is None
    assert ss.chosen_database(None) == default_db_path()
    assert ss.chosen_database("/tmp/x.db") == "/tmp/x.db"


def test_use_on_opens_the_server_off_the_file(memory_keyring: MemoryKeyring) -> None:
    ss.save(school(), SECRET)
    assert ss.chosen_database(None) == default_db_path()  # saved, not in use yet
    ss.set_use(True)
    url = make_url(str(ss.chosen_database(None)))
    assert (url.drivername, url.host, url.password) == (
        "postgresql+psycopg",
        "192.168.1.10",
        SECRET,
    )
    assert ss.chosen_database("other.db") == "other.db"  # --db always wins
    ss.set_use(False)
    assert ss.chosen_database(None) == default_db_path()


def test_use_on_needs_a_stored_password(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(InputError) as not_set:
        ss.set_use(True)
    assert not_set.value.code == "server.not_set"
    ss.save(school())
    with pytest.raises(InputError) as no_password:
        ss.set_use(True)
    assert no_password.value.code == "server.no_password"
    assert "kaowu@192.168.1.10:5432/examsite" in no_password.value.message


def test_forget_removes_file_and_password(memory_keyring: MemoryKeyring) -> None:
    ss.save(school(), SECRET)
    assert ss.forget() == school()
    assert not ss.settings_file().exists()
    assert memory_keyring.secrets == {}
    assert ss.forget() is None  # nothing left: no error


def test_a_damaged_file_is_reported(memory_keyring: MemoryKeyring) -> None:
    ss.settings_file().write_text("{not json", "utf-8")
    with pytest.raises(ExamsiteError) as caught:
        ss.load()
    assert caught.value.code == "server.settings_unreadable"


@pytest.mark.parametrize("password", ["a@b", "a:b", "a/b", "100%", "中文密码", SECRET, " x+y "])
def test_the_url_quotes_odd_passwords(password: str) -> None:
    settings = ss.ServerSettings(host="db", database="考 点", user="user@x", tls="prefer")
    url_text = ss.server_url(settings, password)
    url = make_url(url_text)
    assert url.password == password
    assert (url.username, url.host, url.port, url.database) == ("user@x", "db", 5432, "考 点")
    assert url.query["sslmode"] == "prefer"
    assert password not in ss.display_url(url_text) or password == "a"
    assert "***" in ss.display_url(url_text)


def test_ipv6_host_is_bracketed() -> None:
    settings = ss.ServerSettings(host="fe80::1", database="d", user="u")
    assert make_url(ss.server_url(settings, "x")).host == "fe80::1"


def test_display_url_leaves_a_file_alone() -> None:
    assert ss.display_url("sqlite:////tmp/a.db") == "sqlite:////tmp/a.db"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"host": " ", "database": "d", "user": "u"}, "server.field_missing"),
        ({"host": "h", "database": "d", "user": "u", "port": 0}, "server.bad_port"),
        ({"host": "h", "database": "d", "user": "u", "tls": "maybe"}, "server.bad_tls"),
        ({"host": "u@h", "database": "d", "user": "u"}, "server.bad_host"),
    ],
)
def test_checked_refuses_bad_fields(fields: dict[str, Any], code: str) -> None:
    with pytest.raises(InputError) as caught:
        ss.checked(**fields)
    assert caught.value.code == code


def test_a_good_connection_says_version_and_tls() -> None:
    fake = FakeConnect(FakeConnection(version=160002, tls=True))
    check = ss.test_connection(school(), SECRET, connect=fake)
    assert check.ok and check.code == "server.connected"
    assert check.server_version == "16.2" and check.tls_in_use is True
    assert "已加密" in check.message and SECRET not in check.message
    (call,) = fake.calls
    assert call["password"] == SECRET and call["sslmode"] == "prefer"
    assert call["connect_timeout"] == ss.TEST_TIMEOUT_S
    assert fake.result.closed


def test_an_old_server_is_refused() -> None:
    check = ss.test_connection(school(), "x", connect=FakeConnect(FakeConnection(version=110005)))
    assert not check.ok and check.code == "server.too_old"
    assert "11.5" in check.message and "12.0" in check.message


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (
            psycopg.OperationalError(
                'connection failed: could not translate host name "nohost" to address: '
                "Name or service not known"
            ),
            "server.unknown_host",
            "找不到服务器",
        ),
        (
            psycopg.OperationalError(
                'connection failed: connection to server at "192.168.1.10", port 5432 failed: '
                "Connection refused\n\tIs the server running on that host?"
            ),
            "server.refused",
            "拒绝",
        ),
        (
            psycopg.OperationalError("connection failed: timeout expired"),
            "server.unreachable",
            "超时",
        ),
        (
            psycopg.OperationalError(
                'connection failed: FATAL:  password authentication failed for user "kaowu"'
            ),
            "server.wrong_password",
            "密码不对",
        ),
        (psycopg.errors.InvalidPassword("口令认证失败"), "server.wrong_password", "密码不对"),
        (
            psycopg.OperationalError('connection failed: FATAL:  role "kaowu" does not exist'),
            "server.wrong_password",
            "用户名或密码",
        ),
        (
            psycopg.OperationalError(
                'connection failed: FATAL:  database "examsite" does not exist'
            ),
            "server.database_missing",
            "没有名为“examsite”",
        ),
        (psycopg.errors.InvalidCatalogName("数据库不存在"), "server.database_missing", "examsite"),
        (
            psycopg.OperationalError(
                'connection failed: FATAL:  no pg_hba.conf entry for host "192.168.1.20", '
                'user "kaowu", database "examsite", SSL off'
            ),
            "server.tls_required",
            "只接受加密连接",
        ),
        (
            psycopg.OperationalError(
                'connection failed: FATAL:  no pg_hba.conf entry for host "192.168.1.20", '
                'user "kaowu", database "examsite", SSL encryption'
            ),
            "server.not_allowed",
            "pg_hba.conf",
        ),
        (
            psycopg.OperationalError(
                "connection failed: server does not support SSL, but SSL was required"
            ),
            "server.tls_unavailable",
            "不支持加密",
        ),
        (OSError("something odd"), "server.failed", "something odd"),
    ],
)
def test_each_failure_has_its_message(error: BaseException, code: str, words: str) -> None:
    check = ss.test_connection(school(), SECRET, connect=FakeConnect(error))
    assert not check.ok
    assert check.code == code
    assert words in check.message
    assert SECRET not in check.message


@pytest.mark.skipif(
    not os.environ.get("EXAMSITE_TEST_PG_URL"), reason="EXAMSITE_TEST_PG_URL not set"
)
def test_a_real_server() -> None:
    url = make_url(os.environ["EXAMSITE_TEST_PG_URL"])
    settings = ss.ServerSettings(
        host=url.host or "localhost",
        port=url.port or 5432,
        database=url.database or "postgres",
        user=url.username or "postgres",
    )
    check = ss.test_connection(settings, url.password or "")
    assert check.ok, check.message
    wrong = ss.test_connection(
        ss.ServerSettings(**{**settings.__dict__, "database": "no_such_db_x"}), url.password or ""
    )
    assert wrong.code == "server.database_missing"
    bad_password = ss.test_connection(settings, (url.password or "") + "-wrong")
    assert bad_password.code == "server.wrong_password", bad_password.message
    # The URL the program opens, with the password quoted, connects as well.
    from sqlalchemy import create_engine, text

    engine = create_engine(ss.server_url(settings, url.password or ""))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("select 1")).scalar() == 1
    finally:
        engine.dispose()


def test_settings_file_lives_in_the_data_folder() -> None:
    assert ss.settings_file().parent == data_dir()


def test_server_label_never_shows_the_password() -> None:
    url = ss.server_url(school(), SECRET)
    assert ss.server_label(url) == "kaowu@192.168.1.10:5432/examsite"
    assert ss.server_label("sqlite:////tmp/a.db") == "sqlite:////tmp/a.db"


def test_password_stored_without_a_store_is_unknown(memory_keyring: MemoryKeyring) -> None:
    assert ss.password_stored(school()) is False
    ss.save(school(), SECRET)
    assert ss.password_stored(school()) is True
    import keyring
    from keyring.backends.fail import Keyring as NoStore

    keyring.set_keyring(NoStore())
    assert ss.password_stored(school()) is None
    with pytest.raises(ExamsiteError) as caught:
        ss.save(school(), SECRET)
    assert caught.value.code == "server.no_keyring"
    assert ss.forget() == school()  # the file goes even without a store
