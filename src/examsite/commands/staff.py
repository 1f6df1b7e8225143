"""``staff list|add|edit|remove|set-cap`` (the roster) and ``staff assign|assignments|
assign-one|unassign|explain|sheet`` (who invigilates where)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examsite.commands.context import EXIT_REFUSED, Context, aligned, json_flag
from examsite.errors import InputError
from examsite.messages import render, text
from examsite.messages.staff import ROLE_ALIASES, ROLE_TITLES

if TYPE_CHECKING:
    from examsite.services.invigilation import Assigned, AssignReport, Explanation, SlotRow
    from examsite.services.staff import Major, StaffInfo, StaffInput


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("staff", help="考务人员与监考安排")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="考务人员名单与站点团队检查")
    json_flag(listing)
    listing.set_defaults(handler=list_command)

    add = sub.add_parser("add", help="添加考务人员")
    add.add_argument("--name", required=True, metavar="TEXT", help="姓名")
    _person_options(add, editing=False)
    add.set_defaults(handler=add_command)

    edit = sub.add_parser("edit", help="修改考务人员（只改给出的项）")
    edit.add_argument("staff", metavar="NAME_OR_UID", help="姓名或编号")
    edit.add_argument("--name", metavar="TEXT", help="新姓名")
    _person_options(edit, editing=True)
    edit.set_defaults(handler=edit_command)

    remove = sub.add_parser("remove", help="删除考务人员（需先取消其监考安排）")
    remove.add_argument("staff", metavar="NAME_OR_UID", help="姓名或编号")
    json_flag(remove)
    remove.set_defaults(handler=remove_command)

    cap = sub.add_parser("set-cap", help="设置全站默认的每人每日监考场次上限")
    cap.add_argument("cap", type=int, metavar="N", help="场次数（1–12）")
    json_flag(cap)
    cap.set_defaults(handler=cap_command)

    assign = sub.add_parser("assign", help="自动安排监考（保留手动安排）")
    assign.add_argument("--plan", required=True, metavar="CODE", help="考试计划代码")
    json_flag(assign)
    assign.set_defaults(handler=assign_command)

    rows = sub.add_parser("assignments", help="各考场场次的监考安排")
    rows.add_argument("--plan", required=True, metavar="CODE", help="考试计划代码")
    rows.add_argument("--details", action="store_true", help="JSON 中附上人数要求和警告")
    json_flag(rows)
    rows.set_defaults(handler=assignments_command)

    for name, title, handler in (
        ("assign-one", "手动安排一人到一个考场场次", assign_one_command),
        ("unassign", "取消一人在一个考场场次的监考", unassign_command),
    ):
        one = sub.add_parser(name, help=title)
        _slot_options(one)
        one.add_argument("--staff", required=True, metavar="NAME_OR_UID", help="姓名或编号")
        json_flag(one)
        one.set_defaults(handler=handler)

    explain = sub.add_parser("explain", help="说明每个人为何安排或未安排在某考场场次")
    _slot_options(explain)
    json_flag(explain)
    explain.set_defaults(handler=explain_command)

    sheet = sub.add_parser("sheet", help="导出平台监考人员表（.xlsx）")
    sheet.add_argument("--plan", required=True, metavar="CODE", help="考试计划代码")
    sheet.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="保存位置")
    json_flag(sheet)
    sheet.set_defaults(handler=sheet_command)


def _person_options(parser: argparse.ArgumentParser, *, editing: bool) -> None:
    parser.add_argument("--phone", metavar="TEXT", help="手机号")
    parser.add_argument("--department", metavar="TEXT", help="所属部门（院系）")
    parser.add_argument(
        "--roles",
        metavar="R1,R2",
        help="岗位，逗号分隔："
        + "、".join(f"{t}（{k}）" for k, t in ROLE_TITLES.items())
        + ("" if editing else "；默认 监考员"),
    )
    parser.add_argument("--majors", metavar="CODE:NAME,...", help="任教专业，如 630801:电子商务")
    parser.add_argument("--classes", metavar="C1,C2", help="任教班级（与考生的班级一致）")
    certified = parser.add_mutually_exclusive_group()
    certified.add_argument("--certified", action="store_true", default=None, help="有监考资格")
    certified.add_argument(
        "--not-certified", dest="certified", action="store_false", help="没有监考资格"
    )
    parser.add_argument("--cap", type=int, metavar="N", help="本人每日监考场次上限")
    if editing:
        parser.add_argument("--default-cap", action="store_true", help="改用全站默认上限")
    json_flag(parser)


def _slot_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, metavar="CODE", help="考试计划代码")
    parser.add_argument("--room", required=True, metavar="NAME", help="考场名称")
    parser.add_argument("--session", required=True, metavar="UID", help="场次编号")


# --- the roster ------------------------------------------------------------------------


def list_command(ctx: Context) -> int:
    from examsite.services.staff import list_staff

    roster = list_staff(ctx.db)
    if ctx.json:
        ctx.emit(
            {
                "staff": [staff_plain(s) for s in roster.staff],
                "team": {
                    "size": roster.team.size,
                    "minimum": roster.team.minimum,
                    "ok": roster.team.ok,
                    "problems": [render(p) for p in roster.team_problems],
                },
                "duty_cap": roster.duty_cap,
            }
        )
        return 0
    if roster.staff:
        table = [["姓名", "岗位", "部门", "手机号", "任教专业/班级", "监考资格", "监考场次"]]
        for s in roster.staff:
            taught = "、".join([m.name or m.code for m in s.majors] + list(s.classes))
            table.append(
                [
                    s.name,
                    _roles(s.roles),
                    s.department,
                    s.phone,
                    taught,
                    "有" if s.certified else "",
                    str(s.duties),
                ]
            )
        for line in aligned(table):
            ctx.say(line)
    else:
        ctx.say("还没有考务人员。")
    ctx.say(f"共 {len(roster.staff)} 人；每人每日监考上限 {roster.duty_cap} 场。")
    for problem in roster.team_problems:
        ctx.say(f"站点团队：{render(problem)}")
    return 0


def add_command(ctx: Context) -> int:
    from examsite.services.staff import StaffInput, save_staff

    a = ctx.args
    values = StaffInput(
        name=a.name,
        phone=a.phone or "",
        department=a.department or "",
        roles=_parse_roles(a.roles) if a.roles is not None else ("invigilator",),
        majors=_parse_majors(a.majors or ""),
        classes=_split(a.classes or ""),
        certified=bool(a.certified),
        daily_duty_cap=a.cap,
    )
    _print_person(ctx, save_staff(ctx.db, values), "已添加")
    return 0


def edit_command(ctx: Context) -> int:
    from examsite.services.staff import list_staff, save_staff

    a = ctx.args
    current = _current(list_staff(ctx.db).staff, a.staff)
    values = _edited(current, a)
    _print_person(ctx, save_staff(ctx.db, values, current.uid), "已修改")
    return 0


def _current(staff: tuple[StaffInfo, ...], name_or_uid: str) -> StaffInfo:
    found = [s for s in staff if name_or_uid.strip() in (s.uid, s.name)]
    if not found:
        raise InputError("staff.not_found", staff=name_or_uid)
    if len(found) > 1:
        raise InputError("staff.name_ambiguous", staff=name_or_uid, count=len(found))
    return found[0]


def _edited(current: StaffInfo, a: argparse.Namespace) -> StaffInput:
    from examsite.services.staff import StaffInput

    cap = current.daily_duty_cap
    if a.default_cap:
        cap = None
    elif a.cap is not None:
        cap = a.cap
    return StaffInput(
        name=a.name if a.name is not None else current.name,
        phone=a.phone if a.phone is not None else current.phone,
        department=a.department if a.department is not None else current.department,
        roles=_parse_roles(a.roles) if a.roles is not None else current.roles,
        majors=_parse_majors(a.majors) if a.majors is not None else current.majors,
        classes=_split(a.classes) if a.classes is not None else current.classes,
        certified=current.certified if a.certified is None else a.certified,
        daily_duty_cap=cap,
    )


def remove_command(ctx: Context) -> int:
    from examsite.services.staff import remove_staff

    removed = remove_staff(ctx.db, ctx.args.staff)
    if ctx.json:
        ctx.emit({"removed": staff_plain(removed)})
    else:
        ctx.say(f"已删除考务人员：{removed.name}")
    return 0


def cap_command(ctx: Context) -> int:
    from examsite.services.staff import set_duty_cap

    cap = set_duty_cap(ctx.db, ctx.args.cap)
    if ctx.json:
        ctx.emit({"duty_cap": cap})
    else:
        ctx.say(f"每人每日监考上限已设为 {cap} 场（个人设置了上限的按个人设置）。")
    return 0


def _parse_roles(value: str) -> tuple[str, ...]:
    by_title = {title: key for key, title in ROLE_TITLES.items()}
    roles = []
    for part in _split(value):
        roles.append(by_title.get(part) or ROLE_ALIASES.get(part) or part.lower())
    return tuple(roles)


def _parse_majors(value: str) -> tuple[Major, ...]:
    from examsite.services.staff import Major

    majors = []
    for part in _split(value):
        code, _colon, name = part.partition(":")
        if not _colon:
            code, name = (part, "") if part.isdigit() else ("", part)
        majors.append(Major(code.strip(), name.strip()))
    return tuple(majors)


def _split(value: str) -> tuple[str, ...]:
    parts = value.replace("，", ",").replace("、", ",").split(",")
    return tuple(p.strip() for p in parts if p.strip())


def _roles(roles: tuple[str, ...]) -> str:
    return "、".join(ROLE_TITLES.get(r, r) for r in roles)


def staff_plain(s: StaffInfo) -> dict[str, Any]:
    return {
        "uid": s.uid,
        "name": s.name,
        "phone": s.phone,
        "department": s.department,
        "roles": list(s.roles),
        "majors_taught": [{"code": m.code, "name": m.name} for m in s.majors],
        "classes_taught": list(s.classes),
        "certified": s.certified,
        "daily_duty_cap": s.daily_duty_cap,
        "duties": s.duties,
    }


def _print_person(ctx: Context, info: StaffInfo, verb: str) -> None:
    if ctx.json:
        ctx.emit(staff_plain(info))
    else:
        ctx.say(f"{verb}考务人员：{info.name}（{_roles(info.roles)}）编号 {info.uid}")


# --- invigilation ----------------------------------------------------------------------


def assign_command(ctx: Context) -> int:
    from examsite.services.invigilation import assign_plan

    report = assign_plan(ctx.db, ctx.args.plan, ctx.progress())
    if ctx.json:
        ctx.emit(assign_plain(report))
    else:
        ctx.say(
            f"已自动安排 {report.added} 人次监考（保留手动安排 {report.kept_manual} 人次，"
            f"替换原自动安排 {report.replaced} 人次）。"
        )
    if report.complete:
        return 0
    message = text("staff.assign_short", count=len(report.shortfalls))
    for s in () if ctx.json else report.shortfalls:
        reasons = "；".join(render(p) for p in s.reasons) or "没有可安排的人员"
        ctx.say(
            f"  不足：{s.room} {s.starts_at:%m-%d %H:%M} 需要 {s.needed} 人，只有 {s.found} 人（{reasons}）"
        )
    print(message, file=sys.stderr)
    return EXIT_REFUSED


def assign_plain(report: AssignReport) -> dict[str, Any]:
    return {
        "plan": report.plan_code,
        "complete": report.complete,
        "added": report.added,
        "replaced": report.replaced,
        "kept_manual": report.kept_manual,
        "short": [
            {
                "room": s.room,
                "session": s.session_uid,
                "session_start": s.starts_at.isoformat(),
                "needed": s.needed,
                "found": s.found,
                "why": [
                    {"code": p.code, "count": p.params.get("count"), "message": render(p)}
                    for p in s.reasons
                ],
            }
            for s in report.shortfalls
        ],
    }


def assignments_command(ctx: Context) -> int:
    from examsite.services.invigilation import plan_overview

    overview = plan_overview(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit([row_plain(r, details=ctx.args.details) for r in overview.rows])
        return 0
    if not overview.rows:
        ctx.say("这个考试计划还没有考场。")
        return 0
    table = [["考场", "场次", "科目", "考生", "需要", "监考员", "警告", "场次编号"]]
    for r in overview.rows:
        table.append(
            [
                r.room,
                f"{r.starts_at:%m-%d %H:%M}",
                r.subject,
                f"{r.candidates}{'*' if r.projected else ''}",
                str(r.required),
                "、".join(_person(a) for a in r.invigilators) or "—",
                "；".join(_warnings(r.invigilators)),
                r.session_uid,
            ]
        )
    for line in aligned(table):
        ctx.say(line)
    ctx.say("考生数带 * 的场次尚未排考，按报考人数和考场容量估算。")
    if overview.short:
        ctx.say(text("staff.figure_short", count=overview.short))
    return 0


def _person(a: Assigned) -> str:
    return a.name + ("（手动）" if a.manual else "") + ("⚠" if a.warnings else "")


def _warnings(people: tuple[Assigned, ...]) -> list[str]:
    return [f"{a.name}：{render(p)}" for a in people for p in a.warnings]


def row_plain(r: SlotRow, *, details: bool = False) -> dict[str, Any]:
    plain: dict[str, Any] = {
        "room": r.room,
        "session_start": r.starts_at.isoformat(),
        "candidates": r.candidates,
        "invigilators": [a.name for a in r.invigilators],
    }
    if details:
        plain.update(
            session=r.session_uid,
            subject=r.subject,
            required=r.required,
            projected=r.projected,
            warnings=[
                {"staff": a.name, "manual": a.manual, "code": p.code, "message": render(p)}
                for a in r.invigilators
                for p in a.warnings
            ],
        )
    return plain


def assign_one_command(ctx: Context) -> int:
    from examsite.services.invigilation import assign_one

    a = ctx.args
    done = assign_one(ctx.db, a.plan, a.room, a.session, a.staff)
    warnings = [
        {"code": p.code, "params": dict(p.params), "message": render(p)} for p in done.warnings
    ]
    if ctx.json:
        ctx.emit({"staff": done.name, "room": a.room, "manual": True, "warnings": warnings})
        return 0
    ctx.say(f"已手动安排 {done.name} 到考场“{a.room}”。")
    for w in warnings:
        ctx.say(f"  警告：{w['message']}")
    return 0


def unassign_command(ctx: Context) -> int:
    from examsite.services.invigilation import unassign

    a = ctx.args
    name = unassign(ctx.db, a.plan, a.room, a.session, a.staff)
    if ctx.json:
        ctx.emit({"removed": name, "room": a.room, "session": a.session})
    else:
        ctx.say(f"已取消 {name} 在考场“{a.room}”的监考。")
    return 0


def explain_command(ctx: Context) -> int:
    from examsite.services.invigilation import explain

    a = ctx.args
    result = explain(ctx.db, a.plan, a.room, a.session)
    if ctx.json:
        ctx.emit(explain_plain(result))
        return 0
    ctx.say(
        f"考场“{result.room}” {result.starts_at:%Y-%m-%d %H:%M}：考生 {result.candidates} 人，"
        f"需要监考员 {result.required} 人"
    )
    for v in result.people:
        state = "已安排" + ("（手动）" if v.manual else "") if v.assigned else "未安排"
        why = "；".join(render(p) for p in v.reasons)
        ctx.say(f"  {v.name}（{v.department or '无部门'}）{state}{'：' + why if why else ''}")
    return 0


def explain_plain(e: Explanation) -> dict[str, Any]:
    return {
        "room": e.room,
        "session": e.session_uid,
        "session_start": e.starts_at.isoformat(),
        "candidates": e.candidates,
        "required": e.required,
        "people": [
            {
                "name": v.name,
                "uid": v.uid,
                "department": v.department,
                "assigned": v.assigned,
                "manual": v.manual,
                "allowed": v.allowed,
                "reasons": [{"code": p.code, "message": render(p)} for p in v.reasons],
            }
            for v in e.people
        ],
    }


def sheet_command(ctx: Context) -> int:
    from examsite.services.invigilation_sheet import write_invigilator_sheet

    written = write_invigilator_sheet(ctx.db, ctx.args.plan, Path(ctx.args.output))
    if ctx.json:
        ctx.emit({"file": str(written.path), "rows": written.rows})
    else:
        ctx.say(f"已导出监考人员表：{written.path}（{written.rows} 行）")
    return 0
