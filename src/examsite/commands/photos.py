"""``photos import``, ``photos list`` and ``photos fix``."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from examsite.commands.context import Context, choices_text, json_flag, titled_choice
from examsite.domain.photo_spec import Verdict
from examsite.domain.problems import Level, Problem
from examsite.messages import CANDIDATE_STATUS_TITLES, PHOTO_TITLES, render


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("photos", help="考生照片：导入、检查、修复")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    load = sub.add_parser("import", help="导入照片压缩包（.zip）或文件夹并逐张检查")
    load.add_argument(
        "source", type=Path, metavar="ZIP_OR_FOLDER", help="照片压缩包（.zip）或照片所在的文件夹"
    )
    load.add_argument("--fix", action="store_true", help="自动修复可修复的问题（旋转、CMYK、尺寸）")
    json_flag(load)
    load.set_defaults(handler=import_command)

    listing = sub.add_parser("list", help="列出考生照片的检查结果")
    verdicts = {v.value: PHOTO_TITLES[v.value] for v in Verdict}
    listing.add_argument(
        "--verdict",
        type=titled_choice(verdicts, "检查结果"),
        help=f"只列出该检查结果的照片：{choices_text(verdicts)}",
    )
    json_flag(listing)
    listing.set_defaults(handler=list_command)

    fix = sub.add_parser("fix", help="对已导入的不合格照片做自动修复")
    json_flag(fix)
    fix.set_defaults(handler=fix_command)


def _problems_json(problems: tuple[Problem, ...]) -> list[dict[str, Any]]:
    return [{"code": p.code, "level": p.level.value, "message": render(p)} for p in problems]


def import_command(ctx: Context) -> int:
    from examsite.services.photos import import_photos

    report = import_photos(ctx.db, ctx.args.source, fix=ctx.args.fix, progress=ctx.progress())
    if ctx.json:
        ctx.emit(
            {
                "results": [
                    {
                        "file": r.file,
                        "id_number": r.id_number,
                        "name": r.candidate_name,
                        "verdict": r.verdict.value,
                        "stored": r.stored,
                        "problems": _problems_json(r.problems),
                    }
                    for r in report.results
                ],
                "unmatched": list(report.unmatched),
                "ignored": [name for name, _reason in report.ignored],
            }
        )
        return 0
    counts = Counter(r.verdict for r in report.results)
    if not report.results and not report.unmatched:
        ctx.say("没有找到照片：压缩包或文件夹里没有 jpg、png 文件。请确认选对了文件。")
        if report.ignored:
            ctx.say(f"已忽略 {len(report.ignored)} 个非照片文件（系统文件、文件夹或其他类型）。")
        return 0
    ctx.say(
        f"共检查 {len(report.results)} 张照片：合格 {counts[Verdict.PASS]}，"
        f"已修复 {counts[Verdict.FIXED]}，不合格 {counts[Verdict.REJECTED]}。"
    )
    for r in report.results:
        shown = [p for p in r.problems if p.level is not Level.NOTICE or r.verdict is Verdict.FIXED]
        if r.verdict is Verdict.PASS and not shown:
            continue
        ctx.say(f"  {r.file}（{r.candidate_name}）：{PHOTO_TITLES[r.verdict]}")
        for problem in shown:
            ctx.say(f"      - {render(problem)}")
    if report.unmatched:
        ctx.say(
            f"{len(report.unmatched)} 个文件的文件名里没有找到已导入考生的证件号码（照片应命名为“证件号码.jpg”）："
        )
        for name in report.unmatched:
            ctx.say(f"  {name}")
    if report.ignored:
        ctx.say(f"已忽略 {len(report.ignored)} 个非照片文件（系统文件、文件夹或其他类型）。")
    return 0


def list_command(ctx: Context) -> int:
    from examsite.services.photos import list_photos

    verdict = Verdict(ctx.args.verdict) if ctx.args.verdict else None
    rows = list_photos(ctx.db, verdict=verdict)
    if ctx.json:
        ctx.emit(
            [
                {
                    "id_number": r.id_number,
                    "name": r.name,
                    "status": r.status,
                    "verdict": r.verdict.value if r.verdict else None,
                    "background": r.background,
                    "width": r.width,
                    "height": r.height,
                    "fixable": r.fixable,
                    "problems": _problems_json(r.problems),
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        verdict_text = PHOTO_TITLES[r.state]
        ctx.say(f"{r.name:<6} {verdict_text:<4} {CANDIDATE_STATUS_TITLES.get(r.status, r.status)}")
        for problem in r.problems:
            if problem.is_error:
                ctx.say(f"      - {render(problem)}")
    return 0


def fix_command(ctx: Context) -> int:
    from examsite.services.photos import fix_photos

    report = fix_photos(ctx.db, progress=ctx.progress())
    if ctx.json:
        ctx.emit(
            {
                "fixed": report.fixed,
                "still_rejected": report.still_rejected,
                "results": [
                    {
                        "file": i.file,
                        "id_number": i.id_number,
                        "verdict": i.verdict.value,
                        "problems": _problems_json(i.problems),
                    }
                    for i in report.items
                ],
            }
        )
        return 0
    ctx.say(f"已修复 {report.fixed} 张照片，{report.still_rejected} 张仍不合格（需要重新拍摄）。")
    return 0
