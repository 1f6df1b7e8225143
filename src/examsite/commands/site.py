"""``site show|set|certificates|check|tick``: the exam site's record and its checklist."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from examsite.commands.context import Context, json_flag
from examsite.messages import certificate_title, render
from examsite.messages.site import ITEM_TITLES

if TYPE_CHECKING:
    from examsite.domain.site_standard import Readiness
    from examsite.services.site import SiteInfo


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("site", help="考核站点：站点信息与站点标准")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="显示站点信息")
    json_flag(show)
    show.set_defaults(handler=show_command)

    change = sub.add_parser("set", help="修改站点信息（首次需 --school）")
    for name, text in (
        ("school", "所属院校名称"),
        ("code", "考核站点编号"),
        ("address", "地址"),
        ("province", "省份（决定收费标准）"),
        ("director", "站点负责人"),
        ("phone", "联系电话"),
    ):
        change.add_argument(f"--{name}", metavar="TEXT", help=text)
    json_flag(change)
    change.set_defaults(handler=set_command)

    certificates = sub.add_parser("certificates", help="添加或移除考核的证书")
    certificates.add_argument("change", choices=("add", "remove"), help="add 添加，remove 移除")
    certificates.add_argument("code", metavar="CODE", help="证书代码（见 catalog show）")
    json_flag(certificates)
    certificates.set_defaults(handler=certificates_command)

    check = sub.add_parser("check", help="对照站点标准检查，显示达标率和缺少的项目")
    json_flag(check)
    check.set_defaults(handler=check_command)

    tick = sub.add_parser("tick", help="勾选（或用 --undo 取消）一项站点标准")
    tick.add_argument("item", metavar="ITEM", help="项目：" + "、".join(ITEM_TITLES))
    tick.add_argument("--undo", action="store_true", help="取消勾选")
    json_flag(tick)
    tick.set_defaults(handler=tick_command)


def show_command(ctx: Context) -> int:
    from examsite.services.site import show_site

    _print_site(ctx, show_site(ctx.db))
    return 0


def set_command(ctx: Context) -> int:
    from examsite.services.site import SiteChanges, set_site

    a = ctx.args
    changes = SiteChanges(a.school, a.code, a.address, a.province, a.director, a.phone)
    _print_site(ctx, set_site(ctx.db, changes), "已保存站点信息。")
    return 0


def certificates_command(ctx: Context) -> int:
    from examsite.services.site import change_certificate

    info = change_certificate(ctx.db, ctx.args.code, add=ctx.args.change == "add")
    _print_site(ctx, info, "已添加证书。" if ctx.args.change == "add" else "已移除证书。")
    return 0


def check_command(ctx: Context) -> int:
    from examsite.services.site import show_site

    readiness = show_site(ctx.db).readiness
    if ctx.json:
        ctx.emit(checklist_plain(readiness))
        return 0
    _print_checklist(ctx, readiness)
    return 0


def tick_command(ctx: Context) -> int:
    from examsite.services.site import tick

    info = tick(ctx.db, ctx.args.item, done=not ctx.args.undo)
    if ctx.json:
        ctx.emit(checklist_plain(info.readiness))
        return 0
    ctx.say(f"已{'取消勾选' if ctx.args.undo else '勾选'}：{ITEM_TITLES[ctx.args.item]}")
    _print_checklist(ctx, info.readiness)
    return 0


def site_plain(info: SiteInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "school": info.school,
        "code": info.code,
        "address": info.address,
        "province": info.province,
        "director": info.director,
        "phone": info.phone,
        "certificates": [
            {"code": c.code, "name": c.name, "level": c.level} for c in info.certificates
        ],
        "readiness": info.readiness.percent,
        "done": info.readiness.done,
        "total": info.readiness.total,
    }


def checklist_plain(readiness: Readiness) -> dict[str, Any]:
    def item(state: Any) -> dict[str, Any]:
        return {
            "key": state.key,
            "title": ITEM_TITLES[state.key],
            "group": state.group,
            "computed": state.computed,
            "done": state.done,
            "reasons": [render(p) for p in state.reasons],
        }

    return {
        "items": [item(s) for s in readiness.items],
        "done": readiness.done,
        "total": readiness.total,
        "readiness": readiness.percent,
        "missing": [item(s) for s in readiness.missing],
    }


def _print_site(ctx: Context, info: SiteInfo, headline: str = "") -> None:
    if ctx.json:
        ctx.emit(site_plain(info))
        return
    if headline:
        ctx.say(headline)
    ctx.say(info.name)
    for title, value in (
        ("所属院校", info.school),
        ("站点编号", info.code),
        ("地址", info.address),
        ("省份", info.province),
        ("负责人", info.director),
        ("联系电话", info.phone),
    ):
        ctx.say(f"  {title}：{value or '（未填写）'}")
    for c in info.certificates:
        ctx.say(f"  证书：{certificate_title(c.name, c.level)}{c.code}")
    r = info.readiness
    ctx.say(f"  站点标准达标 {r.done}/{r.total}（{r.percent}%）")


def _print_checklist(ctx: Context, readiness: Readiness) -> None:
    for state in readiness.items:
        mark = "✓" if state.done else "✗"
        auto = "（自动判断）" if state.computed else ""
        ctx.say(f"{mark} {state.key:<13} {ITEM_TITLES[state.key]}{auto}")
    ctx.say(f"达标 {readiness.done}/{readiness.total}（{readiness.percent}%）")
    for state in readiness.missing:
        for problem in state.reasons:
            ctx.say(f"  缺少：{render(problem)}")
