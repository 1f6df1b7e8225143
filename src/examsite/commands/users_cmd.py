"""``users``: the site's accounts (issue 13) — ``add``, ``list``, ``disable``/``enable``,
``reset-password``, ``passwd`` (one's own), ``recover`` (a director's password from the
recovery code) and ``whoami``.

New passwords come from ``EXAMSITE_NEW_PASSWORD`` (scripts) or are asked twice at the
terminal. The first account of a site must be the director's: ``users add NAME --role
director`` on a site without accounts makes it and prints the recovery code once.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from examsite.commands.context import (
    EXIT_OK,
    Context,
    aligned,
    ask_password,
    choices_text,
    json_flag,
    titled_choice,
)
from examsite.domain.roles import ROLE_TITLES
from examsite.errors import InputError
from examsite.messages import text

if TYPE_CHECKING:
    from examsite.services.accounts import AccountRow

#: A new password for scripts (else asked twice at the terminal).
NEW_PASSWORD_VARIABLE = "EXAMSITE_NEW_PASSWORD"
#: A recovery code for scripts (else asked at the terminal).
RECOVERY_VARIABLE = "EXAMSITE_RECOVERY_CODE"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("users", help="用户账户：添加、查看、停用、重设密码、恢复")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    role = titled_choice(ROLE_TITLES, "角色")

    add = sub.add_parser("add", help="添加账户（第一个账户必须是考点负责人，会生成恢复码）")
    add.add_argument("name", metavar="NAME", help="用户名")
    add.add_argument("--role", type=role, required=True, help=f"角色：{choices_text(ROLE_TITLES)}")
    add.add_argument("--staff", metavar="S", help="监考员对应的工作人员（姓名或编号）")
    json_flag(add)
    add.set_defaults(handler=add_command)

    listing = sub.add_parser("list", help="列出全部账户")
    json_flag(listing)
    listing.set_defaults(handler=list_command)

    for name, disabled, help_text in (
        ("disable", True, "停用账户（不能再登录，操作记录仍保留其名字）"),
        ("enable", False, "重新启用账户"),
    ):
        switch = sub.add_parser(name, help=help_text)
        switch.add_argument("name", metavar="NAME", help="用户名")
        json_flag(switch)
        switch.set_defaults(handler=disable_command, disabled=disabled)

    reset = sub.add_parser("reset-password", help="为某个账户重设密码（考点负责人）")
    reset.add_argument("name", metavar="NAME", help="用户名")
    json_flag(reset)
    reset.set_defaults(handler=reset_command)

    passwd = sub.add_parser("passwd", help="修改自己的密码")
    json_flag(passwd)
    passwd.set_defaults(handler=passwd_command)

    recover = sub.add_parser("recover", help="用恢复码重设考点负责人的密码（不需登录）")
    recover.add_argument("name", metavar="NAME", help="考点负责人的用户名")
    json_flag(recover)
    recover.set_defaults(handler=recover_command, needs_login=False, unlock="recovery")

    whoami = sub.add_parser("whoami", help="当前登录的账户及其角色")
    json_flag(whoami)
    whoami.set_defaults(handler=whoami_command)


def new_password() -> str:
    """The new password: ``EXAMSITE_NEW_PASSWORD``, or typed twice."""
    given = os.environ.get(NEW_PASSWORD_VARIABLE)
    if given is not None:
        return given
    first = ask_password("新密码：")
    if ask_password("再输入一次新密码：") != first:
        raise InputError("users.passwords_differ")
    return first


def account_document(row: AccountRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "role": row.role,
        "role_title": row.role_title,
        "staff_uid": row.staff_uid,
        "staff_name": row.staff_name,
        "disabled": row.disabled,
        "last_login_at": row.last_login_at,
        "created_at": row.created_at,
    }


def add_command(ctx: Context) -> int:
    from examsite.services.accounts import add_user, create_first_director, has_accounts

    args = ctx.args
    if not has_accounts(ctx.db):
        if args.role != "director":
            raise InputError("users.first_is_director")
        first = create_first_director(ctx.db, args.name, new_password())
        if ctx.json:
            ctx.emit(
                {
                    "name": first.principal.name,
                    "role": "director",
                    "recovery_code": first.recovery_code,
                }
            )
        else:
            ctx.say(text("users.first_created", name=first.principal.name))
            ctx.say(text("users.recovery_code", code=first.recovery_code))
        return EXIT_OK
    row = add_user(ctx.db, args.name, args.role, new_password(), staff=args.staff)
    if ctx.json:
        ctx.emit(account_document(row))
    else:
        ctx.say(f"已添加账户“{row.name}”（{row.role_title}）。")
    return EXIT_OK


def list_command(ctx: Context) -> int:
    from examsite.services.accounts import list_users

    rows = list_users(ctx.db)
    if ctx.json:
        ctx.emit([account_document(r) for r in rows])
        return EXIT_OK
    if not rows:
        ctx.say(text("users.unprotected"))
        return EXIT_OK
    table = [("用户名", "角色", "对应工作人员", "状态", "上次登录")]
    for r in rows:
        last = f"{r.last_login_at:%Y-%m-%d %H:%M}" if r.last_login_at else "—"
        table.append(
            (r.name, r.role_title, r.staff_name or "—", "停用" if r.disabled else "可用", last)
        )
    for line in aligned(table):
        ctx.say(line)
    return EXIT_OK


def disable_command(ctx: Context) -> int:
    from examsite.services.accounts import set_disabled

    row = set_disabled(ctx.db, ctx.args.name, ctx.args.disabled)
    if ctx.json:
        ctx.emit(account_document(row))
    else:
        ctx.say(f"账户“{row.name}”已{'停用' if row.disabled else '启用'}。")
    return EXIT_OK


def reset_command(ctx: Context) -> int:
    from examsite.services.accounts import reset_password

    row = reset_password(ctx.db, ctx.args.name, new_password())
    if ctx.json:
        ctx.emit(account_document(row))
    else:
        ctx.say(f"已重设账户“{row.name}”的密码。")
    return EXIT_OK


def passwd_command(ctx: Context) -> int:
    from examsite.services.accounts import change_own_password

    db = ctx.db
    old = os.environ.get("EXAMSITE_PASSWORD")
    if old is None:
        old = ask_password("原密码：")
    change_own_password(db, old, new_password())
    if ctx.json:
        ctx.emit({"changed": True})
    else:
        ctx.say("密码已修改。")
    return EXIT_OK


def recover_command(ctx: Context) -> int:
    from examsite.services.accounts import recover

    db = ctx.db  # an encrypted site is unlocked by the recovery code asked there
    code = os.environ.get(RECOVERY_VARIABLE) or getattr(ctx.args, "recovery_code", None)
    if code is None:
        code = ask_password("恢复码：")
    result = recover(db, ctx.args.name, code, new_password())
    if ctx.json:
        ctx.emit({"name": result.principal.name, "recovery_code": result.recovery_code})
    else:
        ctx.say(f"已重设考点负责人“{result.principal.name}”的密码。原恢复码已作废。")
        ctx.say(text("users.recovery_code", code=result.recovery_code))
    return EXIT_OK


def whoami_command(ctx: Context) -> int:
    principal = ctx.db.access.principal
    document = (
        {"name": principal.name, "role": principal.role, "role_title": principal.role_title}
        if principal is not None
        else {"name": None, "role": None, "protected": False}
    )
    if ctx.json:
        ctx.emit(document)
    elif principal is None:
        ctx.say(text("users.unprotected"))
    else:
        ctx.say(f"{principal.name}（{principal.role_title}）")
    return EXIT_OK
