"""``checkin scan|mark|list``: exam-day check-in (考试签到) at the door and by hand."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from examsite.commands.context import (
    EXIT_REFUSED,
    Context,
    aligned,
    choices_text,
    json_flag,
    titled_choice,
)
from examsite.errors import InputError
from examsite.messages.checkin import ATTENDANCE_TITLES

if TYPE_CHECKING:
    from examsite.services.checkin import ScanResult
    from examsite.services.checkin_data import SeatInfo

#: What ``--status`` takes: the statuses and ``unmarked`` (clear: 未签到).
MARK_TITLES = {"unmarked" if k == "" else k: v for k, v in ATTENDANCE_TITLES.items()}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "checkin", help="考试签到：扫码或输入证件号签到，记录缺考、迟到、违纪"
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    scan = sub.add_parser("scan", help="扫描准考证二维码（或输入准考证号、证件号码）签到")
    _plan(scan)
    _door(scan)
    scan.add_argument("code", metavar="CODE", help="扫码枪读到的内容、准考证号或证件号码")
    _by(scan)
    json_flag(scan)
    scan.set_defaults(handler=scan_command)

    mark = sub.add_parser("mark", help="手工记录一名考生的签到状态")
    _plan(mark)
    mark.add_argument("--ticket", required=True, metavar="T", help="准考证号（或证件号码）")
    mark.add_argument(
        "--status",
        required=True,
        type=titled_choice(MARK_TITLES, "签到状态"),
        metavar="S",
        help=f"签到状态：{choices_text(MARK_TITLES)}",
    )
    mark.add_argument("--note", metavar="TEXT", help="备注（如违纪情况、离场原因）")
    mark.add_argument("--subject", metavar="SUBJ", help="科目：理论 / 实操（考生有多个场次时必填）")
    mark.add_argument(
        "--left-at", metavar="HH:MM", help="提前离场的时间（默认现在；可写 HH:MM 或完整时间）"
    )
    _by(mark)
    json_flag(mark)
    mark.set_defaults(handler=mark_command)

    listing = sub.add_parser("list", help="列出签到情况：每名考生每个场次一行")
    _plan(listing)
    listing.add_argument("--room", metavar="R", help="只列这个考场（考场名称）")
    listing.add_argument(
        "--session", metavar="S", help="只列这个场次（场次编号，见 sessions list）"
    )
    json_flag(listing)
    listing.set_defaults(handler=list_command)


def _plan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, metavar="P", help="考试计划编号")


def _door(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--room", metavar="R", help="本签到台所在考场（考场名称）")
    parser.add_argument("--session", metavar="S", help="场次编号（见 sessions list）")


def _by(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", metavar="NAME", help="记录人（默认本机名称）")


def scan_command(ctx: Context) -> int:
    from examsite.services.checkin import door_by_names, scan

    a = ctx.args
    if bool(a.room) != bool(a.session):
        raise InputError("checkin.room_and_session")
    door = door_by_names(ctx.db, a.plan, a.room, a.session) if a.room else None
    result = scan(ctx.db, a.plan, a.code, door, recorded_by=a.by)
    if ctx.json:
        ctx.emit(_scan_plain(result))
    else:
        _say_scan(ctx, result)
    if not result.accepted:
        print(result.message, file=sys.stderr)
        return EXIT_REFUSED
    return 0


def _say_scan(ctx: Context, result: ScanResult) -> None:
    seat = result.seat
    if seat is not None:
        ctx.say(f"{seat.name}  {seat.masked_id}  准考证号 {seat.ticket}")
        ctx.say(f"{seat.subject}  {seat.session_start:%Y-%m-%d %H:%M}  {seat.room} {seat.seat} 号")
    if result.accepted:
        ctx.say(result.message)


def _scan_plain(result: ScanResult) -> dict[str, Any]:
    seat = result.seat
    return {
        "verdict": result.verdict.value,
        "accepted": result.accepted,
        "code": result.code,
        "message": result.message,
        "scanned": result.scanned,
        "candidate": None
        if seat is None
        else {
            "name": seat.name,
            "id_number_masked": seat.masked_id,
            "has_photo": result.photo is not None,
            **_row(seat),
        },
    }


def mark_command(ctx: Context) -> int:
    from examsite.domain.attendance import AttendanceStatus
    from examsite.services.checkin_marks import mark

    a = ctx.args
    status = None if a.status == "unmarked" else AttendanceStatus(a.status)
    left_at = _moment(a.left_at) if a.left_at else None
    seat = mark(
        ctx.db,
        a.plan,
        a.ticket,
        status,
        note=a.note,
        subject=a.subject,
        left_at=left_at,
        recorded_by=a.by,
    )
    if ctx.json:
        ctx.emit({**_row(seat), "note": seat.note, "left_at": _iso(seat.left_at)})
    else:
        ctx.say(
            f"已记录：{seat.name}  {seat.subject}  {seat.room} {seat.seat} 号  "
            f"{ATTENDANCE_TITLES.get(seat.status or '', seat.status)}"
        )
    return 0


def _moment(text: str) -> dt.datetime:
    """``HH:MM`` (today) or a full ISO time."""
    from examsite import clock

    text = text.strip()
    try:
        if len(text) <= 5:
            hours, minutes = (int(part) for part in text.split(":"))
            return dt.datetime.combine(clock.now().date(), dt.time(hours, minutes))
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError("checkin.bad_time", value=text) from None


def list_command(ctx: Context) -> int:
    from examsite.services.checkin import attendance_rows

    a = ctx.args
    rows = attendance_rows(ctx.db, a.plan, room=a.room, session_uid=a.session)
    if ctx.json:
        ctx.emit([_row(r) for r in rows])
        return 0
    if not rows:
        ctx.say("没有考位。请先排考（arrange run）。")
        return 0
    table = [["准考证号", "姓名", "科目", "开考时间", "考场", "座位", "状态", "签到时间"]]
    table += [
        [
            r.ticket,
            r.name,
            r.subject,
            f"{r.session_start:%m-%d %H:%M}",
            r.room,
            str(r.seat),
            ATTENDANCE_TITLES.get(r.status or "", r.status or ""),
            f"{r.checked_in_at:%H:%M:%S}" if r.checked_in_at else "",
        ]
        for r in rows
    ]
    for line in aligned(table):
        ctx.say(line)
    return 0


def _row(seat: SeatInfo) -> dict[str, Any]:
    """The row ``checkin list --json`` prints."""
    return {
        "ticket": seat.ticket,
        "id_number": seat.id_number,
        "name": seat.name,
        "subject": seat.subject,
        "session_start": seat.session_start.isoformat(),
        "room": seat.room,
        "seat": seat.seat,
        "status": seat.status,
        "checked_in_at": _iso(seat.checked_in_at),
    }


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None
