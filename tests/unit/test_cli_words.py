"""The command line speaks Chinese: argparse's headings and errors, every option described,
values as the coordinator knows them, and columns that line up with wide characters."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from examsite.cli import build_parser
from examsite.commands.context import aligned, display_width, titled_choice


def help_of(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        build_parser().parse_args([*args, "--help"])
    return out.getvalue()


def error_of(*args: str) -> str:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exited:
        build_parser().parse_args(list(args))
    assert exited.value.code == 2
    return err.getvalue()


def subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += [child, *subparsers(child)]
    return found


def test_argparse_headings_and_errors_are_chinese():
    text = help_of()
    assert text.startswith("用法：") and "选项" in text and "显示本帮助并退出" in text
    assert "usage" not in text and "options" not in text and "show this help" not in text
    error = error_of("candidates", "import")
    assert "错误：缺少必需的参数" in error and "required" not in error


def test_every_option_of_every_command_is_described():
    undocumented = [
        f"{parser.prog} {action.dest}"
        for parser in [build_parser(), *subparsers(build_parser())]
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert undocumented == []


def test_values_in_either_form():
    args = build_parser().parse_args(
        ["candidates", "list", "--status", "信息不全", "--kind", "社会考生"]
    )
    assert (args.status, args.kind) == ("incomplete", "social")
    args = build_parser().parse_args(["candidates", "list", "--status", "no_photo"])
    assert args.status == "no_photo"
    error = error_of("candidates", "list", "--status", "错误")
    assert "没有“错误”这种状态" in error and "无照片（no_photo）" in error
    with pytest.raises(argparse.ArgumentTypeError):
        titled_choice({"a": "甲"}, "值")("乙")


def test_columns_line_up_with_wide_characters():
    lines = aligned([("姓名", "状态"), ("买买提·艾力", "待上传"), ("王芳", "无照片")])
    column = [
        display_width(line[: line.index(last)])
        for line, last in zip(lines, ("状态", "待上传", "无照片"), strict=True)
    ]
    assert len(set(column)) == 1, lines
