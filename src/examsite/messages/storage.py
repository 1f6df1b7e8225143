"""Chinese text for ``storage.*``: the database cannot be opened, written or upgraded."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("storage.",)

MESSAGES: Final[dict[str, str]] = {
    "storage.cannot_open": "无法打开数据库 {path}：{reason}。请检查文件路径和权限。",
    "storage.locked": "数据库正被另一个程序使用（已锁定）。请关闭其他考点助手窗口后重试。",
    "storage.disk_full": "磁盘空间不足，无法写入数据库。请清理磁盘后重试，已有数据未受影响。",
    "storage.failed": "数据库出错：{reason}。已有数据未受影响，请重试；如果反复出现，请联系技术支持并提供日志文件。",
    "storage.newer_schema": "这个数据库由更新版本的考点助手创建，当前版本无法打开。请升级考点助手后再打开。",
}
