"""Chinese text for ``auth.*`` (logging in, what a role may do) and ``users.*`` (user
management: ``users add|list|disable``, the first director, the recovery code)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("auth.", "users.")

MESSAGES: Final[dict[str, str]] = {
    "auth.login_required": "这个考点的数据受账户保护，请先登录。命令行请加 --user 用户名，密码会提示输入（脚本可用环境变量 EXAMSITE_PASSWORD）。",
    "auth.forbidden": "账户“{name}”是{role}，无权进行这项操作（{action}）。请换用有权限的账户登录，或请考点负责人在“用户管理”里调整。",
    "auth.wrong_password": "用户名或密码不对（{name}）。请检查大小写和输入法后再试；忘记密码请找考点负责人重设。",
    "auth.wrong_password_wait": "用户名或密码不对（{name}），已连续输错多次：请 {seconds} 秒后再试。忘记密码请找考点负责人重设，考点负责人可用恢复码。",
    "auth.wait": "账户“{name}”连续输错密码次数过多，请 {seconds} 秒后再试。",
    "auth.disabled": "账户“{name}”已被停用，不能登录。如需使用，请考点负责人在“用户管理”里重新启用。",
    "auth.wrong_recovery_code": "恢复码不对。请对照创建账户时打印或抄下的恢复码，逐组输入（不区分大小写，短横线可省略）。",
    "auth.not_your_room": "监考员账户“{name}”只能登记自己监考的考场：{room} 不在您的监考安排里。如安排有变，请考务人员在“考场与监考”里调整监考员。",
    "auth.no_password": "需要密码：请在提示时输入，或为脚本设置环境变量 EXAMSITE_PASSWORD。",
    "auth.no_user": "这个考点的数据受账户保护：请用 --user 给出用户名。",
    "users.password_short": "密码太短：至少 {minimum} 个字符。这个数据库存有考生的身份证号和照片，请用不易猜到的密码。",
    "users.bad_name": "用户名“{name}”不能用：不能为空或含空格，最多 {maximum} 个字符。",
    "users.bad_role": "没有“{role}”这种角色，可用：{roles}（director / staff / invigilator）。",
    "users.already_set_up": "这个考点已经有账户了：请用考点负责人的账户登录后在“用户管理”里添加。",
    "users.first_is_director": "这个考点还没有账户：第一个账户必须是考点负责人（--role director），它会同时生成恢复码。",
    "users.exists": "已经有名为“{name}”的账户了：请换一个用户名。",
    "users.not_found": "没有名为“{name}”的账户。用 users list 查看全部账户。",
    "users.no_director": "“{name}”不是考点负责人的账户：恢复码只能重设考点负责人的密码。",
    "users.invigilator_needs_staff": "监考员账户“{name}”需要对应一位工作人员（--staff 姓名），才能只看到本人监考的考场。",
    "users.staff_not_found": "工作人员名单里没有“{staff}”：请先在“考场与监考”里添加这位工作人员。",
    "users.staff_ambiguous": "工作人员名单里有 {count} 位“{staff}”：请改用工作人员编号（uid）。",
    "users.last_director": "“{name}”是最后一个可用的考点负责人账户，不能停用：请先添加另一位考点负责人。",
    "users.first_created": "已创建考点负责人账户“{name}”。从现在起，打开这个考点需要登录。",
    "users.recovery_code": "恢复码（只显示这一次，请打印或抄下来锁好）：{code}",
    "users.passwords_differ": "两次输入的新密码不一样，请重新输入。",
    "users.bad_idle_minutes": "自动锁定时间 {minutes} 分钟不能用：请填 0（不锁定）到 {maximum} 分钟。",
    "users.unprotected": "这个考点还没有设置账户：任何人打开本机都能看到全部考生的身份证号和照片。请尽快创建考点负责人账户。",
}
