"""``stats --plan CODE [--out FILE.xlsx] [--json]``: the statistics a coordinator reports
upward (pass rates by level, major and class; each subject's figures and score bands;
the absences per session), printed, and written as a workbook when ``--out`` is given."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from examsite.commands.context import Context, aligned, json_flag

if TYPE_CHECKING:
    from examsite.services.statistics import GroupRate, PassCounts, PlanStatistics


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("stats", help="统计：通过率、各科成绩分布、缺考")
    parser.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    parser.add_argument(
        "-o", "--out", type=Path, metavar="FILE.xlsx", help="同时写出统计表（Excel 工作簿）"
    )
    json_flag(parser)
    parser.set_defaults(handler=stats_command)


def stats_command(ctx: Context) -> int:
    from examsite.services.statistics import plan_statistics
    from examsite.services.statistics_workbook import check_statistics_path, write_statistics

    out = ctx.args.out
    if out is not None:  # refused before any work is done
        out = check_statistics_path(out)
    stats = plan_statistics(ctx.db, ctx.args.plan)
    written = write_statistics(stats, out) if out is not None else None
    if ctx.json:
        document = stats.as_dict()
        document["workbook"] = (
            None if written is None else {"path": str(written.path), "sheets": list(written.sheets)}
        )
        ctx.emit(document)
        return 0
    for line in _lines(stats):
        ctx.say(line)
    if written is not None:
        ctx.say()
        ctx.say(f"已写出统计表：{written.path}（{len(written.sheets)} 张工作表）")
    return 0


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _count_cells(counts: PassCounts) -> list[str]:
    return [
        str(counts.registered),
        str(counts.passed),
        str(counts.failed),
        str(counts.absent),
        str(counts.pending),
        _percent(counts.rate),
    ]


def _group_lines(title: str, what: str, groups: tuple[GroupRate, ...]) -> list[str]:
    if not groups:
        return []
    table = [[what, "报考", "通过", "未通过", "其中缺考", "待定", "通过率"]]
    table += [[g.label, *_count_cells(g.counts)] for g in groups]
    return ["", f"{title}：", *("  " + line for line in aligned(table))]


def _lines(stats: PlanStatistics) -> list[str]:
    overall = stats.overall
    lines = [
        f"{stats.plan_code}  {stats.plan_name}",
        f"报考 {overall.registered}，通过 {overall.passed}，未通过 {overall.failed}"
        f"（其中缺考 {overall.absent}），待定 {overall.pending}，"
        f"通过率 {_percent(overall.rate)}（通过 / 已出结果）",
    ]
    lines += _group_lines("按证书等级", "证书", stats.by_level)
    lines += _group_lines("按专业", "专业", stats.by_major)
    lines += _group_lines("按班级（入学年份+专业）", "班级", stats.by_class)
    lines += _group_lines("按学校班级", "班级", stats.by_class_name)
    if stats.subjects:
        table = [["科目", "报考", "有成绩", "缺考", "待定", "平均", "最低", "最高"]]
        for s in stats.subjects:
            table.append(
                [
                    s.label,
                    str(s.registered),
                    str(s.scored),
                    str(s.absent),
                    str(s.pending),
                    "—" if s.average is None else f"{s.average:.1f}",
                    "—" if s.minimum is None else f"{s.minimum:g}",
                    "—" if s.maximum is None else f"{s.maximum:g}",
                ]
            )
        lines += ["", "各科成绩：", *("  " + line for line in aligned(table))]
    if stats.sessions:
        table = [["场次", "应考", "实考", "缺考", "未记录", "缺考率"]]
        for session in stats.sessions:
            table.append(
                [
                    session.label,
                    str(session.seats),
                    str(session.sat),
                    str(session.absent),
                    str(session.unrecorded),
                    _percent(session.absent_rate),
                ]
            )
        lines += ["", "场次缺考：", *("  " + line for line in aligned(table))]
    return lines
