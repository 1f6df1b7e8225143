"""Chinese text for ``bundle.*``: sync bundles that cannot be used, and why."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("bundle.",)

MESSAGES: Final[dict[str, str]] = {
    "bundle.unreadable": "读不了数据包 {file}：{reason}。请检查 U 盘是否插好，或把数据包复制到本机后再导入。",
    "bundle.damaged": "数据包 {file} 已损坏（不是完整的 zip 文件，可能复制时 U 盘被拔出）。请在原电脑上重新导出。",
    "bundle.no_manifest": "{file} 里没有 manifest.json，不是考点助手的数据包。请选择考点助手导出的数据包。",
    "bundle.not_a_bundle": "{file} 不是考点助手的数据包。请选择考点助手导出的数据包。",
    "bundle.unknown_version": "数据包 {file} 的格式版本是 {version}，本程序只认识版本 {known}。请把两台电脑上的考点助手升级到同一版本后再导出。",
    "bundle.bad_manifest": "数据包 {file} 的清单（manifest.json）内容不完整。请在原电脑上重新导出。",
    "bundle.file_missing": "数据包 {file} 缺少文件 {path}。请在原电脑上重新导出。",
    "bundle.file_altered": "数据包 {file} 中的 {path} 与清单记录的大小或校验值不符（文件被改动或损坏）。请在原电脑上重新导出。",
    "bundle.file_unlisted": "数据包 {file} 中有清单没有列出的文件 {path}（数据包被改动过）。请在原电脑上重新导出。",
}
