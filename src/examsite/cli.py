"""``examsite-cli``: every use case without a window, scriptable, with ``--json``.

``--json`` prints one JSON document on stdout; human output goes to stdout in Chinese;
errors go to stderr with exit code 2 for refused input and 1 for a fault.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from examsite import __version__
from examsite.errors import ExamsiteError, InputError
from examsite.logs import setup_logging
from examsite.messages import render
from examsite.progress import Progress
from examsite.storage.db import Database

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_REFUSED = 2


@dataclass
class Context:
    """What a command gets: the parsed arguments, the database (opened on first use) and
    the output helpers."""

    args: argparse.Namespace
    _db: Database | None = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def db(self) -> Database:
        if self._db is None:
            from examsite.services.catalog import ensure_catalog

            self._db = Database.open(self.args.db)
            ensure_catalog(self._db)
        return self._db

    def emit(self, document: Any) -> None:
        """Print the one JSON document of a ``--json`` run."""
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")

    def say(self, text: str = "") -> None:
        print(text)

    def progress(self) -> Progress:
        """A progress bar on stderr (quiet with --json or when stderr is not a terminal)."""
        if self.json or not sys.stderr.isatty():
            return Progress()
        return Progress(_print_progress)


def _print_progress(done: int, total: int, label: str) -> None:
    width = 30
    filled = width * done // total if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:40]:<40}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


Handler = Callable[[Context], int]


def build_parser() -> argparse.ArgumentParser:
    from examsite.commands import register_all

    parser = argparse.ArgumentParser(
        prog="examsite-cli",
        description="考点助手（ExamSite）命令行：不开窗口完成考点的全部工作。",
    )
    parser.add_argument("--version", action="version", version=f"examsite {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="数据库文件路径或 SQLAlchemy URL（默认在用户数据目录）",
    )
    parser.add_argument("--debug", action="store_true", help="输出调试日志")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    register_all(commands)
    return parser


def json_flag(parser: argparse.ArgumentParser) -> None:
    """Give a command the ``--json`` switch."""
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(debug=args.debug, console=args.debug)
    context = Context(args)
    handler: Handler = args.handler
    try:
        return handler(context)
    except InputError as exc:
        _print_error(exc.message)
        for problem in exc.problems:
            where = f"第 {problem.row} 行 " if problem.row else ""
            _print_error(f"  {where}{problem.column or ''} {render(problem)}")
        return exc.exit_code
    except ExamsiteError as exc:
        _print_error(exc.message)
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAULT
    except KeyboardInterrupt:
        _print_error("已中断，未做任何更改。")
        return EXIT_FAULT
    except Exception:
        from examsite.logs import log_file

        log.exception("unexpected error in %s", args.command)
        _print_error(f"程序内部错误，详情已写入日志：{log_file()}")
        return EXIT_FAULT
    finally:
        if context._db is not None:
            context._db.close()


def _print_error(text: str) -> None:
    print(text, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
