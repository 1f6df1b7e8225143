"""Sync bundles (DESIGN.md, "Sync bundles"): one .zip with a ``manifest.json`` that names
the format and its version, the kind (``platform-upload`` or ``site-transfer``), the
site, the plan, when and by which program version it was made, counts, and each file's
path, size and SHA-256.

``write_bundle`` writes it atomically (a temporary name beside the target, flushed and
fsynced, then renamed) and reads it back before it reports success, so a pulled USB stick
never leaves half a bundle under the real name. ``read_bundle`` copies a bundle to local
disk first and refuses, changing nothing, one that is truncated, altered, incomplete or of
an unknown format version (``BundleError`` with a ``bundle.*`` message code).

This is the ground the sync issue builds on; signatures (Ed25519) and sequence numbers
for transfer bundles are added to the manifest by the transfer work.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from examsite.errors import InputError
from examsite.formats.atomic import atomic_path

FORMAT_NAME: Final = "examsite-bundle"
FORMAT_VERSION: Final = 1
MANIFEST: Final = "manifest.json"
KINDS: Final = ("platform-upload", "site-transfer")
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed: the same files give the same bundle bytes
# Members that are compressed already (a .zip, an .xlsx, JPEG and PNG photos) are stored:
# deflating them again costs time (most of an upload package's) and saves nothing.
_STORED: Final = (".zip", ".xlsx", ".jpg", ".jpeg", ".png")
# ... and so are members named without an extension (a transfer bundle's photos are named
# by their hash) that start as a JPEG, a PNG or a zip does.
_COMPRESSED_MAGIC: Final = (b"\xff\xd8\xff", b"\x89PNG", b"PK\x03\x04")
_CHUNK: Final = 1 << 20


class BundleError(InputError):
    """A bundle that cannot be used, and why (``bundle.*``); nothing was changed."""


@dataclass(frozen=True)
class BundleFile:
    path: str  # inside the bundle, POSIX separators
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    kind: str
    site: str
    plan: str
    created: str  # ISO time
    program: str  # the program version that wrote it
    counts: Mapping[str, int]
    files: tuple[BundleFile, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)  # kind-specific (signature …)
    version: int = FORMAT_VERSION

    def to_plain(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": self.version,
            "kind": self.kind,
            "site": self.site,
            "plan": self.plan,
            "created": self.created,
            "program": self.program,
            "counts": dict(self.counts),
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
            **({"extra": dict(self.extra)} if self.extra else {}),
        }


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_bundle(
    target: Path,
    files: Mapping[str, bytes],
    *,
    kind: str,
    site: str,
    plan: str,
    created: str,
    program: str,
    counts: Mapping[str, int],
    extra: Mapping[str, Any] | None = None,
) -> Manifest:
    """Write ``files`` (path inside the bundle → bytes) and the manifest to ``target``,
    atomically, and read it back; the manifest written.

    The files' SHA-256 are worked out on a second thread while the files are written
    (hashing and zlib's CRC both let go of the interpreter lock), and the manifest goes in
    last. The read-back check reads every member again: the zip's CRC-32 of each, its size
    and the manifest must be what was meant (the SHA-256 are for a bundle from elsewhere,
    which ``read_bundle`` checks)."""
    if kind not in KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}")
    ordered = sorted(files.items())
    target.parent.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(
            lambda: tuple(BundleFile(path, len(data), sha256_of(data)) for path, data in ordered)
        )
        with atomic_path(target) as temporary:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
                for path, data in ordered:
                    _add(archive, path, data)
                entries = hashing.result()
                manifest = Manifest(
                    kind, site, plan, created, program, dict(counts), entries, extra or {}
                )
                _add(archive, MANIFEST, _manifest_bytes(manifest))
            _read_back(temporary, manifest, target)
    return manifest


def _manifest_bytes(manifest: Manifest) -> bytes:
    return json.dumps(manifest.to_plain(), ensure_ascii=False, indent=2).encode("utf-8")


def _read_back(path: Path, manifest: Manifest, target: Path) -> None:
    """``BundleError`` unless the file at ``path`` holds exactly the members of
    ``manifest``, each of its size and CRC-32, and the manifest itself."""
    sizes = {entry.path: entry.size for entry in manifest.files}
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            same = set(infos) == {*sizes, MANIFEST} and archive.read(MANIFEST) == _manifest_bytes(
                manifest
            )
            for name, size in sizes.items():
                if not same or infos[name].file_size != size:
                    same = False
                    break
                with archive.open(name) as member:  # the CRC is checked at the end
                    while member.read(_CHUNK):
                        pass
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise BundleError("bundle.write_check_failed", file=target.name) from exc
    if not same:
        raise BundleError("bundle.write_check_failed", file=target.name)


def _add(archive: zipfile.ZipFile, path: str, data: bytes) -> None:
    info = zipfile.ZipInfo(path, _ZIP_TIME)
    stored = path.lower().endswith(_STORED) or data.startswith(_COMPRESSED_MAGIC)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.flag_bits |= 0x800  # UTF-8 names, as Chinese Windows' tools expect them
    archive.writestr(info, data)


@dataclass(frozen=True)
class Bundle:
    """A verified bundle: its manifest and its files' bytes."""

    manifest: Manifest
    files: Mapping[str, bytes]


def read_bundle(path: Path, *, copy: bool = True) -> Bundle:
    """The bundle at ``path``, verified (every file present with its size and SHA-256, no
    file the manifest does not list, a known format and version); ``BundleError``
    otherwise. With ``copy`` it is read from a local copy (a USB stick pulled mid-read
    cannot change what was verified)."""
    if copy:
        with tempfile.TemporaryDirectory(prefix="examsite-bundle-") as folder:
            local = Path(folder) / "bundle.zip"
            try:
                shutil.copyfile(path, local)
            except OSError as exc:
                raise BundleError("bundle.unreadable", file=str(path), reason=str(exc)) from exc
            return read_bundle(local, copy=False)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise BundleError("bundle.no_manifest", file=path.name)
            manifest = _manifest(json.loads(archive.read(MANIFEST).decode("utf-8")), path)
            files: dict[str, bytes] = {}
            for entry in manifest.files:
                if entry.path not in names:
                    raise BundleError("bundle.file_missing", file=path.name, path=entry.path)
                data = archive.read(entry.path)
                if len(data) != entry.size or sha256_of(data) != entry.sha256:
                    raise BundleError("bundle.file_altered", file=path.name, path=entry.path)
                files[entry.path] = data
            unlisted = names - {MANIFEST} - set(files)
            if unlisted:
                raise BundleError("bundle.file_unlisted", file=path.name, path=sorted(unlisted)[0])
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, OSError, ValueError) as exc:
        if isinstance(exc, BundleError):
            raise
        raise BundleError("bundle.damaged", file=path.name) from exc
    return Bundle(manifest, files)


def _manifest(plain: Any, path: Path) -> Manifest:
    if not isinstance(plain, dict) or plain.get("format") != FORMAT_NAME:
        raise BundleError("bundle.not_a_bundle", file=path.name)
    version = plain.get("version")
    if version != FORMAT_VERSION:
        raise BundleError(
            "bundle.unknown_version", file=path.name, version=version, known=FORMAT_VERSION
        )
    try:
        files = tuple(
            BundleFile(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in plain["files"]
        )
        return Manifest(
            kind=str(plain["kind"]),
            site=str(plain["site"]),
            plan=str(plain["plan"]),
            created=str(plain["created"]),
            program=str(plain["program"]),
            counts={str(k): int(v) for k, v in plain["counts"].items()},
            files=files,
            extra=dict(plain.get("extra") or {}),
            version=int(version),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BundleError("bundle.bad_manifest", file=path.name) from exc
