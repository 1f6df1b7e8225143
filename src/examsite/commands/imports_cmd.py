"""``import arrangement FILE [--plan P]``: bring in what the platform made.

The module cannot be named ``import`` (a keyword); the command is. Later issues add the
bundle imports as more actions of ``import``.
"""

from __future__ import annotations

import argparse
from importlib import import_module
from pathlib import Path

from examsite.commands.context import Context, json_flag

#: More ``import`` actions, each a module of its own with ``register_action(sub)`` (the
#: sync issue: ``import_bundle`` for transfer bundles, ``import_platform`` for the
#: platform's exports). Listed here once they exist.
ACTION_MODULES: tuple[str, ...] = ("import_bundle", "import_platform")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("import", help="导入平台数据或其他电脑的传输包")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    arrangement = sub.add_parser(
        "arrangement", help="导入平台的排考明细：官方准考证号与座位替换程序生成的"
    )
    arrangement.add_argument(
        "file", metavar="FILE", type=Path, help="排考明细表格（.xlsx/.xls/.csv）"
    )
    arrangement.add_argument("--plan", metavar="P", help="考试计划编号（考生报考多个计划时需要）")
    json_flag(arrangement)
    arrangement.set_defaults(handler=arrangement_command)
    for name in ACTION_MODULES:
        import_module(f"examsite.commands.{name}").register_action(sub)


def arrangement_command(ctx: Context) -> int:
    from examsite.messages import render
    from examsite.services.arrangement_import import import_arrangement

    result = import_arrangement(ctx.db, ctx.args.file, ctx.args.plan)
    if ctx.json:
        ctx.emit(
            {
                "file": result.file,
                "rows": result.rows,
                "tickets": result.tickets,
                "seats": result.seats,
                "displaced": result.displaced,
                "left_unseated": result.left_unseated,
                "problems": [{**p.to_plain(), "message": render(p)} for p in result.problems],
            }
        )
        return 0
    ctx.say(
        f"已导入官方排考：{result.rows} 行，准考证号 {result.tickets} 个，考位 {result.seats} 个。"
    )
    for problem in result.problems:
        where = f"第 {problem.row} 行 " if problem.row else ""
        ctx.say(f"  {where}{render(problem)}")
    return 0
