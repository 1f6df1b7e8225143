"""``import platform FILE [--plan P] [--dry-run] [--json]``: what the platform exports,
recognised by its header — candidate statuses, the 排考明细, subject scores, certificate
results — applied in one transaction, with what did not match reported row by row and,
for scores, the reconciliation of the plan."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examsite.commands.context import Context, json_flag

if TYPE_CHECKING:
    from examsite.services.platform_import import PlatformImport


def register_action(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "platform",
        help="导入平台导出的表格：考生信息状态、排考明细、科目成绩或考证结果（按表头自动识别）",
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="平台导出的表格（.xlsx/.xls/.csv）")
    parser.add_argument("--plan", metavar="P", help="考试计划编号（只对照这个计划的报考）")
    parser.add_argument(
        "--dry-run", action="store_true", help="只检查并报告会改动什么，不写入任何内容"
    )
    json_flag(parser)
    parser.set_defaults(handler=platform_command)


_KIND_TITLES = {
    "arrangement": "排考明细",
    "statuses": "考生信息状态",
    "scores": "科目成绩",
    "results": "考证结果",
}


def platform_command(ctx: Context) -> int:
    from examsite.services.platform_import import import_platform

    result = import_platform(ctx.db, ctx.args.file, ctx.args.plan, dry_run=ctx.args.dry_run)
    platform_report(ctx, result)
    return 0


def platform_report(ctx: Context, result: PlatformImport) -> None:
    """What an import did, as ``--json`` or as lines (``scores import`` says it the same)."""
    from examsite.messages import render
    from examsite.services.platform_import import reconciliation_plain

    if ctx.json:
        document: dict[str, Any] = {
            "file": result.file,
            "kind": result.kind,
            "template": result.template,
            "dry_run": result.dry_run,
            "rows": result.rows,
            "matched": result.matched,
            "changed": result.changed,
            "unchanged": result.unchanged,
            "problems": [{**p.to_plain(), "message": render(p)} for p in result.problems],
            "reconciliation": [reconciliation_plain(r) for r in result.reconciliation],
        }
        if result.arrangement is not None:
            a = result.arrangement
            document["arrangement"] = {
                "tickets": a.tickets,
                "seats": a.seats,
                "displaced": a.displaced,
                "left_unseated": a.left_unseated,
            }
        ctx.emit(document)
        return
    title = _KIND_TITLES.get(result.kind, result.kind)
    verb = "检查（未写入）" if result.dry_run else "导入"
    ctx.say(
        f"已{verb}{title}：{result.rows} 行，对上 {result.matched} 行，"
        f"改动 {result.changed} 条，未变 {result.unchanged} 条。"
    )
    if result.arrangement is not None:
        a = result.arrangement
        ctx.say(f"  准考证号 {a.tickets} 个，考位 {a.seats} 个，让位 {a.displaced} 人。")
    for problem in result.problems:
        where = f"第 {problem.row} 行 " if problem.row else ""
        ctx.say(f"  {where}{render(problem)}")
    if result.reconciliation:
        from examsite.commands.scores import say_reconciliation

        for rec in result.reconciliation:
            say_reconciliation(ctx, rec)
