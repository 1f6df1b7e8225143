"""Is a database path on a network share? SQLite there is refused (storage.network_share).

SQLite's file locks are not reliable over SMB/CIFS or NFS: two PCs writing one file on a
share is the classic way to corrupt it. ``network_share(path, facts)`` decides from the
path and the operating system's facts, handed in as ``HostFacts`` so that every case can
be tested on any OS:

- a UNC path (``\\\\server\\share\\…``, ``//server/share/…`` on Windows,
  ``\\\\?\\UNC\\server\\share\\…``);
- on Windows, a drive letter whose ``GetDriveTypeW`` is ``DRIVE_REMOTE`` (a mapped
  network drive);
- elsewhere, the mount holding the resolved path (the longest mount point that is a
  prefix of it, the later of equal ones) when its filesystem type is a network one
  (``/proc/self/mountinfo``, else ``/proc/mounts``; on macOS what ``mount`` lists).

A path that does not exist yet is judged by its nearest existing folder. The detection
never raises: when it cannot tell, the path is allowed.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

from examsite.errors import StorageError

log = logging.getLogger(__name__)

#: ``GetDriveTypeW``'s answer for a network drive.
DRIVE_REMOTE = 4
#: Kernel filesystem types that live on another machine.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "smb", "ncpfs", "ncp", "9p", "afs",
        "ceph", "glusterfs", "lustre", "gpfs", "beegfs", "orangefs", "pvfs2", "coda",
        "davfs", "sshfs", "afpfs", "webdav",
    }
)  # fmt: skip
#: FUSE filesystems (type ``fuse.NAME``) that live on another machine.
NETWORK_FUSE_TYPES = frozenset(
    {
        "sshfs", "s3fs", "rclone", "glusterfs", "ceph", "ceph-fuse", "gcsfuse", "davfs",
        "davfs2", "smbnetfs", "curlftpfs", "juicefs", "goofys",
    }
)  # fmt: skip
#: Where the mount table is read on Linux, the first readable one.
MOUNT_TABLES = ("/proc/self/mountinfo", "/proc/mounts")
#: What lists the mounts on macOS (no /proc there), and how long it may take.
MACOS_MOUNT = ("/sbin/mount",)
MACOS_MOUNT_SECONDS = 5.0


class NetworkShareError(StorageError):
    """The database is on a network share: the setup is refused, as refused input is."""

    exit_code = 2


@dataclass(frozen=True)
class NetworkShare:
    """Where a path's share is: ``kind`` unc | mapped_drive | mount; ``where`` the share
    (``\\\\server\\share``, ``Z:``, a mount point); ``fs_type`` a mount's filesystem."""

    kind: str
    where: str
    fs_type: str = ""

    @property
    def label(self) -> str:
        """The share as the message names it."""
        return f"{self.where}（{self.fs_type}）" if self.fs_type else self.where


@dataclass(frozen=True)
class Mount:
    point: str
    fs_type: str
    options: str = ""


def _identity(path: str) -> str:
    return path


def _no_drive_type(_root: str) -> int:
    return 0


def _no_mount_table() -> str | None:
    return None


@dataclass(frozen=True)
class HostFacts:
    """What the operating system says. ``resolve`` makes a path absolute with its links
    followed; ``drive_type("Z:\\\\")`` is ``GetDriveTypeW`` (Windows); ``mount_table()`` the
    text of the mount table or None when unreadable (elsewhere)."""

    windows: bool
    resolve: Callable[[str], str] = field(default=_identity)
    drive_type: Callable[[str], int] = field(default=_no_drive_type)
    mount_table: Callable[[], str | None] = field(default=_no_mount_table)


def network_share(
    path: str | os.PathLike[str], facts: HostFacts | None = None
) -> NetworkShare | None:
    """The network share ``path`` is on, or None when it is local or nobody can tell."""
    try:
        return _judge(os.fspath(path), facts or host_facts())
    except Exception:  # the detection never keeps a database closed by itself
        log.warning("could not tell whether %s is on a network share", path, exc_info=True)
        return None


def refuse_network_share(path: str | os.PathLike[str], facts: HostFacts | None = None) -> None:
    """Raise ``NetworkShareError`` (storage.network_share) when ``path`` is on a share."""
    share = network_share(path, facts)
    if share is not None:
        log.error("database %s refused: on network share %s", path, share)
        raise NetworkShareError("storage.network_share", path=os.fspath(path), share=share.label)


def refuse_unc_text(text: str) -> None:
    """Raise ``NetworkShareError`` when ``--db`` names a UNC path as typed: outside Windows
    ``\\\\server\\share\\site.db`` is a relative name, and once made absolute it
    no longer looks like a share."""
    share = unc_share(text, windows=sys.platform == "win32")
    if share is not None:
        raise NetworkShareError("storage.network_share", path=text, share=share.label)


def _judge(text: str, facts: HostFacts) -> NetworkShare | None:
    found = unc_share(text, windows=facts.windows)
    if found is not None:
        return found
    resolved = facts.resolve(text)
    if resolved != text and (found := unc_share(resolved, windows=facts.windows)):
        return found
    if facts.windows:
        for candidate in dict.fromkeys((text, resolved)):
            drive = PureWindowsPath(candidate).drive
            local_drive = len(drive) == 2 and drive[1] == ":"
            if local_drive and facts.drive_type(drive + "\\") == DRIVE_REMOTE:
                return NetworkShare("mapped_drive", drive.upper())
        return None
    table = facts.mount_table()
    if table is None:
        return None
    mount = mount_of(resolved, parse_mount_table(table))
    if mount is None or not is_network_mount(mount):
        return None
    return NetworkShare("mount", mount.point, mount.fs_type)


def unc_share(text: str, *, windows: bool) -> NetworkShare | None:
    """``\\\\server\\share`` when ``text`` is a UNC path. Forward slashes count on Windows
    only (``//x`` is the root elsewhere); a path starting with two backslashes is a pasted
    UNC path on every system. ``\\\\?\\C:\\…`` and other device paths are not shares."""
    body = text.replace("/", "\\") if windows else text
    if not body.startswith("\\\\"):
        return None
    body = body[2:]
    if body[:2] in ("?\\", ".\\"):
        rest = body[2:]
        if rest[:4].upper() != "UNC\\":
            return None
        body = rest[4:]
    parts = [part for part in re.split(r"[\\/]", body) if part]
    if not parts:
        return None
    return NetworkShare("unc", "\\\\" + "\\".join(parts[:2]))


_ESCAPE = re.compile(r"\\([0-7]{3})")


def _unescape(text: str) -> str:
    """The kernel writes a space, tab, newline or backslash in a mount point as ``\\040``…"""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), text)


#: A line of macOS's ``mount``: ``//u@nas/share on /Volumes/share (smbfs, nodev, …)``.
_MACOS_LINE = re.compile(
    r"^(?P<source>.+?) on (?P<point>/.*) \((?P<type>[^,()]+)(?:, (?P<options>.*))?\)$"
)


def parse_mount_table(text: str) -> list[Mount]:
    """The mounts in ``/proc/self/mountinfo``, ``/proc/mounts`` or macOS ``mount`` text,
    in table order."""
    mounts: list[Mount] = []
    for line in text.splitlines():
        fields = line.split()
        if macos := _MACOS_LINE.match(line):
            options = (macos["options"] or "").replace(" ", "")
            mounts.append(Mount(macos["point"], macos["type"], options))
        elif len(fields) >= 10 and fields[0].isdigit() and "-" in fields[6:]:
            dash = fields.index("-", 6)
            if len(fields) < dash + 2:
                continue
            options = ",".join([fields[5], *fields[dash + 3 : dash + 4]])
            mounts.append(Mount(_unescape(fields[4]), fields[dash + 1], options))
        elif len(fields) >= 3:
            options = fields[3] if len(fields) > 3 else ""
            mounts.append(Mount(_unescape(fields[1]), fields[2], options))
    return mounts


def mount_of(path: str, mounts: Sequence[Mount]) -> Mount | None:
    """The mount holding ``path``: the longest mount point that is a prefix of it; of equal
    ones the later (it hides the earlier)."""
    best: Mount | None = None
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        inside = point == "/" or path == point or path.startswith(point + "/")
        if inside and (best is None or len(point) >= len(best.point.rstrip("/") or "/")):
            best = mount
    return best


def is_network_mount(mount: Mount) -> bool:
    kind = mount.fs_type.lower()
    if kind == "9p" and "aname=drvfs" in mount.options:
        return False  # WSL's view of the Windows PC's own disk
    if kind.startswith("fuse."):
        return kind.removeprefix("fuse.") in NETWORK_FUSE_TYPES
    return kind in NETWORK_FS_TYPES


# -- the real facts -------------------------------------------------------------------


def resolve_existing(text: str) -> str:
    """``text`` absolute, its nearest existing folder's links followed, the rest kept."""
    path = Path(os.path.abspath(text))
    missing: list[str] = []
    while not path.exists() and path.parent != path:
        missing.append(path.name)
        path = path.parent
    real = Path(os.path.realpath(path))
    return str(real.joinpath(*reversed(missing)))


def read_mount_table(tables: Sequence[str] = MOUNT_TABLES) -> str | None:
    for table in tables:
        try:
            return Path(table).read_text(encoding="utf-8", errors="surrogateescape")
        except OSError:
            continue
    return None


def read_macos_mounts() -> str | None:
    import subprocess

    try:
        done = subprocess.run(
            MACOS_MOUNT, capture_output=True, text=True, timeout=MACOS_MOUNT_SECONDS, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def windows_drive_type(root: str) -> int:
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return 0
    return int(windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def host_facts() -> HostFacts:
    """The facts of the system this runs on."""
    if sys.platform == "win32":
        return HostFacts(True, resolve_existing, windows_drive_type)
    if sys.platform == "darwin":
        return HostFacts(False, resolve_existing, mount_table=read_macos_mounts)
    return HostFacts(False, resolve_existing, mount_table=read_mount_table)
