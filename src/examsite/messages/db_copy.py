"""Chinese text for ``db_copy.*``: moving a whole site between databases (``db copy``)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("db_copy.",)

MESSAGES: Final[dict[str, str]] = {
    "db_copy.bad_target": "--to 的值“{target}”不对：请给一个数据库文件的路径（如 D:\\考点\\site.db）、学校服务器的地址（postgresql://用户名@服务器/数据库名），或 server（使用已保存的学校服务器设置）。",
    "db_copy.same_database": "来源和目标是同一个数据库（{target}），不能复制到它自己。请用 --to 指定另一个数据库文件或服务器上的另一个数据库。",
    "db_copy.target_has_data": "目标数据库 {target} 已经有考点数据（{tables}），为免覆盖，没有复制任何数据。若要把来源的数据合并进去（按传输包的合并规则：新记录加入，两边都有的记录逐字段合并，冲突由您选择），请加 --merge 再运行一次；若要完整复制，请换一个空数据库或一个新的文件名。",
    "db_copy.mismatch": "复制后核对不一致：表 {table} 来源 {source_rows} 行、目标 {target_rows} 行，或内容的校验值不同。已全部撤销，目标数据库保持原样。请重试；如果反复出现，请把这段话发给信息中心。",
    "db_copy.photo_mismatch": "复制后核对不一致：照片 {ids} 在目标数据库中与来源不是逐字节相同。已全部撤销，目标数据库保持原样。请重试；如果反复出现，请把这段话发给信息中心。",
    "db_copy.merge_untrusted": "目标数据库 {target} 还没有信任考点“{site}”的密钥（指纹 {fingerprint}），所以没有合并。合并前请确认目标数据库确实是本考点的数据：核对指纹无误后，加 --pair 再运行一次；此后目标数据库会接受这把密钥签名的数据。",
    "db_copy.encrypted_source": "这个考点的数据库已加密，复制到文件 {target} 会得到一份未加密的副本，所以没有复制。要在另一台电脑上使用，请用“备份”（备份同样加密），或把数据库文件连同旁边的 .keys 文件一起拷贝；迁移到学校服务器不受影响。",
    "db_copy.cannot_write": "无法在文件夹 {folder} 写入复制的数据库：{reason}。目标保持原样。",
    "db_copy.target_in_use": "目标文件 {path} 正被另一个程序（如另一个考点助手窗口）打开，没有复制。请关闭使用它的程序后重试。",
}

#: What each table holds, as the coordinator calls it (messages and the copy's report).
TABLE_TITLES: Final[dict[str, str]] = {
    "audit_log": "操作记录",
    "bundle_log": "导入导出记录",
    "org": "组织机构",
    "school": "学校",
    "setting": "设置",
    "tombstone": "删除记录",
    "user_account": "用户账户",
    "candidate": "考生",
    "certificate": "证书",
    "exam_plan": "考试计划",
    "site": "考点",
    "staff": "考务人员",
    "fee_override": "收费标准",
    "lab": "机房",
    "photo": "照片",
    "plan_certificate": "计划的证书",
    "quota": "试点规模",
    "registration": "报考",
    "room": "考场",
    "site_certificate": "考点的证书",
    "subject": "科目",
    "certificate_result": "考证结果",
    "exam_session": "场次",
    "registration_subject": "报考科目",
    "room_session": "考场场次",
    "score": "成绩",
    "incident": "考场情况",
    "invigilator_assignment": "监考安排",
    "seat": "座位",
    "attendance": "考场签到",
}


def table_title(table: str) -> str:
    """The table's Chinese title (its name when it has none yet)."""
    return TABLE_TITLES.get(table, table)
