"""Chinese text for ``site.*``: the exam site's record and the site standard checklist."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("site.",)

#: The checklist's items (``domain.site_standard.ITEMS``) as the page and the CLI name them.
ITEM_TITLES: Final[dict[str, str]] = {
    "computers": "考生计算机不少于 45 台（002 设备清单；003 每考场 40 台）",
    "servers": "考试服务器与监考机（考试主控机）",
    "cameras": "每个考场不少于 2 个监控摄像头",
    "network": "千兆局域网与 10M 以上外网",
    "ups": "不间断电源（服务器持续供电不少于 2 小时）",
    "rooms": "至少 1 个 40 个考位的机房",
    "office": "独立的考务办公室",
    "monitor_room": "视频监考室",
    "waiting_area": "候考区与咨询服务处",
    "services": "保卫、后勤、医疗保障",
    "staff_team": "考务团队不少于 5 人",
    "staff_roles": "考务团队岗位齐全（负责人、监考、技术支持、后勤）",
}
GROUP_TITLES: Final[dict[str, str]] = {
    "equipment": "设施设备",
    "rooms": "考场",
    "offices": "办公与服务场所",
    "staff": "考务团队",
}

MESSAGES: Final[dict[str, str]] = {
    "site.no_site": "还没有考核站点。请先用“site set --school 学校名称”或在“考核站点”页填写站点信息。",
    "site.school_needed": "新建考核站点需要填写所属院校名称。",
    "site.refused": "站点信息没有保存，请按提示修改。",
    "site.bad_phone": "联系电话“{phone}”不正确：请填写手机号或带区号的座机号码。",
    "site.too_long": "内容太长，最多 {limit} 个字。",
    "site.certificate_not_found": "没有代码为 {certificate} 的证书。请用“catalog show”查看证书代码。",
    "site.certificate_already": "站点已考核“{certificate}”，不用再添加。",
    "site.certificate_not_examined": "站点没有考核“{certificate}”，无需移除。",
    "site.certificate_has_rooms": "“{certificate}”已设置 {rooms} 个考场，不能移除。请先在“考场”页删除这些考场。",
    "site.not_tickable": "“{item}”不是可勾选的站点标准项目。可勾选：{items}（其余项目由程序自动判断）。",
    "site.standard_missing": "站点标准还有 {count} 项未达到：{items}。请在“考核站点”页逐项核实后勾选。",
    "site.figure": "达标 {done}/{total}（{percent}%）",
    "site.missing_computers": "考生计算机未确认：002 要求 45 台考生机（003 每考场 40 台），配置达到证书要求并关闭 USB、切断外网。确认后请勾选。",
    "site.missing_servers": "考试服务器未确认：需至少 1 台考试服务器（建议 1 台备用）和 1 台考试主控机（监考机）。确认后请勾选。",
    "site.missing_cameras": "监控设备未确认：每个考场需不少于 2 个监控摄像头，能录制并存储考试全过程。确认后请勾选。",
    "site.missing_network": "网络设备未确认：考场内网需千兆交换，外网入口带宽 10M 以上，服务器与考生机在同一局域网。确认后请勾选。",
    "site.missing_ups": "不间断电源未确认：需配套 UPS，保证服务器运行时持续供电不少于 2 小时。确认后请勾选。",
    "site.missing_office": "考务办公室未确认：需设立独立的考务办公室，供监考、巡考、技术支持人员开会和休息。确认后请勾选。",
    "site.missing_monitor_room": "视频监考室未确认：003 要求具备视频监考室。确认后请勾选。",
    "site.missing_waiting_area": "候考区与咨询服务处未确认：需为考生设置候考区和咨询服务处。确认后请勾选。",
    "site.missing_services": "保卫、后勤、医疗保障未确认：考试期间需有保卫、后勤、医疗服务。确认后请勾选。",
    "site.missing_rooms": "没有 {seats} 个考位以上的机房：请在“考场”页登记站点的机房（考位数不少于 {seats}）。",
    "site.missing_staff_team": "考务团队只有 {count} 人，至少需要 {minimum} 人：请在“监考”页添加考务人员。",
}
