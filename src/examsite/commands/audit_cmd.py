"""``audit verify`` (the hash chain of the audit log, checked entry by entry) and
``audit list`` (the entries, filtered by person, candidate, date and entity)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from examsite.commands.context import EXIT_FAULT, EXIT_OK, Context, json_flag
from examsite.messages import text

if TYPE_CHECKING:
    from examsite.services.audit_verify import AuditCheck, AuditRecord

_ANCHOR = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]{64})\s*$")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("audit", help="操作记录：核对是否被改动、按人/考生/日期查看")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="逐条核对操作记录的校验链，找出被改动或删除的第一条记录")
    verify.add_argument(
        "--anchor",
        type=_anchor,
        metavar="ID:HASH",
        help="上次核对时记下的最后一条记录（编号:校验值），用来发现整体改写",
    )
    json_flag(verify)
    verify.set_defaults(handler=verify_command)
    listing = sub.add_parser("list", help="查看操作记录（最新的在前）")
    listing.add_argument("--person", metavar="P", help="操作人")
    listing.add_argument("--candidate", metavar="ID", help="考生身份证号（或其中一段）")
    listing.add_argument(
        "--since", type=_date, metavar="DATE", help="从这天起（含），如 2027-01-10"
    )
    listing.add_argument("--until", type=_date, metavar="DATE", help="到这天止（含）")
    listing.add_argument(
        "--entity",
        metavar="E",
        help="记录类别，如 candidate、registration、score；document 为打印或导出完整证件号码",
    )
    listing.add_argument(
        "--limit", type=_limit, default=100, metavar="N", help="最多几条（默认 100）"
    )
    json_flag(listing)
    listing.set_defaults(handler=list_command)


def _anchor(value: str) -> tuple[int, str]:
    found = _ANCHOR.match(value)
    if found is None:
        raise argparse.ArgumentTypeError(text("audit.bad_anchor", value=value))
    return int(found.group(1)), found.group(2).lower()


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(text("audit.bad_date", value=value)) from None


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 100_000:
        raise argparse.ArgumentTypeError(text("audit.bad_limit", value=value))
    return number


def check_message(check: AuditCheck) -> str:
    """What ``audit verify`` says about ``check``, in Chinese."""
    if check.ok:
        if not check.entries:
            return text("audit.empty")
        return text(
            "audit.ok", entries=check.entries, last_id=check.last_id, last_hash=check.last_hash
        )
    return text(f"audit.{check.reason}", id=check.first_broken)


def verify_command(ctx: Context) -> int:
    from examsite.services.audit_verify import verify_audit

    check = verify_audit(ctx.db, ctx.args.anchor)
    message = check_message(check)
    if ctx.json:
        ctx.emit(
            {
                "ok": check.ok,
                "entries": check.entries,
                "first_broken": check.first_broken,
                "reason": check.reason or None,
                "last_id": check.last_id,
                "last_hash": check.last_hash or None,
                "message": message,
            }
        )
    else:
        ctx.say(message)
    return EXIT_OK if check.ok else EXIT_FAULT


def list_command(ctx: Context) -> int:
    from examsite.services.audit_verify import AuditFilter, list_audit

    args = ctx.args
    wanted = AuditFilter(
        person=args.person,
        candidate=args.candidate,
        since=args.since,
        until=args.until,
        entity=args.entity,
        limit=args.limit,
    )
    records = list_audit(ctx.db, wanted)
    if ctx.json:
        ctx.emit({"entries": [_plain(r) for r in records]})
        return EXIT_OK
    if not records:
        ctx.say("没有符合条件的操作记录。")
    for r in records:
        ctx.say(
            f"#{r.id}  {r.at:%Y-%m-%d %H:%M:%S}  {r.actor}  {r.action} {r.entity} {r.entity_id}"
        )
    return EXIT_OK


def _plain(record: AuditRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "at": record.at.isoformat(),
        "actor": record.actor,
        "action": record.action,
        "entity": record.entity,
        "entity_id": record.entity_id,
        "before": record.before,
        "after": record.after,
    }
