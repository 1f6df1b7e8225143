"""The layers import only downwards (DESIGN.md, "Architecture"): each part of the package
imports only the parts below it, nothing below ``ui/`` imports Qt, ``ui/`` writes no SQL.

Read with ``ast``, never imported, so the test needs no Qt and sees lazy imports too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "examsite"
QT_PACKAGES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "qtpy", "pytestqt")
# The widgets call services; the ORM and SQL stay in storage/ and services/.
SQL_PACKAGES = ("sqlalchemy", "alembic", "sqlite3", "examsite.storage.models")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (anywhere in it), with the line."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.append((node.lineno, argument.value))
    return found


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__") and bool(node.args)


def _matches(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def modules_below_ui() -> list[Path]:
    ui = PACKAGE / "ui"
    return sorted(p for p in PACKAGE.rglob("*.py") if ui not in p.parents)


# What each part of ``examsite`` may import of the package (besides ``examsite`` itself).
_BASE = frozenset({"domain"})
_TEXT = _BASE | {
    "messages",
    "errors",
    "progress",
    "resources",
    "clock",
    "collections_pause",
    "key_derivation",
}
ALLOWED: dict[str, frozenset[str]] = {
    "domain": _BASE,
    "clock": frozenset(),  # what time it is, fixed by tests
    "collections_pause": frozenset(),  # fewer garbage collections in bulk work
    "key_derivation": frozenset(),  # Argon2id keys from passwords and passphrases
    "messages": _BASE | {"messages"},
    "errors": _BASE | {"messages"},
    "progress": _BASE | {"messages", "errors"},
    "paths": frozenset(),
    "resources": frozenset(),  # finds the files the program ships with
    "logs": frozenset({"paths"}),
    "storage": _TEXT | {"paths", "storage"},
    "formats": _TEXT | {"formats"},
    "services": _TEXT | {"paths", "storage", "formats", "services"},
    "commands": _TEXT | {"paths", "logs", "storage", "formats", "services", "commands"},
    "cli": _TEXT | {"paths", "logs", "storage", "formats", "services", "commands"},
    "ui": _TEXT | {"paths", "logs", "storage", "formats", "services", "ui"},
}


def part_of(path: Path) -> str:
    """The top-level part of the package a module belongs to ("services", "cli" …)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def package_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if part_of(p) != "__init__")


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_part_imports_only_the_parts_below_it(path: Path):
    part = part_of(path)
    assert part in ALLOWED, f"{part} is a new part of the package: give it a place in ALLOWED"
    offending = []
    for line, module in imported_modules(path):
        if not module.startswith("examsite."):
            continue
        target = module.split(".")[1]
        if target not in ALLOWED[part] and target != part and target in ALLOWED:
            offending.append(f"line {line}: {module}")
    assert not offending, f"{path.relative_to(PACKAGE)} ({part}) imports upwards: {offending}"


def test_the_tree_is_where_the_test_expects_it():
    layers = {p.relative_to(PACKAGE).parts[0] for p in modules_below_ui()}
    assert {"domain", "storage", "services", "cli.py"} <= layers
    assert (PACKAGE / "ui" / "app.py").exists()


@pytest.mark.parametrize("path", modules_below_ui(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_below_ui_imports_qt(path: Path):
    offending = [
        f"line {line}: {m}" for line, m in imported_modules(path) if _matches(m, QT_PACKAGES)
    ]
    assert not offending, f"{path.relative_to(PACKAGE)} imports Qt: {offending}"


def test_the_import_scanner_finds_every_form(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import PySide6.QtCore\n"
        "from PyQt6 import QtWidgets\n"
        "def later():\n"
        "    from PySide6.QtGui import QFont\n"
        "    importlib.import_module('PySide6.QtSvg')\n",
        encoding="utf-8",
    )
    modules = [m for _, m in imported_modules(sample)]
    assert [m for m in modules if _matches(m, QT_PACKAGES)] == [
        "PySide6.QtCore",
        "PyQt6.QtWidgets",
        "PySide6.QtGui.QFont",
        "PySide6.QtSvg",
    ]


@pytest.mark.parametrize(
    "path",
    sorted((PACKAGE / "ui").rglob("*.py")),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_ui_calls_services_and_writes_no_sql(path: Path):
    offending = [
        f"line {line}: {m}" for line, m in imported_modules(path) if _matches(m, SQL_PACKAGES)
    ]
    assert not offending, f"{path.relative_to(PACKAGE)} reaches past the services: {offending}"
