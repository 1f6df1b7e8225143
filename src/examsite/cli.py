"""``examsite-cli``: every use case without a window, scriptable, with ``--json``.

``--json`` prints one JSON document on stdout; human output goes to stdout in Chinese;
errors go to stderr with exit code 2 for refused input and 1 for a fault.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Sequence

from examsite import __version__
from examsite.commands.context import EXIT_FAULT, Context
from examsite.errors import ExamsiteError
from examsite.logs import setup_logging
from examsite.messages import argparse_zh, render
from examsite.paths import log_file

log = logging.getLogger(__name__)


Handler = Callable[[Context], int]


def build_parser() -> argparse.ArgumentParser:
    from examsite.commands import register_all

    argparse_zh.install()
    parser = argparse.ArgumentParser(
        prog="examsite-cli",
        description="考点助手（ExamSite）命令行：不开窗口完成考点的全部工作。",
    )
    parser.add_argument(
        "--version", action="version", version=f"examsite {__version__}", help="显示程序版本并退出"
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="数据库文件路径或 SQLAlchemy URL（默认在用户数据目录）",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="用户名（考点设置了账户时需要；密码会提示输入，或取自环境变量 EXAMSITE_PASSWORD）",
    )
    parser.add_argument("--debug", action="store_true", help="输出调试日志")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_all(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(debug=args.debug, console=args.debug)
    context = Context(args)
    handler: Handler = args.handler
    try:
        return handler(context)
    except ExamsiteError as exc:
        _report(context, exc)
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAULT
    except KeyboardInterrupt:
        _report(context, ExamsiteError("app.interrupted"))
        return EXIT_FAULT
    except Exception as exc:
        from examsite.storage.db import connection_error

        lost = connection_error(exc)  # a read on a server that went away
        if lost is not None:
            _report(context, lost)
            return lost.exit_code
        log.exception("unexpected error in %s", args.command)
        _report(context, ExamsiteError("app.internal_error", log_file=log_file()))
        return EXIT_FAULT
    finally:
        context.close()


def _report(context: Context, error: ExamsiteError) -> None:
    """The error in Chinese on stderr, each problem on a line of its own; with ``--json``
    also ``{"error": {"code", "message", "params", "problems"}}`` on stdout."""
    _print_error(error.message)
    for problem in error.problems:
        line = render(problem)
        if problem.row is None and line == error.message:
            continue  # the error's own message, already printed
        where = f"第 {problem.row} 行 " if problem.row else ""
        _print_error(f"  {where}{problem.column or ''} {line}".rstrip())
    if context.json:
        with contextlib.suppress(BrokenPipeError):
            context.emit({"error": error.to_plain()})


def _print_error(text: str) -> None:
    print(text, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
