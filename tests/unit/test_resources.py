"""The shipped files are found through one helper, in a checkout as in an installed wheel."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from examsite import resources
from examsite.resources import (
    APP_ICON,
    APP_ICON_PNG,
    CATALOG,
    UI_FONT,
    ResourceMissing,
    resource,
    resource_path,
    resource_root,
)

REPO = Path(__file__).resolve().parents[2]
ICON_SIZES = {16, 24, 32, 48, 64, 128, 256}


def test_a_checkout_uses_the_top_level_folder():
    assert Path(str(resource_root())) == REPO / "resources"


def test_the_catalog_is_found():
    catalog = json.loads(resource(CATALOG).read_text("utf-8"))
    assert catalog["format"] == "examsite-catalog"


def test_the_font_is_a_truetype_collection_with_its_licence():
    font = resource_path(UI_FONT)
    assert font.read_bytes()[:4] == b"ttcf"
    assert font.stat().st_size > 4_000_000
    licence = resource("fonts/LICENSE-Apache-2.0.txt").read_text("utf-8")
    assert "Apache License" in licence
    assert "Font exception" in resource("fonts/wqy-microhei-copyright.txt").read_text("utf-8")


def ico_sizes(data: bytes) -> set[int]:
    """The square sizes in an .ico file's directory (0 in a byte means 256)."""
    _reserved, kind, count = struct.unpack_from("<HHH", data)
    assert kind == 1
    sizes = set()
    for n in range(count):
        width, height = struct.unpack_from("<BB", data, 6 + 16 * n)
        assert width == height
        sizes.add(width or 256)
    return sizes


def test_the_icon_has_every_size_windows_asks_for():
    assert ico_sizes(resource(APP_ICON).read_bytes()) == ICON_SIZES
    assert resource(APP_ICON_PNG).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("name", "size"),
    [("installer/wizard.bmp", (164, 314)), ("installer/wizard-small.bmp", (55, 55))],
)
def test_the_installer_artwork_has_inno_setups_sizes(name, size):
    data = (REPO / "resources" / name).read_bytes()
    assert data[:2] == b"BM"
    assert struct.unpack_from("<ii", data, 18) == size


def test_a_missing_file_says_so():
    with pytest.raises(ResourceMissing, match=r"nothing\.txt"):
        resource("nothing.txt")


def test_the_packaged_folder_comes_first(tmp_path, monkeypatch):
    """A wheel or a frozen build: ``examsite/_resources`` beside the package's modules."""
    packaged = tmp_path / "examsite" / resources.PACKAGED_DIR
    packaged.mkdir(parents=True)
    (packaged / CATALOG).write_text("{}", "utf-8")
    monkeypatch.setattr(resources.importlib.resources, "files", lambda _: tmp_path / "examsite")
    resource_root.cache_clear()
    try:
        assert resource_root() == packaged
        assert resource_path(CATALOG) == packaged / CATALOG
    finally:
        resource_root.cache_clear()
