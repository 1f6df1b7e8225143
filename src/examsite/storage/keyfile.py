"""The key sidecar of an encrypted site: ``<database>.keys`` beside the file.

Why a sidecar (and not SQLCipher's plaintext-header option): the wraps must be read
before the database can be opened, and SQLCipher keeps nothing of ours outside its
encrypted pages — the plaintext header holds SQLite's own 32 bytes (and would leave
"SQLite format 3" readable in the file). A small JSON file beside the database is read
without any key, is written atomically (a temporary file, fsynced, renamed, the folder
flushed) and travels with every backup (``<backup>.keys``, a copy: the data key never
changes, so any backup's sidecar opens the site with the passwords of its day).

It holds the data key's id (``cipher.key_id``) and the key wrapped once per account
(slot ``account:<name>``) and once by the recovery code (slot ``recovery``): AES-256-GCM
under a key-encryption key derived from the password by Argon2id (raw, a fresh salt per
wrap), the slot and the key id as associated data (a wrap moved to another slot or
another site's file does not open). Adding or removing an account rewrites this file
only; the database is never re-encrypted. Account names are readable here (they are
needed to pick the wrap); nothing else is.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from examsite.errors import StorageError
from examsite.key_derivation import derive_key
from examsite.storage.cipher import DATA_KEY_BYTES, key_id, keys_path
from examsite.storage.durable import fsync_folder

FORMAT: Final = "examsite-keys"
VERSION: Final = 1
RECOVERY_SLOT: Final = "recovery"
#: Argon2id for the key-encryption key: RFC 9106's second choice (64 MiB, 3 passes),
#: about a tenth of a second — what each guess of a stolen sidecar costs.
TIME_COST: Final = 3
MEMORY_KIB: Final = 65_536
LANES: Final = 4


class KeyFileError(StorageError):
    """The sidecar is missing, damaged or not this database's: nothing was opened (the
    command line exits 2, as for refused input)."""

    exit_code = 2


def account_slot(name: str) -> str:
    return f"account:{name}"


@dataclass(frozen=True)
class Wrap:
    """The data key sealed under one password (or the recovery code)."""

    salt: bytes
    nonce: bytes
    sealed: bytes
    time_cost: int = TIME_COST
    memory_kib: int = MEMORY_KIB
    lanes: int = LANES

    def to_plain(self) -> dict[str, Any]:
        return {
            "kdf": "argon2id",
            "t": self.time_cost,
            "m": self.memory_kib,
            "p": self.lanes,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "sealed": _b64(self.sealed),
        }

    @classmethod
    def from_plain(cls, plain: Any) -> Wrap:
        if not isinstance(plain, dict) or plain.get("kdf") != "argon2id":
            raise ValueError("not an argon2id wrap")
        return cls(
            salt=_unb64(plain["salt"]),
            nonce=_unb64(plain["nonce"]),
            sealed=_unb64(plain["sealed"]),
            time_cost=int(plain["t"]),
            memory_kib=int(plain["m"]),
            lanes=int(plain["p"]),
        )


@dataclass(frozen=True)
class KeyFile:
    """What a sidecar holds."""

    key_id: str
    wraps: dict[str, Wrap] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        plain = {
            "format": FORMAT,
            "version": VERSION,
            "cipher": "sqlcipher4-raw-key",
            "key_id": self.key_id,
            "wraps": {slot: wrap.to_plain() for slot, wrap in sorted(self.wraps.items())},
        }
        return json.dumps(plain, ensure_ascii=False, indent=2).encode("utf-8")

    def names(self) -> list[str]:
        """The accounts that can open the site."""
        prefix = account_slot("")
        return sorted(slot[len(prefix) :] for slot in self.wraps if slot.startswith(prefix))


# --- sealing ------------------------------------------------------------------------------


def _associated(identifier: str, slot: str) -> bytes:
    return f"{FORMAT}/{VERSION}/{identifier}/{slot}".encode()


def seal(key: bytes, secret: str, slot: str) -> Wrap:
    """``key`` wrapped under ``secret`` for ``slot``."""
    if len(key) != DATA_KEY_BYTES:
        raise ValueError("a data key has 32 bytes")
    wrap_salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = derive_key(secret, wrap_salt, TIME_COST, MEMORY_KIB, LANES)
    sealed = AESGCM(kek).encrypt(nonce, key, _associated(key_id(key), slot))
    return Wrap(wrap_salt, nonce, sealed, TIME_COST, MEMORY_KIB, LANES)


def unseal(keys: KeyFile, slot: str, secret: str) -> bytes | None:
    """The data key from ``slot``'s wrap opened with ``secret``; None when the slot is
    not there or the secret is wrong."""
    wrap = keys.wraps.get(slot)
    if wrap is None:
        return None
    kek = derive_key(secret, wrap.salt, wrap.time_cost, wrap.memory_kib, wrap.lanes)
    try:
        key = AESGCM(kek).decrypt(wrap.nonce, wrap.sealed, _associated(keys.key_id, slot))
    except InvalidTag:
        return None
    return key if key_id(key) == keys.key_id else None


# --- the file -----------------------------------------------------------------------------


def read_keyfile(database: Path) -> KeyFile:
    """The sidecar of ``database``; ``KeyFileError`` (``crypt.keys_missing`` /
    ``crypt.keys_damaged``) when it cannot be used."""
    path = keys_path(database)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise missing_error(database) from None
    except OSError as exc:
        raise KeyFileError("crypt.keys_damaged", path=str(database), keys=str(path)) from exc
    try:
        return parse(raw)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeyFileError("crypt.keys_damaged", path=str(database), keys=str(path)) from exc


def parse(raw: bytes) -> KeyFile:
    plain = json.loads(raw.decode("utf-8"))
    if not isinstance(plain, dict) or plain.get("format") != FORMAT:
        raise ValueError("not a key file")
    if plain.get("version") != VERSION:
        raise ValueError("unknown key file version")
    identifier = plain["key_id"]
    if not isinstance(identifier, str) or not identifier:
        raise ValueError("no key id")
    wraps = {str(slot): Wrap.from_plain(w) for slot, w in dict(plain["wraps"]).items()}
    return KeyFile(identifier, wraps)


def read_key_id(path: Path) -> str | None:
    """The key id in the sidecar at ``path`` (None when it cannot be read)."""
    try:
        return parse(path.read_bytes()).key_id
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_keyfile(database: Path, keys: KeyFile) -> None:
    """Write the sidecar of ``database`` atomically and durably."""
    path = keys_path(database)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as written:
                written.write(keys.to_bytes())
                written.flush()
                os.fsync(written.fileno())
            os.replace(name, path)
        finally:
            if os.path.exists(name):
                os.remove(name)
        fsync_folder(path.parent)
    except OSError as exc:
        from examsite.messages.system import reason

        raise StorageError("crypt.keys_cannot_write", keys=str(path), reason=reason(exc)) from exc


def put_wrap(database: Path, key: bytes, slot: str, secret: str) -> None:
    """Add or replace ``slot``'s wrap in the sidecar of ``database``."""
    keys = read_keyfile(database)
    if keys.key_id != key_id(key):
        raise KeyFileError("crypt.keys_mismatch", path=str(database), keys=str(keys_path(database)))
    write_keyfile(database, KeyFile(keys.key_id, {**keys.wraps, slot: seal(key, secret, slot)}))


def drop_wrap(database: Path, slot: str) -> None:
    """Remove ``slot``'s wrap (an account disabled): that password opens the file no more."""
    keys = read_keyfile(database)
    if slot in keys.wraps:
        wraps = {s: w for s, w in keys.wraps.items() if s != slot}
        write_keyfile(database, KeyFile(keys.key_id, wraps))


def missing_error(database: Path) -> KeyFileError:
    """``crypt.keys_missing``, naming the newest backup's sidecar to copy back if any."""
    from examsite.storage.backups import backups_dir, backups_of

    path = keys_path(database)
    for backup, _name in reversed(backups_of(database.stem, None)):
        spare = keys_path(backup)
        if spare.is_file():
            return KeyFileError(
                "crypt.keys_missing", path=str(database), keys=str(path), spare=str(spare)
            )
    return KeyFileError(
        "crypt.keys_missing_no_backup",
        path=str(database),
        keys=str(path),
        folder=str(backups_dir()),
    )


def remove_keyfile(database: Path) -> None:
    """Delete the sidecar of ``database`` (it became plain again: a plain backup restored)."""
    path = keys_path(database)
    if path.exists():
        os.remove(path)
        fsync_folder(path.parent)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)
