"""Transfer bundles of an encrypted site are encrypted too (``formats.bundle_crypt``).

``export_transfer`` on an encrypted site needs a passphrase (refused without one,
``crypt.bundle_needs_passphrase``); on a plain site a passphrase is optional. The
receiver gives the same passphrase to ``import_bundle``; without it, or with a wrong one,
the import is refused before anything is read into the database.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from examsite.errors import InputError
from examsite.formats.bundle import BundleError
from examsite.formats.bundle_crypt import (
    ENCRYPTION as ENCRYPTION,
)
from examsite.formats.bundle_crypt import (
    MIN_PASSPHRASE,
    WrongPassphrase,
    open_files,
    seal_files,
)
from examsite.storage import cipher
from examsite.storage.db import Database

PASSPHRASE_VARIABLE = "EXAMSITE_BUNDLE_PASSPHRASE"


def site_is_encrypted(db: Database) -> bool:
    path = db.file_path
    return path is not None and cipher.is_encrypted(path)


def seal_for_export(
    db: Database, files: Mapping[str, bytes], passphrase: str | None
) -> tuple[dict[str, bytes], dict[str, Any] | None]:
    """The bundle's files as written (sealed when the site is encrypted or a passphrase
    is given) and the manifest's ``encryption`` entry (None: plain)."""
    if passphrase is None:
        if site_is_encrypted(db):
            raise InputError("crypt.bundle_needs_passphrase", minimum=MIN_PASSPHRASE)
        return dict(files), None
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputError("crypt.bundle_passphrase_short", minimum=MIN_PASSPHRASE)
    return seal_files(files, passphrase)


def open_for_import(
    files: Mapping[str, bytes], extra: Mapping[str, Any], name: str, passphrase: str | None
) -> Mapping[str, bytes]:
    """The bundle's files in the clear (as they are when it is not encrypted)."""
    info = extra.get(ENCRYPTION)
    if info is None:
        return files
    if passphrase is None:
        raise BundleError("crypt.bundle_locked", file=name)
    if not isinstance(info, dict):
        raise BundleError("bundle.bad_manifest", file=name)
    try:
        return open_files(files, info, passphrase)
    except WrongPassphrase:
        raise BundleError("crypt.bundle_wrong_passphrase", file=name) from None
    except ValueError as exc:
        raise BundleError("bundle.transfer_bad_data", file=name, detail=str(exc)) from exc


def one_time_passphrase(db: Database) -> str | None:
    """A passphrase for a bundle that never leaves this program (``db copy --merge``):
    random for an encrypted site, None (a plain bundle) for a plain one."""
    return secrets.token_urlsafe(24) if site_is_encrypted(db) else None
