"""The encrypted payload of a transfer bundle exported from an encrypted site.

Every file of the bundle (the records' JSON, each photo) is sealed with AES-256-GCM under
a key derived from a *passphrase* by Argon2id (a fresh salt per bundle; its path inside
the bundle as associated data, so that files cannot be swapped). The manifest says how
(``extra["encryption"]``: scheme, Argon2 costs, salt, and a sealed check value that tells
a wrong passphrase from a damaged file); it stays readable, with the site, the plan and
the counts, and is signed as always (the signature covers the sealed files' hashes).

Why a passphrase, not the data key of a paired site: the receiving PC may have a
different data key (another site's, or a plain file), and a passphrase agreed by phone
needs no key exchange; it is asked at export and at import (``--passphrase`` prompt or
``EXAMSITE_BUNDLE_PASSPHRASE``).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from examsite.key_derivation import derive_key

SCHEME: Final = "argon2id-aes256gcm"
ENCRYPTION: Final = "encryption"  # the manifest's ``extra`` key
MIN_PASSPHRASE: Final = 10
TIME_COST: Final = 3
MEMORY_KIB: Final = 65_536
LANES: Final = 4
_CHECK: Final = b"examsite-bundle-check"


class WrongPassphrase(ValueError):
    """The passphrase does not open the bundle."""


def _seal(aead: AESGCM, data: bytes, label: str) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + aead.encrypt(nonce, data, label.encode("utf-8"))


def _open(aead: AESGCM, sealed: bytes, label: str) -> bytes:
    return aead.decrypt(sealed[:12], sealed[12:], label.encode("utf-8"))


def seal_files(
    files: Mapping[str, bytes], passphrase: str
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """``files`` sealed under ``passphrase``, and the manifest's ``encryption`` entry."""
    salt = secrets.token_bytes(16)
    aead = AESGCM(derive_key(passphrase, salt, TIME_COST, MEMORY_KIB, LANES))
    sealed = {path: _seal(aead, data, path) for path, data in files.items()}
    info = {
        "scheme": SCHEME,
        "t": TIME_COST,
        "m": MEMORY_KIB,
        "p": LANES,
        "salt": base64.b64encode(salt).decode("ascii"),
        "check": base64.b64encode(_seal(aead, _CHECK, "check")).decode("ascii"),
    }
    return sealed, info


def open_files(
    files: Mapping[str, bytes], info: Mapping[str, Any], passphrase: str
) -> dict[str, bytes]:
    """The files of a sealed bundle; ``WrongPassphrase`` when ``passphrase`` does not
    open it, ``ValueError`` when the entry or a file is damaged."""
    try:
        if info.get("scheme") != SCHEME:
            raise ValueError(f"unknown scheme {info.get('scheme')!r}")
        salt = base64.b64decode(str(info["salt"]), validate=True)
        check = base64.b64decode(str(info["check"]), validate=True)
        costs = int(info["t"]), int(info["m"]), int(info["p"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"bad encryption entry: {exc}") from exc
    aead = AESGCM(derive_key(passphrase, salt, *costs))
    try:
        if _open(aead, check, "check") != _CHECK:
            raise WrongPassphrase
    except InvalidTag:
        raise WrongPassphrase from None
    try:
        return {path: _open(aead, data, path) for path, data in files.items()}
    except InvalidTag as exc:
        raise ValueError("a sealed file does not open") from exc
