"""What every command gets: the parsed arguments, the database (opened on first use) and
the output helpers. Apart from ``cli.py`` so that commands never import the entry point."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from examsite.progress import Progress

if TYPE_CHECKING:
    from examsite.storage.db import Database

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_REFUSED = 2


@dataclass
class Context:
    """The parsed arguments, the database (opened on first use) and the output helpers."""

    args: argparse.Namespace
    _db: Database | None = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def db(self) -> Database:
        if self._db is None:
            from examsite.services.catalog import ensure_catalog
            from examsite.storage.db import Database

            self._db = Database.open(self.args.db)
            ensure_catalog(self._db)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

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


def json_flag(parser: argparse.ArgumentParser) -> None:
    """Give a command the ``--json`` switch."""
    parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
