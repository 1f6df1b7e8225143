"""What every command gets: the parsed arguments, the database (opened on first use) and
the output helpers. Apart from ``cli.py`` so that commands never import the entry point."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from examsite.progress import Progress

if TYPE_CHECKING:
    from examsite.storage.db import Database

#: The password of ``--user`` for scripts (else the CLI asks for it).
PASSWORD_VARIABLE = "EXAMSITE_PASSWORD"

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_REFUSED = 2


@dataclass
class Context:
    """The parsed arguments, the database (opened on first use) and the output helpers."""

    args: argparse.Namespace
    _db: Database | None = field(default=None, repr=False)
    _credentials: tuple[str, str] | None = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def db(self) -> Database:
        if self._db is None:
            from examsite.services.catalog import ensure_catalog
            from examsite.services.server_settings import chosen_database
            from examsite.storage.db import Database

            location = chosen_database(self.args.db)
            self._unlock(location)  # an encrypted file: its key, from the same password
            db = Database.open(location)
            try:
                if getattr(self.args, "needs_login", True):
                    self._log_in(db)
                    ensure_catalog(db)
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def _log_in(self, db: Database) -> None:
        """On a database with accounts, log in as ``--user`` with the password from
        ``EXAMSITE_PASSWORD`` or a prompt; refused (exit 2) before anything is read."""
        from examsite.services.accounts import log_in

        if not db.access.protected:
            return
        log_in(db, *self.credentials())

    def credentials(self) -> tuple[str, str]:
        """``--user`` and its password (``EXAMSITE_PASSWORD`` or asked once)."""
        from examsite.errors import AccessDenied

        if self._credentials is None:
            user = getattr(self.args, "user", None) or os.environ.get("EXAMSITE_USER")
            if not user:
                raise AccessDenied("auth.no_user")
            password = os.environ.get(PASSWORD_VARIABLE)
            if password is None:
                password = ask_password(f"{user} 的密码：")
            self._credentials = (user, password)
        return self._credentials

    def _unlock(self, location: object) -> None:
        """An encrypted site's data key, unwrapped before the file is opened: with the
        password of ``--user`` (then used again to log in), or for ``users recover`` with
        the recovery code (``EXAMSITE_RECOVERY_CODE`` or asked; kept for the command)."""
        from pathlib import Path

        from examsite.services.encryption import is_encrypted, unlock, unlock_with_code

        if not isinstance(location, str | Path) or not is_encrypted(location):
            return
        path = Path(location).expanduser().resolve()
        if getattr(self.args, "unlock", None) == "recovery":
            code = os.environ.get("EXAMSITE_RECOVERY_CODE") or ask_password("恢复码：")
            unlock_with_code(path, code)
            self.args.recovery_code = code
        elif getattr(self.args, "needs_login", True):
            unlock(path, *self.credentials())

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


def ask_password(prompt: str) -> str:
    """A password typed at the terminal (not echoed); refused when nobody can type it."""
    from examsite.errors import AccessDenied

    if not sys.stdin.isatty():
        raise AccessDenied("auth.no_password")
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise AccessDenied("auth.no_password") from None


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


def titled_choice(titles: Mapping[str, str], what: str) -> Callable[[str], str]:
    """An argparse ``type`` that takes a value's key or its Chinese title ("no_photo" or
    "无照片") and gives the key; its ``help_text`` lists both forms."""

    by_text = {**{key: key for key in titles}, **{title: key for key, title in titles.items()}}

    def parse(text: str) -> str:
        key = by_text.get(text.strip())
        if key is None:
            raise argparse.ArgumentTypeError(
                f"没有“{text}”这种{what}，可用：{choices_text(titles)}"
            )
        return key

    parse.__name__ = what  # argparse names the type in its own messages
    return parse


def choices_text(titles: Mapping[str, str]) -> str:
    """ "无照片（no_photo）、信息不全（incomplete）…" for a help text."""
    return "、".join(f"{title}（{key}）" for key, title in titles.items())


def aligned(table: Sequence[Sequence[str]]) -> list[str]:
    """The rows of ``table`` as lines whose columns line up in a terminal, each column as
    wide as its widest cell (Chinese characters take two columns)."""
    widths = [max(display_width(row[at]) for row in table) for at in range(len(table[0]))]
    return [
        "  ".join(
            cell + " " * (width - display_width(cell))
            for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in table
    ]


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: two for wide and full-width characters."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
