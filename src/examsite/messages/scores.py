"""Chinese text for ``scores.*``: the subject-score import's row checks, the score
reconciliation and the score review (成绩复查)."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("scores.",)

MESSAGES: Final[dict[str, str]] = {
    "scores.row_twice_differs": "这一行与第 {other} 行是同一考生的同一科目，但成绩不同（第 {other} 行：{first}，这一行：{this}），已跳过这一行（以第 {other} 行为准）。请向平台核实哪一个正确，改好后重新导入。",
    "scores.score_for_absent": "考生 {id_number} 的“{subject}”在考试当天记录为缺考，平台却给了成绩 {score} 分。成绩已按平台导入；请核对签到记录（记错了请在“考试”页改正），或向评价组织核实。",
    "scores.absent_but_sat": "平台记录考生 {id_number} 的“{subject}”为缺考，而考试当天记录该考生参加了考试。已按缺考导入；请核对签到表，确有成绩请在复查期内申请成绩复查。",
    "scores.absent_text": "考生 {id_number} 的“{subject}”为缺考，已记为缺考（无成绩）。",
    "scores.void_text": "考生 {id_number} 的“{subject}”成绩作废（违纪），已记为违纪。",
    "scores.not_yet": "平台上这一科目的考试状态为“{status}”，还没有成绩，已跳过。成绩登记后再导出导入即可。",
    "scores.review_not_open": "成绩复查尚未开始：成绩公示从 {start} 开始，复查在公示后 7 天内（至 {end} 前）。请在公示开始后再选考生打印复查表。",
    "scores.review_closed": "成绩复查期已结束（{end} 截止，成绩公示后 7 天内），平台成绩已锁定，不能再申请复查。",
    "scores.review_nobody": "没有选择要复查的考生。请用 --ids 列出考生的证件号码（用逗号分隔），或在成绩页勾选考生。",
    "scores.review_unknown": "证件号码 {id_number} 不是考试计划 {plan} 的报考考生，不能申请复查。请核对证件号码。",
    "scores.cannot_write": "无法写入复查表 {file}：{reason}。请换一个位置，或先关闭正在打开这个文件的程序。",
    "scores.other_sheet": "表格 {file} 是平台的{kind}，不是成绩表。这里只导入{expected}；{kind}请用“import platform”导入。",
    "scores.review_no_out": "请用 --out 指定复查表 PDF 的保存位置，如 --out 复查表.pdf。",
    "scores.status_missing": "还有 {count} 条科目成绩没有导入。请在成绩页导入平台的科目成绩，或在“核对”中查看缺哪些。",
    "scores.status_absent_scored": "{count} 条成绩属于考试当天记录为缺考的考生。请在成绩页“核对”中核实。",
    "scores.figure_scored": "成绩 {scored}/{records} 条",
    "scores.figure_none": "尚未导入成绩",
}
