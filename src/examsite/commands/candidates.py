"""``candidates template|import|list|show|add|delete``.

The services are imported inside the handlers: openpyxl, calamine and pypinyin cost half a
second to import, which every other command would pay when the parser is built.

``import --report OUT.xlsx`` checks OUT before reading the sheet: a missing folder, a
folder, the source file itself, a name not ending in .xlsx or a place that cannot be
written is refused (exit 2) and nothing is imported. Should the report still fail once the
import is stored (the disk fills up, say), the summary is printed as usual, then why the
report is missing, and the exit code is 3 (``EXIT_REPORT_NOT_WRITTEN``): the import is never
called failed when it was stored, and a script can still tell that the report is missing.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examsite.commands.context import Context, aligned, choices_text, json_flag, titled_choice
from examsite.domain.candidate_status import (
    BY_NAME,
    CANDIDATE_COLUMNS,
    EXTRA_PREFIX,
    FIELDS,
)
from examsite.domain.problems import Level
from examsite.formats.templates import column_title
from examsite.messages import (
    CANDIDATE_ISSUE_TITLES,
    CANDIDATE_STATUS_TITLES,
    FIELD_TITLES,
    KIND_TITLES,
    PHOTO_TITLES,
    PROBLEM_LEVEL_TITLES,
)

if TYPE_CHECKING:
    from examsite.services.candidate_import import ImportReport
    from examsite.services.candidates import CandidateRow

MAX_PRINTED_PROBLEMS = 200
# The import (or the dry run) is done and reported, only the --report file is missing.
EXIT_REPORT_NOT_WRITTEN = 3


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("candidates", help="考生：模板、导入、名单")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    template = sub.add_parser("template", help="导出空白的考生导入模板（.xlsx）")
    template.add_argument("out", type=Path, metavar="OUT.xlsx", help="要保存的模板文件")
    template.add_argument("--kind", type=KIND, default="school", help=KIND_HELP)
    json_flag(template)
    template.set_defaults(handler=template_command)

    load = sub.add_parser(
        "import",
        help="从 Excel/CSV 导入考生",
        epilog="退出码：0 完成；2 文件被拒绝，未导入；3 已导入（或已检查），但错误说明表没有写成。",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="考生表格（.xlsx、.xls 或 .csv）")
    load.add_argument("--kind", type=KIND, required=True, help=KIND_HELP)
    load.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    load.add_argument("--update", action="store_true", help="用表中信息更新已有的考生")
    load.add_argument("--report", type=Path, metavar="OUT.xlsx", help="写出逐行错误说明表")
    json_flag(load)
    load.set_defaults(handler=import_command)

    listing = sub.add_parser("list", help="考生名单")
    listing.add_argument(
        "--status",
        type=titled_choice(STATUS_FILTERS, "状态"),
        help=f"只列出该状态或问题的考生：{choices_text(STATUS_FILTERS)}",
    )
    listing.add_argument("--kind", type=KIND, help=KIND_HELP)
    listing.add_argument("--search", metavar="TEXT", help="按姓名、拼音、证件号或手机号查找")
    json_flag(listing)
    listing.set_defaults(handler=list_command)

    show = sub.add_parser("show", help="显示一名考生")
    show.add_argument("id_number", metavar="ID_NUMBER", help="考生的证件号码")
    json_flag(show)
    show.set_defaults(handler=show_command)

    add = sub.add_parser("add", help="添加一名考生")
    add.add_argument("--kind", type=KIND, required=True, help=KIND_HELP)
    for candidate_field in FIELDS:
        add.add_argument(
            f"--{option_name(candidate_field.name)}",
            dest=candidate_field.name,
            metavar=option_name(candidate_field.name).replace("-", "_").upper(),
            default="",
            required=candidate_field.name in ("name", "id_number"),
            help=_field_help(candidate_field.name),
        )
    json_flag(add)
    add.set_defaults(handler=add_command)

    delete = sub.add_parser("delete", help="删除一名考生（有报考记录时不能删除）")
    delete.add_argument("id_number", metavar="ID_NUMBER", help="要删除的考生的证件号码")
    json_flag(delete)
    delete.set_defaults(handler=delete_command)


KIND = titled_choice(KIND_TITLES, "考生类型")
KIND_HELP = f"考生类型：{choices_text(KIND_TITLES)}"
# The list's --status takes a status or an issue, as the page's chips do.
STATUS_FILTERS = {**CANDIDATE_STATUS_TITLES, **CANDIDATE_ISSUE_TITLES}


def option_name(field_name: str) -> str:
    """The option of a candidate field: ``id_number`` → ``id-number``, a social
    candidate's ``extra.employer`` → ``employer`` (``extra.major`` → ``extra-major``, as
    ``major`` is the school candidate's)."""
    key = field_name.removeprefix(EXTRA_PREFIX)
    if key != field_name and key in BY_NAME:
        key = field_name
    return key.replace("_", "-").replace(".", "-")


def _field_help(field_name: str) -> str:
    kinds = BY_NAME[field_name].kinds
    who = "" if len(kinds) > 1 else f"（{KIND_TITLES[next(iter(kinds))]}）"
    if field_name == "id_type":
        return f"{FIELD_TITLES[field_name]}（默认身份证）"
    return FIELD_TITLES[field_name] + who


def template_command(ctx: Context) -> int:
    from examsite.formats.template_workbook import write_template

    path = write_template(ctx.args.kind, ctx.args.out)
    if ctx.json:
        ctx.emit({"path": str(path), "kind": ctx.args.kind})
    else:
        ctx.say(f"已导出{KIND_TITLES[ctx.args.kind]}导入模板：{path}")
    return 0


def import_command(ctx: Context) -> int:
    from examsite.errors import ExamsiteError
    from examsite.formats.workbook_writer import check_output_path, with_xlsx_suffix
    from examsite.services.candidate_import import import_candidates
    from examsite.services.import_report import write_error_report

    args = ctx.args
    if args.report is not None:  # before anything is imported
        args.report = check_output_path(with_xlsx_suffix(args.report), source=args.file)
    report = import_candidates(
        ctx.db,
        args.file,
        args.kind,
        dry_run=args.dry_run,
        update=args.update,
        progress=ctx.progress(),
    )
    report_path: Path | None = None
    failure: ExamsiteError | None = None
    if args.report is not None:
        try:
            report_path = write_error_report(args.file, report, args.report)
        except ExamsiteError as exc:
            code = (
                "import.report_failed_after_check"
                if report.dry_run
                else ("import.report_failed_after_import")
            )
            failure = ExamsiteError(code, reason=exc.message)
    exit_code = 0 if failure is None else EXIT_REPORT_NOT_WRITTEN
    if ctx.json:
        document = report_document(report, report_path)
        document["report_error"] = None if failure is None else failure.to_plain()
        ctx.emit(document)
        return exit_code
    _say_report(ctx, report)
    if report_path is not None:
        ctx.say(f"错误说明表已写入：{report_path}")
    if failure is not None:
        print(failure.message, file=sys.stderr)
    return exit_code


def report_document(report: ImportReport, report_path: Path | None = None) -> dict[str, Any]:
    return {
        "source": report.source,
        "kind": report.kind,
        "dry_run": report.dry_run,
        "sheet": report.sheet_name,
        "header_row": report.header_row,
        "rows": report.rows,
        "imported": report.imported,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "incomplete": report.incomplete,
        "problems": [p.as_dict() for p in report.problems],
        "report": None if report_path is None else str(report_path),
    }


def _say_report(ctx: Context, report: ImportReport) -> None:
    verb = "可导入" if report.dry_run else "已导入"
    ctx.say(
        f"{'【试运行，未写入】' if report.dry_run else ''}{report.source}（工作表“{report.sheet_name}”，"
        f"表头在第 {report.header_row} 行）：共 {report.rows} 行，{verb} {report.imported} 人，"
        f"更新 {report.updated} 人，未变化 {report.unchanged} 人，未导入 {report.rejected} 行，"
        f"信息不全 {report.incomplete} 人。"
    )
    shown = [p for p in report.problems if p.level is not Level.NOTICE or p.row is None]
    notices = len(report.problems) - len(shown)
    for problem in shown[:MAX_PRINTED_PROBLEMS]:
        where = f"第 {problem.row} 行 " if problem.row else ""
        column = f"{column_title(problem.column)} " if problem.column else ""
        ctx.say(f"  [{PROBLEM_LEVEL_TITLES[problem.level]}] {where}{column}{problem.message}")
    if len(shown) > MAX_PRINTED_PROBLEMS:
        ctx.say(
            f"  ……还有 {len(shown) - MAX_PRINTED_PROBLEMS} 条，请用 --report 导出错误说明表查看。"
        )
    if notices:
        ctx.say(f"  另有 {notices} 条提示（如自动生成的拼音），可用 --json 或 --report 查看。")


def candidate_document(row: CandidateRow) -> dict[str, Any]:
    """A candidate for ``--json``: every field of the one field list, the status, the
    platform's status, the photo's verdict and state, and what is still to handle."""
    document: dict[str, Any] = {name: getattr(row, name) for name in CANDIDATE_COLUMNS}
    document["extra"] = dict(row.extra)
    document.update(
        status=row.status,
        platform_status=row.platform_status,
        photo=row.photo,
        photo_state=row.photo_state.value,
        issues=sorted(issue.value for issue in row.issues),
        missing=list(row.missing),
    )
    return document


def list_command(ctx: Context) -> int:
    from examsite.services.candidates import list_candidates, mask_id

    args = ctx.args
    rows = list_candidates(ctx.db, status=args.status, kind=args.kind, search=args.search)
    if not ctx.db.access.full_ids:  # staff: ID numbers masked (only the director sees them)
        rows = [replace(r, id_number=mask_id(r.id_number)) for r in rows]
    if ctx.json:
        ctx.emit([candidate_document(r) for r in rows])
        return 0
    if not rows:
        ctx.say("没有符合条件的考生。")
        return 0
    titles = (
        "序号",
        "姓名",
        "拼音",
        "性别",
        "证件号码",
        "类型",
        "手机号码",
        "专业代码",
        "状态",
        "照片",
    )
    table = [titles]
    for number, r in enumerate(rows, start=1):
        cells = (
            str(number),
            r.name,
            r.pinyin,
            r.gender,
            mask_id(r.id_number),
            KIND_TITLES.get(r.kind, r.kind),
            r.phone,
            r.major_code,
            CANDIDATE_STATUS_TITLES.get(r.status, r.status),
            PHOTO_TITLES[r.photo_state],
        )
        table.append(cells)
    for line in aligned(table):
        ctx.say(line)
    ctx.say(f"共 {len(rows)} 人。")
    return 0


def show_command(ctx: Context) -> int:
    from examsite.services.candidates import get_candidate

    row = get_candidate(ctx.db, ctx.args.id_number.strip().upper())
    if ctx.json:
        ctx.emit(
            {
                **candidate_document(row),
                "id_type": row.id_type,
                "enrollment_year": row.enrollment_year,
                "education_level": row.education_level,
                "major": row.major,
                "extra": dict(row.extra),
                "missing": list(row.missing),
            }
        )
        return 0
    ctx.say(f"{row.name}（{row.pinyin}） {row.gender}  {KIND_TITLES.get(row.kind, row.kind)}")
    ctx.say(f"  {row.id_type}：{row.id_number}")
    ctx.say(f"  手机号码：{row.phone or '（空）'}")
    if row.kind == "school":
        ctx.say(
            f"  入学年份：{row.enrollment_year or '（空）'}  专业层次：{row.education_level or '（空）'}"
        )
        ctx.say(f"  就读专业：{row.major or '（空）'}（{row.major_code or '无代码'}）")
    ctx.say(
        f"  状态：{CANDIDATE_STATUS_TITLES.get(row.status, row.status)}  照片：{PHOTO_TITLES[row.photo_state]}"
    )
    return 0


def add_command(ctx: Context) -> int:
    from examsite.services.candidates import CandidateForm, mask_id, save_candidate

    values = {f.name: getattr(ctx.args, f.name) for f in FIELDS}
    row = save_candidate(ctx.db, CandidateForm.of(ctx.args.kind, values))
    if ctx.json:
        ctx.emit(candidate_document(row))
    else:
        ctx.say(
            f"已添加考生：{row.name}（{mask_id(row.id_number)}），状态：{CANDIDATE_STATUS_TITLES[row.status]}"
        )
    return 0


def delete_command(ctx: Context) -> int:
    from examsite.services.candidates import delete_candidate, mask_id

    delete_candidate(ctx.db, ctx.args.id_number.strip().upper())
    if ctx.json:
        ctx.emit({"deleted": ctx.args.id_number})
    else:
        ctx.say(f"已删除考生 {mask_id(ctx.args.id_number)}。")
    return 0
