"""``retention status|preview|purge|set``: each round's retention date and the purge of its
personal data once the date has passed (director only)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from examsite.commands.context import EXIT_OK, Context, aligned, json_flag
from examsite.errors import InputError
from examsite.messages import KIND_TITLES, text

if TYPE_CHECKING:
    from examsite.services.retention import PurgePreview, RetentionStatus


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "retention",
        help="个人信息保存期限：查看到期的考试计划，清除到期考生的个人信息（考点负责人）",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = sub.add_parser("status", help="各考试计划的保存期限、是否到期、是否已清除")
    json_flag(status)
    status.set_defaults(handler=status_command)

    preview = sub.add_parser("preview", help="查看清除某个考试计划时将被清除和保留的内容")
    preview.add_argument("--plan", required=True, metavar="P", help="考试计划编号")
    json_flag(preview)
    preview.set_defaults(handler=preview_command)

    purge = sub.add_parser("purge", help="先备份，再清除到期考试计划的考生个人信息（不能撤销）")
    purge.add_argument("--plan", required=True, metavar="P", help="考试计划编号")
    purge.add_argument(
        "--backup-dir",
        type=Path,
        metavar="D",
        help="清除前备份放在哪个文件夹（默认数据目录的 backups）",
    )
    purge.add_argument(
        "--server-backup-done",
        action="store_true",
        help="数据库在学校服务器上时：确认信息中心已用 pg_dump 做好备份",
    )
    purge.add_argument("--yes", action="store_true", help="确认清除（看过 preview 之后）")
    json_flag(purge)
    purge.set_defaults(handler=purge_command)

    setting = sub.add_parser("set", help="设置保存期限（成绩公布期结束后的月数）")
    setting.add_argument("--months", type=int, metavar="N", help="月数（1 到 120）")
    setting.add_argument("--plan", metavar="P", help="只改这个考试计划（默认改全站默认期限）")
    setting.add_argument(
        "--reset", action="store_true", help="与 --plan 一起用：这个计划改回全站默认期限"
    )
    json_flag(setting)
    setting.set_defaults(handler=set_command)


def status_command(ctx: Context) -> int:
    from examsite.services.retention import retention_status

    status = retention_status(ctx.db)
    if ctx.json:
        ctx.emit(status.as_dict())
        return EXIT_OK
    _say_status(ctx, status)
    return EXIT_OK


def _say_status(ctx: Context, status: RetentionStatus) -> None:
    ctx.say(text("retention.set_default", months=status.default_months))
    table = [["考试计划", "公布期结束", "保存期限", "保存到", "考生", "状态"]]
    for r in status.rounds:
        state = (
            f"已清除（{r.purged_at:%Y-%m-%d}）"
            if r.purged_at
            else ("已到期，可清除" if r.due else "未到期")
        )
        table.append(
            [
                r.plan_code,
                f"{r.publication_end:%Y-%m-%d}",
                f"{r.months} 个月" + ("（本计划）" if r.own_months else ""),
                f"{r.retain_until:%Y-%m-%d}",
                str(r.candidates),
                state,
            ]
        )
    for line in aligned(table):
        ctx.say(line)
    if not any(r.offered for r in status.rounds):
        ctx.say(text("retention.nothing_due"))


def preview_command(ctx: Context) -> int:
    from examsite.services.retention import preview_purge

    preview = preview_purge(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit(preview.as_dict())
        return EXIT_OK
    _say_preview(ctx, preview)
    return EXIT_OK


def _say_preview(ctx: Context, preview: PurgePreview) -> None:
    from examsite.services.retention import preview_notes

    r, c = preview.round, preview.counts
    ctx.say(f"{r.plan_code} {r.plan_name}：保存到 {r.retain_until:%Y-%m-%d}，已到期。")
    ctx.say(
        f"将清除 {c.candidates} 名考生的个人信息、{c.photos} 张照片、{c.tickets} 个准考证号、"
        f"{c.certificate_numbers} 个证书编号、{c.notes} 条备注；保留 {c.kept} 名仍在其他计划中的考生。"
    )
    table = [["身份证号", "姓名", "类别", "照片", "处理"]]
    for row in (*preview.purged, *preview.kept):
        table.append(
            [
                row.id_number,
                row.name,
                KIND_TITLES.get(row.kind, row.kind),
                "有" if row.photo else "无",
                ("保留（" + "、".join(row.kept_for) + "）") if row.kept_for else "清除",
            ]
        )
    for line in aligned(table):
        ctx.say(line)
    for note in preview_notes():
        ctx.say(note)


def purge_command(ctx: Context) -> int:
    from examsite.services.retention import preview_purge, purge_plan

    args = ctx.args
    if not args.yes:
        preview_purge(ctx.db, args.plan)  # refused as the purge would be (role, not due)
        raise InputError("retention.confirm_needed", plan=args.plan)
    result = purge_plan(
        ctx.db, args.plan, backup_dir=args.backup_dir, server_backup_done=args.server_backup_done
    )
    if ctx.json:
        ctx.emit(result.as_dict())
        return EXIT_OK
    c = result.counts
    ctx.say(
        text(
            "retention.purged",
            plan=result.plan_code,
            candidates=c.candidates,
            photos=c.photos,
            kept=c.kept,
        )
    )
    if result.backup is not None:
        ctx.say(text("retention.backup_at", file=result.backup))
    else:
        ctx.say(text("retention.backup_server"))
    ctx.say(text("retention.note_backup"))
    return EXIT_OK


def set_command(ctx: Context) -> int:
    from examsite.services.retention import set_months

    args = ctx.args
    if (args.reset and not args.plan) or (not args.reset and args.months is None):
        raise InputError("retention.default_needed")
    months = None if args.reset else args.months
    status = set_months(ctx.db, months, args.plan)
    if ctx.json:
        ctx.emit({"plan": args.plan, "months": months, **status.as_dict()})
        return EXIT_OK
    if args.plan is None:
        ctx.say(text("retention.set_default", months=status.default_months))
    elif months is None:
        ctx.say(text("retention.reset_plan", plan=args.plan, months=status.default_months))
    else:
        ctx.say(text("retention.set_plan", plan=args.plan, months=months))
    return EXIT_OK
