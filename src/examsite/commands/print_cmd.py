"""``print run`` and ``print list``: the printed materials (物料) of a plan.

The module cannot be named ``print`` nicely (the built-in); the command is.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from examsite.commands.context import Context, aligned, json_flag

SCOPE_TITLES = {"plan": "整个考点", "room": "每个考场"}
LAYOUT_TITLES = {"combined": "合并打印", "per_subject": "每科一张"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("print", help="打印物料：准考证、签到表、桌贴、门贴、考场物料袋")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    run = sub.add_parser("run", help="一次生成一个考试计划的全部物料（PDF）和清单")
    run.add_argument("--plan", metavar="P", required=True, help="考试计划编号")
    run.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        required=True,
        help="输出文件夹（其中建立以计划编号命名的文件夹）",
    )
    run.add_argument(
        "--only",
        metavar="KEY",
        nargs="+",
        action="extend",
        help="只生成这些物料（用 print list 查看可选的代号）",
    )
    run.add_argument("--copies", metavar="N", type=int, help="每个场次的签到表份数（默认 2）")
    run.add_argument(
        "--labels-per-page", metavar="N", type=int, help="每页桌贴数：8、10 或 12（默认 8）"
    )
    run.add_argument(
        "--ticket-layout",
        choices=tuple(LAYOUT_TITLES),
        help="准考证：combined 理论与实操合并一张，per_subject 每科一张",
    )
    run.add_argument("--header", metavar="TEXT", help="每份物料顶部的一行字（默认：考试计划名称）")
    run.add_argument("--zip", action="store_true", help="另外打包成一个 .zip 文件")
    json_flag(run)
    run.set_defaults(handler=run_command)

    listing = sub.add_parser("list", help="列出可以生成的物料")
    json_flag(listing)
    listing.set_defaults(handler=list_command)


def run_command(ctx: Context) -> int:
    from examsite.services.print_run import print_run
    from examsite.services.print_settings import check_print_settings, load_print_settings

    args = ctx.args
    settings = load_print_settings(ctx.db)
    changes: dict[str, Any] = {}
    if args.copies is not None:
        changes["sign_in_copies"] = args.copies
    if args.labels_per_page is not None:
        changes["labels_per_page"] = args.labels_per_page
    if args.ticket_layout is not None:
        changes["ticket_layout"] = args.ticket_layout
    if args.header is not None:
        changes["header"] = args.header
    settings = check_print_settings(dataclasses.replace(settings, **changes))
    manifest = print_run(
        ctx.db,
        args.plan,
        args.out,
        only=args.only,
        settings=settings,
        progress=ctx.progress(),
        zip_folder=args.zip,
    )
    if ctx.json:
        ctx.emit(
            {
                **manifest.to_plain(),
                "folder": str(manifest.folder),
                "zip": str(manifest.zip_file) if manifest.zip_file else None,
            }
        )
        return 0
    ctx.say(f"已生成 {len(manifest.entries)} 个文件，共 {manifest.pages} 页，在 {manifest.folder}")
    table = [("文件", "页数", "内容")]
    table += [(e.file, str(e.pages), e.title) for e in manifest.entries]
    for line in aligned(table):
        ctx.say(f"  {line}")
    if manifest.empty:
        ctx.say(f"没有内容、未生成文件：{'、'.join(manifest.empty)}")
    if manifest.zip_file:
        ctx.say(f"压缩包：{manifest.zip_file}")
    return 0


def list_command(ctx: Context) -> int:
    from examsite.services.print_documents import DOCUMENTS

    if ctx.json:
        ctx.emit(
            [
                {"key": k.key, "title": k.title, "scope": k.scope, "needs_seats": k.needs_seats}
                for k in DOCUMENTS
            ]
        )
        return 0
    if not DOCUMENTS:
        ctx.say("还没有可以生成的物料。")
        return 0
    table = [("代号", "物料", "范围")]
    table += [(k.key, k.title, SCOPE_TITLES[k.scope]) for k in DOCUMENTS]
    for line in aligned(table):
        ctx.say(line)
    return 0
