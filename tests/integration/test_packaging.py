"""The wheel carries the shipped files, and the helper finds them inside an installed copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UV = os.environ.get("UV") or shutil.which("uv")  # ``uv run`` names itself in $UV
SHIPPED = (
    "examsite/_resources/catalog.json",
    "examsite/_resources/fonts/wqy-microhei.ttc",
    "examsite/_resources/fonts/LICENSE-Apache-2.0.txt",
    "examsite/_resources/icons/examsite.ico",
    "examsite/_resources/icons/examsite.png",
    "examsite/_resources/guide/index.html",
    "examsite/storage/migrations/env.py",
    "examsite/ui/style.qss",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if UV is None:
        pytest.skip("uv is not on PATH")
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [UV, "build", "--wheel", "--offline", "--quiet", "-o", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode != 0 and "offline" in built.stderr.lower():
        # No cached build backend: let uv fetch hatchling.
        built = subprocess.run(
            [UV, "build", "--wheel", "--quiet", "-o", str(out), str(REPO)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("examsite-*.whl")
    return path


def test_the_wheel_contains_the_resources(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in SHIPPED if name not in names]
    assert not missing, missing
    assert not [n for n in names if n.startswith("examsite/_resources/installer/")]


def test_an_installed_copy_finds_its_resources(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "from examsite.resources import UI_FONT, resource_path, resource_root\n"
        "print(resource_root())\n"
        "print(resource_path(UI_FONT))\n"
    )
    # The unpacked wheel comes first on the path, before the checkout's editable install.
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    root, font = done.stdout.splitlines()
    assert Path(root) == site / "examsite" / "_resources"
    assert Path(font).is_file()
