"""The import commands (commands/import*.py and each area's ``import``) against hostile
files, with ``--json``: exit 0 with a report or exit 2 with ``{"error": …}`` whose code
has a message — never 1 (程序内部错误) nor a traceback — and a refusal writes nothing.
The report goes through the command's own rendering to JSON (and, for candidates, the
error copy of the sheet, ``--report``), which the service suites do not reach."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_making import exported
from hostile import HostileFile, hostile_sheet, import_survives, spoiled_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from profiles import examples
from valid_files import arrangement_rows, candidate_rows, room_rows, score_rows, sqlite_ids

from examsite.errors import InputError
from examsite.services.demo import DEMO_PLAN_CODE

sys.path.insert(0, str(Path(__file__).parent.parent / "e2e"))
from cli_runner import run_cli


def cli(databases: Any, *args: str) -> Callable[[Any], Any]:
    """The command as an importer: its JSON report, or its refusal raised again as the
    ``InputError`` it printed (so that ``import_survives`` checks its code)."""

    def call(_db: Any) -> Any:
        done = run_cli(*args, "--json", db=databases.source)
        assert done.returncode in (0, 2), f"exit {done.returncode}: {done.stderr[-2000:]}"
        assert "Traceback" not in done.stderr
        printed = json.loads(done.stdout)
        if done.returncode == 2:
            error = printed["error"]
            raise InputError(error["code"], **error["params"])
        return printed

    return call


@pytest.fixture
def arranged(site_databases: Any) -> Any:
    return site_databases("arranged-20")


COMMANDS = ("candidates", "rooms", "scores", "arrangement", "platform", "bundle", "photos")


@pytest.mark.parametrize("command", COMMANDS)
@settings(max_examples=examples(5))
@given(data=st.data(), dry_run=st.booleans())
def test_an_import_command_exits_0_or_2_on_hostile_input(
    arranged: Any,
    db_templates: Any,
    tmp_path: Path,
    command: str,
    data: st.DataObject,
    dry_run: bool,
) -> None:
    template = db_templates.arranged(20)
    arranged.db  # noqa: B018  (opened, so that ``source`` names it)
    folder = tmp_path / "in"
    dry = ["--dry-run"] if dry_run else []
    if command in ("bundle", "photos"):
        good = exported(template)[0] if command == "bundle" else b"PK\x05\x06" + b"\0" * 18
        path = folder / ("传输包.zip" if command == "bundle" else "照片.zip")
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.draw(spoiled_bytes(good), label="bytes"))
        args = ["import", "bundle", str(path), *dry] if command == "bundle" else [
            "photos", "import", str(path)]  # fmt: skip
    else:
        rows, header_at = {
            "candidates": lambda: (candidate_rows("school", sqlite_ids(template)), 2),
            "rooms": lambda: room_rows(template),
            "scores": lambda: score_rows(template),
            "arrangement": lambda: arrangement_rows(template, DEMO_PLAN_CODE),
            "platform": lambda: score_rows(template),
        }[command]()
        file: HostileFile = data.draw(hostile_sheet(rows, header_at), label="file")
        path = file.write(folder)
        args = {
            "candidates": ["candidates", "import", str(path), "--kind", "school", *dry,
                           "--report", str(tmp_path / "错误说明.xlsx")],
            "rooms": ["rooms", "import", str(path), *dry],
            "scores": ["scores", "import", str(path), "--plan", DEMO_PLAN_CODE, *dry],
            "arrangement": ["import", "arrangement", str(path), "--plan", DEMO_PLAN_CODE],
            "platform": ["import", "platform", str(path), *dry],
        }[command]  # fmt: skip
    writes = not dry_run or command in ("arrangement", "photos")
    import_survives(arranged, cli(arranged, *args), writes=writes)
