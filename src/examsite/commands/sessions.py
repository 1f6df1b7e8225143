"""``sessions list [--plan CODE]``, ``sessions set UID --start ISO [--end ISO]`` and
``sessions check --plan CODE`` (nobody has two sessions at once)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from examsite.commands.context import Context, json_flag
from examsite.errors import InputError
from examsite.messages import LEVEL_TITLES, SUBJECT_KIND_TITLES

if TYPE_CHECKING:
    from examsite.services.sessions import SessionInfo


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("sessions", help="场次：各科目的考试时间")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="列出场次")
    listing.add_argument("--plan", metavar="CODE", help="只列出这个考试计划的场次")
    json_flag(listing)
    listing.set_defaults(handler=list_command)
    change = sub.add_parser("set", help="调整一个场次的开始和结束时间")
    change.add_argument("uid", metavar="UID", help="场次编号（见 sessions list）")
    change.add_argument(
        "--start", required=True, metavar="ISO", help="开始时间，如 2027-01-10T09:00"
    )
    change.add_argument("--end", metavar="ISO", help="结束时间（不填则保持原有时长）")
    json_flag(change)
    change.set_defaults(handler=set_command)
    check = sub.add_parser("check", help="检查考生是否会同时有两个场次")
    check.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    json_flag(check)
    check.set_defaults(handler=check_command)


def list_command(ctx: Context) -> int:
    from examsite.services.sessions import list_sessions

    sessions = list_sessions(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit({"sessions": [_plain(s) for s in sessions]})
        return 0
    if not sessions:
        ctx.say("没有场次。")
        return 0
    plan = None
    for s in sessions:
        if s.plan_code != plan:
            plan = s.plan_code
            ctx.say(f"{s.plan_code}  {s.plan_name}")
        ctx.say(f"  {_line(s)}")
    return 0


def set_command(ctx: Context) -> int:
    from examsite.services.sessions import set_session_time

    start = _time(ctx.args.start)
    end = None if ctx.args.end is None else _time(ctx.args.end)
    changed = set_session_time(ctx.db, ctx.args.uid, start, end)
    if ctx.json:
        ctx.emit(_plain(changed))
    else:
        ctx.say(f"已调整场次：{_line(changed)}")
    return 0


def check_command(ctx: Context) -> int:
    from examsite.messages import render
    from examsite.services.timetable_check import check_timetable

    clashes = check_timetable(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit(
            {
                "plan": ctx.args.plan,
                "ok": not clashes,
                "clashes": [{**c.plain(), "message": render(c.problem())} for c in clashes],
            }
        )
        return 0
    if not clashes:
        ctx.say("场次时间没有冲突：没有考生同时有两个场次。")
    for clash in clashes:
        ctx.say(render(clash.problem()))
    return 0


def _time(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None:
        raise InputError("sessions.bad_time", value=value)
    return moment.replace(second=0, microsecond=0)


def _line(s: SessionInfo) -> str:
    level = LEVEL_TITLES.get(s.level, s.level)
    kind = SUBJECT_KIND_TITLES.get(s.subject_kind, s.subject_kind)
    mark = "  （已手动调整）" if s.edited else ""
    end = (
        f"{s.ends_at:%H:%M}"
        if s.ends_at.date() == s.starts_at.date()
        else f"{s.ends_at:%Y-%m-%d %H:%M}"
    )
    return (
        f"{s.starts_at:%Y-%m-%d %H:%M} ~ {end}  {s.certificate_name}（{level}）"
        f"{kind}  考场 {s.rooms} 个  编号 {s.uid}{mark}"
    )


def _plain(s: SessionInfo) -> dict[str, Any]:
    return {
        "uid": s.uid,
        "plan": s.plan_code,
        "certificate": s.certificate_code,
        "level": s.level,
        "subject": s.subject_kind,
        "subject_name": s.subject_name,
        "start": s.starts_at.isoformat(),
        "end": s.ends_at.isoformat(),
        "edited": s.edited,
        "rooms": s.rooms,
    }
