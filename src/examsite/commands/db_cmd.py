"""``db copy --to TARGET [--merge [--pair] [--resolve KEY=mine|theirs …]] [--json]``: copy the
whole site in ``--db`` to another database (a SQLite file or a PostgreSQL server), verified
table by table; a target holding site data is refused unless ``--merge``."""

from __future__ import annotations

import argparse
from typing import Any

from examsite.commands import encrypt_cmd
from examsite.commands.context import EXIT_OK, EXIT_REFUSED, Context, aligned, json_flag
from examsite.commands.import_bundle import _plain as merge_plain
from examsite.commands.import_bundle import _resolutions
from examsite.messages.db_copy import table_title


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("db", help="整个数据库：在本机文件和学校服务器之间复制考点")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    copy = sub.add_parser(
        "copy",
        help="把 --db 的整个考点复制到另一个数据库（逐表核对行数和校验值）",
    )
    copy.add_argument(
        "--to",
        required=True,
        metavar="TARGET",
        help="目标：数据库文件路径、postgresql://用户名@服务器/数据库名，或 server（已保存的学校服务器）",
    )
    copy.add_argument(
        "--merge",
        action="store_true",
        help="目标已有考点数据时，按传输包的合并规则合并进去，而不是拒绝",
    )
    copy.add_argument(
        "--pair", action="store_true", help="合并时让目标信任来源考点的密钥（首次合并时需要）"
    )
    copy.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="KEY=mine|theirs",
        help="合并冲突的处理：mine 保留目标，theirs 采用来源（可多次使用）",
    )
    json_flag(copy)
    copy.set_defaults(handler=copy_command)
    encrypt_cmd.register_action(sub)  # db encrypt (issue 13: encryption at rest)


def copy_command(ctx: Context) -> int:
    from examsite.services.db_copy import copy_database

    result = copy_database(
        ctx.db,
        ctx.args.to,
        merge=ctx.args.merge,
        pair=ctx.args.pair,
        resolutions=_resolutions(ctx.args.resolve),
        progress=ctx.progress(),
    )
    applied = result.merge is None or result.merge.applied
    if ctx.json:
        ctx.emit(plain(result))
    elif result.merge is None:
        _say_copy(ctx, result)
    else:
        _say_merge(ctx, result)
    return EXIT_OK if applied else EXIT_REFUSED


def _say_copy(ctx: Context, result: Any) -> None:
    ctx.say(f"已把 {result.source} 复制到 {result.target}（{result.seconds:.1f} 秒）。")
    table = [["表", "内容", "来源行数", "目标行数", "校验值"]]
    for check in result.tables:
        table.append(
            [
                check.table,
                table_title(check.table),
                str(check.source_rows),
                str(check.target_rows),
                "一致" if check.equal else "不一致",
            ]
        )
    for line in aligned(table):
        ctx.say(line)
    ctx.say(f"共 {len(result.tables)} 张表、{result.rows} 行，照片 {result.photos} 张逐字节一致。")


def _say_merge(ctx: Context, result: Any) -> None:
    from examsite.services.transfer_records import ENTITY_TITLES

    report = result.merge
    ctx.say(f"目标 {result.target} 已有考点数据，按传输包的合并规则合并了 {result.source}。")
    if report.paired and report.applied:
        ctx.say(f"目标已信任考点“{report.site}”的密钥（指纹 {report.fingerprint}）。")

    def listed(counts: dict[str, int]) -> str:
        return "，".join(f"{ENTITY_TITLES[e]} {n}" for e, n in counts.items()) or "无"

    if not report.applied:
        ctx.say("有冲突尚未选择处理方式，没有写入任何数据：")
        for conflict in report.unresolved:
            ctx.say(f"  {conflict.key} {conflict.label}")
            for item in conflict.fields:
                ctx.say(f"    {item.field}：目标 {item.mine!r}，来源 {item.theirs!r}")
        ctx.say("请用 --resolve 键=mine（保留目标）或 键=theirs（采用来源）选择后再运行。")
        return
    ctx.say(f"新增：{listed(dict(report.added))}")
    ctx.say(f"更新：{listed(dict(report.updated))}")
    ctx.say(f"删除（来源已删除）：{listed(dict(report.deleted))}")
    ctx.say(f"未变：{report.unchanged} 条；新增照片 {report.photos_added} 张。")
    for refused in report.refused:
        ctx.say(f"  未合并 {refused.label}：{refused.message}")


def plain(result: Any) -> dict[str, Any]:
    """The ``--json`` document of a copy or a merge."""
    return {
        "source": result.source,
        "target": result.target,
        "mode": result.mode,
        "seconds": round(result.seconds, 3),
        "target_file": result.target_file,
        "tables": [
            {
                "table": c.table,
                "source_rows": c.source_rows,
                "target_rows": c.target_rows,
                "source_checksum": c.source_checksum,
                "target_checksum": c.target_checksum,
                "equal": c.equal,
            }
            for c in result.tables
        ],
        "rows": result.rows,
        "photos": {"count": result.photos, "equal": result.photos_equal},
        "target_held": list(result.holds),
        "merge": merge_plain(result.merge) if result.merge is not None else None,
    }
