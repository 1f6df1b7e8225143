"""Photo zips (照片压缩包) against hostile files: photos spoilt (cut, flipped, not a
picture, a PNG declaring a huge size, empty), entries renamed (``../`` paths, GBK names,
doubles), nested zips, huge declared sizes, the zip's bytes spoilt — onto the demo site:
a report photo by photo, or a refusal that changes nothing."""

from __future__ import annotations

import functools
import io
import random
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from hostile import import_survives, spoiled_bytes, spoiled_zip, zip_of
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from profiles import examples
from valid_files import sqlite_ids

from examsite.services.demo import BLUE, RED, demo_photo
from examsite.services.photos import import_photos, replace_photo


def _png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width × height`` pixels (a decompression bomb's
    header) with one tiny IDAT."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@functools.cache
def _pictures() -> tuple[bytes, bytes, bytes]:
    rng = random.Random(13)
    good = demo_photo(rng, RED)
    blue = demo_photo(rng, BLUE)
    png = io.BytesIO()
    Image.open(io.BytesIO(good)).save(png, "PNG")
    return good, blue, png.getvalue()


def photo_entries(ids: list[str]) -> list[tuple[str, bytes]]:
    """A valid photo zip's entries for the demo candidates ``ids``."""
    good, blue, png = _pictures()
    return [
        (f"{ids[0]}.jpg", good),
        (f"照片/张三_{ids[1]}.jpg", blue),
        (f"{ids[2]}.png", png),
        ("Thumbs.db", b"\0" * 16),
    ]


hostile_pictures = st.sampled_from(
    [
        b"",
        b"\xff\xd8\xff",  # a JPEG's first bytes only
        b"not a picture at all",
        _png_declaring(100_000, 100_000),
        _png_declaring(0, 0),
        b"GIF89a" + b"\0" * 20,
        b"PK\x03\x04" + b"\0" * 26,
    ]
)


@pytest.fixture
def demo(site_databases: Any) -> Any:
    return site_databases("demo-20")


@settings(max_examples=examples(25))
@given(data=st.data(), fix=st.booleans())
def test_a_hostile_photo_zip_gets_a_report_or_a_refusal(
    demo: Any, db_templates: Any, tmp_path: Path, data: st.DataObject, fix: bool
) -> None:
    entries = photo_entries(sqlite_ids(db_templates.demo(20), 3))
    for _ in range(data.draw(st.integers(0, 2), label="photos spoilt")):
        i = data.draw(st.integers(0, len(entries) - 1))
        name, body = entries[i]
        bad = data.draw(st.one_of(hostile_pictures, spoiled_bytes(body)), label=name)
        entries[i] = (name, bad)
    packed = zip_of(entries)
    how = data.draw(st.sampled_from(["none", "zip", "zip", "bytes"]), label="container")
    if how == "zip":
        packed = data.draw(spoiled_zip(packed), label="zip")
    elif how == "bytes":
        packed = data.draw(spoiled_bytes(packed), label="bytes")
    path = tmp_path / "in" / "照片.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(packed)
    import_survives(demo, lambda db: import_photos(db, path, fix=fix))


@settings(max_examples=examples(15))
@given(data=st.data(), fix=st.booleans())
def test_a_hostile_single_photo_gets_a_verdict_or_a_refusal(
    demo: Any, db_templates: Any, tmp_path: Path, data: st.DataObject, fix: bool
) -> None:
    [id_number] = sqlite_ids(db_templates.demo(20), 1)
    good = _pictures()[0]
    body = data.draw(st.one_of(hostile_pictures, spoiled_bytes(good)), label="photo")
    name = data.draw(st.sampled_from([f"{id_number}.jpg", "照片.png", "x.heic", "无后缀"]))
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    who = data.draw(st.sampled_from([id_number, id_number, "110105199901010000", ""]))
    import_survives(demo, lambda db: replace_photo(db, who, path, fix=fix))
