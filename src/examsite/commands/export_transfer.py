"""``export transfer --out FILE [--plan P] [--json]``: the site (or one plan) in a signed
transfer bundle for another PC of the site."""

from __future__ import annotations

import argparse
from pathlib import Path

from examsite.commands.context import Context, json_flag
from examsite.commands.encrypt_cmd import export_passphrase


def register_action(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("transfer", help="导出换机传输包：整个考点（或一个考试计划）的数据")
    parser.add_argument(
        "--out", required=True, metavar="FILE", type=Path, help="传输包文件（.zip）"
    )
    parser.add_argument("--plan", metavar="P", help="只导出这个考试计划（编号）")
    json_flag(parser)
    parser.set_defaults(handler=export_transfer_command)


def export_transfer_command(ctx: Context) -> int:
    from examsite.services.transfer import export_transfer
    from examsite.services.transfer_records import ENTITY_TITLES

    passphrase = export_passphrase(ctx)  # an encrypted site's bundle is sealed
    result = export_transfer(ctx.db, ctx.args.out, ctx.args.plan, passphrase=passphrase)
    if ctx.json:
        ctx.emit(
            {
                "file": result.file,
                "site": result.site,
                "plan": result.plan,
                "sequence": result.sequence,
                "fingerprint": result.fingerprint,
                "counts": dict(result.counts),
                "photos": result.photos,
                "size_bytes": result.size_bytes,
            }
        )
        return 0
    ctx.say(f"已导出换机传输包：{result.file}（第 {result.sequence} 号，{result.size_bytes} 字节）")
    ctx.say(f"考点：{result.site}；密钥指纹：{result.fingerprint}")
    parts = [
        f"{ENTITY_TITLES[entity]} {count}"
        for entity, count in result.counts.items()
        if entity in ENTITY_TITLES and count
    ]
    ctx.say("内容：" + "，".join(parts) + f"，照片文件 {result.photos}")
    if result.counts.get("tombstones"):
        ctx.say(f"另带本机删除的记录 {result.counts['tombstones']} 条（对方合并时一并删除）")
    return 0
