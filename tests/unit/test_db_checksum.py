"""The checksum's normalisation (engine differences vanish, real ones stay) and where
``db copy --to`` points."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from examsite.errors import InputError
from examsite.services import db_copy_tables, server_settings
from examsite.services.db_checksum import RowHasher, normalised
from examsite.services.db_copy import same_database, target_url


def test_booleans_count_as_zero_and_one_as_sqlite_stores_them():
    assert normalised(True) == normalised(1) == 1
    assert normalised(False) == 0


def test_floats_datetimes_and_bytes_are_written_one_way():
    assert normalised(60.0) == "f:60.0"
    assert normalised(0.1 + 0.2) == "f:" + repr(0.1 + 0.2)
    assert normalised(dt.datetime(2027, 1, 10, 8, 30, 0, 5)) == "t:2027-01-10T08:30:00.000005"
    assert normalised(b"\xff\xd8") == "b:" + hashlib.sha256(b"\xff\xd8").hexdigest()
    assert normalised(memoryview(b"\xff\xd8")) == normalised(b"\xff\xd8")


def test_json_compares_by_content_not_by_key_order_or_spacing():
    assert normalised({"b": 1, "a": [1, 2]}) == normalised({"a": [1, 2], "b": 1})
    assert normalised({"a": 1}) != normalised({"a": 2})


def test_an_integer_and_its_text_are_not_the_same_value():
    assert normalised(1) != normalised("1")
    assert normalised(None) != normalised("")


def _checksum(rows: list[dict[str, object]]) -> str:
    hasher = RowHasher(["id", "name", "score"])
    hasher.add_all(rows)
    return hasher.checksum


def test_the_checksum_catches_a_changed_value_and_a_missing_row():
    rows = [{"id": 1, "name": "张三", "score": 61.5}, {"id": 2, "name": "李四", "score": None}]
    same = [dict(row) for row in rows]
    assert _checksum(rows) == _checksum(same)
    changed = [dict(row) for row in rows]
    changed[1]["score"] = 0.0
    assert _checksum(changed) != _checksum(rows)
    assert _checksum(rows[:1]) != _checksum(rows)
    assert _checksum(list(reversed(rows))) != _checksum(rows)


def test_each_photo_has_its_own_digest_of_its_bytes():
    hasher = RowHasher(["id", "image", "original"], ["image", "original"], keep_photos=True)
    hasher.add({"id": 1, "image": b"x", "original": None})
    hasher.add({"id": 2, "image": b"x", "original": b""})
    hasher.add({"id": 3, "image": b"y", "original": None})
    assert len(set(hasher.photos.values())) == 3
    again = RowHasher(["id", "image", "original"], ["image", "original"], keep_photos=True)
    again.add({"id": 1, "image": memoryview(b"x"), "original": None})
    assert again.photos[1] == hasher.photos[1]


def test_a_plain_postgresql_url_gets_the_driver_the_program_uses():
    url = target_url("postgresql://examsite@10.0.0.5:5432/site")
    assert url == "postgresql+psycopg://examsite@10.0.0.5:5432/site"
    assert target_url("postgres://u@h/d").startswith("postgresql+psycopg://")


def test_a_path_is_a_sqlite_file_and_another_engine_is_refused(tmp_path: Path):
    assert target_url(str(tmp_path / "exam day.db")).startswith("sqlite:///")
    with pytest.raises(InputError) as refused:
        target_url("mysql://u@h/d")
    assert refused.value.code == "db_copy.bad_target"


def test_server_means_the_saved_school_server(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(server_settings, "load", lambda: None)
    with pytest.raises(InputError) as refused:
        target_url("server")
    assert refused.value.code == "server.not_set"
    saved = server_settings.ServerSettings(host="10.0.0.5", database="site", user="kd")
    monkeypatch.setattr(server_settings, "load", lambda: saved)
    monkeypatch.setattr(server_settings, "stored_password", lambda _settings: "pw")
    assert target_url("服务器").startswith("postgresql+psycopg://kd:pw@10.0.0.5:5432/site")


def test_the_same_database_is_told_by_file_or_by_server_and_name(tmp_path: Path):
    file = tmp_path / "site.db"
    file.write_bytes(b"")
    assert same_database(f"sqlite:///{file}", f"sqlite:///{tmp_path}/./site.db")
    assert not same_database(f"sqlite:///{file}", f"sqlite:///{tmp_path}/other.db")
    a = "postgresql+psycopg://one:pw@10.0.0.5/site"
    assert same_database(a, "postgresql+psycopg://two@10.0.0.5:5432/site")
    assert not same_database(a, "postgresql+psycopg://one@10.0.0.5/site2")
    assert not same_database(a, f"sqlite:///{file}")


def test_the_catalog_tables_are_tables_of_the_models():
    from examsite.storage.models import Base

    assert set(Base.metadata.tables).issuperset(db_copy_tables.CATALOG_TABLES)


def test_every_table_has_a_chinese_title():
    from examsite.messages.db_copy import TABLE_TITLES
    from examsite.storage.models import Base

    assert set(TABLE_TITLES) == set(Base.metadata.tables)
