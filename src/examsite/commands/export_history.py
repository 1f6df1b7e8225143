"""``export history [--limit N] [--json]``: the bundles written and read on this PC,
newest first (the 同步 page's 数据包记录)."""

from __future__ import annotations

import argparse

from examsite.commands.context import Context, aligned, json_flag


def _positive(text: str) -> int:
    """A whole number of at least 1 (argparse's own message would name this function)."""
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"“{text}”不是正整数，请写 1 或更大的整数，例如 --limit 20"
        )
    return value


def register_action(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("history", help="列出本机导出和导入过的数据包（最新的在前）")
    parser.add_argument(
        "--limit", type=_positive, default=200, metavar="N", help="最多列出几条（默认 200）"
    )
    json_flag(parser)
    parser.set_defaults(handler=export_history_command)


def export_history_command(ctx: Context) -> int:
    from examsite.services.bundle_log import (
        bundle_history,
        content_text,
        direction_title,
        kind_title,
        outcome_title,
    )

    entries = bundle_history(ctx.db, limit=ctx.args.limit)
    if ctx.json:
        ctx.emit({"bundles": [entry.as_dict() for entry in entries]})
        return 0
    if not entries:
        ctx.say("还没有导出或导入过数据包。")
        return 0
    rows = [["时间", "方向", "类型", "结果", "文件", "内容"]]
    for entry in entries:
        rows.append(
            [
                f"{entry.at:%Y-%m-%d %H:%M}",
                direction_title(entry.direction),
                kind_title(entry.kind),
                outcome_title(entry.outcome),
                entry.file_name or "—",
                content_text(entry),
            ]
        )
    for line in aligned(rows):
        ctx.say(line)
    return 0
