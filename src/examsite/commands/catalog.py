"""``catalog show`` and ``catalog import FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from examsite.commands.context import Context, json_flag
from examsite.messages import LEVEL_TITLES, SUBJECT_KIND_TITLES, WINDOW_TITLES


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("catalog", help="证书、科目与考试计划目录")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="显示目录")
    json_flag(show)
    show.set_defaults(handler=show_catalog)
    load = sub.add_parser("import", help="从 JSON 文件导入或更新目录")
    load.add_argument("file", type=Path, metavar="FILE", help="目录文件（UTF-8 编码的 JSON）")
    json_flag(load)
    load.set_defaults(handler=import_catalog_command)


def show_catalog(ctx: Context) -> int:
    from examsite.services.catalog import load_catalog

    catalog = load_catalog(ctx.db)
    if ctx.json:
        ctx.emit(
            {
                "certificates": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "level": c.level,
                        "fee": c.fee,
                        "org": c.org_name,
                        "is_example": c.is_example,
                        "subjects": [
                            {
                                "code": s.code,
                                "name": s.name,
                                "kind": s.kind,
                                "mode": s.mode,
                                "duration_minutes": s.duration_minutes,
                                "weight": s.weight,
                                "pass_mark": s.pass_mark,
                            }
                            for s in c.subjects
                        ],
                    }
                    for c in catalog.certificates
                ],
                "plans": [
                    {
                        "code": p.code,
                        "name": p.name,
                        "year": p.year,
                        "certificate_codes": list(p.certificate_codes),
                        "windows": {w: [s.isoformat(), e.isoformat()] for w, s, e in p.windows},
                    }
                    for p in catalog.plans
                ],
            }
        )
        return 0
    ctx.say("证书：")
    for c in catalog.certificates:
        mark = "（含示例数据）" if c.is_example else ""
        subjects = "、".join(
            f"{SUBJECT_KIND_TITLES.get(s.kind, s.kind)} {s.duration_minutes} 分钟"
            for s in c.subjects
        )
        ctx.say(
            f"  {c.code}  {c.name}（{LEVEL_TITLES.get(c.level, c.level)}）  {c.fee} 元  {subjects}{mark}"
        )
    ctx.say("考试计划：")
    for p in catalog.plans:
        ctx.say(f"  {p.code}  {p.name}")
        for window, start, end in p.windows:
            ctx.say(f"      {WINDOW_TITLES[window]}：{start:%Y-%m-%d %H:%M} ~ {end:%Y-%m-%d %H:%M}")
    return 0


def import_catalog_command(ctx: Context) -> int:
    from examsite.services.catalog import import_catalog_file

    counts = import_catalog_file(ctx.db, ctx.args.file)
    if ctx.json:
        ctx.emit(counts)
    else:
        ctx.say(
            f"已导入目录：{counts['orgs']} 个培训评价组织，{counts['certificates']} 个证书等级，"
            f"{counts['plans']} 个考试计划。"
        )
    return 0
