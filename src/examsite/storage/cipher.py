"""Encrypted SQLite files (SQLCipher 4) next to plain ones.

An encrypted site is a SQLCipher file keyed with a random 32-byte *data key* (a raw key:
``PRAGMA key = "x'…'"``, no passphrase derivation) and a sidecar ``<file>.keys``
(``storage.keyfile``) holding that key wrapped once per account and once by the recovery
code. A file is encrypted when its sidecar exists and its first bytes are not SQLite's
header (a sidecar beside a plain file is the leftover of an interrupted ``db encrypt``
and is ignored).

Once a data key has been unwrapped (``remember``), every connection this process opens to
a file whose sidecar names that key — the engine's, the change watch's, a backup's
check — is keyed with it (``connect``); a plain file keeps the standard library's
``sqlite3`` exactly as before. The key lives only in memory, looked up by its id (a hash
of the key, in the sidecar), never by a path that could be swapped.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Any, Final

import sqlcipher3.dbapi2 as sqlcipher

#: The first bytes of every plain SQLite file.
SQLITE_HEADER: Final = b"SQLite format 3\x00"
#: The sidecar beside an encrypted file: ``site.db`` → ``site.db.keys``.
KEYS_SUFFIX: Final = ".keys"
DATA_KEY_BYTES: Final = 32
#: Errors of either driver (``sqlcipher3``'s classes are not ``sqlite3``'s).
#: The SQLCipher driver (a DB-API module, as SQLAlchemy's ``module=`` takes it).
DRIVER: Final[Any] = sqlcipher
DRIVER_ERRORS: Final = (sqlite3.Error, sqlcipher.Error)
DATABASE_ERRORS: Final = (sqlite3.DatabaseError, sqlcipher.DatabaseError)

_keys: dict[str, bytes] = {}
_keys_lock = threading.Lock()


def keys_path(path: Path) -> Path:
    """The key sidecar of the database file at ``path``."""
    return path.with_name(path.name + KEYS_SUFFIX)


def key_id(key: bytes) -> str:
    """A short public name of a data key (a hash: it tells which key, never the key)."""
    return hashlib.sha256(b"examsite-data-key\x00" + key).hexdigest()[:32]


def remember(key: bytes) -> str:
    """Keep ``key`` for this process's connections to files it encrypts; its id."""
    if len(key) != DATA_KEY_BYTES:
        raise ValueError("a data key has 32 bytes")
    with _keys_lock:
        _keys[key_id(key)] = key
    return key_id(key)


def forget_all() -> None:
    """Drop every remembered key (tests; the window when it locks for good)."""
    with _keys_lock:
        _keys.clear()


def remembered(identifier: str) -> bytes | None:
    with _keys_lock:
        return _keys.get(identifier)


def has_plain_header(path: Path) -> bool:
    """Whether the file at ``path`` starts as a plain SQLite database does (or is empty)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:
        return True  # missing: whoever opens it says why
    return not head or head == SQLITE_HEADER


def is_encrypted(path: Path) -> bool:
    """Whether the SQLite file at ``path`` is an encrypted site (its sidecar is there and
    the file is not plain)."""
    return keys_path(path).is_file() and not has_plain_header(path)


def key_of_file(path: Path) -> bytes | None:
    """The remembered data key of the encrypted file at ``path`` (None: a plain file, or
    a key not unwrapped in this process)."""
    from examsite.storage.keyfile import read_key_id

    if not is_encrypted(path):
        return None
    identifier = read_key_id(keys_path(path))
    return None if identifier is None else remembered(identifier)


def key_pragma(key: bytes) -> str:
    """SQLCipher's raw-key form: no passphrase derivation, the key as 64 hex digits."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_keyed(path: Path | str, key: bytes, **kwargs: Any) -> Any:
    """A ``sqlcipher3`` connection to ``path`` keyed with ``key`` (the first statement)."""
    connection = sqlcipher.connect(str(path), **kwargs)
    try:
        connection.execute(key_pragma(key))
    except BaseException:
        connection.close()
        raise
    return connection


def connect(path: Path, *, key: bytes | None = None, **kwargs: Any) -> Any:
    """A connection to the SQLite file at ``path``: keyed with ``key`` or the remembered
    key of an encrypted file, else the standard library's ``sqlite3``."""
    key = key if key is not None else key_of_file(path)
    if key is None:
        return sqlite3.connect(path, **kwargs)
    return connect_keyed(path, key, **kwargs)


def looks_encrypted(path: Path) -> bool:
    """Whether a file that is not plain SQLite has the shape of a SQLCipher database
    (whole 4 KiB pages of what reads as noise), so that a missing sidecar is named."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if size < 4096 or size % 4096 or has_plain_header(path):
        return False
    return len(set(head)) > 200  # a salt and encrypted bytes: nearly every byte value
