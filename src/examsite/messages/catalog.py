"""Chinese text for ``catalog.*``: reading a catalog file of certificates and exam plans."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("catalog.",)

MESSAGES: Final[dict[str, str]] = {
    "catalog.unreadable": "无法读取目录文件 {file}：{reason}。请提供 UTF-8 编码的 JSON 文件。",
    "catalog.not_a_catalog": "这不是考点助手的目录文件（缺少 format: examsite-catalog）。",
    "catalog.malformed": "目录文件内容不完整或格式错误：{detail}。请对照内置目录的格式修改。",
}
