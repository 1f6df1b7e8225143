"""``db encrypt [--json]``: encrypt the site's SQLite file (issue 13, encryption at rest).

Run as a director (``--user`` and the password, which also wraps the key). All or
nothing: the encrypted copy is built beside the file, verified, renamed over it; the
plain file is overwritten before it is deleted. A new recovery code is printed once. On a
school server it is refused: encryption at rest there is the server's business.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from examsite.commands.context import EXIT_OK, Context, ask_password, json_flag
from examsite.errors import InputError


def register_action(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    encrypt = sub.add_parser(
        "encrypt",
        help="加密本机的数据库文件（考点负责人；之后要用账户密码或恢复码才能打开）",
    )
    json_flag(encrypt)
    encrypt.set_defaults(handler=encrypt_command)


def encrypt_command(ctx: Context) -> int:
    from examsite.services.encryption import encrypt_site, encryptable_file, result_lines

    db = ctx.db  # logged in (a plain site with accounts)
    encryptable_file(db)  # a server or a site without accounts: refused before a password
    _user, password = ctx.credentials()
    result = encrypt_site(db, password)
    ctx._db = result.database  # closed by the context as any database
    if ctx.json:
        ctx.emit(plain(result))
        return EXIT_OK
    for line in result_lines(result):
        ctx.say(line)
    return EXIT_OK


def plain(result: Any) -> dict[str, Any]:
    """The ``--json`` document of ``db encrypt``."""
    from examsite.storage.backups import backups_dir
    from examsite.storage.cipher import keys_path

    return {
        "file": str(result.file),
        "keys_file": str(keys_path(result.file)),
        "encrypted": True,
        "key_id": result.key_id,
        "recovery_code": result.recovery_code,
        "can_open": list(result.can_open),
        "need_reset": list(result.need_reset),
        "old_backups_plain": True,
        "backups_folder": str(backups_dir()),
        "seconds": round(result.seconds, 3),
    }


def unlock_file(ctx: Context, path: Path) -> None:
    """An encrypted file the command reads without opening the site (a backup to
    restore): its key unwrapped with ``--user``'s password (nothing when plain)."""
    from examsite.services.encryption import is_encrypted, unlock

    if is_encrypted(path):
        unlock(path.expanduser().resolve(), *ctx.credentials())


def export_passphrase(ctx: Context) -> str | None:
    """The passphrase of a transfer bundle to export: ``EXAMSITE_BUNDLE_PASSPHRASE``, or
    typed twice when the site is encrypted (None: a plain bundle, or the service says
    that one is needed)."""
    import sys

    from examsite.services.bundle_encryption import PASSPHRASE_VARIABLE, site_is_encrypted

    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given is not None or not site_is_encrypted(ctx.db) or not sys.stdin.isatty():
        return given
    first = ask_password("传输包口令（告诉接收的考点）：")
    if ask_password("再输入一次口令：") != first:
        raise InputError("users.passwords_differ")
    return first


def import_passphrase(path: Path) -> str | None:
    """The passphrase of a transfer bundle to import: ``EXAMSITE_BUNDLE_PASSPHRASE``, or
    typed when the bundle is encrypted (its manifest says so)."""
    import sys

    from examsite.services.bundle_encryption import PASSPHRASE_VARIABLE

    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given is not None or not sys.stdin.isatty() or not _sealed(path):
        return given
    return ask_password("传输包口令：")


def _sealed(path: Path) -> bool:
    import json
    import zipfile

    from examsite.formats.bundle import MANIFEST
    from examsite.formats.bundle_crypt import ENCRYPTION

    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
        return ENCRYPTION in (manifest.get("extra") or {})
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, AttributeError):
        return False  # the import says what is wrong with it
