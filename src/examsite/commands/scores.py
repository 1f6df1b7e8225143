"""``scores import FILE [--plan P] [--dry-run]`` (the platform's 科目成绩 or 考证结果,
through ``services.platform_import``), ``scores reconcile --plan P`` (成绩核对),
``scores results --plan P`` (证书结果, ``services.results``) and
``scores review --plan P --ids ID,... --out FILE.pdf`` (the filled 成绩复查表). Every one
takes ``--json``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examsite.commands.context import Context, json_flag

if TYPE_CHECKING:
    from examsite.services.score_reconciliation import ScoreReconciliation


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "scores", help="成绩：导入科目成绩与考证结果、核对、证书结果、成绩复查"
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="导入平台导出的科目成绩或考证结果（按表头自动识别）")
    imp.add_argument("file", metavar="FILE", type=Path, help="平台导出的表格（.xlsx/.xls/.csv）")
    imp.add_argument("--plan", metavar="P", help="考试计划编号（只对照这个计划的报考）")
    imp.add_argument("--dry-run", action="store_true", help="只检查并报告会改动什么，不写入")
    json_flag(imp)
    imp.set_defaults(handler=import_command)
    rec = sub.add_parser("reconcile", help="成绩核对：缺成绩、对不上的号码、缺考却有成绩、成绩变动")
    rec.add_argument("--plan", required=True, metavar="P", help="考试计划编号")
    json_flag(rec)
    rec.set_defaults(handler=reconcile_command)
    res = sub.add_parser("results", help="证书结果：按证书的评分规则算出是否通过及原因")
    res.add_argument("--plan", required=True, metavar="P", help="考试计划编号")
    json_flag(res)
    res.set_defaults(handler=results_command)
    rev = sub.add_parser("review", help="成绩复查：打印填好的成绩复查表（成绩公示后 7 天内）")
    rev.add_argument("--plan", required=True, metavar="P", help="考试计划编号")
    rev.add_argument("--ids", metavar="ID,...", default="", help="要复查的考生证件号码，逗号分隔")
    rev.add_argument("--reason", default="", metavar="TEXT", help="复查理由（印在表上）")
    rev.add_argument("--out", type=Path, metavar="FILE.pdf", help="复查表 PDF 的保存位置")
    rev.add_argument("--status", action="store_true", help="只显示复查期是否开放，不打印")
    json_flag(rev)
    rev.set_defaults(handler=review_command)


def import_command(ctx: Context) -> int:
    from examsite.commands.import_platform import platform_report
    from examsite.services.platform_import import RESULTS, SCORES, import_platform

    result = import_platform(
        ctx.db, ctx.args.file, ctx.args.plan, dry_run=ctx.args.dry_run, only=(SCORES, RESULTS)
    )
    platform_report(ctx, result)
    return 0


def reconcile_command(ctx: Context) -> int:
    from examsite.services.score_reconciliation import reconciliation_plain, score_reconciliation

    rec = score_reconciliation(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit(reconciliation_plain(rec))
        return 0
    say_reconciliation(ctx, rec)
    return 0


def say_reconciliation(ctx: Context, rec: ScoreReconciliation) -> None:
    ctx.say(
        f"成绩核对（{rec.plan}）：应有 {rec.records} 条科目成绩，已有 {rec.scored} 条，"
        f"缺 {len(rec.missing)} 条；对不上的号码 {len(rec.unknown)} 个；"
        f"有理论无实操 {len(rec.theory_only)} 人，有实操无理论 {len(rec.practical_only)} 人；"
        f"缺考却有成绩 {len(rec.absent_scored)} 条；成绩有变动 {len(rec.changed)} 条。"
    )
    for gap in rec.missing[:20]:
        ctx.say(f"  缺成绩：{gap.name} {gap.id_number} {gap.ticket} {gap.subject}")
    if len(rec.missing) > 20:
        ctx.say(f"  ……另有 {len(rec.missing) - 20} 条")
    for number in rec.unknown[:20]:
        ctx.say(f"  对不上：{number}")
    for change in rec.absent_scored:
        g = change.gap
        ctx.say(f"  缺考却有成绩：{g.name} {g.id_number} {g.subject} {_shown(change.score)}")
    for change in rec.changed:
        g = change.gap
        ctx.say(
            f"  成绩变动：{g.name} {g.id_number} {g.subject} "
            f"{_shown(change.previous_score, change.previous_status)} → "
            f"{_shown(change.score, change.status)}"
        )


def _shown(score: float | None, status: str = "scored") -> str:
    if score is not None:
        return f"{score:g}"
    return {"absent": "缺考", "void": "违纪"}.get(status, "无")


def results_command(ctx: Context) -> int:
    from examsite.messages import certificate_title
    from examsite.services.results import certificate_results_of

    rows = certificate_results_of(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit([row.as_dict() for row in rows])
        return 0
    passed = sum(r.outcome.passed is True for r in rows)
    failed = sum(r.outcome.passed is False for r in rows)
    ctx.say(
        f"证书结果：{len(rows)} 人次，通过 {passed}，未通过 {failed}，待定 {len(rows) - passed - failed}。"
    )
    for row in rows:
        plain: dict[str, Any] = row.as_dict()
        total = "" if row.outcome.total is None else f" 总分 {row.outcome.total:g}"
        ctx.say(
            f"  {row.name} {row.id_number} {certificate_title(row.certificate_name, row.level)}"
            f"{total}：{plain['reason_text']}"
        )
    return 0


def review_command(ctx: Context) -> int:
    from examsite.errors import InputError
    from examsite.services.score_review import print_review, review_status

    status = review_status(ctx.db, ctx.args.plan)
    if ctx.args.status:
        document = {
            "plan": status.plan,
            "state": status.state.value,
            "start": status.start.isoformat(timespec="minutes"),
            "end": status.end.isoformat(timespec="minutes"),
            "days_left": status.days_left,
        }
        if ctx.json:
            ctx.emit(document)
        else:
            ctx.say(_state_line(document))
        return 0
    if ctx.args.out is None:
        raise InputError("scores.review_no_out")
    ids = [part for part in ctx.args.ids.replace("，", ",").split(",") if part.strip()]
    printed = print_review(ctx.db, ctx.args.plan, ids, ctx.args.out, reason_text=ctx.args.reason)
    if ctx.json:
        ctx.emit(
            {
                "file": str(printed.file),
                "pages": printed.pages,
                "candidates": printed.candidates,
                "certificates": list(printed.certificates),
                "state": status.state.value,
                "end": status.end.isoformat(timespec="minutes"),
            }
        )
        return 0
    ctx.say(
        f"已打印成绩复查表 {printed.file}：{printed.candidates} 名考生，{printed.pages} 页。"
        f"复查期至 {status.end:%Y-%m-%d %H:%M} 前。"
    )
    return 0


def _state_line(document: dict[str, Any]) -> str:
    if document["state"] == "open":
        return f"成绩复查期开放中，至 {document['end']} 前（还有 {document['days_left']} 天）。"
    if document["state"] == "closed":
        return f"成绩复查期已于 {document['end']} 结束。"
    return f"成绩复查尚未开始：成绩公示从 {document['start']} 开始。"
