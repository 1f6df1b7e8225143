"""Chinese text for ``incident.*``: exam-day incidents (考场突发情况, 003's emergency
section), and the titles of the incident codes and of the absences on the room record
form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

PREFIXES: Final = ("incident.",)

#: The codes' Chinese names, as 003 and the issue write them.
INCIDENT_TITLES: Final[Mapping[str, str]] = {
    "late": "迟到",
    "misconduct": "违纪/作弊",
    "machine_change": "换机",
    "extension": "延时",
    "power_cut": "停电",
    "question": "题目疑问",
    "illness": "疾病",
    "other": "其他",
}

#: Other words a coordinator types for a code.
INCIDENT_ALIASES: Final[Mapping[str, str]] = {
    "违纪": "misconduct",
    "作弊": "misconduct",
    "违纪作弊": "misconduct",
    "更换考生机": "machine_change",
    "换考生机": "machine_change",
    "延长时间": "extension",
    "延迟": "extension",
    "题目问题": "question",
    "生病": "illness",
    "突发疾病": "illness",
}

#: Why a candidate is on the room record form's absent list.
ABSENCE_TITLES: Final[Mapping[str, str]] = {
    "absent": "缺考",
    "refused_late": "迟到禁入",
    "unrecorded": "未签到",
}

#: The other statuses the form's remarks name.
REMARK_TITLES: Final[Mapping[str, str]] = {
    "late": "迟到入场",
    "left_early": "提前离场",
    "misconduct": "违纪",
}

MESSAGES: Final[dict[str, str]] = {
    # the form
    "incident.unknown_code": "没有“{code}”这种突发情况，可用：{known}。",
    "incident.action_empty": "请写明采取了什么处理措施（如“已延时 10 分钟”“已更换备用机”）。",
    "incident.description_empty": "这类情况请在“情况说明”中写明发生了什么（如考生反映的题目、事件经过）。",
    "incident.candidates_needed": "这类情况须写明涉及的考生（证件号码，可写多个，用逗号分开）。",
    "incident.bad_time": "时间“{value}”看不懂。请写成“09:40”或“2026-12-20 09:40”。",
    "incident.time_in_future": "时间 {time} 还没到（现在 {now}）。请核对时间：只能记录已经发生的情况。",
    "incident.time_outside_session": "时间 {time} 不在这个场次内（{first} 至 {last}）。请核对时间，或选择发生情况的考场场次。",
    "incident.time_outside_plan": "时间 {time} 不是这个考试计划的考试日（{days}）。请核对日期。",
    "incident.minutes_needed": "延时须写明延长的分钟数。",
    "incident.minutes_not_positive": "延时 {minutes} 分钟不成立：分钟数须大于 0。",
    "incident.minutes_too_many": "延时 {minutes} 分钟超过了场次本身的时长 {limit} 分钟，多半是输入有误。请核对分钟数。",
    "incident.minutes_not_extension": "只有“延时”记录分钟数。因这一情况需要延长考试时间的，请另记一条“延时”。",
    # where and who
    "incident.room_not_found": "这个考试计划没有名为“{room}”的考场。请核对考场名称（见“考场”页）。",
    "incident.session_not_found": "这个考试计划没有编号为 {uid} 的场次。请用“sessions list --plan”查看场次编号。",
    "incident.room_not_in_session": "考场“{room}”在这个场次没有安排考试。请核对考场或场次。",
    "incident.room_and_session": "考场和场次要一起写明（--room 和 --session），或都不写（全考点的情况）。",
    "incident.room_needed": "这类情况须记在考生所在的考场场次，但从考生和时间推断不出唯一的考场场次。请用 --room 和 --session 写明。",
    "incident.candidate_not_in_plan": "证件号码 {id_number} 的考生没有报考这个考试计划。请核对证件号码。",
    "incident.candidate_not_in_room": "考生 {id_number}（{name}）不在考场“{room}”的这个场次。请核对考生或考场。",
    "incident.not_found": "没有编号为 {uid} 的突发情况记录。请用“incident list --plan”查看编号。",
    "incident.refused": "这条突发情况记录有 {count} 处问题，没有保存。请按说明修改后重新保存。",
    # with the recorded incident (003's rules)
    "incident.extension_on_site": "延时 {minutes} 分钟：15 分钟以内由主考、巡考员现场决定，并报评价组织。",
    "incident.extension_needs_org": "延时 {minutes} 分钟超过 {limit} 分钟：须由评价组织决定，并在《考场情况记录表》中记录。请先联系评价组织确认。",
    "incident.late_entry_closed": "开考 30 分钟后（{closes} 起）考生不得入场：请在签到中记为“迟到禁入”。",
    "incident.misconduct_signature": "违纪、作弊须填报记录并由考生签字；考生拒不签字的，由所有在场监考人员签字确认。",
    "incident.machine_change_time": "更换考生机须在《考场情况记录表》中写明；耽误了考试时间的，请另记一条“延时”。",
    "incident.question_report": "请考生继续答题，并将情况上报评价组织。",
    "incident.illness_report": "考生因病不能继续考试的，先护理，必要时拨打急救电话，并立即上报评价组织。",
    "incident.power_cut_wait": "请考生留在考场静坐等待；确认 {limit} 分钟内可恢复供电的，恢复后继续考试，并通知主考。",
    "incident.other_report": "考试结束后请将情况上报评价组织；无法解决的立即上报。",
}
