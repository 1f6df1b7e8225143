"""``photos import``, ``photos list`` and ``photos fix``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from examsite.commands.context import Context, aligned, choices_text, json_flag, titled_choice
from examsite.domain.photo_spec import Verdict
from examsite.domain.problems import Level, Problem
from examsite.messages import CANDIDATE_STATUS_TITLES, PHOTO_TITLES, render, text


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
                "counts": {v.value: report.count(v) for v in Verdict},
                "unmatched": list(report.unmatched),
                "ignored": [
                    {"file": name, "reason": reason, "message": text(reason)}
                    for name, reason in report.ignored
                ],
            }
        )
        return 0
    if not report.results and not report.unmatched:
        ctx.say("没有找到照片：压缩包或文件夹里没有 jpg、png 文件。请确认选对了文件。")
        _say_ignored(ctx, report.ignored)
        return 0
    ctx.say(
        f"共检查 {len(report.results)} 张照片：合格 {report.count(Verdict.PASS)}，"
        f"已修复 {report.count(Verdict.FIXED)}，需复核 {report.count(Verdict.REVIEW)}，"
        f"不合格 {report.count(Verdict.REJECTED)}。"
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
    _say_ignored(ctx, report.ignored)
    return 0


#: Names listed per reason for ignored files; the rest are counted.
_IGNORED_SHOWN = 10


def _say_ignored(ctx: Context, ignored: tuple[tuple[str, str], ...]) -> None:
    """The files left out, grouped by the reason, each reason in full."""
    if not ignored:
        return
    by_reason: dict[str, list[str]] = {}
    for name, reason in ignored:
        by_reason.setdefault(reason, []).append(name)
    ctx.say(f"已忽略 {len(ignored)} 个文件：")
    for reason, names in by_reason.items():
        ctx.say(f"  {len(names)} 个：{text(reason)}")
        for name in names[:_IGNORED_SHOWN]:
            ctx.say(f"      {name}")
        if len(names) > _IGNORED_SHOWN:
            ctx.say(f"      ……另有 {len(names) - _IGNORED_SHOWN} 个")


def list_command(ctx: Context) -> int:
    from examsite.services.candidates import mask_id
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
    table = [("姓名", "证件号码", "照片", "考生状态")]
    table += [
        (
            r.name,
            mask_id(r.id_number),
            PHOTO_TITLES[r.state],
            CANDIDATE_STATUS_TITLES.get(r.status, r.status),
        )
        for r in rows
    ]
    header, *lines = aligned(table)
    ctx.say(header)
    for r, line in zip(rows, lines, strict=True):
        ctx.say(line)
        for problem in r.problems:
            if problem.level is not Level.NOTICE:
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
