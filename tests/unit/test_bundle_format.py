"""The bundle format: written atomically and read back; every kind of damage refused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from examsite.formats.bundle import BundleError, read_bundle, write_bundle

FILES = {"candidates/school.xlsx": b"sheet", "photos.zip": b"\x00" * 1000}


def make(path: Path) -> Path:
    write_bundle(
        path,
        FILES,
        kind="platform-upload",
        site="S",
        plan="P",
        created="2026-12-20T09:00:00",
        program="0.1.0",
        counts={"candidates": 2},
    )
    return path


def test_a_bundle_reads_back_as_written(tmp_path: Path) -> None:
    bundle = read_bundle(make(tmp_path / "b.zip"))
    assert dict(bundle.files) == FILES
    assert bundle.manifest.counts == {"candidates": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["b.zip"]  # no temporary left
    assert make(tmp_path / "c.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    change(members)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda m: m.update({"photos.zip": b"\x01" * 1000}), "bundle.file_altered"),
        (lambda m: m.pop("photos.zip"), "bundle.file_missing"),
        (lambda m: m.update({"extra.txt": b"x"}), "bundle.file_unlisted"),
        (lambda m: m.pop("manifest.json"), "bundle.no_manifest"),
        (
            lambda m: m.update(
                {"manifest.json": json.dumps({**json.loads(m["manifest.json"]), "version": 9})}
            ),
            "bundle.unknown_version",
        ),
    ],
)
def test_damage_is_refused(tmp_path: Path, change, code: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "b.zip")
    _rewrite(path, change)
    with pytest.raises(BundleError) as refused:
        read_bundle(path)
    assert refused.value.code == code


def test_a_file_cut_short_or_a_byte_flipped_is_refused(tmp_path: Path) -> None:
    path = make(tmp_path / "b.zip")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BundleError) as cut:
        read_bundle(path)
    assert cut.value.code == "bundle.damaged"
    flipped = bytearray(data)
    flipped[len(flipped) // 3] ^= 0xFF
    path.write_bytes(bytes(flipped))
    with pytest.raises(BundleError):
        read_bundle(path)


def test_a_write_that_reads_back_wrong_is_refused_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from examsite.formats import bundle as bundle_module

    add = bundle_module._add

    def cut_short(archive: zipfile.ZipFile, path: str, data: bytes) -> None:
        add(archive, path, data[:-1] if path == "photos.zip" else data)  # a bad stick

    monkeypatch.setattr(bundle_module, "_add", cut_short)
    with pytest.raises(BundleError) as refused:
        make(tmp_path / "b.zip")
    assert refused.value.code == "bundle.write_check_failed"
    assert list(tmp_path.iterdir()) == []


def test_photos_named_by_hash_are_stored_not_deflated(tmp_path: Path) -> None:
    jpeg = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    write_bundle(
        tmp_path / "t.zip",
        {"photos/0f3a": jpeg, "data.json": b"{}" * 500},
        kind="site-transfer",
        site="S",
        plan="",
        created="2026-12-20T09:00:00",
        program="0.1.0",
        counts={},
    )
    with zipfile.ZipFile(tmp_path / "t.zip") as archive:
        methods = {info.filename: info.compress_type for info in archive.infolist()}
    assert methods["photos/0f3a"] == zipfile.ZIP_STORED
    assert methods["data.json"] == zipfile.ZIP_DEFLATED
