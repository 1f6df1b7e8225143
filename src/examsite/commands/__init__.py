"""The CLI's command tree: one module per area, each with ``register(subparsers)``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from importlib import import_module

from examsite.errors import InputError

# Areas of the round, in workflow order; later issues fill in the placeholders.
MODULES = (
    "catalog",
    "demo",
    "status",
    "site",
    "candidates",
    "photos",
    "sessions",
    "registration",
    "rooms",
    "staff",
    "arrange",
    "imports_cmd",
    "export_cmd",
    "print_cmd",
    "incident",
    "afterexam",
    "backup",
    "stats",
    "scores",
    "checkin",
)
PLANNED: dict[str, str] = {}  # a command whose step is not built yet: its title


def register_all(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name in MODULES:
        import_module(f"examsite.commands.{name}").register(commands)
    for name, title in PLANNED.items():
        parser = commands.add_parser(name, help=f"{title}（尚未实现）")
        parser.set_defaults(handler=_planned(title))


def _planned(title: str) -> Callable[[object], int]:
    def handler(_context: object) -> int:
        # Exit 2 like any refused request: nothing went wrong, the feature is not there.
        raise InputError("app.not_built_yet", title=title)

    return handler
