"""``import bundle FILE [--dry-run] [--resolve KEY=mine|theirs …] [--pair] [--json]``:
merge another PC's transfer bundle into this database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from examsite.commands.context import Context, json_flag
from examsite.commands.encrypt_cmd import import_passphrase
from examsite.errors import InputError


def register_action(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("bundle", help="导入其他电脑导出的换机传输包并合并")
    parser.add_argument("file", metavar="FILE", type=Path, help="传输包文件（.zip）")
    parser.add_argument("--dry-run", action="store_true", help="只显示会改动什么，不写入")
    parser.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="KEY=mine|theirs",
        help="冲突的处理：mine 保留本机，theirs 采用传输包（可多次使用）",
    )
    parser.add_argument(
        "--pair", action="store_true", help="信任这个传输包的考点密钥（本机已有数据时首次配对）"
    )
    json_flag(parser)
    parser.set_defaults(handler=import_bundle_command)


def _resolutions(items: list[str]) -> dict[str, str]:
    resolutions: dict[str, str] = {}
    for item in items:
        key, _, choice = item.rpartition("=")
        if not key or choice not in ("mine", "theirs"):
            raise InputError("bundle.transfer_bad_resolution", key=item)
        resolutions[key] = choice
    return resolutions


def import_bundle_command(ctx: Context) -> int:
    from examsite.services.transfer import import_bundle
    from examsite.services.transfer_records import ENTITY_TITLES

    report = import_bundle(
        ctx.db,
        ctx.args.file,
        dry_run=ctx.args.dry_run,
        resolutions=_resolutions(ctx.args.resolve),
        pair=ctx.args.pair,
        passphrase=import_passphrase(ctx.args.file),  # an encrypted bundle
    )
    if ctx.json:
        ctx.emit(_plain(report))
        return 0
    if report.paired and report.applied:
        ctx.say(
            f"已与考点“{report.site}”配对：本机今后只接受这把密钥（指纹 {report.fingerprint}）签名的传输包。"
        )
    elif report.paired:
        ctx.say(f"导入后将与考点“{report.site}”配对（密钥指纹 {report.fingerprint}）。")
    if report.dry_run:
        ctx.say(f"试运行（未写入）：传输包第 {report.sequence} 号，来自“{report.site}”。")
    elif report.applied:
        ctx.say(f"已合并传输包第 {report.sequence} 号，来自“{report.site}”。")
    else:
        ctx.say("有冲突尚未选择处理方式，本次没有写入任何数据。")

    def listed(counts: dict[str, int]) -> str:
        return "，".join(f"{ENTITY_TITLES[e]} {n}" for e, n in counts.items()) or "无"

    ctx.say(f"新增：{listed(dict(report.added))}")
    ctx.say(f"更新：{listed(dict(report.updated))}")
    ctx.say(f"删除（对方已删除）：{listed(dict(report.deleted))}")
    if report.conflicts:
        ctx.say(f"冲突 {len(report.conflicts)} 处（两台电脑都改了同一字段）：")
        for conflict in report.conflicts:
            chosen = {"mine": "保留本机", "theirs": "采用传输包"}.get(
                conflict.resolution or "", "待选择"
            )
            ctx.say(f"  {conflict.key} {conflict.label}（{chosen}）")
            for item in conflict.fields:
                ctx.say(f"    {item.field}：本机 {item.mine!r}，传输包 {item.theirs!r}")
        if report.unresolved:
            ctx.say("请用 --resolve 键=mine 或 键=theirs 选择后重新导入。")
    if report.refused:
        ctx.say(f"未导入或未删除的记录 {len(report.refused)} 条：")
        for refused in report.refused:
            ctx.say(f"  {refused.label}：{refused.message}")
    return 0


def _plain(report: Any) -> dict[str, Any]:
    return {
        "file": report.file,
        "site": report.site,
        "fingerprint": report.fingerprint,
        "sequence": report.sequence,
        "paired": report.paired,
        "dry_run": report.dry_run,
        "applied": report.applied,
        "added": dict(report.added),
        "updated": dict(report.updated),
        "deleted": dict(report.deleted),
        "unchanged": report.unchanged,
        "photos_added": report.photos_added,
        "conflicts": [
            {
                "key": c.key,
                "entity": c.entity,
                "label": c.label,
                "resolution": c.resolution,
                "fields": [
                    {"field": f.field, "mine": f.mine, "theirs": f.theirs} for f in c.fields
                ],
            }
            for c in report.conflicts
        ],
        "refused": [
            {"key": r.key, "label": r.label, "code": r.code, "message": r.message}
            for r in report.refused
        ],
        "changes": [
            {"key": c.key, "entity": c.entity, "action": c.action, "fields": list(c.fields)}
            for c in report.changes
        ],
    }
