"""Chinese text for ``crypt.*``: encryption at rest of a site's file (``db encrypt``, the
key sidecar, opening an encrypted site, encrypted transfer bundles)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("crypt.",)

MESSAGES: Final[dict[str, str]] = {
    "crypt.keys_missing": "“{path}”是加密的考点数据库，但它旁边的密钥文件“{keys}”不见了，无法打开（没有做任何更改）。请把备份旁的密钥文件“{spare}”复制为“{keys}”，再用备份当时的密码或恢复码登录。",
    "crypt.keys_missing_no_backup": "“{path}”是加密的考点数据库，但它旁边的密钥文件“{keys}”不见了，无法打开（没有做任何更改）。请从拷贝或备份（{folder}）中找回同名的 .keys 文件放回原处；没有它，任何密码都打不开这个文件。",
    "crypt.keys_damaged": "加密数据库“{path}”的密钥文件“{keys}”已损坏或不是考点助手的密钥文件，无法打开（没有做任何更改）。请用备份旁的 .keys 文件替换它，再用备份当时的密码或恢复码登录。",
    "crypt.keys_cannot_write": "无法写入密钥文件“{keys}”：{reason}。账户的更改没有保存，请检查磁盘空间和文件夹权限后重试。",
    "crypt.keys_mismatch": "密钥文件“{keys}”不属于数据库“{path}”（可能是从别的考点复制来的）。请放回这个数据库自己的 .keys 文件（备份旁有副本）。",
    "crypt.locked": "“{path}”是加密的考点数据库：请先用账户和密码打开（命令行加 --user 用户名，密码会提示输入；脚本可用环境变量 EXAMSITE_PASSWORD）。",
    "crypt.no_wrap": "账户“{name}”打不开这个加密的数据库：用户名不对，或这个账户是在加密之前建的、已停用。请检查用户名；考点负责人为该账户重设密码后即可使用。",
    "crypt.director_only": "只有考点负责人可以加密数据库：请用考点负责人的账户登录后再试。",
    "crypt.not_a_file": "“{url}”不是数据库文件，无法加密。",
    "crypt.on_server": "这个考点的数据在学校服务器（{server}）上：服务器上的静态加密由服务器负责（磁盘加密、备份加密），请联系学校信息中心；考点助手只加密本机的数据库文件。",
    "crypt.already": "“{path}”已经是加密的数据库了，不需要再加密。",
    "crypt.needs_accounts": "加密前请先创建考点负责人账户（users add 姓名 --role director）：加密的数据库要用账户的密码打开。",
    "crypt.export_failed": "加密“{path}”时出错，原文件没有任何更改：{reason}。请检查磁盘空间后重试。",
    "crypt.copy_differs": "加密后的副本与原数据库不一致（{table}：{detail}），已删除副本，原文件没有任何更改。请先用“备份数据库”检查原文件是否完好后重试。",
    "crypt.cannot_replace": "无法用加密后的副本替换“{path}”：{reason}。原文件没有更改；请关闭其他打开这个数据库的考点助手窗口后重试。",
    "crypt.in_use": "还有别的程序打开着“{path}”：请关闭其他考点助手窗口和命令行后再加密。原文件没有更改。",
    "crypt.wrong_key": "加密的数据库“{path}”用现有的密钥打不开：密钥文件与数据库不匹配，或文件已损坏。请用备份恢复（备份旁有对应的 .keys 文件）。",
    "crypt.done": "已加密数据库“{path}”（用时 {seconds} 秒）。从现在起，没有账户密码或恢复码，这个文件只是一堆乱码。",
    "crypt.new_code": "新的恢复码（只显示这一次，旧恢复码已作废；请打印或抄下来锁好）：{code}",
    "crypt.can_open": "能打开加密数据库的账户：{names}。",
    "crypt.need_reset": "这些账户还打不开加密的数据库，请考点负责人为它们重设密码：{names}。",
    "crypt.old_backups": "注意：加密之前做的备份和导出的文件仍是未加密的，请删除不再需要的旧备份（备份文件夹：{folder}）。",
    "crypt.keys_beside": "密钥文件“{keys}”必须和数据库放在一起（复制数据库时一并复制）；丢了它，任何密码都打不开数据库。",
    "crypt.bundle_needs_passphrase": "这个考点的数据库是加密的，导出的传输包也要加密：请给一个至少 {minimum} 个字符的口令（命令行会提示输入；脚本可用环境变量 EXAMSITE_BUNDLE_PASSPHRASE），并把口令另行告诉接收的考点。",
    "crypt.bundle_passphrase_short": "传输包的口令太短：至少 {minimum} 个字符。",
    "crypt.bundle_locked": "传输包“{file}”是加密的：请给出导出时设的口令（命令行会提示输入；脚本可用环境变量 EXAMSITE_BUNDLE_PASSPHRASE），口令请向导出的考点索取。",
    "crypt.bundle_wrong_passphrase": "传输包“{file}”的口令不对，无法解密，没有导入任何数据。请向导出的考点核对口令（区分大小写）。",
    "crypt.backup_locked": "备份“{file}”是加密的：请用账户登录后再恢复（命令行加 --user 用户名，用备份当时的密码；备份旁的 .keys 文件要一起在）。",
}
