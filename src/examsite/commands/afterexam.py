"""``afterexam papers|videos``: after the exam, 003's papers to hand in as a checklist
(ticks kept per plan) and the monitoring videos' file names per room."""

from __future__ import annotations

import argparse

from examsite.commands.context import Context, aligned, json_flag


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("afterexam", help="考后：上交材料清单、监控视频命名")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    papers = sub.add_parser("papers", help="上交材料清单（一份上交评价组织，一份留档）")
    papers.add_argument("--plan", required=True, metavar="P", help="考试计划编号")
    papers.add_argument(
        "--tick",
        action="append",
        default=[],
        metavar="KEY",
        help="勾选：如 sign_in（两份都勾）、sign_in.sent（已上交）、sign_in.kept（已留档）、all",
    )
    papers.add_argument("--untick", action="append", default=[], metavar="KEY", help="取消勾选")
    json_flag(papers)
    papers.set_defaults(handler=papers_command)

    videos = sub.add_parser("videos", help="各考场监控视频的文件名（考核时间+考核站点+考场名称）")
    videos.add_argument("--plan", required=True, metavar="P", help="考试计划编号")
    json_flag(videos)
    videos.set_defaults(handler=videos_command)


def papers_command(ctx: Context) -> int:
    from examsite.services.after_exam import paper_checklist, tick_papers

    a = ctx.args
    if a.tick or a.untick:
        checklist = tick_papers(ctx.db, a.plan, a.tick, a.untick)
    else:
        checklist = paper_checklist(ctx.db, a.plan)
    if ctx.json:
        ctx.emit(checklist.as_dict())
        return 0
    table = [["", "材料", "上交", "留档", "数量"]]
    for item in checklist.items:
        table.append(
            [
                item.key,
                item.title,
                "✓" if item.sent else "□",
                "✓" if item.kept else "□",
                item.quantity,
            ]
        )
    for line in aligned(table):
        ctx.say(line)
    ctx.say(f"已完成 {checklist.done}/{checklist.total} 项")
    return 0


def videos_command(ctx: Context) -> int:
    from examsite.services.after_exam import video_names

    names = video_names(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit([v.as_dict() for v in names])
        return 0
    if not names:
        ctx.say("这个考试计划还没有安排考生的考场。")
        return 0
    for video in names:
        spans = "、".join(f"{s.starts_at:%H:%M}—{s.ends_at:%H:%M}" for s in video.sessions)
        ctx.say(f"{video.name}　（{video.room}，{spans}）")
    return 0
