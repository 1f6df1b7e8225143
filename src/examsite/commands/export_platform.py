"""``export platform``: the upload package for the national platform (one bundle with the
candidate sheets, the photo .zip, the registration, room and invigilator sheets)."""

from __future__ import annotations

import argparse
from pathlib import Path

from examsite.commands.context import Context, json_flag

WHAT_TITLES = {"candidate": "考生", "registration": "报考", "sheet": "表格"}


def register_action(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "platform", help="导出平台上传包（考生表、照片、报考表、考场表、监考表）"
    )
    parser.add_argument("--plan", metavar="P", required=True, help="考试计划编号")
    parser.add_argument(
        "--out",
        metavar="DIR_OR_FILE",
        type=Path,
        required=True,
        help="U 盘或文件夹（自动命名为 平台上传包_<计划>_<时间>.zip），或 .zip 文件名",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="只检查并列出上传内容、暂缓项和变化，不写文件"
    )
    json_flag(parser)
    parser.set_defaults(handler=platform_command)


def platform_command(ctx: Context) -> int:
    from examsite.services.platform_export import export_platform

    args = ctx.args
    result = export_platform(
        ctx.db, args.plan, args.out, ctx.progress(), dry_run=bool(args.dry_run)
    )
    if ctx.json:
        ctx.emit(result.as_dict())
        return 0
    plan = result.plan
    counts = plan.counts
    if result.path is None:
        ctx.say(f"检查通过（未写文件）：考试计划 {plan.plan_code}")
    else:
        ctx.say(f"已导出平台上传包：{result.path}")
    ctx.say(
        f"  考生 {counts['candidates']} 人（院校 {counts['school_candidates']}、"
        f"社会 {counts['social_candidates']}），照片 {counts['photos']} 张，"
        f"报考 {counts['registrations']} 条（科目记录 {counts['subject_records']} 条），"
        f"考场 {counts['rooms']} 个，监考安排 {counts['invigilator_rows']} 行"
    )
    ctx.say(f"  文件：{'、'.join(result.files)}")
    change = plan.diff
    since = f"与上次导出（{change.last_export}）相比" if change.last_export else "首次导出"
    ctx.say(
        f"  {since}：新增 {len(change.added)} 人，变更 {len(change.changed)} 人，"
        f"撤回 {len(change.withdrawn)} 人；报考新增 {len(change.registrations_added)} 条，"
        f"撤回 {len(change.registrations_withdrawn)} 条"
    )
    if plan.held_back:
        from examsite.messages import text

        ctx.say(f"暂缓上传 {len(plan.held_back)} 项：")
        for held in plan.held_back:
            reasons = "；".join(text(code) for code in held.reasons)
            ctx.say(f"  {WHAT_TITLES.get(held.what, held.what)} {held.key} {held.name}：{reasons}")
    return 0
