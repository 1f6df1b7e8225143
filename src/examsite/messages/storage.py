"""Chinese text for ``storage.*``: the database cannot be opened, written or upgraded."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("storage.",)

MESSAGES: Final[dict[str, str]] = {
    "storage.cannot_open": "无法打开数据库 {path}：{reason}。已有数据未受影响；请处理后重试，或换一个位置。",
    "storage.is_folder": "“{path}”是一个文件夹，不是考点数据库文件。请选择一个 .db 文件，或输入新文件的名字。",
    "storage.cannot_create_folder": "无法创建文件夹“{folder}”：{reason}。请换一个位置保存数据库。",
    "storage.not_a_database": "“{path}”不是考点助手的数据库（文件内容不是数据库，或已损坏），未做任何更改。请选择正确的数据库文件；如果是数据库损坏，请用备份恢复。",
    "storage.foreign_database": "“{path}”是其他程序的数据库，不是考点助手的数据库，未做任何更改。请选择考点助手的数据库文件，或新建一个。",
    "storage.locked": "数据库正被另一个考点助手窗口或命令写入（已等待 30 秒）。请等它完成，或关闭其他考点助手窗口后重试；本次操作没有保存任何更改。",
    "storage.locked_by": "另一台电脑（{computer}）正在{doing}，数据库暂时不能写入（已等待 {seconds} 秒）。请稍候再试，或请那台电脑上的同事先完成；本次操作没有保存任何更改。",
    "storage.disk_full": "磁盘空间不足，无法写入数据库。请清理磁盘后重试，已有数据未受影响。",
    "storage.failed": "数据库出错：{reason}。已有数据未受影响，请重试；如果反复出现，请联系技术支持并提供日志文件。",
    "storage.damaged": '数据库 {path} 未通过完整性检查（文件已损坏：{detail}），为防止损坏扩大，没有打开它。最近一份完好的备份是 {backup}（{backup_time}）；请在窗口中选择“恢复”，或运行 examsite-cli backup restore "{backup}"。',
    "storage.damaged_no_backup": "数据库 {path} 未通过完整性检查（文件已损坏：{detail}），为防止损坏扩大，没有打开它。没有找到完好的备份；请复制一份这个文件保存好，并联系技术支持。",
    "storage.network_share": "数据库文件 {path} 在网络共享 {share} 上，为防止数据库损坏，没有打开它。SQLite 数据库文件放在网络共享上时，文件锁不可靠，两台电脑同时写入同一个文件就会把数据库写坏、丢失数据。请把数据库文件复制到本机自己的硬盘（如“文档”文件夹）再打开；如果几台电脑要一起使用同一份数据，请改用学校服务器模式：在窗口中选择“连接到学校服务器”，或在命令行使用 --db postgresql://用户名@服务器/数据库名。",
    "storage.connection_lost": "与数据库服务器的连接断开了，这一步操作没有完成，也没有保存；之前已保存的数据都还在服务器上，没有丢失。请检查这台电脑的网络和服务器是否正常，然后重做这一步。",
    "storage.server_unreachable": "连不上数据库服务器 {server}：服务器没有响应，或拒绝了连接。已保存的数据都在服务器上，没有丢失。请检查这台电脑的网络、服务器是否开机、PostgreSQL 是否在运行，然后重试（可以用 examsite-cli server test 检查连接设置）。",
    "storage.newer_schema": "这个数据库由更新版本的考点助手创建，当前版本无法打开。请升级考点助手后再打开。",
}
