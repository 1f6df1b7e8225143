"""``rooms list|add|edit|remove|check|propose|import|template|export`` and
``rooms labs list|add|edit|remove``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from examsite.commands.context import Context, aligned, json_flag
from examsite.messages import LEVEL_TITLES, SUBJECT_KIND_TITLES


def _room_fields(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--seats", type=int, required=required, help="考位数（实际座位数）")
    parser.add_argument("--exam-capacity", type=int, help="考试容量（隔位就座时少于考位数）")
    parser.add_argument("--province", help="所在省")
    parser.add_argument("--city", help="所在市")
    parser.add_argument("--district", help="所在区/县")
    parser.add_argument("--address", help="详细地址")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("rooms", help="考场：设置、导入导出、容量核对、按机房生成")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="列出考试计划的考场")
    listing.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    json_flag(listing)
    listing.set_defaults(handler=list_command)

    add = sub.add_parser("add", help="新增考场")
    add.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    add.add_argument("--certificate", required=True, metavar="CODE", help="证书编号")
    add.add_argument("--name", required=True, help="考场名称")
    _room_fields(add, required=True)
    json_flag(add)
    add.set_defaults(handler=add_command)

    edit = sub.add_parser("edit", help="修改考场")
    edit.add_argument("room", metavar="ROOM", help="考场名称或编号")
    edit.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    edit.add_argument("--certificate", metavar="CODE", help="证书编号（同名考场时用）")
    edit.add_argument("--name", help="新的考场名称")
    _room_fields(edit, required=False)
    json_flag(edit)
    edit.set_defaults(handler=edit_command)

    remove = sub.add_parser("remove", help="删除考场（已安排座位的考场不能删除）")
    remove.add_argument("room", metavar="ROOM", help="考场名称或编号")
    remove.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    remove.add_argument("--certificate", metavar="CODE", help="证书编号（同名考场时用）")
    json_flag(remove)
    remove.set_defaults(handler=remove_command)

    check = sub.add_parser("check", help="逐场次核对考场容量与报考人数")
    check.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    json_flag(check)
    check.set_defaults(handler=check_command)

    propose = sub.add_parser("propose", help="按本站点机房一键生成考场")
    propose.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    json_flag(propose)
    propose.set_defaults(handler=propose_command)

    load = sub.add_parser("import", help="导入平台的考场表（有错误则整表不导入）")
    load.add_argument("file", type=Path, metavar="FILE", help="考场表（.xlsx、.xls 或 .csv）")
    load.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    json_flag(load)
    load.set_defaults(handler=import_command)

    template = sub.add_parser("template", help="导出空白的考场导入模板")
    template.add_argument(
        "-o", "--out", type=Path, required=True, metavar="OUT.xlsx", help="要保存的模板文件"
    )
    json_flag(template)
    template.set_defaults(handler=template_command)

    export = sub.add_parser("export", help="把考试计划的考场写成平台的考场表")
    export.add_argument("--plan", required=True, metavar="CODE", help="考试计划编号")
    export.add_argument(
        "--planned-seats",
        action="store_true",
        help="考位数写成各考场计划安排的人数（多个考场平分考生时，如 90 人两个考场各 45）",
    )
    export.add_argument(
        "-o", "--out", type=Path, required=True, metavar="OUT.xlsx", help="要写出的考场表"
    )
    json_flag(export)
    export.set_defaults(handler=export_command)

    labs = sub.add_parser("labs", help="本站点的机房")
    labs_sub = labs.add_subparsers(dest="lab_action", metavar="ACTION", required=True)
    labs_list = labs_sub.add_parser("list", help="列出机房")
    json_flag(labs_list)
    labs_list.set_defaults(handler=labs_list_command)
    labs_add = labs_sub.add_parser("add", help="新增机房")
    labs_add.add_argument("--name", required=True, help="机房名称")
    _room_fields(labs_add, required=True)
    json_flag(labs_add)
    labs_add.set_defaults(handler=labs_add_command)
    labs_edit = labs_sub.add_parser("edit", help="修改机房")
    labs_edit.add_argument("lab", metavar="LAB", help="机房名称或编号")
    labs_edit.add_argument("--name", help="新的机房名称")
    _room_fields(labs_edit, required=False)
    json_flag(labs_edit)
    labs_edit.set_defaults(handler=labs_edit_command)
    labs_remove = labs_sub.add_parser("remove", help="删除机房（已生成的考场保留）")
    labs_remove.add_argument("lab", metavar="LAB", help="机房名称或编号")
    json_flag(labs_remove)
    labs_remove.set_defaults(handler=labs_remove_command)


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    names = ("name", "seats", "exam_capacity", "province", "city", "district", "address")
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def _form(args: argparse.Namespace) -> Any:
    from examsite.services.rooms import RoomForm

    return RoomForm(**{"province": "", "city": "", "district": "", "address": "", **_changes(args)})


def _cert(code: str, name: str, level: str) -> str:
    return f"{name}（{LEVEL_TITLES.get(level, level)}）"


def _room_lines(rooms: Any) -> list[str]:
    table = [["证书", "考场名称", "考位数", "考试容量", "类型", "地址"]]
    for r in rooms:
        address = "".join((r.province, r.city, r.district)) + (" " + r.address if r.address else "")
        table.append(
            [
                _cert(r.certificate_code, r.certificate_name, r.level),
                r.name,
                str(r.seats),
                str(r.capacity),
                r.room_type,
                address.strip(),
            ]
        )
    return aligned(table)


def list_command(ctx: Context) -> int:
    from examsite.services.rooms import list_rooms

    rooms = list_rooms(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit({"plan": ctx.args.plan, "rooms": [r.plain() for r in rooms]})
    elif not rooms:
        ctx.say("这个考试计划还没有考场。")
    else:
        for line in _room_lines(rooms):
            ctx.say(line)
    return 0


def _done(ctx: Context, verb: str, room: Any) -> int:
    if ctx.json:
        ctx.emit(room.plain())
    else:
        ctx.say(f"已{verb}：{room.name}（考位 {room.seats}，可容纳 {room.capacity}）")
    return 0


def add_command(ctx: Context) -> int:
    from examsite.services.rooms import add_room

    return _done(
        ctx, "新增考场", add_room(ctx.db, ctx.args.plan, ctx.args.certificate, _form(ctx.args))
    )


def edit_command(ctx: Context) -> int:
    from examsite.services.rooms import edit_room

    room = edit_room(
        ctx.db,
        ctx.args.plan,
        ctx.args.room,
        _changes(ctx.args),
        certificate_code=ctx.args.certificate,
    )
    return _done(ctx, "修改考场", room)


def remove_command(ctx: Context) -> int:
    from examsite.services.rooms import remove_room

    room = remove_room(ctx.db, ctx.args.plan, ctx.args.room, certificate_code=ctx.args.certificate)
    return _done(ctx, "删除考场", room)


def check_command(ctx: Context) -> int:
    from examsite.services.rooms import check_capacity

    checks = check_capacity(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit(
            {
                "plan": ctx.args.plan,
                "short_sessions": sum(1 for c in checks if c.short_by),
                "sessions": [c.plain() for c in checks],
            }
        )
        return 0
    table = [["场次", "证书", "科目", "报考", "容量", "缺额", "建议分配"]]
    for c in checks:
        suggested = " + ".join(str(n) for n in c.split) or f"约需标准考场 {c.standard_rooms} 个"
        table.append(
            [
                f"{c.starts_at:%m-%d %H:%M}",
                _cert(c.certificate_code, c.certificate_name, c.level),
                SUBJECT_KIND_TITLES.get(c.subject_kind, c.subject_kind),
                str(c.candidates),
                str(c.capacity),
                str(c.short_by) if c.short_by else "",
                suggested,
            ]
        )
    for line in aligned(table):
        ctx.say(line)
    return 0


def propose_command(ctx: Context) -> int:
    from examsite.services.labs import propose_rooms

    proposals = propose_rooms(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit(
            {
                "plan": ctx.args.plan,
                "short_by": sum(p.short_by for p in proposals),
                "certificates": [p.plain() for p in proposals],
            }
        )
        return 0
    if not proposals:
        ctx.say("这个考试计划还没有报考，无需生成考场。")
    for p in proposals:
        added = "、".join(p.added) if p.added else "无（已有考场够用）"
        line = f"{_cert(p.certificate_code, p.certificate_name, p.level)}：报考 {p.candidates} 人，新增考场 {added}，可容纳 {p.capacity_after} 人"
        if p.short_by:
            line += f"；机房不够，还差 {p.short_by} 个考位"
        ctx.say(line)
    return 0


def import_command(ctx: Context) -> int:
    from examsite.messages import render
    from examsite.services.room_import import import_rooms

    report = import_rooms(ctx.db, ctx.args.file, dry_run=ctx.args.dry_run)
    if ctx.json:
        ctx.emit({**report.plain(), "dry_run": ctx.args.dry_run})
        return 0
    verb = "检查完毕（未写入）" if ctx.args.dry_run else "已导入"
    ctx.say(f"{verb}：{report.rows} 行，新增 {report.created} 个考场，更新 {report.updated} 个。")
    for p in report.problems:
        ctx.say(f"  第 {p.row} 行：{render(p)}")
    return 0


def template_command(ctx: Context) -> int:
    from examsite.services.room_import import write_room_template

    path = write_room_template(ctx.args.out)
    if ctx.json:
        ctx.emit({"file": str(path)})
    else:
        ctx.say(f"已保存考场导入模板：{path}")
    return 0


def export_command(ctx: Context) -> int:
    from examsite.services.room_import import export_rooms

    count = export_rooms(ctx.db, ctx.args.plan, ctx.args.out, planned=ctx.args.planned_seats)
    if ctx.json:
        ctx.emit({"file": str(ctx.args.out), "rooms": count})
    else:
        ctx.say(f"已写出 {count} 个考场：{ctx.args.out}")
    return 0


def labs_list_command(ctx: Context) -> int:
    from examsite.services.labs import list_labs

    labs = list_labs(ctx.db)
    if ctx.json:
        ctx.emit({"labs": [lab.plain() for lab in labs]})
    elif not labs:
        ctx.say("还没有登记机房。")
    else:
        table = [["机房", "座位数", "考试容量", "地址"]]
        for lab in labs:
            table.append([lab.name, str(lab.seats), str(lab.capacity), lab.address])
        for line in aligned(table):
            ctx.say(line)
    return 0


def _lab_done(ctx: Context, verb: str, lab: Any) -> int:
    if ctx.json:
        ctx.emit(lab.plain())
    else:
        ctx.say(f"已{verb}：{lab.name}（座位 {lab.seats}，考试容量 {lab.capacity}）")
    return 0


def labs_add_command(ctx: Context) -> int:
    from examsite.services.labs import add_lab

    return _lab_done(ctx, "新增机房", add_lab(ctx.db, _form(ctx.args)))


def labs_edit_command(ctx: Context) -> int:
    from examsite.services.labs import edit_lab

    return _lab_done(ctx, "修改机房", edit_lab(ctx.db, ctx.args.lab, _changes(ctx.args)))


def labs_remove_command(ctx: Context) -> int:
    from examsite.services.labs import remove_lab

    return _lab_done(ctx, "删除机房", remove_lab(ctx.db, ctx.args.lab))
