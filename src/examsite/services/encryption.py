"""Encryption at rest of a site's SQLite file (issue 13): opening and turning it on.

- ``is_encrypted(path)``: whether the file is an encrypted site (its ``.keys`` sidecar).
- ``open_site(path, name, password)``: the one call of the window's login and the CLI:
  the data key unwrapped with ``name``'s password, the file opened with it, ``name``
  logged in with the same password. A plain file is opened as always (stdlib sqlite3)
  and logged in when it has accounts.
- ``recover_site(path, name, code, new_password)``: a director's way back in with the
  recovery code (the key unwrapped by the code, the password reset, a new code).
- ``encrypt_site(db, password)``: a plain site with accounts → encrypted, all or nothing
  (``sqlcipher_export`` into a file beside it, verified, renamed over it; the plain file
  overwritten before it is deleted). A new recovery code is made and shown once.

The key sidecar and the wraps are ``storage.keyfile``; the process's unwrapped keys and
the keyed connections ``storage.cipher``. On PostgreSQL encryption at rest is the
server's business (its disk, its backups): ``encrypt_site`` refuses.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text

from examsite.domain.roles import Role
from examsite.errors import AccessDenied, InputError, StorageError
from examsite.messages.system import reason
from examsite.services import accounts
from examsite.services.audit import record
from examsite.storage import cipher
from examsite.storage.db import Database, shown_location, to_url
from examsite.storage.durable import fsync_folder
from examsite.storage.keyfile import (
    RECOVERY_SLOT,
    KeyFile,
    KeyFileError,
    account_slot,
    read_keyfile,
    seal,
    unseal,
    write_keyfile,
)
from examsite.storage.models import UserAccount

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EncryptResult:
    """What ``encrypt_site`` did; ``database`` is the site opened again, encrypted, with
    the same account logged in."""

    database: Database
    file: Path
    key_id: str
    recovery_code: str  # new: shown once, the old one is void
    can_open: tuple[str, ...]  # accounts whose password opens the file
    need_reset: tuple[str, ...]  # enabled accounts that need a new password first
    seconds: float


def is_encrypted(path: str | Path) -> bool:
    """Whether ``path`` (a ``--db`` value) is an encrypted site's file."""
    text_path = str(path)
    if "://" in text_path:
        return False
    return cipher.is_encrypted(Path(text_path).expanduser().resolve())


def unlock(path: Path, name: str, password: str) -> bytes:
    """The data key of the encrypted file at ``path``, unwrapped with ``name``'s password
    and remembered for this process; ``AccessDenied`` when it does not open (nothing is
    read from the database)."""
    keys = read_keyfile(path)
    key = unseal(keys, account_slot(name.strip()), password)
    if key is None:
        if account_slot(name.strip()) not in keys.wraps:
            raise AccessDenied("crypt.no_wrap", name=name)
        raise AccessDenied("auth.wrong_password", name=name)
    _check_key(path, key)
    cipher.remember(key)
    return key


def unlock_with_code(path: Path, code: str) -> bytes:
    """The data key unwrapped with the recovery code (``auth.wrong_recovery_code``)."""
    key = unseal(read_keyfile(path), RECOVERY_SLOT, accounts.normal_code(code))
    if key is None:
        raise AccessDenied("auth.wrong_recovery_code")
    _check_key(path, key)
    cipher.remember(key)
    return key


def _check_key(path: Path, key: bytes) -> None:
    """``crypt.wrong_key`` unless ``key`` opens the file at ``path`` (a sidecar copied
    from another site's, or a damaged first page)."""
    try:
        connection = cipher.connect_keyed(path, key)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except cipher.DATABASE_ERRORS as exc:
        raise KeyFileError("crypt.wrong_key", path=str(path)) from exc


def open_site(path: str | Path, name: str, password: str) -> Database:
    """The site at ``path`` opened and ``name`` logged in with ``password`` (one password
    for both: the key's wrap and the account). ``AccessDenied`` (exit 2) for a wrong
    password, ``KeyFileError`` for a missing or damaged sidecar; nothing is read then."""
    if is_encrypted(path):
        unlock(_file(path), name, password)
    db = Database.open(path)
    try:
        if db.access.protected:
            accounts.log_in(db, name, password)
    except BaseException:
        db.close()
        raise
    return db


def recover_site(
    path: str | Path, name: str, code: str, new_password: str
) -> tuple[Database, accounts.FirstAccount]:
    """A director's new password from the recovery code, on a plain or encrypted site:
    the site opened, ``name`` logged in, and the new recovery code (shown once)."""
    if is_encrypted(path):
        unlock_with_code(_file(path), code)
    db = Database.open(path)
    try:
        first = accounts.recover(db, name, code, new_password)
    except BaseException:
        db.close()
        raise
    return db, first


def _file(path: str | Path) -> Path:
    return Path(str(path)).expanduser().resolve()


# --- turning it on --------------------------------------------------------------------


def encrypt_site(db: Database, password: str) -> EncryptResult:
    """Encrypt the plain site ``db`` (see the module's docstring). ``db`` must have
    accounts and a director logged in, whose ``password`` wraps the key; it is closed,
    and the result holds the site opened again. Nothing changes when anything fails."""
    started = time.perf_counter()
    path = encryptable_file(db)
    me = db.access.principal
    if me is None or me.role != Role.DIRECTOR:
        raise AccessDenied("crypt.director_only")
    with db.read() as session:
        accounts_found = session.scalars(select(UserAccount).order_by(UserAccount.id)).all()
        mine = next((a for a in accounts_found if a.name == me.name), None)
        if mine is None or not accounts.password_matches(mine.password_hash, password):
            raise AccessDenied("auth.wrong_password", name=me.name)
        others = tuple(a.name for a in accounts_found if a.name != me.name and not a.disabled)
    key = secrets.token_bytes(cipher.DATA_KEY_BYTES)
    identifier = cipher.remember(key)
    code = accounts.new_recovery_code()
    keys = KeyFile(
        identifier,
        {
            account_slot(me.name): seal(key, password, account_slot(me.name)),
            RECOVERY_SLOT: seal(key, accounts.normal_code(code), RECOVERY_SLOT),
        },
    )
    building = path.with_name(f".{path.name}.{os.getpid()}.encrypting")
    try:
        with db.unit_of_work() as session:  # no other writer until the copy is made
            _export(path, building, key)
            _check_copy(session, building, key)
            write_keyfile(building, keys)
            _note_in_copy(building, me, code)
            session.rollback()  # nothing written to the plain file
        db.close()
        _swap_in(path, building)
    except BaseException:
        _remove(building)
        raise
    log.info("database %s encrypted (key %s)", path, identifier)
    reopened = open_site(path, me.name, password)
    return EncryptResult(
        database=reopened,
        file=path,
        key_id=identifier,
        recovery_code=code,
        can_open=(me.name,),
        need_reset=others,
        seconds=time.perf_counter() - started,
    )


def result_lines(result: EncryptResult) -> list[str]:
    """What ``db encrypt`` says (the window's dialog says the same)."""
    from examsite.messages import text
    from examsite.storage.backups import backups_dir

    said = [
        text("crypt.done", path=result.file, seconds=f"{result.seconds:.1f}"),
        text("crypt.new_code", code=result.recovery_code),
        text("crypt.can_open", names="、".join(result.can_open)),
    ]
    if result.need_reset:
        said.append(text("crypt.need_reset", names="、".join(result.need_reset)))
    said.append(text("crypt.keys_beside", keys=cipher.keys_path(result.file)))
    said.append(text("crypt.old_backups", folder=backups_dir()))
    return said


def encryptable_file(db: Database) -> Path:
    """The file ``encrypt_site`` would encrypt; refused (``InputError``) on a server, an
    encrypted file or a site without accounts."""
    from examsite.services.server_settings import server_label

    path = db.file_path
    if path is None:
        if db.is_sqlite:
            raise InputError("crypt.not_a_file", url=shown_location(db.url))
        raise InputError("crypt.on_server", server=server_label(db.url))
    if cipher.is_encrypted(path):
        raise InputError("crypt.already", path=str(path))
    if not db.access.protected:
        raise InputError("crypt.needs_accounts")
    return path


def _export(path: Path, building: Path, key: bytes) -> None:
    """The plain file copied into a new encrypted file with ``sqlcipher_export``."""
    _remove(building)
    connection = cipher.DRIVER.connect(str(path), timeout=30)
    try:
        connection.execute(
            f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(building),)
        )
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        connection.execute("DETACH DATABASE encrypted")
    except cipher.DRIVER.Error as exc:
        raise StorageError("crypt.export_failed", path=str(path), reason=str(exc)) from exc
    finally:
        connection.close()


def _check_copy(session: object, building: Path, key: bytes) -> None:
    """The encrypted copy is sound and holds every row of every table of the plain file
    (read in the unit of work that keeps writers out)."""
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    connection = cipher.connect_keyed(building, key)
    try:
        problems = [r[0] for r in connection.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise StorageError("crypt.copy_differs", table="integrity_check", detail=problems[0])
        tables = [
            r[0]
            for r in session.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            )
        ]
        for table in tables:
            mine = session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            theirs = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if mine != theirs:
                raise StorageError("crypt.copy_differs", table=table, detail=f"{mine} ≠ {theirs}")
    finally:
        connection.close()


def _note_in_copy(building: Path, me: object, code: str) -> None:
    """In the encrypted copy: the new recovery code's hash and the audit entry."""
    copy = Database(to_url(building), upgrade=False)
    try:
        copy.access.principal = me  # type: ignore[assignment]
        with copy.unit_of_work() as session:
            accounts._store_recovery_hash(session, code)
            record(session, "update", "site", "encryption", None, {"encrypted": True}, "")
    finally:
        copy.close()


def _swap_in(path: Path, building: Path) -> None:
    """Put the encrypted copy (and its sidecar) in place of the plain file; the plain
    file's bytes are overwritten before it is deleted, as far as the disk allows."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:  # another program still has it open
        raise StorageError("crypt.in_use", path=str(path))
    aside = path.with_name(f".{path.name}.{os.getpid()}.plain")
    try:
        os.replace(cipher.keys_path(building), cipher.keys_path(path))
        try:
            os.link(path, aside)  # the plain bytes stay reachable to be overwritten
            os.replace(building, path)
        except OSError:
            os.replace(path, aside)  # no hard links (FAT32): move it aside first
            os.replace(building, path)
        fsync_folder(path.parent)
    except OSError as exc:
        raise StorageError("crypt.cannot_replace", path=str(path), reason=reason(exc)) from exc
    _shred(aside)


def _shred(path: Path) -> None:
    """Overwrite the file at ``path`` with zeros, flush, delete (nothing when missing)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    try:
        with path.open("r+b") as handle:
            chunk = b"\0" * (1 << 20)
            left = size
            while left > 0:
                handle.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    except OSError:
        log.warning("could not overwrite %s", path, exc_info=True)
        with contextlib.suppress(OSError):
            path.unlink()


def _remove(path: Path) -> None:
    for leftover in (path, cipher.keys_path(path)):
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                leftover.with_name(leftover.name + suffix).unlink()
