"""The CLI's command tree: one module per area, each with ``register(subparsers)``."""

from __future__ import annotations

import argparse
from importlib import import_module

# Areas of the round, in workflow order.
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
    "server",
    "db_cmd",
    "audit_cmd",
    "users_cmd",
    "retention_cmd",
)


def register_all(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name in MODULES:
        import_module(f"examsite.commands.{name}").register(commands)
