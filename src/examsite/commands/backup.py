"""``backup create``, ``backup list`` and ``backup restore``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examsite.commands.context import EXIT_FAULT, Context, aligned, json_flag
from examsite.commands.encrypt_cmd import unlock_file
from examsite.errors import InputError
from examsite.messages import text

if TYPE_CHECKING:
    from examsite.services.backup import BackupInfo, RestoreInfo

KIND_TITLES = {"manual": "手动", "auto": "自动", "before-restore": "恢复前", "": "其他"}
REASON_TITLES = {"daily": "每日", "import": "导入前", "merge": "合并前"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("backup", help="备份数据库：创建、列出、恢复")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = sub.add_parser("create", help="备份数据库（程序运行时也可以），并检查备份是否完好")
    create.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="备份文件的路径（默认放在数据目录的 backups 文件夹）",
    )
    json_flag(create)
    create.set_defaults(handler=create_command)

    listing = sub.add_parser("list", help="列出这个数据库的备份及其中的考生、报考、座位数")
    json_flag(listing)
    listing.set_defaults(handler=list_command)

    restore = sub.add_parser("restore", help="用备份替换数据库（先把当前数据库另存为备份）")
    restore.add_argument("file", type=Path, metavar="FILE", help="备份文件")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    json_flag(restore)
    restore.set_defaults(handler=restore_command)


def db_file(ctx: Context) -> Path:
    """The database file ``--db`` names (not opened)."""
    from sqlalchemy.engine import make_url

    from examsite.services.backup import not_a_file
    from examsite.services.server_settings import chosen_database
    from examsite.storage.db import to_url

    url = to_url(chosen_database(ctx.args.db))  # the school server is not a file: refused
    database = make_url(url).database
    if make_url(url).get_backend_name() != "sqlite" or not database or database == ":memory:":
        raise not_a_file(url)
    return Path(database)


def info_json(info: BackupInfo) -> dict[str, Any]:
    return {
        "file": str(info.path),
        "created": info.created.isoformat(),
        "size": info.size,
        "kind": info.kind,
        "reason": info.reason,
        "counts": None
        if info.counts is None
        else {
            "candidates": info.counts.candidates,
            "registrations": info.counts.registrations,
            "seats": info.counts.seats,
        },
    }


def create_command(ctx: Context) -> int:
    from examsite.services.backup import create_backup, created_text

    info = create_backup(ctx.db, ctx.args.out)
    if ctx.json:
        ctx.emit({"backup": info_json(info)})
        return 0
    ctx.say(created_text(info))
    return 0


def list_command(ctx: Context) -> int:
    from examsite.services.backup import holds_text, list_backups, size_text

    backups = list_backups(db_file(ctx))
    if ctx.json:
        ctx.emit({"backups": [info_json(b) for b in backups]})
        return 0
    if not backups:
        ctx.say("这个数据库还没有备份。可以用 examsite-cli backup create 备份。")
        return 0
    rows = [["时间", "类型", "大小", "内容", "文件"]]
    for b in backups:
        kind = KIND_TITLES.get(b.kind, b.kind)
        if b.reason:
            kind += f"（{REASON_TITLES.get(b.reason, b.reason)}）"
        rows.append(
            [
                b.created.strftime("%Y-%m-%d %H:%M:%S"),
                kind,
                size_text(b.size),
                holds_text(b),
                str(b.path),
            ]
        )
    for line in aligned(rows):
        ctx.say(line)
    return 0


def restore_command(ctx: Context) -> int:
    from examsite.services.backup import (
        confirm_text,
        restore_backup,
        restored_text,
        verify_backup,
    )

    path = db_file(ctx)
    unlock_file(ctx, ctx.args.file)  # an encrypted backup: its key, from --user's password
    info = verify_backup(ctx.args.file)  # a damaged backup is refused before asking
    if not ctx.args.yes:
        if ctx.json or not sys.stdin.isatty():
            raise InputError("backup.needs_yes")
        answer = input(confirm_text(path, info) + " [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            ctx.say(text("backup.restore_declined"))
            return EXIT_FAULT
    result = restore_backup(path, info.path)
    if ctx.json:
        ctx.emit(restore_json(result))
        return 0
    ctx.say(restored_text(result))
    return 0


def restore_json(result: RestoreInfo) -> dict[str, Any]:
    return {
        "database": str(result.database),
        "restored": info_json(result.backup),
        "replaced": None if result.replaced is None else info_json(result.replaced),
    }
