"""``demo create``: fill an empty database with a realistic demo site."""

from __future__ import annotations

import argparse

from examsite.commands.context import Context, json_flag


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("demo", help="演示考点")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="在数据库中创建演示考点（已存在时不重复创建）")
    create.add_argument("--candidates", type=int, default=200, help="考生人数（默认 200）")
    json_flag(create)
    create.set_defaults(handler=create_demo_command)


def create_demo_command(ctx: Context) -> int:
    from examsite.services.demo import create_demo

    result = create_demo(ctx.db, candidates=ctx.args.candidates, progress=ctx.progress())
    if ctx.json:
        ctx.emit(
            {
                "created": result.created,
                "candidates": result.candidates,
                "photos": result.photos,
                "rooms": result.rooms,
                "staff": result.staff,
            }
        )
    elif result.created:
        ctx.say(
            f"已创建演示考点：{result.candidates} 名考生，{result.photos} 张照片，"
            f"{result.rooms} 个考场，{result.staff} 名考务人员。"
        )
    else:
        ctx.say("演示考点已经存在，未重复创建。")
    return 0
