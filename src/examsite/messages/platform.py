"""Chinese text for ``platform.*``: importing what the platform exports (考生信息状态,
科目成绩, 考证结果; the 排考明细 has its own ``arrange.import_*`` messages)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("platform.",)

MESSAGES: Final[dict[str, str]] = {
    "platform.unknown_sheet": "认不出表格 {file} 是平台的哪种导出表。考点助手认识：{expected}。请确认选的是从平台导出的表格，且表头行没有被改动。",
    "platform.no_rows": "表格 {file}（{kind}）的表头下面没有数据行。请确认导出时选了要导出的考生。",
    "platform.nothing_matched": "表格 {file}（{kind}）的 {rows} 行没有一行对得上本站点的记录，没有导入任何内容。请检查是否选错了考试计划（--plan）或选了其他考点的表格；逐行说明见下。",
    "platform.row_no_id": "这一行没有证件号码，已跳过。",
    "platform.row_no_key": "这一行既没有准考证号也没有证件号码，已跳过。",
    "platform.row_twice": "这一行与第 {other} 行是同一条记录，已跳过（以第 {other} 行为准）。请核对平台导出的表格。",
    "platform.unknown_id": "证件号码 {id_number} 不是本站点的考生（或没有报考所选考试计划），已跳过。请核对证件号码。",
    "platform.unknown_ticket": "准考证号 {ticket} 不是本站点任何报考的准考证号，已跳过。请先导入平台的排考明细，或核对准考证号。",
    "platform.ticket_other_candidate": "准考证号 {ticket} 在本机属于证件号码 {holder} 的考生，而这一行写的是 {id_number}，已跳过。请核对后重新导入。",
    "platform.not_registered": "考生 {id_number} 没有报考所选的考试计划，已跳过。请核对考试计划（--plan）。",
    "platform.subject_not_registered": "考生 {id_number} 没有报考科目“{subject}”，已跳过。请核对考试科目或该考生的报考。",
    "platform.subject_ambiguous": "考生 {id_number} 有多个报考都可能是科目“{subject}”，已跳过。请在表格中写明科目编号或考试证书，或用 --plan 指定考试计划。",
    "platform.bad_score": "成绩“{score}”不是数字，已跳过。请填写 0 到 100 的分数，缺考写“缺考”。",
    "platform.score_out_of_range": "成绩 {score} 超出 0 到 {max} 分的范围，已跳过。请核对后重新导入。",
    "platform.score_withdrawn": "考生 {id_number} 的这个科目已退考，成绩仍然导入。",
    "platform.bad_status": "信息状态“{status}”不是平台的状态（信息待认证、需人工确认、信息准确），已跳过。",
    "platform.status_local": "平台显示考生 {id_number} 为“{status}”：这一状态由考点助手自行判断，本机不作改动。请补齐照片或信息后重新上传。",
    "platform.name_differs": "平台上的姓名“{name}”与本机的“{ours}”不同，状态仍已更新。请核对哪一个正确（信息准确后姓名不能再改）。",
    "platform.certificate_not_registered": "考生 {id_number} 没有报考证书“{certificate}”，已跳过。请核对证书名称与等级。",
    "platform.certificate_ambiguous": "考生 {id_number} 报考了多个证书，这一行的“{certificate}”对不上唯一一个，已跳过。请在表格中写明证书名称与等级。",
    "platform.bad_certificate_number": "证书编号“{number}”有 {length} 个字符，超过证书编号的最多 {limit} 个字符，这一行已跳过。请核对是否把别的内容填进了证书编号列。",
    "platform.bad_result": "考证结果“{result}”既不是“通过”也不是“未通过”，已跳过。",
}
