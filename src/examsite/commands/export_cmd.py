"""``export …``: what leaves the PC on a USB stick. The module cannot be named after the
command conveniently; each action is a module of its own with ``register_action(sub)``
(the sync issue: ``export_platform`` for the platform's upload package,
``export_transfer`` for a transfer bundle to another PC), listed in ``ACTION_MODULES``."""

from __future__ import annotations

import argparse
from importlib import import_module

ACTION_MODULES: tuple[str, ...] = ("export_platform", "export_transfer", "export_history")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    if not ACTION_MODULES:
        return  # planned: commands/__init__.py says so until an action exists
    parser = commands.add_parser("export", help="导出平台上传包或换机传输包")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name in ACTION_MODULES:
        import_module(f"examsite.commands.{name}").register_action(sub)
