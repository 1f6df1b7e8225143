"""Chinese text for ``system.*``: why the operating system or SQLite refused a file, said
in the coordinator's words instead of "[Errno 13] Permission denied" (or a localised
Windows sentence). One place for every reader and writer of files and for the database.
"""

from __future__ import annotations

import errno
import logging
import sys
from typing import Final

log = logging.getLogger(__name__)

PREFIXES: Final = ("system.",)

MESSAGES: Final[dict[str, str]] = {
    "system.permission": "没有权限，或文件正被其他程序（如 Excel、WPS）打开",
    "system.in_use": "文件正被其他程序（如 Excel、WPS）打开，请先关闭它",
    "system.not_found": "文件或文件夹不存在",
    "system.is_folder": "这是一个文件夹，不是文件",
    "system.disk_full": "磁盘空间不足，请清理磁盘或换一个位置",
    "system.read_only": "磁盘或文件是只读的（如写保护的U盘、光盘）",
    "system.name_too_long": "文件名或路径太长，请缩短后重试",
    "system.bad_name": "文件名中有不允许的字符",
    "system.device": "读写磁盘时出错，磁盘或U盘可能有故障（或已拔出）",
    "system.other": "系统错误（{detail}）",
}

# Windows error codes (``OSError.winerror``) that mean more than their errno says.
_BY_WINERROR: Final[dict[int, str]] = {
    32: "system.in_use",  # ERROR_SHARING_VIOLATION: open in Excel or WPS
    33: "system.in_use",  # ERROR_LOCK_VIOLATION
    112: "system.disk_full",  # ERROR_DISK_FULL
    19: "system.read_only",  # ERROR_WRITE_PROTECT
    123: "system.bad_name",  # ERROR_INVALID_NAME
    206: "system.name_too_long",  # ERROR_FILENAME_EXCED_RANGE
}
_BY_ERRNO: Final[dict[int, str]] = {
    errno.EACCES: "system.permission",
    errno.EPERM: "system.permission",
    errno.ENOENT: "system.not_found",
    errno.ENOTDIR: "system.not_found",
    errno.EISDIR: "system.is_folder",
    errno.ENOSPC: "system.disk_full",
    errno.EROFS: "system.read_only",
    errno.EBUSY: "system.in_use",
    errno.ETXTBSY: "system.in_use",
    errno.ENAMETOOLONG: "system.name_too_long",
    errno.EINVAL: "system.bad_name",
    errno.EIO: "system.device",
}
if hasattr(errno, "EDQUOT"):
    _BY_ERRNO[errno.EDQUOT] = "system.disk_full"
# What SQLite says, in the order to try.
_SQLITE_TEXTS: Final[tuple[tuple[str, str], ...]] = (
    ("database or disk is full", "system.disk_full"),
    ("readonly", "system.read_only"),
    ("disk i/o error", "system.device"),
    ("unable to open database file", "system.permission"),
    ("locked", "system.in_use"),
)


def reason_code(exc: BaseException) -> tuple[str, dict[str, str]]:
    """The code (and parameters) of ``system.*`` that says why ``exc`` happened."""
    if isinstance(exc, OSError):
        winerror = getattr(exc, "winerror", None)
        if isinstance(winerror, int) and winerror in _BY_WINERROR:
            return _BY_WINERROR[winerror], {}
        if isinstance(exc, IsADirectoryError):
            return "system.is_folder", {}
        if exc.errno is not None and exc.errno in _BY_ERRNO:
            return _BY_ERRNO[exc.errno], {}
        log.info("unmapped OSError %r", exc)
        return "system.other", {"detail": f"错误号 {exc.errno if exc.errno is not None else '?'}"}
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
