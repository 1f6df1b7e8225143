"""Why a file could not be read or written, in Chinese, from an ``OSError``.

The system's own text ("[Errno 13] Permission denied", or a localised Windows sentence) is
never shown inside a Chinese message: the error number (and on Windows the error code) is
mapped to a short Chinese reason here, one place for every reader and writer of files.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from typing import Final

from examsite.errors import ExamsiteError, InputError
from examsite.messages import text

log = logging.getLogger(__name__)

# Windows error codes (``OSError.winerror``) that mean more than their errno says.
_WINDOWS_REASONS: Final[dict[int, str]] = {
    32: "file.reason_in_use",  # ERROR_SHARING_VIOLATION: open in Excel or WPS
    33: "file.reason_in_use",  # ERROR_LOCK_VIOLATION
    112: "file.reason_disk_full",  # ERROR_DISK_FULL
    19: "file.reason_read_only",  # ERROR_WRITE_PROTECT
    123: "file.reason_bad_name",  # ERROR_INVALID_NAME
    206: "file.reason_name_too_long",  # ERROR_FILENAME_EXCED_RANGE
}

_ERRNO_REASONS: Final[dict[int, str]] = {
    errno.EACCES: "file.reason_permission",
    errno.EPERM: "file.reason_permission",
    errno.ENOENT: "file.reason_not_found",
    errno.ENOTDIR: "file.reason_not_found",
    errno.EISDIR: "file.reason_is_folder",
    errno.ENOSPC: "file.reason_disk_full",
    errno.EROFS: "file.reason_read_only",
    errno.EBUSY: "file.reason_in_use",
    errno.ETXTBSY: "file.reason_in_use",
    errno.ENAMETOOLONG: "file.reason_name_too_long",
    errno.EINVAL: "file.reason_bad_name",
    errno.EIO: "file.reason_device",
}
if hasattr(errno, "EDQUOT"):
    _ERRNO_REASONS[errno.EDQUOT] = "file.reason_disk_full"


def reason_code(exc: OSError) -> str:
    """The message code of the reason ``exc`` stands for."""
    winerror = getattr(exc, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    if isinstance(exc, IsADirectoryError):
        return "file.reason_is_folder"
    if exc.errno is not None and exc.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[exc.errno]
    return "file.reason_other"


def os_reason(exc: OSError) -> str:
    """A short Chinese reason for ``exc`` ("没有权限……", "磁盘空间不足" …)."""
    code = reason_code(exc)
    if code == "file.reason_other":
        log.info("unmapped OSError %r", exc)
        return text("file.reason_other", number=exc.errno if exc.errno is not None else "?")
    return text(code)


def cannot_write(path: Path, exc: OSError) -> ExamsiteError:
    """The error for a file that could not be written (a fault of the environment)."""
    return ExamsiteError("import.cannot_write", file=str(path), reason=os_reason(exc))


def cannot_read(path: Path, exc: OSError) -> InputError:
    """The error for a file that could not be read (the input is refused)."""
    return InputError("import.cannot_read", file=Path(path).name, reason=os_reason(exc))
