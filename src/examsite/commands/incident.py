"""``incident add|edit|list|remove``: exam-day incidents (考场突发情况, 003's emergency
section), per plan and room session."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from examsite.commands.context import Context, aligned, json_flag
from examsite.errors import InputError

if TYPE_CHECKING:
    from examsite.services.incidents import IncidentForm, IncidentResult, IncidentRow

CODES_HELP = "迟到、违纪/作弊、换机、延时、停电、题目疑问、疾病、其他（或英文代码 late 等）"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("incident", help="突发情况：迟到、违纪、换机、延时、停电等")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="记录一条突发情况")
    _plan(add)
    _fields(add, required=True)
    json_flag(add)
    add.set_defaults(handler=add_command)

    edit = sub.add_parser("edit", help="修改一条突发情况（只改写明的项）")
    edit.add_argument("uid", metavar="UID", help="记录编号（见 incident list，可写前 8 位）")
    _plan(edit)
    _fields(edit, required=False)
    edit.add_argument("--site", action="store_true", help="改为全考点的情况（不属于某个考场）")
    json_flag(edit)
    edit.set_defaults(handler=edit_command)

    listing = sub.add_parser("list", help="列出突发情况")
    _plan(listing)
    listing.add_argument("--room", metavar="NAME", default="", help="只列这个考场的")
    listing.add_argument("--session", metavar="UID", default="", help="只列这个场次的")
    json_flag(listing)
    listing.set_defaults(handler=list_command)

    paper = sub.add_parser("print", help="打印按记录填好的考场情况记录表或巡考情况记录表")
    _plan(paper)
    paper.add_argument(
        "--form",
        choices=("room", "inspection"),
        default="room",
        help="room：考场情况记录表（默认）；inspection：巡考情况记录表",
    )
    paper.add_argument("--room", metavar="NAME", default="", help="只打印这个考场的")
    paper.add_argument("--session", metavar="UID", default="", help="只打印这个场次的")
    paper.add_argument("-o", "--out", required=True, metavar="FILE", help="PDF 文件")
    json_flag(paper)
    paper.set_defaults(handler=print_command)

    remove = sub.add_parser("remove", help="删除一条突发情况")
    remove.add_argument("uid", metavar="UID", help="记录编号（见 incident list）")
    _plan(remove)
    json_flag(remove)
    remove.set_defaults(handler=remove_command)


def _plan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, metavar="P", help="考试计划编号")


def _fields(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--room", metavar="NAME", help="考场名称（与 --session 一起写）")
    parser.add_argument("--session", metavar="UID", help="场次编号（见 sessions list）")
    parser.add_argument("--code", required=required, metavar="C", help=CODES_HELP)
    parser.add_argument(
        "--time", required=required, metavar="T", help="发生时间，如 09:40 或 2026-12-20 09:40"
    )
    parser.add_argument("--candidates", metavar="ID,...", help="涉及考生的证件号码，多个用逗号分开")
    parser.add_argument("--minutes", type=int, metavar="N", help="延时的分钟数（仅“延时”）")
    parser.add_argument("--action", required=required, metavar="TEXT", help="采取的处理措施")
    parser.add_argument("--description", metavar="TEXT", help="情况说明")
    parser.add_argument("--by", metavar="NAME", help="记录人")


def add_command(ctx: Context) -> int:
    from examsite.services.incidents import IncidentForm, add_incident

    a = ctx.args
    form = IncidentForm(
        code=a.code,
        occurred_at=_time(ctx, a.time, a.session or ""),
        action=a.action,
        room=a.room or "",
        session_uid=a.session or "",
        candidates=_ids(a.candidates),
        minutes=a.minutes,
        description=a.description or "",
        recorded_by=a.by or "",
    )
    result = add_incident(ctx.db, a.plan, form)
    _report(ctx, result, "已记录")
    return 0


def edit_command(ctx: Context) -> int:
    from dataclasses import replace

    from examsite.services.incidents import edit_incident, incident_form_of

    a = ctx.args
    old = incident_form_of(ctx.db, a.plan, a.uid)
    changes: dict[str, Any] = {}
    if a.site:
        changes.update(room="", session_uid="")
    if a.room is not None:
        changes["room"] = a.room
    if a.session is not None:
        changes["session_uid"] = a.session
    if a.code is not None:
        changes["code"] = a.code
    if a.time is not None:
        changes["occurred_at"] = _time(ctx, a.time, changes.get("session_uid", old.session_uid))
    if a.candidates is not None:
        changes["candidates"] = _ids(a.candidates)
    if a.minutes is not None:
        changes["minutes"] = a.minutes
    for option, name in (
        ("action", "action"),
        ("description", "description"),
        ("by", "recorded_by"),
    ):
        if getattr(a, option) is not None:
            changes[name] = getattr(a, option)
    form: IncidentForm = replace(old, **changes)
    result = edit_incident(ctx.db, a.plan, a.uid, form)
    _report(ctx, result, "已修改")
    return 0


def list_command(ctx: Context) -> int:
    from examsite.services.incidents import list_incidents

    rows = list_incidents(ctx.db, ctx.args.plan, ctx.args.room, ctx.args.session)
    if ctx.json:
        ctx.emit([row.as_dict() for row in rows])
        return 0
    if not rows:
        ctx.say("没有突发情况记录。")
        return 0
    table = [["编号", "时间", "类别", "考场", "考生", "处理措施"]]
    table += [
        [
            row.uid[:8],
            f"{row.occurred_at:%m-%d %H:%M}",
            _title(row),
            row.room or "全考点",
            "、".join(c.name or c.id_number for c in row.candidates),
            row.action,
        ]
        for row in rows
    ]
    for line in aligned(table):
        ctx.say(line)
    return 0


def print_command(ctx: Context) -> int:
    from pathlib import Path

    from examsite.services.exam_day_papers import write_filled_form

    a = ctx.args
    written = write_filled_form(
        ctx.db, a.plan, Path(a.out), a.form, a.room, a.session, ctx.progress()
    )
    if ctx.json:
        ctx.emit(
            {
                "file": str(written.path),
                "form": written.form,
                "pages": written.pages,
                "room_sessions": written.room_sessions,
            }
        )
    else:
        ctx.say(f"已生成 {written.path}：{written.room_sessions} 个考场场次，共 {written.pages} 页")
    return 0


def remove_command(ctx: Context) -> int:
    from examsite.services.incidents import remove_incident

    row = remove_incident(ctx.db, ctx.args.plan, ctx.args.uid)
    if ctx.json:
        ctx.emit({"removed": row.as_dict()})
    else:
        ctx.say(f"已删除：{_line(row)}")
    return 0


def _report(ctx: Context, result: IncidentResult, verb: str) -> None:
    from examsite.messages import render

    if ctx.json:
        ctx.emit(
            {
                "incident": result.incident.as_dict(),
                "notices": [
                    {"code": p.code, "level": p.level.value, "message": render(p)}
                    for p in result.notices
                ],
            }
        )
        return
    ctx.say(f"{verb}：{_line(result.incident)}（编号 {result.incident.uid[:8]}）")
    for problem in result.notices:
        ctx.say(f"{'注意' if problem.level.value == 'warning' else '提示'}：{render(problem)}")


def _line(row: IncidentRow) -> str:
    where = row.room or "全考点"
    minutes = f" {row.minutes} 分钟" if row.minutes else ""
    return f"{row.occurred_at:%Y-%m-%d %H:%M} {where} {_title(row)}{minutes}：{row.action}"


def _title(row: IncidentRow) -> str:
    return row.title


def _ids(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    for sep in ("，", "、", ";", "；", " "):
        text = text.replace(sep, ",")
    return tuple(part for part in text.split(",") if part.strip())


def _time(ctx: Context, text: str, session_uid: str) -> Any:
    from examsite.domain.incidents import parse_time
    from examsite.services.incidents import incident_day

    moment = parse_time(text, incident_day(ctx.db, ctx.args.plan, session_uid))
    if moment is None:
        raise InputError("incident.bad_time", value=text)
    return moment
