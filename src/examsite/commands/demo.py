"""``demo create``: fill an empty database with a realistic demo site."""

from __future__ import annotations

import argparse
from pathlib import Path

from examsite.commands.context import Context, json_flag


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("demo", help="演示考点")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="在数据库中创建演示考点（已存在时不重复创建）")
    create.add_argument("--candidates", type=int, default=200, help="考生人数（默认 200）")
    json_flag(create)
    create.set_defaults(handler=create_demo_command)
    sheet = sub.add_parser(
        "score-sheet",
        help="为演示考点生成平台格式的科目成绩表（成绩为编造，用来练习导入成绩）",
    )
    sheet.add_argument("--plan", required=True, help="考试计划编号")
    sheet.add_argument("-o", "--out", required=True, type=Path, help="输出 .xlsx 文件")
    json_flag(sheet)
    sheet.set_defaults(handler=score_sheet_command)


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


def score_sheet_command(ctx: Context) -> int:
    from examsite.services.demo_scores import write_demo_score_sheet

    sheet = write_demo_score_sheet(ctx.db, ctx.args.plan, ctx.args.out)
    if ctx.json:
        ctx.emit(sheet.as_dict())
    else:
        ctx.say(
            f"已生成科目成绩表 {sheet.path}：{sheet.rows} 行，其中缺考 {sheet.absent} 行。"
            f"可用 scores import 导入，或在“成绩”页点“导入成绩…”。"
        )
    return 0
