"""Chinese text for ``materials.*``: the printed materials (物料) and their print run."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("materials.",)

MESSAGES: Final[dict[str, str]] = {
    "materials.no_font": "找不到可以嵌入 PDF 的中文字体（程序自带的文泉驿微米黑缺失，系统中也没有微软雅黑、黑体或宋体）。请重新安装考点助手。",
    # the print run (services/print_run.py, print_settings.py, commands/print_cmd.py)
    "materials.bad_copies": "签到表份数 {value} 不可用：每个场次可打印 1 到 {most} 份。",
    "materials.bad_labels_per_page": "每页桌贴数 {value} 不可用：可选 {allowed}。",
    "materials.bad_ticket_layout": "准考证版式“{value}”不可用：可选“合并打印”（combined）或“每科一张”（per_subject）。",
    "materials.header_too_long": "页眉文字太长：最多 {most} 个字，请缩短。",
    "materials.unknown_document": "没有这种物料：{keys}。可选的物料：{known}（用 print list 查看）。",
    "materials.nothing_chosen": "没有选择要生成的物料。请至少勾选一种。",
    "materials.preflight_failed": "物料未生成，有 {count} 个问题需要先处理（见下方），没有写入任何文件。",
    "materials.no_seats": "这个考试计划还没有排考，无法生成{documents}。请先在“排考”一步为考生排座。",
    "materials.missing_characters": "“{name}”中的“{chars}”没有任何字体能显示，打印出来会是空框。请在电脑上安装含扩展汉字的字体（如 SimSun-ExtB 或花园明朝）后重试，或核对姓名是否录入有误。",
    "materials.cannot_write": "无法在“{folder}”写入物料：{reason}。如果上次生成的 PDF 还在其他程序中打开，请先关闭它；或换一个文件夹后重试。",
    "materials.status_stale": "物料生成之后座位有变动（{plans}），已打印的准考证、签到表可能不对，请重新生成。",
    "materials.figure_made": "已生成 {files} 份文件",
    "materials.figure_none": "尚未生成",
}
