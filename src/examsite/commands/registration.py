"""``registration add|remove|list|check|fees|fee-override|import|template|export``.

``add`` and ``import`` register what they can and report every refusal with its reason;
they exit 2 when something was refused and nothing was added (so a script notices), else
0. A closed registration window refuses the whole request (exit 2, nothing written).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examsite.commands.context import EXIT_OK, EXIT_REFUSED, Context, aligned, json_flag
from examsite.messages import KIND_TITLES, LEVEL_TITLES

if TYPE_CHECKING:
    from examsite.services.registration import Refusal

STATUS_TITLES = {"arranged": "已编排", "partly_arranged": "部分编排", "unarranged": "未编排"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("registration", help="报考：登记、撤销、核对、费用、报考表")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="为考生报考一个证书等级")
    _plan(add)
    add.add_argument("--certificate", required=True, metavar="CODE", help="证书编号（证书等级）")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--ids", nargs="+", metavar="ID", help="考生证件号码")
    who.add_argument("--all-ready", action="store_true", help="所有可报考且尚未报考的考生")
    add.add_argument(
        "--as-social", action="store_true", help="专业不符或超出试点规模的院校考生以社会考生报考"
    )
    add.add_argument("--home-school", default="", metavar="NAME", help="借考考生的本校名称")
    json_flag(add)
    add.set_defaults(handler=add_command)

    remove = sub.add_parser("remove", help="撤销报考（报考截止前）")
    _plan(remove)
    remove.add_argument("--certificate", required=True, metavar="CODE", help="证书编号")
    remove.add_argument("--ids", nargs="+", required=True, metavar="ID", help="考生证件号码")
    json_flag(remove)
    remove.set_defaults(handler=remove_command)

    listing = sub.add_parser("list", help="列出一个考试计划的报考")
    _plan(listing)
    listing.add_argument("--certificate", metavar="CODE", help="只列出这个证书等级")
    json_flag(listing)
    listing.set_defaults(handler=list_command)

    check = sub.add_parser("check", help="核对报考记录数（考生数 × 科目数）")
    _plan(check)
    json_flag(check)
    check.set_defaults(handler=check_command)

    fees = sub.add_parser("fees", help="缴费汇总（每个证书等级：人数 × 费用）")
    _plan(fees)
    json_flag(fees)
    fees.set_defaults(handler=fees_command)

    override = sub.add_parser("fee-override", help="设置某省的证书等级考核费用")
    override.add_argument("--certificate", required=True, metavar="CODE", help="证书编号")
    override.add_argument("--province", required=True, metavar="NAME", help="省份，如 湖北省")
    override.add_argument("--fee", required=True, type=int, metavar="N", help="元/人")
    json_flag(override)
    override.set_defaults(handler=fee_override_command)

    load = sub.add_parser("import", help="导入按证书批量报考表（003 或 001 格式）")
    load.add_argument("file", type=Path, metavar="FILE", help=".xlsx、.xls 或 .csv")
    load.add_argument("--plan", metavar="CODE", help="考试计划代码（表中没有计划名称时需要）")
    load.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    load.add_argument("--as-social", action="store_true", help="专业不符或超出规模者以社会考生报考")
    json_flag(load)
    load.set_defaults(handler=import_command)

    template = sub.add_parser("template", help="导出空白的按证书报考模板")
    template.add_argument(
        "-o", "--out", type=Path, required=True, metavar="OUT.xlsx", help="要保存的模板文件"
    )
    template.add_argument("--variant", choices=("003", "001"), default="003", help="模板格式")
    json_flag(template)
    template.set_defaults(handler=template_command)

    export = sub.add_parser("export", help="导出一个考试计划的报考表")
    _plan(export)
    export.add_argument(
        "-o", "--out", type=Path, required=True, metavar="OUT.xlsx", help="要保存的报考表"
    )
    export.add_argument("--variant", choices=("003", "001"), default="003", help="表格格式")
    json_flag(export)
    export.set_defaults(handler=export_command)


def _plan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, metavar="CODE", help="考试计划代码")


def add_command(ctx: Context) -> int:
    from examsite.services.registration import register_candidates

    args = ctx.args
    result = register_candidates(
        ctx.db,
        args.plan,
        args.certificate,
        args.ids,
        all_ready=args.all_ready,
        as_social=args.as_social,
        home_school=args.home_school,
    )
    if ctx.json:
        ctx.emit(
            {
                "plan": result.plan_code,
                "certificate": args.certificate,
                "added": [a.as_dict() for a in result.added],
                "refused": [r.as_dict() for r in result.refused],
                "warnings": [w.as_dict() for w in result.warnings],
            }
        )
    else:
        ctx.say(f"已报考 {len(result.added)} 名考生。")
        _say_refusals(ctx, result.refused, result.warnings)
    return EXIT_REFUSED if result.refused and not result.added else EXIT_OK


def _say_refusals(ctx: Context, refused: Any, warnings: Any) -> None:
    items: list[Refusal] = list(refused)
    if items:
        ctx.say(f"未报考 {len(items)} 名：")
        for r in items:
            where = f"第 {r.row} 行  " if r.row else ""
            ctx.say(f"  {where}{r.name} {r.id_number}：{r.reason}")
        if any(r.social_possible for r in items):
            ctx.say("提示：专业不符或超出试点规模的考生可加 --as-social 以社会考生报考。")
    for w in warnings:
        ctx.say(f"注意：{w.reason}")


def remove_command(ctx: Context) -> int:
    from examsite.services.registration_changes import remove_registrations

    result = remove_registrations(ctx.db, ctx.args.plan, ctx.args.certificate, ctx.args.ids)
    if ctx.json:
        ctx.emit(
            {
                "plan": result.plan_code,
                "certificate": result.certificate_code,
                "removed": list(result.removed),
                "seats_removed": result.seats_removed,
                "not_found": list(result.not_found),
            }
        )
    else:
        ctx.say(f"已撤销 {len(result.removed)} 条报考，释放考位 {result.seats_removed} 个。")
        for number in result.not_found:
            ctx.say(f"  {number}：没有报考这个证书等级")
    return EXIT_REFUSED if result.not_found and not result.removed else EXIT_OK


def list_command(ctx: Context) -> int:
    from examsite.services.registration_query import list_registrations

    rows = list_registrations(ctx.db, ctx.args.plan, ctx.args.certificate)
    if ctx.json:
        ctx.emit([r.as_dict() for r in rows])
        return EXIT_OK
    if not rows:
        ctx.say("这个考试计划还没有报考。")
        return EXIT_OK
    table = [["姓名", "证件号码", "证书", "等级", "类型", "科目", "状态"]]
    for r in rows:
        table.append(
            [
                r.name,
                r.id_number,
                r.certificate_code,
                LEVEL_TITLES.get(r.level, r.level),
                KIND_TITLES.get(r.kind, r.kind)
                + (f"（借考：{r.home_school}）" if r.home_school else ""),
                f"{len(r.subjects)}/{r.expected}",
                STATUS_TITLES.get(r.status, r.status),
            ]
        )
    for line in aligned(table):
        ctx.say(line)
    return EXIT_OK


def check_command(ctx: Context) -> int:
    from examsite.services.registration_query import records_check

    check = records_check(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit(check.as_dict())
    else:
        ctx.say(
            f"报考 {check.candidates} 人，科目记录 {check.records} 条，应为 {check.expected} 条："
            + ("一致。" if check.ok else "不一致！")
        )
        for r in check.short:
            ctx.say(
                f"  {r.name} {r.id_number} {r.certificate_code}：{len(r.subjects)}/{r.expected} 条"
            )
    return EXIT_OK


def fees_command(ctx: Context) -> int:
    from examsite.services.registration_query import fee_summary

    summary = fee_summary(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit(summary.as_dict())
        return EXIT_OK
    ctx.say(f"缴费汇总：{summary.plan_name}（省份：{summary.province or '未填写'}）")
    for line in summary.lines:
        mark = "（本省标准）" if line.overridden else ""
        ctx.say(
            f"  {line.certificate_name}（{LEVEL_TITLES.get(line.level, line.level)}）："
            f"{line.candidates} 人 × {line.fee} 元{mark} = {line.amount} 元"
        )
    ctx.say(f"合计：{summary.candidates} 人，{summary.total} 元")
    return EXIT_OK


def fee_override_command(ctx: Context) -> int:
    from examsite.services.registration_query import set_fee_override

    args = ctx.args
    set_fee_override(ctx.db, args.certificate, args.province, args.fee)
    if ctx.json:
        ctx.emit({"certificate": args.certificate, "province": args.province, "fee": args.fee})
    else:
        ctx.say(f"已设置：{args.province} {args.certificate} 考核费用 {args.fee} 元/人。")
    return EXIT_OK


def import_command(ctx: Context) -> int:
    from examsite.services.registration_sheets import import_registration_sheet

    args = ctx.args
    result = import_registration_sheet(
        ctx.db, args.file, plan_code=args.plan, dry_run=args.dry_run, as_social=args.as_social
    )
    if ctx.json:
        ctx.emit(result.as_dict())
    else:
        verb = "可报考" if result.dry_run else "已报考"
        ctx.say(
            f"{result.source}（{result.variant} 格式）：{result.rows} 行，{verb} {len(result.added)} 名。"
        )
        _say_refusals(ctx, result.refused, result.warnings)
        from examsite.messages import render

        for problem in result.notices:
            where = f"第 {problem.row} 行：" if problem.row else ""
            ctx.say(f"说明：{where}{render(problem)}")
    return EXIT_REFUSED if result.refused and not result.added else EXIT_OK


def template_command(ctx: Context) -> int:
    from examsite.services.registration_sheets import write_registration_template

    path = write_registration_template(ctx.args.out, ctx.args.variant)
    if ctx.json:
        ctx.emit({"file": str(path), "variant": ctx.args.variant})
    else:
        ctx.say(f"已保存报考模板：{path}")
    return EXIT_OK


def export_command(ctx: Context) -> int:
    from examsite.services.registration_sheets import export_registrations

    count = export_registrations(ctx.db, ctx.args.plan, ctx.args.out, ctx.args.variant)
    if ctx.json:
        ctx.emit({"file": str(ctx.args.out), "rows": count, "variant": ctx.args.variant})
    else:
        ctx.say(f"已导出 {count} 条报考：{ctx.args.out}")
    return EXIT_OK
