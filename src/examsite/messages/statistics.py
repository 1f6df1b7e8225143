"""Chinese text for ``statistics.*``: the statistics workbook (统计表)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("statistics.",)

MESSAGES: Final[dict[str, str]] = {
    "statistics.out_folder_missing": (
        "统计表要保存到的文件夹不存在：{folder}。请先建好这个文件夹，或另选保存位置。"
    ),
    "statistics.out_is_folder": (
        "统计表的保存位置 {file} 是一个文件夹，请写上文件名，如 {file}/统计表.xlsx。"
    ),
    "statistics.out_wrong_type": (
        "统计表只能保存为 Excel 工作簿（.xlsx），“{file}”不是。请把文件名改为以 .xlsx 结尾。"
    ),
    "statistics.out_not_writable": (
        "无法在 {file} 保存统计表：{reason}。请另选保存位置，或关闭正在打开它的程序后重试。"
    ),
}
