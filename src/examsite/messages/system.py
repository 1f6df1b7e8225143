"""Chinese text for ``system.*``: why the operating system or SQLite refused a file, said
in the coordinator's words instead of "[Errno 13] Permission denied"."""

from __future__ import annotations

import errno
import sys
from typing import Final

PREFIXES: Final = ("system.",)

MESSAGES: Final[dict[str, str]] = {
    "system.permission": "没有权限（文件可能正被其他程序占用，或所在文件夹不允许写入）",
    "system.not_found": "文件或文件夹不存在",
    "system.is_folder": "这是一个文件夹，不是文件",
    "system.not_a_folder": "路径中有一部分不是文件夹",
    "system.disk_full": "磁盘空间已满",
    "system.read_only": "磁盘或文件是只读的（例如写保护的 U 盘）",
    "system.in_use": "文件正被其他程序使用",
    "system.name_too_long": "文件名或路径太长",
    "system.bad_name": "文件名中有不允许的字符",
    "system.io_error": "读写磁盘时出错（U 盘可能已拔出或损坏）",
    "system.other": "系统错误（{detail}）",
}

_BY_ERRNO: Final[dict[int, str]] = {
    errno.EACCES: "system.permission",
    errno.EPERM: "system.permission",
    errno.ENOENT: "system.not_found",
    errno.EISDIR: "system.is_folder",
    errno.ENOTDIR: "system.not_a_folder",
    errno.ENOSPC: "system.disk_full",
    errno.EROFS: "system.read_only",
    errno.EBUSY: "system.in_use",
    errno.ETXTBSY: "system.in_use",
    errno.ENAMETOOLONG: "system.name_too_long",
    errno.EINVAL: "system.bad_name",
    errno.EIO: "system.io_error",
}
# Windows reports a file held by another program as error 32 (sharing violation).
_BY_WINERROR: Final[dict[int, str]] = {32: "system.in_use", 33: "system.in_use"}
# What SQLite says, in the order to try.
_SQLITE_TEXTS: Final[tuple[tuple[str, str], ...]] = (
    ("database or disk is full", "system.disk_full"),
    ("readonly", "system.read_only"),
    ("disk i/o error", "system.io_error"),
    ("unable to open database file", "system.permission"),
    ("locked", "system.in_use"),
)


def reason_code(exc: BaseException) -> tuple[str, dict[str, str]]:
    """The code (and parameters) of ``system.*`` that says why ``exc`` happened."""
    if isinstance(exc, OSError):
        winerror = getattr(exc, "winerror", None)
        if winerror in _BY_WINERROR:
            return _BY_WINERROR[winerror], {}
        if exc.errno in _BY_ERRNO:
            return _BY_ERRNO[exc.errno], {}
    sqlite3 = sys.modules.get("sqlite3")  # not imported: then exc is no SQLite error
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        for needle, code in _SQLITE_TEXTS:
            if needle in text:
                return code, {}
    return "system.other", {"detail": type(exc).__name__}


def reason(exc: BaseException) -> str:
    """Why ``exc`` happened, in Chinese, to put in a message's ``{reason}``."""
    code, params = reason_code(exc)
    return MESSAGES[code].format(**params)
