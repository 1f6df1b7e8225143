"""Encryption at rest (issue 13): an encrypted site's file is noise without the key; it
opens with each account's password and with the recovery code; the key wraps follow the
accounts without re-encrypting the file; a lost sidecar is said clearly; backups and
transfer bundles of an encrypted site are encrypted too; a server refuses."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from encryption_helpers import cheap_argon2  # noqa: F401 (an autouse fixture)
from examsite.errors import AccessDenied, InputError, StorageError
from examsite.formats.bundle import BundleError
from examsite.services import accounts, encryption
from examsite.services.backup import create_backup, restore_backup
from examsite.services.catalog import ensure_catalog
from examsite.services.transfer import export_transfer, import_bundle
from examsite.storage import cipher, keyfile
from examsite.storage.db import Database
from examsite.storage.models import Candidate

BOSS, BOSS_PASSWORD = "boss", "boss-password"
STAFF, STAFF_PASSWORD = "clerk", "clerk-password"


def encrypted_site(
    demo_db_file: Callable[[int], Path], candidates: int = 20
) -> tuple[Path, str, list[tuple[str, str]]]:
    """A demo site with a director, encrypted; its file, recovery code and candidates."""
    path = demo_db_file(candidates)
    db = Database.open(path)
    accounts.create_first_director(db, BOSS, BOSS_PASSWORD)
    with db.read() as session:
        people = [(c.id_number, c.name) for c in session.scalars(select(Candidate))]
    result = encryption.encrypt_site(db, BOSS_PASSWORD)
    result.database.close()
    cipher.forget_all()  # as a new program would start
    return path, result.recovery_code, people


pytestmark = pytest.mark.sqlite_only


def test_the_encrypted_file_is_noise_without_the_key(demo_db_file: Callable[[int], Path]):
    path, _code, people = encrypted_site(demo_db_file)
    raw = b"".join(
        p.read_bytes() for p in path.parent.glob(path.name + "*") if not p.name.endswith(".keys")
    )
    assert b"SQLite format 3" not in raw
    assert people
    for id_number, name in people[:20]:
        assert id_number.encode() not in raw
        assert name.encode("utf-8") not in raw
    assert "江汉".encode() not in raw
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM candidate").fetchone()
    sidecar = cipher.keys_path(path).read_bytes()
    assert people[0][0].encode() not in sidecar  # the sidecar holds wraps only
    assert not list(path.parent.glob(f".{path.name}.*"))  # nothing left beside it


def test_it_opens_with_each_account_and_with_the_recovery_code(
    demo_db_file: Callable[[int], Path],
):
    path, code, people = encrypted_site(demo_db_file)
    db = encryption.open_site(path, BOSS, BOSS_PASSWORD)
    accounts.add_user(db, STAFF, "staff", STAFF_PASSWORD)
    db.close()
    cipher.forget_all()

    db = encryption.open_site(path, STAFF, STAFF_PASSWORD)
    assert db.access.principal is not None and db.access.principal.name == STAFF
    with db.read() as session:
        assert len(session.scalars(select(Candidate)).all()) == len(people)
    db.close()
    cipher.forget_all()

    db, fresh = encryption.recover_site(path, BOSS, code, "new-boss-password")
    db.close()
    cipher.forget_all()
    with pytest.raises(AccessDenied):  # the old code is used up
        encryption.recover_site(path, BOSS, code, "another-password")
    db = encryption.open_site(path, BOSS, "new-boss-password")
    db.close()
    cipher.forget_all()
    db, _ = encryption.recover_site(path, BOSS, fresh.recovery_code.lower(), "third-password")
    db.close()


def test_a_wrong_password_reads_nothing(demo_db_file: Callable[[int], Path]):
    path, _code, _people = encrypted_site(demo_db_file)
    before = path.read_bytes()
    with pytest.raises(AccessDenied) as raised:
        encryption.open_site(path, BOSS, "not-the-password")
    assert raised.value.code == "auth.wrong_password"
    with pytest.raises(AccessDenied) as raised:
        encryption.open_site(path, "nobody", BOSS_PASSWORD)
    assert raised.value.code == "crypt.no_wrap"
    with pytest.raises(StorageError) as locked:  # and the file cannot be opened keyless
        Database.open(path)
    assert locked.value.code == "crypt.locked"
    assert path.read_bytes() == before


def _pages(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [data[at : at + 4096] for at in range(0, len(data), 4096)]


def test_accounts_change_the_wraps_never_the_encryption(demo_db_file: Callable[[int], Path]):
    path, _code, _people = encrypted_site(demo_db_file, 200)
    before = _pages(path)
    keys_before = keyfile.read_keyfile(path)

    db = encryption.open_site(path, BOSS, BOSS_PASSWORD)
    accounts.add_user(db, STAFF, "staff", STAFF_PASSWORD)
    accounts.set_disabled(db, STAFF, True)
    db.close()

    after = _pages(path)
    keys_after = keyfile.read_keyfile(path)
    assert before[0][:16] == after[0][:16]  # the same salt: the same encryption
    assert keys_after.key_id == keys_before.key_id
    assert (
        keys_after.wraps[keyfile.account_slot(BOSS)]
        == keys_before.wraps[keyfile.account_slot(BOSS)]
    )
    assert keyfile.account_slot(STAFF) not in keys_after.wraps  # disabled: its wrap gone
    changed = sum(1 for old, new in zip(before, after, strict=False) if old != new)
    assert len(before) > 100
    assert changed < len(before) // 10, f"{changed} of {len(before)} pages rewritten"
    cipher.forget_all()
    with pytest.raises(AccessDenied):
        encryption.open_site(path, STAFF, STAFF_PASSWORD)


def test_a_password_reset_or_change_rewraps(demo_db_file: Callable[[int], Path]):
    path, _code, _people = encrypted_site(demo_db_file)
    db = encryption.open_site(path, BOSS, BOSS_PASSWORD)
    accounts.add_user(db, STAFF, "staff", STAFF_PASSWORD)
    accounts.reset_password(db, STAFF, "reset-password")
    accounts.change_own_password(db, BOSS_PASSWORD, "changed-password")
    db.close()
    cipher.forget_all()
    for name, old in ((STAFF, STAFF_PASSWORD), (BOSS, BOSS_PASSWORD)):
        with pytest.raises(AccessDenied):
            encryption.open_site(path, name, old)
    encryption.open_site(path, STAFF, "reset-password").close()
    encryption.open_site(path, BOSS, "changed-password").close()


def test_accounts_made_before_encryption_need_a_new_password(
    demo_db_file: Callable[[int], Path],
):
    path = demo_db_file(20)
    db = Database.open(path)
    accounts.create_first_director(db, BOSS, BOSS_PASSWORD)
    accounts.add_user(db, STAFF, "staff", STAFF_PASSWORD)
    result = encryption.encrypt_site(db, BOSS_PASSWORD)
    assert result.can_open == (BOSS,)
    assert result.need_reset == (STAFF,)
    accounts.reset_password(result.database, STAFF, "fresh-password")
    result.database.close()
    cipher.forget_all()
    with pytest.raises(AccessDenied) as raised:
        encryption.open_site(path, STAFF, STAFF_PASSWORD)
    assert raised.value.code == "auth.wrong_password"
    encryption.open_site(path, STAFF, "fresh-password").close()


def test_encrypting_is_refused_when_it_cannot_be_done(
    demo_db_file: Callable[[int], Path], tmp_path: Path
):
    path = demo_db_file(20)
    db = Database.open(path)
    try:
        with pytest.raises(InputError) as raised:
            encryption.encrypt_site(db, BOSS_PASSWORD)
        assert raised.value.code == "crypt.needs_accounts"
        accounts.create_first_director(db, BOSS, BOSS_PASSWORD)
        before = path.read_bytes()
        with pytest.raises(AccessDenied):
            encryption.encrypt_site(db, "wrong-password")
        assert path.read_bytes() == before
        assert not cipher.keys_path(path).exists()
    finally:
        db.close()
    assert not encryption.is_encrypted(path)


def test_a_lost_or_damaged_sidecar_is_said_clearly(
    demo_db_file: Callable[[int], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # no backups yet
    path, _code, _people = encrypted_site(demo_db_file)
    sidecar = cipher.keys_path(path)
    saved = sidecar.read_bytes()

    sidecar.write_bytes(b'{"format": "examsite-keys", "version"')
    with pytest.raises(StorageError) as raised:
        encryption.open_site(path, BOSS, BOSS_PASSWORD)
    assert raised.value.code == "crypt.keys_damaged"
    assert str(sidecar) in raised.value.message

    sidecar.unlink()
    with pytest.raises(StorageError) as raised:
        Database.open(path)
    assert raised.value.code == "crypt.keys_missing_no_backup"
    assert raised.value.exit_code == 2

    sidecar.write_bytes(saved)
    db = encryption.open_site(path, BOSS, BOSS_PASSWORD)
    backup = create_backup(db)  # in the backups folder, with its own sidecar
    db.close()
    cipher.forget_all()
    sidecar.unlink()
    with pytest.raises(StorageError) as raised:
        Database.open(path)
    assert raised.value.code == "crypt.keys_missing"
    spare = cipher.keys_path(backup.path)
    assert str(spare) in raised.value.message
    shutil.copyfile(spare, sidecar)  # what the message says to do
    encryption.open_site(path, BOSS, BOSS_PASSWORD).close()


def test_another_sites_sidecar_does_not_open_it(
    demo_db_file: Callable[[int], Path], tmp_path: Path
):
    other = tmp_path / "other" / "site.db"
    other.parent.mkdir()
    shutil.copyfile(demo_db_file(20), other)
    path, _code, _people = encrypted_site(demo_db_file)
    db = Database.open(other)
    accounts.create_first_director(db, BOSS, BOSS_PASSWORD)
    encryption.encrypt_site(db, BOSS_PASSWORD).database.close()
    cipher.forget_all()
    shutil.copyfile(cipher.keys_path(other), cipher.keys_path(path))
    with pytest.raises(StorageError) as raised:
        encryption.open_site(path, BOSS, BOSS_PASSWORD)
    assert raised.value.code == "crypt.wrong_key"


def test_backups_are_encrypted_with_the_same_wraps_and_restore(
    demo_db_file: Callable[[int], Path], tmp_path: Path
):
    path, _code, people = encrypted_site(demo_db_file)
    db = encryption.open_site(path, BOSS, BOSS_PASSWORD)
    info = create_backup(db, tmp_path / "copy.db")
    assert info.counts is not None and info.counts.candidates == len(people)
    with db.unit_of_work() as session:
        session.delete(session.scalars(select(Candidate)).first())
    db.close()
    cipher.forget_all()

    raw = info.path.read_bytes()
    assert b"SQLite format 3" not in raw and people[0][0].encode() not in raw
    assert cipher.keys_path(info.path).read_bytes() == cipher.keys_path(path).read_bytes()

    encryption.unlock(info.path, BOSS, BOSS_PASSWORD)  # the backup opens with the password
    restored = restore_backup(path, info.path, folder=tmp_path / "kept")
    assert restored.replaced is not None
    cipher.forget_all()
    db = encryption.open_site(path, BOSS, BOSS_PASSWORD)
    with db.read() as session:
        assert len(session.scalars(select(Candidate)).all()) == len(people)
    db.close()
    assert b"SQLite format 3" not in path.read_bytes()


def test_a_bundle_of_an_encrypted_site_needs_its_passphrase(
    demo_db_file: Callable[[int], Path], tmp_path: Path
):
    path, _code, people = encrypted_site(demo_db_file)
    db = encryption.open_site(path, BOSS, BOSS_PASSWORD)
    bundle = tmp_path / "transfer.zip"
    try:
        with pytest.raises(InputError) as raised:
            export_transfer(db, bundle, key_folder=tmp_path / "keys")
        assert raised.value.code == "crypt.bundle_needs_passphrase"
        export_transfer(db, bundle, key_folder=tmp_path / "keys", passphrase="long-passphrase")
    finally:
        db.close()
    cipher.forget_all()
    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(bundle, unpacked)
    payload = b"".join(p.read_bytes() for p in unpacked.rglob("*") if p.is_file())
    assert people[0][0].encode() not in payload
    assert people[0][1].encode("utf-8") not in payload

    target = Database.open(tmp_path / "receiver.db")
    ensure_catalog(target)
    try:
        for passphrase, code in (
            (None, "crypt.bundle_locked"),
            ("wrong-phrase!", "crypt.bundle_wrong_passphrase"),
        ):
            with pytest.raises(BundleError) as refused:
                import_bundle(target, bundle, passphrase=passphrase, key_folder=tmp_path / "k2")
            assert refused.value.code == code
            with target.read() as session:
                assert session.scalars(select(Candidate)).first() is None
        report = import_bundle(
            target, bundle, passphrase="long-passphrase", key_folder=tmp_path / "k2"
        )
        assert report.applied
        with target.read() as session:
            assert len(session.scalars(select(Candidate)).all()) == len(people)
    finally:
        target.close()


def test_a_plain_file_keeps_the_standard_sqlite3(db: Database):
    assert db.engine.dialect.dbapi is sqlite3.dbapi2
    with db.engine.connect() as connection:
        assert type(connection.connection.dbapi_connection) is sqlite3.Connection
    assert not encryption.is_encrypted(db.file_path or "")


@pytest.mark.sqlite_only
def test_plain_sidecar_leftover_is_ignored(demo_db_file: Callable[[int], Path]):
    """An interrupted ``db encrypt`` (sidecar written, file not yet replaced) leaves a
    plain site that opens as before."""
    path = demo_db_file(20)
    cipher.keys_path(path).write_text("{}", encoding="utf-8")
    assert not encryption.is_encrypted(path)
    Database.open(path).close()


def test_a_plain_copy_of_an_encrypted_site_is_refused(
    demo_db_file: Callable[[int], Path], tmp_path: Path
) -> None:
    from examsite.services.db_copy import copy_database

    path, _code, _people = encrypted_site(demo_db_file)
    db = encryption.open_site(path, BOSS, BOSS_PASSWORD)
    try:
        with pytest.raises(InputError) as refused:
            copy_database(db, tmp_path / "plain-copy.db")
    finally:
        db.close()
    assert refused.value.code == "db_copy.encrypted_source"
    assert not (tmp_path / "plain-copy.db").exists()
