"""Chinese text for ``retention.*``: the retention date of each round (exam plan) and the
purge of its personal data (PIPL art. 19)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("retention.",)

MESSAGES: Final[dict[str, str]] = {
    "retention.not_due": "考试计划 {plan} 的个人信息保存到 {date}，还没有到期，现在不能清除。如需改变保存期限，请用“retention set --months N --plan {plan}”。",
    "retention.bad_months": "保存期限 {months} 个月不对：请给 1 到 {most} 之间的整数（月数从成绩公布期结束算起）。",
    "retention.default_needed": "请用 --months N 给出保存期限（月）；只有某个考试计划可以用 --reset 改回全站默认期限。",
    "retention.server_backup": "数据库在学校服务器 {server} 上，考点助手不能在这台电脑上为它做备份。清除个人信息前，必须由学校信息中心用 PostgreSQL 的 pg_dump 做一份备份；确认备份已经做好后，再勾选“信息中心已用 pg_dump 备份”（命令行加 --server-backup-done）清除。",
    "retention.plan_purged": "考试计划 {plan} 的个人信息已于 {date} 按保存期限清除，不能再导出或打印含考生个人信息的文件。需要时请从清除前的备份中恢复。",
    "retention.confirm_needed": "清除不能撤销：请先用“retention preview --plan {plan}”查看将被清除的内容，确认后加 --yes 再运行。",
    "retention.notice_due": "考试计划 {plan} 考生个人信息的保存期已于 {date} 届满：请考点负责人在“文件 › 清除到期个人信息…”中查看并清除。",
    "retention.note_goes": "将被清除：考生的姓名、拼音、身份证号（换成“已清除-…”编号）、性别、手机号、社会考生的其他信息（地址、单位等）和照片，以及本轮考试的准考证号、证书编号、考试当天的备注和突发情况的文字说明。",
    "retention.note_kept": "将被保留：不指向个人的统计所需信息（考生类别、学校、专业、入学年份、层次、班级、各科成绩、缺考记录），统计表在清除后不变；仍在其他未到期考试计划中的考生，其身份信息保留到那一轮到期。",
    "retention.note_audit": "操作记录（审计日志）不能改写或删除：其中按身份证号记下的历史操作会继续保留。本次清除只在其中记一条不含个人信息的记录（清除了多少人、备份在哪里）。",
    "retention.note_backup": "清除前会先做一份备份，这份备份（以及更早的备份）仍含这些个人信息：请按学校规定保管，确认清除无误后及时删除。",
    "retention.purged": "已清除考试计划 {plan} 的个人信息：{candidates} 名考生、{photos} 张照片；{kept} 名考生因仍在其他考试计划中而保留身份信息。",
    "retention.backup_at": "清除前的备份：{file}",
    "retention.backup_server": "清除前的备份：由学校信息中心用 pg_dump 完成（已确认）。",
    "retention.nothing_due": "没有到期需要清除个人信息的考试计划。",
    "retention.set_default": "全站默认保存期限：成绩公布期结束后 {months} 个月。",
    "retention.set_plan": "考试计划 {plan} 的保存期限：成绩公布期结束后 {months} 个月。",
    "retention.reset_plan": "考试计划 {plan} 改回使用全站默认保存期限（{months} 个月）。",
}
