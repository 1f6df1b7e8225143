"""A 32-byte key from something a person types (a password, a bundle's passphrase, the
recovery code): Argon2id raw, one function for the key wraps of an encrypted site
(``storage.keyfile``) and the sealed transfer bundles (``formats.bundle_crypt``)."""

from __future__ import annotations

from argon2.low_level import Type, hash_secret_raw

KEY_BYTES = 32


def derive_key(secret: str, salt: bytes, time_cost: int, memory_kib: int, lanes: int) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=lanes,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )
