"""``db encrypt [--json]``: encrypt the site's SQLite file (issue 13, encryption at rest).

Run as a director (``--user`` and the password, which also wraps the key). All or
nothing: the encrypted copy is built beside the file, verified, renamed over it; the
plain file is overwritten before it is deleted. A new recovery code is printed once. On a
school server it is refused: encryption at rest there is the server's business.
"""

from __future__ import annotations

import argparse
from typing import Any

from examsite.commands.context import EXIT_OK, Context, json_flag
from examsite.messages import text


def register_action(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    encrypt = sub.add_parser(
        "encrypt",
        help="加密本机的数据库文件（考点负责人；之后要用账户密码或恢复码才能打开）",
    )
    json_flag(encrypt)
    encrypt.set_defaults(handler=encrypt_command)


def encrypt_command(ctx: Context) -> int:
    from examsite.services.encryption import encrypt_site

    db = ctx.db  # logged in (a plain site with accounts)
    _user, password = ctx.credentials()
    result = encrypt_site(db, password)
    ctx._db = result.database  # closed by the context as any database
    if ctx.json:
        ctx.emit(plain(result))
        return EXIT_OK
    for line in lines(result):
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


def lines(result: Any) -> list[str]:
    """What ``db encrypt`` says (the window's dialog says the same)."""
    from examsite.storage.backups import backups_dir
    from examsite.storage.cipher import keys_path

    said = [
        text("crypt.done", path=result.file, seconds=f"{result.seconds:.1f}"),
        text("crypt.new_code", code=result.recovery_code),
        text("crypt.can_open", names="、".join(result.can_open)),
    ]
    if result.need_reset:
        said.append(text("crypt.need_reset", names="、".join(result.need_reset)))
    said.append(text("crypt.keys_beside", keys=keys_path(result.file)))
    said.append(text("crypt.old_backups", folder=backups_dir()))
    return said
