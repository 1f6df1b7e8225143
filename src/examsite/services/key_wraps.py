"""Keeping an encrypted site's key wraps in step with its accounts (``storage.keyfile``).

``services.accounts`` calls these where a password becomes known: a new account, a reset
or changed password, a recovery (the new password and the new recovery code); and where
an account stops opening the site (disabled). On a plain site (or a server) each call
does nothing. Each wrap costs one Argon2id derivation (~0.1 s).

They run inside the accounts' unit of work, which holds the database's write lock, so
two programs never rewrite the sidecar at once; a sidecar that cannot be written rolls
the account change back.
"""

from __future__ import annotations

from pathlib import Path

from examsite.storage import cipher
from examsite.storage.db import Database
from examsite.storage.keyfile import RECOVERY_SLOT, account_slot, drop_wrap, put_wrap


def _encrypted(db: Database) -> tuple[Path, bytes] | None:
    path = db.file_path
    if path is None:
        return None
    key = cipher.key_of_file(path)
    return None if key is None else (path, key)


def wrap_account(db: Database, name: str, password: str) -> None:
    """``name`` opens the site with ``password`` (replacing an older wrap)."""
    found = _encrypted(db)
    if found is not None:
        put_wrap(found[0], found[1], account_slot(name), password)


def wrap_recovery(db: Database, code: str) -> None:
    """The recovery code ``code`` (its printed form) opens the site."""
    from examsite.services.accounts import normal_code

    found = _encrypted(db)
    if found is not None:
        put_wrap(found[0], found[1], RECOVERY_SLOT, normal_code(code))


def drop_account(db: Database, name: str) -> None:
    """``name``'s password opens the site no more (the account was disabled)."""
    found = _encrypted(db)
    if found is not None:
        drop_wrap(found[0], account_slot(name))
