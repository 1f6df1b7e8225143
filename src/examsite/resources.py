"""The files the program ships with: the catalog, the font, the icons, installer artwork.

They live in the repository's top-level ``resources/`` folder and reach the program in one
of three ways, all found through ``importlib.resources``:

- an installed wheel carries them as ``examsite/_resources`` (hatch ``force-include``);
- the PyInstaller build puts them in the same place (``build.spec``);
- a source checkout or an editable install (``uv run``) has no such folder, so the
  top-level ``resources/`` beside ``src/`` is used.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGED_DIR = "_resources"  # inside the ``examsite`` package, in a wheel or a frozen build
MARKER = "catalog.json"  # present in every copy of the folder

CATALOG = "catalog.json"
UI_FONT = "fonts/wqy-microhei.ttc"
UI_FONT_FAMILY = "WenQuanYi Micro Hei"  # the family name inside UI_FONT
APP_ICON = "icons/examsite.ico"
APP_ICON_PNG = "icons/examsite.png"


class ResourceMissing(FileNotFoundError):
    """The program's own files are not where they should be: a broken install."""


@cache
def resource_root() -> Traversable:
    """The folder holding the shipped files (see the module's docstring for where)."""
    packaged = importlib.resources.files("examsite") / PACKAGED_DIR
    if (packaged / MARKER).is_file():
        return packaged
    # src/examsite/resources.py -> the checkout's top-level resources/
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if (checkout / MARKER).is_file():
        return checkout
    raise ResourceMissing(f"the program's resources are missing (looked in {packaged})")


def resource(name: str) -> Traversable:
    """A shipped file by its path under ``resources/``, e.g. ``"fonts/wqy-microhei.ttc"``."""
    found = resource_root().joinpath(*name.split("/"))
    if not found.is_file():
        raise ResourceMissing(f"the program's file {name} is missing")
    return found


def resource_path(name: str) -> Path:
    """A shipped file as a path on disk, for libraries that open files by name (Qt, fonts).

    Every supported layout (wheel, checkout, frozen folder) keeps the files on disk.
    """
    found = resource(name)
    if not isinstance(found, Path):
        raise ResourceMissing(f"the program's file {name} is not on the file system")
    return found
