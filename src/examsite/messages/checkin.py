"""Messages of exam-day check-in (``checkin.*``) and the titles of attendance statuses and
of a session's phases."""

from __future__ import annotations

from typing import Final

PREFIXES = ("checkin",)

MESSAGES: dict[str, str] = {
    # what a scan means (the verdict shown under the candidate)
    "checkin.checked_in": "{name} 签到成功：{room} {seat} 号座位",
    "checkin.checked_in_late": "{name} 迟到 {minutes} 分钟，准予入场（已记为迟到）：{room} {seat} 号座位",
    "checkin.refused_late": (
        "已过入场时间（开考 30 分钟后，即 {closes} 后不得入场），{name} 不能入场。"
        "已记为“迟到禁入”，请在考场情况记录表中写明"
    ),
    "checkin.already": "{name} 已于 {time} 记录为“{status}”，请勿重复签到。如有误，请在名单中更正",
    "checkin.too_early": "还没到入场时间：本场 {start} 开考，{opens} 开始入场（开考前 30 分钟）。请考生稍候",
    "checkin.wrong_room": "{name} 不在本考场！本场次应到 {room} {seat} 号座位，请引导考生前往",
    "checkin.wrong_session": (
        "{name} 不是本场次的考生！其考试为 {when} 的“{subject}”，在 {room} {seat} 号座位"
    ),
    "checkin.not_seated": "{name} 在本考试计划中没有考位（未报考或未排考），不能入场。请联系考务人员",
    "checkin.unknown": (
        "查无此人：本考试计划没有这个准考证号或证件号码（{code}）。请核对准考证，或手工输入证件号码"
    ),
    "checkin.empty_code": "没有读到内容。请把准考证上的二维码对准扫码枪，或输入准考证号、证件号码",
    # refused requests
    "checkin.room_session_not_found": "找不到考场场次“{room_session}”。请重新选择考场和场次",
    "checkin.door_not_found": (
        "本考试计划没有考场“{room}”在场次“{session}”的安排。"
        "请用 sessions list 查看场次编号，用 arrange show 查看考场名称"
    ),
    "checkin.room_and_session": "请同时给出 --room（考场名称）和 --session（场次编号），或都不给",
    "checkin.ticket_not_found": "“{ticket}”不是本考试计划中有考位的准考证号或证件号码。请核对后重试",
    "checkin.no_such_seat": "“{ticket}”没有“{subject}”的考位。请核对科目（理论/实操）",
    "checkin.which_subject": "“{ticket}”有多个场次：{subjects}。请用 --subject 指明科目（理论或实操）",
    "checkin.left_at_not_left_early": "离场时间只用于“提前离场”。请把状态设为 left_early（提前离场）",
    "checkin.left_at_outside": "离场时间 {left_at} 不在本场考试时间 {start}–{end} 之内。请核对时间",
    "checkin.bad_time": "“{value}”不是时间。请写成 HH:MM（如 09:40）或 2026-12-19T09:40",
    "checkin.rest_absent_too_soon": "{closes} 后才禁止入场，届时才能把未签到的考生记为缺考",
    # the sidebar
    "checkin.figure_today": "今天已到 {present}/{seats}，缺考 {absent}",
    "checkin.figure_next": "{date} 考试，{seats} 个考位",
    "checkin.figure_recorded": "已记录 {count} 人次签到",
    "checkin.figure_not_arranged": "尚未排考",
    "checkin.status_unmarked": "{count} 个考位的场次已结束仍未记录签到（{rooms}），请补记缺考",
}

#: ``domain.attendance.AttendanceStatus`` in Chinese; "" is a seat with nothing recorded.
ATTENDANCE_TITLES: Final[dict[str, str]] = {
    "": "未签到",
    "present": "已签到",
    "absent": "缺考",
    "late": "迟到",
    "refused_late": "迟到禁入",
    "left_early": "提前离场",
    "misconduct": "违纪",
}

#: ``domain.attendance.Phase`` in Chinese, as the page's clock shows it.
PHASE_TITLES: Final[dict[str, str]] = {
    "before_entry": "未到入场时间",
    "entry_open": "入场中",
    "late_entry": "已开考 · 迟到可入场",
    "entry_closed": "已禁止入场",
    "ending_soon": "即将结束（最后 15 分钟）",
    "ended": "已结束",
}
