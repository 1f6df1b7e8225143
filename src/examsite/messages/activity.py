"""Chinese text for ``activity.*``: what a unit of work is doing, as another coordinator
reads it when the write lock is held ("另一台电脑（办公室-PC2）正在导入考生"). The key
after the prefix is the name of the service module that opened the unit of work."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("activity.",)

MESSAGES: Final[dict[str, str]] = {
    "activity.writing": "修改数据",
    "activity.accounts": "管理用户账户",
    "activity.accounts_self": "修改自己的密码",
    "activity.after_exam": "处理考后材料",
    "activity.audit": "查看操作记录",
    "activity.audit_verify": "核对操作记录",
    "activity.db_copy": "复制整个考点的数据",
    "activity.db_copy_merge": "复制整个考点的数据",
    "activity.retention": "清除到期的个人信息",
    "activity.arrangement": "编排考场座位",
    "activity.arrangement_import": "导入官方排考",
    "activity.backup": "备份数据库",
    "activity.candidate_import": "导入考生",
    "activity.candidates": "修改考生信息",
    "activity.catalog": "更新证书目录",
    "activity.certificate_result_import": "导入证书结果",
    "activity.checkin": "登记签到",
    "activity.checkin_marks": "登记签到",
    "activity.demo": "创建演示考点",
    "activity.disclosure": "记录导出完整身份证号",
    "activity.encryption": "加密数据库",
    "activity.exam_day_record": "记录考试情况",
    "activity.incidents": "记录考场异常",
    "activity.invigilation": "安排监考",
    "activity.labs": "设置考场",
    "activity.photos": "处理照片",
    "activity.platform_import": "导入平台数据",
    "activity.plans": "修改考试计划",
    "activity.registration": "登记报考",
    "activity.registration_changes": "修改报考",
    "activity.results": "登记成绩",
    "activity.room_import": "导入考场",
    "activity.rooms": "修改考场",
    "activity.score_import": "导入成绩",
    "activity.score_review": "处理成绩复查",
    "activity.seating_changes": "调整考位",
    "activity.sessions": "修改考试场次",
    "activity.site": "修改考点信息",
    "activity.staff": "修改工作人员",
    "activity.transfer": "合并数据包",
    "activity.transfer_merge": "合并数据包",
}
