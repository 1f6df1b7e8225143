"""Chinese text for ``staff.*``: the staff roster, the site team and invigilation."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("staff.",)

#: The roles of ``domain.staff_roles.Role`` (and the legacy ``worker``).
ROLE_TITLES: Final[dict[str, str]] = {
    "director": "考点负责人",
    "chief": "主考",
    "deputy": "副主考",
    "affairs": "考务管理",
    "sysadmin": "系统管理员",
    "logistics": "后勤保障",
    "invigilator": "监考员",
    "inspector": "巡考员",
}
#: Other words a coordinator may type for a role.
ROLE_ALIASES: Final[dict[str, str]] = {
    "工作人员": "affairs",
    "技术支持": "sysadmin",
    "监考": "invigilator",
    "巡考": "inspector",
    "后勤": "logistics",
    "负责人": "director",
    "worker": "affairs",
}

MESSAGES: Final[dict[str, str]] = {
    "staff.post_short_director": "缺少考点负责人（或主考）：现有 {have} 人，至少需要 {need} 人。请在“监考”页添加人员并选择该岗位。",
    "staff.post_short_invigilators": "监考员不足：现有 {have} 人，站点团队至少需要 {need} 人。请在“监考”页添加监考员。",
    "staff.post_short_sysadmin": "缺少系统管理员（技术支持）：现有 {have} 人，至少需要 {need} 人。请在“监考”页添加。",
    "staff.post_short_logistics": "缺少后勤保障（或考务管理、工作人员）：现有 {have} 人，至少需要 {need} 人。请在“监考”页添加。",
    "staff.not_found": "没有名为或编号为“{staff}”的考务人员。请用“staff list”查看。",
    "staff.name_ambiguous": "有 {count} 名考务人员都叫“{staff}”。请改用编号（见“staff list --json”）。",
    "staff.duplicate_name": "已有名为“{name}”的考务人员。同名时请在姓名后加以区分，如“{name}（信息）”。",
    "staff.refused": "考务人员信息没有保存，请按提示修改。",
    "staff.name_empty": "请填写姓名。",
    "staff.bad_phone": "手机号“{phone}”不正确：应为 1 开头的 11 位数字。",
    "staff.unknown_role": "没有“{role}”这个岗位。可选：考点负责人、主考、副主考、考务管理、系统管理员、后勤保障、监考员、巡考员。",
    "staff.no_role": "请至少选择一个岗位。",
    "staff.bad_cap": "每日监考场次上限 {cap} 不正确：应为 1 到 {maximum} 之间的整数。",
    "staff.empty_major": "任教专业需填写专业代码或名称（如 630801:电子商务）。",
    "staff.has_assignments": "{staff} 还有 {count} 个监考安排，不能删除。请先在“监考”页取消这些安排。",
    "staff.assignments_break_rules": "{count} 个监考安排违反规则（如监考本专业或本班考生、同一时间在两个考场），请在“监考”页查看并调整。",
    "staff.room_session_not_found": "考试计划中没有考场“{room}”的场次 {session}。请用“staff assignments --plan 计划代码”查看考场和场次编号。",
    "staff.already_assigned": "{staff} 已安排在考场“{room}”的这个场次。",
    "staff.not_assigned": "{staff} 没有安排在考场“{room}”的这个场次。",
    "staff.reason_not_invigilator": "不是监考员：岗位中没有“监考员”",
    "staff.reason_teaches_major": "任教本场考生的专业（{major}）",
    "staff.reason_teaches_class": "任教本场考生的班级（{classes}）",
    "staff.reason_busy": "同一时间已在考场“{room}”监考（{start} 开始）",
    "staff.reason_cap_reached": "当天监考已达上限 {cap} 场",
    "staff.reason_same_department": "与考生同院系（{department}），优先安排其他院系人员",
    "staff.reason_not_needed": "符合条件，本场人数已够（优先安排其他院系、有监考资格、监考场次少的人员）",
    "staff.left_out_not_invigilator": "{count} 人不是监考员",
    "staff.left_out_teaches_major": "{count} 人任教本场考生的专业",
    "staff.left_out_teaches_class": "{count} 人任教本场考生的班级",
    "staff.left_out_busy": "{count} 人同一时间在其他考场",
    "staff.left_out_cap_reached": "{count} 人当天监考已达上限",
    "staff.assign_short": "有 {count} 个考场场次监考员不足，已安排的保留。请添加监考员、放宽每日上限或手动调整后再试。",
    "staff.figure_short": "{count} 个场次监考员不足",
}
MESSAGES["staff.sheet_empty"] = (
    "考试计划 {plan} 还没有监考安排，没有可导出的内容。请先“自动安排”或手动安排监考。"
)
