"""The site's signing key for transfer bundles (Ed25519) and the manifest's signature.

One key pair per site, kept in the data folder (``paths.data_dir() / "transfer-keys"``),
made on the first export; the private key file is readable by its owner only. The
sequence number of the site's exports is kept beside the key (and in the database), so
a database restored from a backup still exports bundles newer than the ones already sent.

The signature covers the manifest's canonical JSON without the signature itself; the
manifest lists every file's SHA-256, so it covers every byte of the bundle.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from examsite import paths
from examsite.errors import InputError

SIGNATURE = "signature"
PUBLIC_KEY = "public_key"
SEQUENCE = "sequence"


def key_folder() -> Path:
    return paths.data_dir() / "transfer-keys"


def _stem(site: str) -> str:
    return "site-" + hashlib.sha256(site.encode("utf-8")).hexdigest()[:16]


def site_key(site: str, folder: Path | None = None) -> Ed25519PrivateKey:
    """The site's private key, made (and kept, owner-only) on first use."""
    folder = folder or key_folder()
    path = folder / f"{_stem(site)}.key"
    try:
        if path.exists():
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(loaded, Ed25519PrivateKey):
                raise ValueError("not an Ed25519 key")
            return loaded
        folder.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(pem)
        (folder / f"{_stem(site)}.pub").write_text(public_text(key.public_key()) + "\n")
        return key
    except (OSError, ValueError) as exc:
        raise InputError("bundle.transfer_key_unreadable", path=str(path), reason=str(exc)) from exc


def next_sequence(site: str, at_least: int, folder: Path | None = None) -> int:
    """The next sequence number of the site's exports (above ``at_least`` and above the
    last one this data folder gave), remembered beside the key."""
    folder = folder or key_folder()
    path = folder / f"{_stem(site)}.seq"
    try:
        last = int(path.read_text().strip()) if path.exists() else 0
    except ValueError:
        last = 0
    sequence = max(last, at_least) + 1
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{sequence}\n")
    return sequence


def public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public: str) -> str:
    """A short name for a public key (shown to the coordinator, used as a setting key)."""
    return hashlib.sha256(public.encode("ascii")).hexdigest()[:16]


def canonical(plain_manifest: dict[str, Any]) -> bytes:
    """The manifest's canonical JSON without the signature: what is signed."""
    plain = dict(plain_manifest)
    extra = {k: v for k, v in dict(plain.get("extra") or {}).items() if k != SIGNATURE}
    plain["extra"] = extra
    return json.dumps(plain, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def sign(key: Ed25519PrivateKey, plain_manifest: dict[str, Any]) -> str:
    return base64.b64encode(key.sign(canonical(plain_manifest))).decode("ascii")


def verify(plain_manifest: dict[str, Any]) -> bool:
    """Whether the manifest's signature is its public key's over its canonical JSON."""
    extra = dict(plain_manifest.get("extra") or {})
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(str(extra[PUBLIC_KEY])))
        public.verify(base64.b64decode(str(extra[SIGNATURE])), canonical(plain_manifest))
    except (KeyError, ValueError, InvalidSignature):
        return False
    return True
