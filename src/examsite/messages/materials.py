"""Chinese text for ``materials.*``: the printed materials (物料) and their print run."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("materials.",)

MESSAGES: Final[dict[str, str]] = {
    "materials.no_font": "找不到可以嵌入 PDF 的中文字体（程序自带的文泉驿微米黑缺失，系统中也没有微软雅黑、黑体或宋体）。请重新安装考点助手。",
}
