"""``server show|set|test|use on|off|forget``: the school server's connection settings.

The password is read from stdin (``--password-stdin``) into the credential store and is
never printed, with or without ``--json``. None of these commands opens a database.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from examsite.commands.context import EXIT_FAULT, EXIT_OK, Context, choices_text, json_flag
from examsite.errors import InputError
from examsite.services import server_settings as ss

PASSWORD_STATES = {True: "已保存在系统凭据管理器", False: "未保存", None: "无法读取系统凭据管理器"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "server", help="学校服务器（PostgreSQL）的连接设置：查看、设置、测试、启用、删除"
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    show = sub.add_parser("show", help="显示连接设置（不显示密码）")
    json_flag(show)
    show.set_defaults(handler=show_command)

    put = sub.add_parser("set", help="保存连接设置；密码存入系统凭据管理器")
    put.add_argument("--host", required=True, metavar="H", help="服务器的名字或 IP 地址")
    put.add_argument(
        "--port", type=int, default=ss.DEFAULT_PORT, metavar="P", help="端口（默认 5432）"
    )
    put.add_argument("--database", required=True, metavar="D", help="数据库名")
    put.add_argument("--user", required=True, metavar="U", help="用户名")
    put.add_argument(
        "--tls",
        choices=ss.TLS_MODES,
        default="prefer",
        help=f"加密方式：{choices_text(ss.TLS_TITLES)}（默认 prefer）",
    )
    put.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取密码（一行），存入系统凭据管理器",
    )
    json_flag(put)
    put.set_defaults(handler=set_command)

    test = sub.add_parser("test", help="用保存的设置和密码试连服务器，说明连不上的原因")
    test.add_argument("--password-stdin", action="store_true", help="改用从标准输入读取的密码试连")
    json_flag(test)
    test.set_defaults(handler=test_command)

    use = sub.add_parser("use", help="on：不带 --db 时打开学校服务器；off：改回本机数据库")
    use.add_argument("state", choices=("on", "off"), help="on 或 off")
    json_flag(use)
    use.set_defaults(handler=use_command)

    forget = sub.add_parser("forget", help="删除连接设置和保存的密码，改回本机数据库")
    json_flag(forget)
    forget.set_defaults(handler=forget_command)


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise InputError("server.password_empty")
    return password


def _state(settings: ss.ServerSettings | None) -> dict[str, Any]:
    stored = ss.password_stored(settings) if settings is not None else False
    return {
        "settings": settings.as_dict() if settings is not None else None,
        "password_stored": stored,
        "use_server": bool(settings and settings.use_server),
        "file": str(ss.settings_file()),
    }


def _say_state(ctx: Context, state: dict[str, Any]) -> None:
    settings = state["settings"]
    if settings is None:
        ctx.say("还没有设置学校服务器；使用本机数据库。")
        return
    ctx.say(f"学校服务器：{settings['label']}")
    ctx.say(f"加密：{ss.TLS_TITLES[settings['tls']]}")
    ctx.say(f"密码：{PASSWORD_STATES[state['password_stored']]}")
    ctx.say(f"不带 --db 时打开：{'学校服务器' if state['use_server'] else '本机数据库'}")


def show_command(ctx: Context) -> int:
    state = _state(ss.load())
    if ctx.json:
        ctx.emit(state)
    else:
        _say_state(ctx, state)
    return EXIT_OK


def set_command(ctx: Context) -> int:
    args = ctx.args
    settings = ss.checked(
        host=args.host, port=args.port, database=args.database, user=args.user, tls=args.tls
    )
    password = _read_password() if args.password_stdin else None
    previous = ss.load()
    if previous is not None and previous.keyring_user == settings.keyring_user:
        settings = ss.ServerSettings(**{**settings.__dict__, "use_server": previous.use_server})
    elif previous is not None:
        ss.delete_password(previous)  # another server or user: its password goes too
    ss.save(settings, password)
    state = _state(settings)
    if ctx.json:
        ctx.emit(state)
    else:
        ctx.say("已保存连接设置。")
        _say_state(ctx, state)
    return EXIT_OK


def test_command(ctx: Context) -> int:
    settings = ss.load()
    if settings is None:
        raise InputError("server.not_set")
    if ctx.args.password_stdin:
        password: str | None = _read_password()
    else:
        password = ss.stored_password(settings)
    if password is None:
        raise InputError("server.no_password", server=settings.label)
    check = ss.test_connection(settings, password)
    if ctx.json:
        ctx.emit({"server": settings.label, "check": check.as_dict()})
    else:
        (ctx.say if check.ok else _to_stderr)(check.message)
    return EXIT_OK if check.ok else EXIT_FAULT


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def use_command(ctx: Context) -> int:
    settings = ss.set_use(ctx.args.state == "on")
    state = _state(settings)
    if ctx.json:
        ctx.emit(state)
    else:
        ctx.say("不带 --db 时将打开学校服务器。" if settings.use_server else "已改回本机数据库。")
    return EXIT_OK


def forget_command(ctx: Context) -> int:
    forgotten = ss.forget()
    if ctx.json:
        ctx.emit({"forgotten": forgotten.as_dict() if forgotten else None})
    elif forgotten is None:
        ctx.say("没有保存的连接设置。")
    else:
        ctx.say(f"已删除 {forgotten.label} 的连接设置和密码；使用本机数据库。")
    return EXIT_OK
