"""``arrange run|show|seat|move|swap|withdraw``: the arrangement (排考) and its late changes."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from examsite.commands.context import Context, aligned, json_flag

if TYPE_CHECKING:
    from examsite.services.seating_changes import ChangeResult


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("arrange", help="排考：安排考场座位、生成准考证号")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    run = sub.add_parser("run", help="为还没有考位的考生排考（已排的考位不动）")
    _plan(run)
    run.add_argument(
        "--strategy",
        choices=("class-spread", "in-order"),
        default="class-spread",
        help="class-spread：同班考生不相邻（默认）；in-order：按证件号码顺序",
    )
    json_flag(run)
    run.set_defaults(handler=run_command)

    show = sub.add_parser("show", help="列出排考结果：每名考生每个场次一行")
    _plan(show)
    json_flag(show)
    show.set_defaults(handler=show_command)

    seat = sub.add_parser("seat", help="为一名补报考生安排考位（其他考生不动）")
    _plan(seat)
    seat.add_argument("--id", required=True, metavar="ID", help="考生证件号码")
    json_flag(seat)
    seat.set_defaults(handler=seat_command)

    move = sub.add_parser("move", help="把一名考生调到另一个考场（或座位）")
    _plan(move)
    move.add_argument("--id", required=True, metavar="ID", help="考生证件号码")
    move.add_argument(
        "--session", required=True, metavar="UID", help="场次编号（见 sessions list）"
    )
    move.add_argument("--room", required=True, metavar="NAME", help="考场名称")
    move.add_argument("--seat", type=int, metavar="N", help="座位号（不填则选最合适的空座位）")
    json_flag(move)
    move.set_defaults(handler=move_command)

    swap = sub.add_parser("swap", help="交换同一场次两名考生的考位")
    _plan(swap)
    swap.add_argument("--ids", required=True, nargs=2, metavar="ID", help="两名考生的证件号码")
    swap.add_argument("--session", required=True, metavar="UID", help="场次编号")
    json_flag(swap)
    swap.set_defaults(handler=swap_command)

    withdraw = sub.add_parser("withdraw", help="让一名考生退出排考：释放其考位，保留报考和准考证号")
    _plan(withdraw)
    withdraw.add_argument("--id", required=True, metavar="ID", help="考生证件号码")
    json_flag(withdraw)
    withdraw.set_defaults(handler=withdraw_command)


def _plan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, metavar="P", help="考试计划编号")


def run_command(ctx: Context) -> int:
    from examsite.services.arrangement import run_arrangement

    result = run_arrangement(ctx.db, ctx.args.plan, ctx.args.strategy, ctx.progress())
    if ctx.json:
        ctx.emit(
            {
                "plan": result.plan,
                "strategy": result.strategy,
                "seated": result.seated,
                "kept": result.kept,
                "tickets": result.tickets,
                "total": result.total,
            }
        )
    else:
        ctx.say(
            f"排考完成：新排 {result.seated} 个考位，保留原有 {result.kept} 个，"
            f"新发准考证号 {result.tickets} 个；共 {result.total} 条科目报考记录都已有考位。"
        )
    return 0


def show_command(ctx: Context) -> int:
    from examsite.services.arrangement import arrangement_rows

    rows = arrangement_rows(ctx.db, ctx.args.plan)
    if ctx.json:
        ctx.emit(
            [
                {
                    "ticket": r.ticket,
                    "id_number": r.id_number,
                    "name": r.name,
                    "subject": r.subject,
                    "session_start": r.session_start.isoformat(),
                    "room": r.room,
                    "seat": r.seat,
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        ctx.say("还没有排考。请先运行“arrange run”。")
        return 0
    table = [["准考证号", "证件号码", "姓名", "科目", "开考时间", "考场", "座位"]]
    table += [
        [
            r.ticket,
            r.id_number,
            r.name,
            r.subject,
            f"{r.session_start:%Y-%m-%d %H:%M}",
            r.room,
            str(r.seat),
        ]
        for r in rows
    ]
    for line in aligned(table):
        ctx.say(line)
    return 0


def seat_command(ctx: Context) -> int:
    from examsite.services.seating_changes import seat_late

    return _report(ctx, seat_late(ctx.db, ctx.args.plan, ctx.args.id), "已安排考位")


def move_command(ctx: Context) -> int:
    from examsite.services.seating_changes import move

    a = ctx.args
    return _report(ctx, move(ctx.db, a.plan, a.id, a.session, a.room, a.seat), "已调整考位")


def swap_command(ctx: Context) -> int:
    from examsite.services.seating_changes import swap

    a = ctx.args
    return _report(ctx, swap(ctx.db, a.plan, a.ids[0], a.ids[1], a.session), "已交换考位")


def withdraw_command(ctx: Context) -> int:
    from examsite.services.seating_changes import withdraw

    return _report(ctx, withdraw(ctx.db, ctx.args.plan, ctx.args.id), "已退出排考，考位已释放")


def _report(ctx: Context, result: ChangeResult, title: str) -> int:
    if ctx.json:
        ctx.emit({"action": result.action, "changes": [_plain(c) for c in result.changes]})
        return 0
    ctx.say(f"{title}：")
    for c in result.changes:
        where = f"{c.room} {c.seat} 号" if c.seat else "无考位"
        ctx.say(f"  {c.id_number}  {c.subject}  {where}  准考证号 {c.ticket or '—'}")
    return 0


def _plain(change: Any) -> dict[str, Any]:
    return {
        "id_number": change.id_number,
        "subject": change.subject,
        "session": change.session_uid,
        "room": change.room,
        "seat": change.seat,
        "ticket": change.ticket,
    }
