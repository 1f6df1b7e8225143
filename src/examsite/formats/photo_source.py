"""Read candidate photos out of a .zip or a folder, safely and without writing anything.

``read_photo_source`` looks at the whole source first (the zip's central directory, or the
folder tree) and refuses a zip bomb, an overlapping-entry zip or something that is not a
zip before a single byte is inflated. The returned ``PhotoSource`` then hands out each
photo's bytes one at a time, read in memory under a size limit: nothing is ever extracted,
so a hostile name such as ``../../evil.jpg`` stays a name. ``match_id_number`` finds the
ID number in a photo's file name.
"""

from __future__ import annotations

import logging
import os
import re
import struct
import unicodedata
import zipfile
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import BinaryIO, Literal

from examsite.errors import InputError
from examsite.formats.photo_check import MAX_INPUT_BYTES
from examsite.messages.system import reason
from examsite.progress import Progress

log = logging.getLogger(__name__)

#: Extensions handed to the photo check. Besides jpg/png it takes the picture formats
#: people confuse with them, so the check can say "this is a HEIC, save it as JPG"
#: instead of the photo silently going missing.
PHOTO_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png"}
    | {".gif", ".bmp", ".webp", ".heic", ".heif", ".avif", ".tif", ".tiff"}
)

# Files that operating systems leave behind (all compared in lower case).
_SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store"})
_SYSTEM_FOLDERS = frozenset({"__macosx", ".spotlight-v100", ".trashes", "$recycle.bin"})

# Compression methods Python's zipfile can inflate: stored, deflate, bzip2, lzma.
_SUPPORTED_COMPRESSION = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_LOCAL_HEADER_SIZE = 30  # fixed part of a zip local file header


@dataclass(frozen=True)
class SourceLimits:
    """Bounds that keep a hostile zip or folder from exhausting memory, disk or time.

    ``max_read_bytes`` is per photo: a bigger one is read only that far (plus one byte)
    and rejected by the photo check as too large, the rest of the zip is unaffected.
    A member declaring more than ``bomb_ratio`` times its compressed size, and at least
    ``bomb_min_bytes``, is no photo (JPEG and PNG hardly compress) but a zip bomb.
    """

    max_entries: int = 20_000  # 10,000 candidates, with room for debris and duplicates
    max_read_bytes: int = MAX_INPUT_BYTES
    # Raw phone photos of a few hundred candidates reach 2 GB; the limit only bounds how
    # long a scan can take, since photos are read one at a time.
    max_total_bytes: int = 4 * 1024**3
    bomb_ratio: int = 100
    bomb_min_bytes: int = 1024 * 1024


class IgnoreReason(StrEnum):
    """Why a file in the source is not treated as a photo (text in ``photo_messages``)."""

    SYSTEM_FILE = "photo_source.system_file"
    DIRECTORY = "photo_source.directory"
    NOT_IMAGE = "photo_source.not_image"
    ENCRYPTED = "photo_source.encrypted"
    UNSUPPORTED_COMPRESSION = "photo_source.unsupported_compression"
    LINK_OUTSIDE = "photo_source.link_outside"
    LINK_FOLDER = "photo_source.link_folder"


@dataclass(frozen=True)
class IgnoredEntry:
    """A file or folder of the source that was left out, and why."""

    name: str
    reason: IgnoreReason


@dataclass(frozen=True)
class PhotoEntry:
    """One photo file of the source: its name as the user sees it, and its size.

    ``name`` is the path inside the zip or folder with ``/`` between parts (a GBK name
    decoded), ``size`` the size the zip declares or the folder reports.
    """

    name: str
    size: int


@dataclass
class PhotoSource:
    """The photos of one zip or folder; iterate for ``(name, bytes)`` in source order.

    Keep it open while iterating (``with read_photo_source(...) as source``): a zip's file
    stays open until ``close()``. A member that cannot be read (bad CRC, broken data)
    yields empty bytes, which the photo check reports as empty or damaged.
    """

    path: Path
    kind: Literal["zip", "folder"]
    entries: tuple[PhotoEntry, ...]
    ignored: tuple[IgnoredEntry, ...]
    limits: SourceLimits
    progress: Progress
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)
    _members: tuple[zipfile.ZipInfo | Path, ...] = field(default=(), repr=False)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        return self.photos()

    def photos(self, only: Container[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """``(name, bytes)`` of each photo, or only of those named in ``only``: the others
        are not even read (a zip of 10,000 raw phone photos is gigabytes)."""
        for entry, member in zip(self.entries, self._members, strict=True):
            if only is not None and entry.name not in only:
                continue
            self.progress.check_cancelled()
            yield entry.name, self._read(member, entry.name)

    def _read(self, member: zipfile.ZipInfo | Path, name: str) -> bytes:
        limit = self.limits.max_read_bytes + 1
        try:
            if isinstance(member, Path):
                with member.open("rb") as fh:
                    return fh.read(limit)
            assert self._zip is not None
            with self._zip.open(member) as zfh:
                return zfh.read(limit)
        except Exception as exc:
            # One bad member must not stop the other photos: besides OSError and
            # BadZipFile (bad CRC, bad header) corrupt data raises zlib.error,
            # lzma.LZMAError, EOFError... The photo check reports the empty bytes.
            log.warning("cannot read %s from %s: %s", name, self.path, exc)
            return b""

    def close(self) -> None:
        """Close the zip file (nothing to do for a folder)."""
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> PhotoSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def read_photo_source(
    path: Path, *, progress: Progress | None = None, limits: SourceLimits | None = None
) -> PhotoSource:
    """Open a .zip or a folder of photos and list what is in it.

    Raises ``InputError`` (with the reason and what to do, in Chinese) when the zip is
    refused as a whole: not a zip, damaged, too many files, too big, a zip bomb,
    overlapping entries, or every photo in it locked with a password. Nothing is inflated or written before these checks pass.
    """
    progress = progress or Progress()
    limits = limits or SourceLimits()
    if path.is_dir():
        return _scan_folder(path, progress, limits)
    if not path.is_file():
        raise InputError("photos.source_not_found", path=str(path))
    return _scan_zip(path, progress, limits)


# --- zip ------------------------------------------------------------------------------


def _scan_zip(path: Path, progress: Progress, limits: SourceLimits) -> PhotoSource:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            declared = _declared_entry_count(fh)
        if declared is not None and declared > limits.max_entries:
            raise _too_many(path, declared, limits)
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as exc:
        raise _not_a_zip(path, head) from exc
    except OSError as exc:
        raise InputError("photos.source_unreadable", file=path.name, reason=reason(exc)) from exc
    try:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise _too_many(path, len(infos), limits)
        _refuse_bombs(path, infos, zf.start_dir, limits)
        entries, members, ignored = _zip_members(infos, progress)
        encrypted = sum(1 for entry in ignored if entry.reason is IgnoreReason.ENCRYPTED)
        if encrypted and not entries:
            # Nothing but locked photos: say so instead of "no photos in the zip".
            raise InputError("photos.zip_encrypted", file=path.name, count=encrypted)
    except BaseException:
        zf.close()
        raise
    progress.step(len(infos), len(infos), path.name)
    return PhotoSource(path, "zip", entries, ignored, limits, progress, zf, members)


def _zip_members(
    infos: list[zipfile.ZipInfo], progress: Progress
) -> tuple[tuple[PhotoEntry, ...], tuple[zipfile.ZipInfo, ...], tuple[IgnoredEntry, ...]]:
    """The zip's photos (with their members) and the entries left out, with the reason."""
    entries: list[PhotoEntry] = []
    members: list[zipfile.ZipInfo] = []
    ignored: list[IgnoredEntry] = []
    for info in infos:
        progress.check_cancelled()
        name = _display_name(info)
        reason = _ignore_reason(name, is_dir=info.is_dir() or name.endswith("/"))
        if reason is None and info.flag_bits & _ENCRYPTED_FLAG:
            reason = IgnoreReason.ENCRYPTED
        if reason is None and info.compress_type not in _SUPPORTED_COMPRESSION:
            reason = IgnoreReason.UNSUPPORTED_COMPRESSION
        if reason is not None:
            ignored.append(IgnoredEntry(name, reason))
        else:
            entries.append(PhotoEntry(name, info.file_size))
            members.append(info)
    return tuple(entries), tuple(members), tuple(ignored)


def _declared_entry_count(fh: BinaryIO) -> int | None:
    """The entry count of the end-of-central-directory record, read before zipfile builds
    an object per entry (a crafted directory of millions of entries would take gigabytes).

    None when there is no plain record (not a zip, or zip64): zipfile decides then.
    """
    fh.seek(0, os.SEEK_END)
    end = fh.tell()
    tail_size = min(end, 22 + 0xFFFF)  # the record plus the longest comment
    fh.seek(end - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    count: int = struct.unpack_from("<H", tail, at + 10)[0]
    return None if count == 0xFFFF else count


def _refuse_bombs(
    path: Path, infos: list[zipfile.ZipInfo], start_dir: int, lim: SourceLimits
) -> None:
    """Refuse the zip, from its central directory alone, when it cannot be a photo zip."""
    total = sum(info.file_size for info in infos)
    if total > lim.max_total_bytes:
        raise InputError(
            "photos.zip_too_big",
            file=path.name,
            gigabytes=f"{total / 1024**3:.1f}",
            limit=f"{lim.max_total_bytes / 1024**3:.0f}",
        )
    for info in infos:
        if info.file_size >= lim.bomb_min_bytes and info.file_size > lim.bomb_ratio * max(
            info.compress_size, 1
        ):
            raise InputError(
                "photos.zip_bomb",
                file=path.name,
                member=_display_name(info),
                megabytes=f"{info.file_size / 1024**2:.0f}",
                packed=info.compress_size,
            )
    # Python 3.11's zipfile does not notice two entries sharing bytes (the trick behind
    # non-recursive zip bombs): each local record must end before the next one begins,
    # and the last before the central directory.
    ordered = sorted(infos, key=lambda info: info.header_offset)
    next_starts = [info.header_offset for info in ordered[1:]] + [start_dir]
    for info, limit in zip(ordered, next_starts[: len(ordered)], strict=True):
        end = info.header_offset + _LOCAL_HEADER_SIZE + _raw_name_length(info) + info.compress_size
        if end > limit:
            raise InputError("photos.zip_overlapping", file=path.name, member=_display_name(info))


def _raw_name_length(info: zipfile.ZipInfo) -> int:
    encoding = "utf-8" if info.flag_bits & _UTF8_FLAG else "cp437"
    return len(info.orig_filename.encode(encoding))


def _display_name(info: zipfile.ZipInfo) -> str:
    """The member's name as the user's own computer showed it when zipping.

    Without the UTF-8 flag, zipfile decoded the raw bytes as cp437; zips made on Chinese
    Windows hold GBK there. Re-encoding gives the raw bytes back; they are tried as UTF-8
    (some tools forget the flag) and then as GB18030 (a superset of GBK).
    """
    name = info.orig_filename
    if not info.flag_bits & _UTF8_FLAG:
        raw = name.encode("cp437")
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\x00", "").replace("\\", "/")


def _too_many(path: Path, count: int, limits: SourceLimits) -> InputError:
    return InputError("photos.zip_too_many", file=path.name, count=count, limit=limits.max_entries)


def _not_a_zip(path: Path, head: bytes) -> InputError:
    if head.startswith(b"Rar!"):
        return InputError("photos.source_is_rar", file=path.name)
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return InputError("photos.source_is_7z", file=path.name)
    return InputError("photos.source_not_zip", file=path.name)


# --- folder ---------------------------------------------------------------------------


def _scan_folder(path: Path, progress: Progress, limits: SourceLimits) -> PhotoSource:
    root = path.resolve()
    entries: list[PhotoEntry] = []
    members: list[zipfile.ZipInfo | Path] = []
    ignored: list[IgnoredEntry] = []
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        progress.check_cancelled()
        here = Path(dirpath)
        real = os.path.realpath(here)
        # Windows junctions are not symlinks to os.walk in 3.11: never visit a folder
        # twice, nor one that really lies outside the chosen folder.
        inside = Path(real).is_relative_to(root)
        if real in seen or not inside:
            skip = IgnoreReason.LINK_FOLDER if inside else IgnoreReason.LINK_OUTSIDE
            ignored.append(IgnoredEntry(here.relative_to(root).as_posix(), skip))
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        for name in list(dirnames):
            child = here / name
            rel = child.relative_to(root).as_posix()
            if child.is_symlink():
                ignored.append(IgnoredEntry(rel, IgnoreReason.LINK_FOLDER))
                dirnames.remove(name)
            elif name.lower() in _SYSTEM_FOLDERS:
                ignored.append(IgnoredEntry(rel + "/", IgnoreReason.SYSTEM_FILE))
                dirnames.remove(name)
        for name in sorted(filenames):
            file = here / name
            rel = file.relative_to(root).as_posix()
            reason = _file_reason(file, rel, root)
            if reason is not None:
                ignored.append(IgnoredEntry(rel, reason))
                continue
            entries.append(PhotoEntry(rel, file.stat().st_size))
            members.append(file)
            if len(entries) > limits.max_entries:
                raise InputError(
                    "photos.folder_too_many", folder=path.name, limit=limits.max_entries
                )
        progress.step(len(entries), 0, here.relative_to(root).as_posix())
    return PhotoSource(
        path, "folder", tuple(entries), tuple(ignored), limits, progress, None, tuple(members)
    )


def _file_reason(file: Path, rel: str, root: Path) -> IgnoreReason | None:
    reason = _ignore_reason(rel, is_dir=False)
    if reason is None and file.is_symlink() and not file.resolve().is_relative_to(root):
        return IgnoreReason.LINK_OUTSIDE
    if reason is None and not file.is_file():
        return IgnoreReason.NOT_IMAGE  # a device, a pipe or a dangling link
    return reason


# --- names ----------------------------------------------------------------------------


def _ignore_reason(name: str, *, is_dir: bool) -> IgnoreReason | None:
    """Why a member named ``name`` (``/``-separated) is not a photo, or None if it is one."""
    if is_dir:
        return IgnoreReason.DIRECTORY
    parts = [part for part in name.split("/") if part]
    if not parts:
        return IgnoreReason.DIRECTORY
    last = parts[-1]
    if any(part.lower() in _SYSTEM_FOLDERS for part in parts[:-1]):
        return IgnoreReason.SYSTEM_FILE
    if last.startswith("._") or last.lower() in _SYSTEM_FILES:
        return IgnoreReason.SYSTEM_FILE
    if PurePosixPath(last).suffix.lower() not in PHOTO_EXTENSIONS:
        return IgnoreReason.NOT_IMAGE
    return None


# 17 digits and a digit or X, not part of a longer run of digits (nor followed by an X).
_ID_IN_NAME = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9X])")


def match_id_number(file_name: str) -> str | None:
    """The 18-character ID number in a photo's file name, or None.

    Only the last part of the path counts (after ``/`` or ``\\``), without its extension;
    "110105194912310021.jpg", "110105194912310021 张三.jpg" and
    "张三_11010519491231002x.JPG" all give the number, with a lower-case x made upper-case.
    Full-width digits count too. A name holding two different numbers gives None: it is
    not for the program to guess which one is meant.
    """
    last = re.split(r"[/\\]", file_name)[-1]
    stem = unicodedata.normalize("NFKC", PurePosixPath(last).stem).upper()
    found = set(_ID_IN_NAME.findall(stem))
    return found.pop() if len(found) == 1 else None
