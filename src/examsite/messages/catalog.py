"""Chinese text for ``catalog.*``: reading a catalog file of certificates and exam plans."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("catalog.",)

MESSAGES: Final[dict[str, str]] = {
    "catalog.unreadable": "无法读取目录文件 {file}：{reason}。请提供 UTF-8 编码的 JSON 文件。",
    "catalog.not_a_catalog": "这不是考点助手的目录文件（缺少 format: examsite-catalog）。",
    "catalog.malformed": "目录文件内容不完整或格式错误：{detail}。请对照内置目录的格式修改。",
    "catalog.invalid": "目录文件有 {count} 处错误，没有导入任何内容。请按下面的说明改正后重新导入。",
    # certificates and their rules
    "catalog.certificate_field_missing": "证书 {certificate} 缺少 {field}。请对照内置目录补上这一项。",
    "catalog.certificate_unknown_org": "证书 {certificate} 的培训评价组织 {org} 既不在文件的 orgs 中，也不在数据库中。请改正 org 或在 orgs 中加入这个组织。",
    "catalog.rule_missing": "证书 {certificate} 缺少 {field}。请对照内置目录补上这一项。",
    "catalog.rule_not_an_object": "证书 {certificate} 的 {field} 应是一组“名称: 值”（JSON 对象）。请对照内置目录改正。",
    "catalog.rule_unknown_field": "证书 {certificate} 的 {field} 不是规则中的项，可用的项有：{allowed}。请删除它或改正拼写。",
    "catalog.rule_not_a_count": "证书 {certificate} 的 {field} 是“{value}”，应为不小于 {minimum} 的整数。请改正。",
    "catalog.rule_not_a_mark": "证书 {certificate} 的 {field} 是“{value}”，应为 0 到 {maximum} 之间的分数。请改正。",
    "catalog.rule_unknown_kind": "证书 {certificate} 的 {field} 是“{value}”，只能是 {allowed} 之一。请改正。",
    "catalog.weights_not_one": "证书 {certificate} 按加权计分（weighted），但各科目权重（subjects.weight）之和是 {total}，应为 1（例如理论 0.3 + 实操 0.7）。请改正权重。",
    "catalog.subject_unknown_kind": "证书 {certificate} 有一个科目的类型（subjects.kind）是“{value}”，只能是 theory（理论）或 practical（实操）。请改正。",
    "catalog.subject_twice": "证书 {certificate} 有两个 {subject} 科目，理论和实操各只能有一个。请删去多余的一个。",
    "catalog.subject_duration_invalid": "证书 {certificate} 的 {subject} 科目考试时长（duration_minutes）是“{value}”，应为大于 0 的整数（分钟）。请改正。",
    "catalog.subject_weight_invalid": "证书 {certificate} 的 {subject} 科目权重（weight）是“{value}”，应为 0 到 1 之间的数。请改正。",
    # exam plans and their timetables
    "catalog.plan_not_found": "没有代码为 {plan} 的考试计划。请用“catalog show”查看考试计划代码。",
    "catalog.conflict": "目录文件与本机已有的目录冲突（{detail}），没有导入任何内容。同一证书名称和等级只能有一个证书编号，同一个编号只能出现一次；请对照内置目录改正后再导入。",
    "catalog.field_too_long": "{where} 的 {field} 有 {length} 个字，超过了最多 {limit} 个字。请对照内置目录改短后再导入。",
    "catalog.field_not_text": "{where} 的 {field} 应是文字，文件里却是 {value}。请对照内置目录把它改成加英文双引号的文字后再导入。",
    "catalog.plan_field_missing": "考试计划 {plan} 缺少 {field}。请对照内置目录补上这一项。",
    "catalog.plan_unknown_org": "考试计划 {plan} 的培训评价组织 {org} 既不在文件的 orgs 中，也不在数据库中。请改正 org 或在 orgs 中加入这个组织。",
    "catalog.plan_unknown_certificate": "考试计划 {plan} 的证书 {certificate} 既不在文件的 certificates 中，也不在数据库中。请改正证书代码或在 certificates 中加入这个证书。",
    "catalog.window_invalid": '考试计划 {plan} 的 {field} 应为 [开始时间, 结束时间]，如 ["2027-01-10T08:30", "2027-01-10T16:30"]，现在是“{value}”。请改正。',
    "catalog.window_reversed": "考试计划 {plan} 的 {field} 结束时间早于开始时间。请改正。",
    "catalog.timetable_not_a_list": "考试计划 {plan} 的 timetable 应是一个列表，每项写明 certificate、subject 和 start。请对照内置目录改正。",
    "catalog.timetable_entry_invalid": "考试计划 {plan} 的 timetable 第 {index} 项“{value}”不完整：每项应有 certificate（证书代码）、subject（theory 或 practical）和 start（如 2027-01-10T08:30）。请改正。",
    "catalog.timetable_unknown_certificate": "考试计划 {plan} 的 timetable 第 {index} 项的证书 {certificate} 不是这个计划的证书（certificates）。请改正证书代码，或把证书加入这个计划。",
    "catalog.timetable_unknown_subject": "考试计划 {plan} 的 timetable 给证书 {certificate} 的 {subject} 科目排了时间，但这个证书没有 {subject} 科目。请删去这一项或改正 subject。",
    "catalog.timetable_twice": "考试计划 {plan} 的 timetable 中，证书 {certificate} 的 {subject} 科目在 {start} 出现了两次。请删去重复的一项。",
    "catalog.session_outside_window": "考试计划 {plan} 中证书 {certificate} 的 {subject} 场次 {start} ~ {end} 不在考试时间 {window_start} ~ {window_end} 之内。请调整 timetable 中的开始时间或科目时长，或改正计划的考试时间（exam）。",
}
