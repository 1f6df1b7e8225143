"""Chinese text for ``backup.*``: making, checking and restoring backups of the database."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("backup.",)

MESSAGES: Final[dict[str, str]] = {
    "backup.not_a_file": "数据库 {url} 不是本机上的文件，无法备份或恢复。请打开考点数据库文件后再操作。",
    "backup.on_server": "数据库在学校服务器 {server} 上，考点助手不在这台电脑上备份或恢复它：服务器上的数据由信息中心用 PostgreSQL 的 pg_dump 定期备份、用 pg_restore 恢复（做法见 README 的“给信息中心”一节）。已保存的数据都在服务器上；需要备份或恢复时，请联系学校信息中心。",
    "backup.target_exists": "文件 {file} 已经存在，没有覆盖它。请换一个文件名，或先移走这个文件。",
    "backup.cannot_write": "无法写入备份 {file}：{reason}。数据库没有改动；请检查磁盘空间或换一个位置。",
    "backup.copy_failed": "复制数据库 {file} 时出错：{reason}。没有留下备份；请关闭其他考点助手窗口后重试。",
    "backup.copy_damaged": "数据库 {file} 的副本没有通过完整性检查（{detail}），已删除这个副本，没有保存备份。数据库文件可能已损坏，请用最近的备份恢复，或联系技术支持。",
    "backup.not_found": "找不到备份文件 {file}。请检查路径，或用 examsite-cli backup list 查看已有备份。",
    "backup.unreadable": "读不了备份文件 {file}：{reason}。请检查 U 盘是否插好，或把文件复制到本机后再恢复。",
    "backup.not_a_backup": "{file} 不是考点助手的数据库备份，没有恢复。请选择考点助手备份的 .db 文件。",
    "backup.damaged": "备份 {file} 已损坏（完整性检查：{detail}），没有用它恢复，数据库没有改动。请选择另一份备份。",
    "backup.same_file": "{file} 就是当前的数据库，不能用它恢复自己。请选择备份文件夹中的一份备份。",
    "backup.cannot_restore": "无法把备份放回 {file}：{reason}。请关闭其他使用这个数据库的考点助手窗口后重试；被替换前的数据库已另存为备份。",
    "backup.bad_keep": "自动备份至少保留 1 份（收到 {count}）。",
    "backup.needs_yes": "恢复备份会替换当前数据库，需要确认。请在命令后加上 --yes，或在终端中运行并回答 y。",
    "backup.restore_declined": "没有恢复，数据库没有改动。",
    "backup.holds": "考生 {candidates} 人，报考 {registrations} 条，座位 {seats} 个",
    "backup.holds_unknown": "内容无法读取",
    "backup.created": "已备份到 {file}（{size}，完整性检查通过）。备份中有：{holds}。",
    "backup.restored": "已用 {time} 的备份 {file} 恢复数据库 {database}：{holds}。",
    "backup.replaced_kept": "恢复前的数据库已另存为 {file}。",
    "backup.confirm_restore": "用 {file}（{time}，{holds}）替换数据库 {database}？当前数据库会先另存为备份。",
}
