"""Chinese text for ``afterexam.*``: the papers handed in after the exam and the
monitoring videos' names (003)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

PREFIXES: Final = ("afterexam.",)

PAPER_TITLES: Final[Mapping[str, str]] = {
    "inspection_record": "巡考情况记录表",
    "sealing_confirmation": "考场封场确认单",
    "commitment": "考务人员承诺书",
    "sign_in": "考场签到表",
    "room_record": "考场情况记录表",
    "monitoring_video": "监控视频",
}

COPY_TITLES: Final[Mapping[str, str]] = {
    "sent": "已上交评价组织",
    "kept": "已留档",
}

MESSAGES: Final[dict[str, str]] = {
    "afterexam.unknown_paper": "没有“{key}”这一项，可用：{known}（加 .sent 只勾上交，加 .kept 只勾留档，all 勾全部）。",
    "afterexam.quantity_site": "整个考点 {copies} 份：一份上交，一份留档",
    "afterexam.quantity_room_session": "每个考场场次 2 份（理论、实操各算一场）：共 {sessions} 个场次，{copies} 份",
    "afterexam.note_commitment": "可一张表签所有考务人员的姓名",
    "afterexam.note_monitoring_video": "U 盘、光盘或上传云盘，文件按“考核时间+考核站点+考场名称”命名",
    "afterexam.note_sign_in": "与考场情况记录表一起密封上交",
}
