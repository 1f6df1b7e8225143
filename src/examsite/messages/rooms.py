"""Chinese text for ``rooms.*``: rooms (考场), labs (机房), the room sheet, the capacity
check and the exam timetable's check."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("rooms.",)

MESSAGES: Final[dict[str, str]] = {
    "rooms.certificate_not_in_plan": "考试计划 {plan} 不考证书 {certificate}。请用“catalog show”查看该计划的证书编号。",
    "rooms.no_site": "还没有考核站点。请先在“考核站点”页填写站点信息，再设置考场。",
    "rooms.changed_elsewhere": "考场“{room}”已在其他电脑上被修改（{changes}），本次没有保存，以免覆盖那边的修改。请关闭此窗口，刷新后重新打开该考场再改。",
    "rooms.deleted_elsewhere": "考场“{room}”已在其他电脑上被删除，本次没有保存。请刷新考场列表；如仍需要该考场，请重新添加。",
    "rooms.room_not_found": "考试计划 {plan} 没有名为“{room}”的考场。请用“rooms list”查看考场名称。",
    "rooms.room_ambiguous": "有 {count} 个证书都有名为“{room}”的考场。请用 --certificate 指明是哪个证书的考场。",
    "rooms.name_empty": "考场名称没有填写。请填写机房、教室或实训室的名字，如“信息楼 301 机房”。",
    "rooms.name_too_long": "考场名称超过 {limit} 个字。请写短一些。",
    "rooms.text_too_long": "{title}超过 {limit} 个字。请写短一些（详细地址只写楼栋、楼层等）。",
    "rooms.bad_seats": "考位数“{value}”不对：应为 1 到 {limit} 之间的整数（考场的实际座位数）。",
    "rooms.bad_exam_capacity": "考试容量“{value}”不对：应为 1 到考位数 {seats} 之间的整数（隔位就座时可少于考位数），不限制请留空。",
    "rooms.name_taken": "证书“{certificate}”在本考试计划和考核站点下已有名为“{name}”的考场（同一计划、站点、证书下考场名称不能重复）。请换一个名称。",
    "rooms.capacity_below_seated": "考场“{room}”已安排 {seated} 名考生的座位，考试容量不能少于 {seated}。请先把考生调到其他考场。",
    "rooms.has_seats": "考场“{room}”已安排 {seated} 名考生的座位，不能删除。请先在“排考”页把这些考生调到其他考场，或撤销排考后再删除。",
    "rooms.session_short": "{plan}：{certificate} {subject}（{start}）报考 {candidates} 人，考场只能容纳 {capacity} 人，还差 {short} 个考位。请增加考场或考位（可用“按机房生成考场”）。",
    "rooms.plan_locked": "考试计划“{plan}”已于 {start} 开考，考场不能再增删改（考生和已打印的材料都按现有考场安排）。",
    "rooms.import_plan_locked": "考试计划“{plan}”已经开考，考场不能再导入或修改。",
    "rooms.figure": "{rooms} 个考场，可容纳 {capacity} 人",
    "rooms.lab_not_found": "没有名为“{lab}”的机房。请用“rooms labs list”查看机房。",
    "rooms.lab_name_taken": "已有名为“{name}”的机房。请换一个名称。",
    "rooms.no_labs": "还没有登记机房，无法生成考场。请先添加本站点的机房（名称、座位数、考试容量、地址）。",
    "rooms.timetable_same_certificate": "{first}（{first_time}）与 {second}（{second_time}）时间重叠：同一证书等级的考生两科都要考。请把其中一个场次错开。",
    "rooms.timetable_shared_candidates": "{first}（{first_time}）与 {second}（{second_time}）时间重叠，有 {candidates} 名考生两个证书都报考了。请把其中一个场次错开。",
    "rooms.import_missing_columns": "“{file}”缺少必需的列：{columns}。请使用考场导入模板（rooms template）。",
    "rooms.import_empty": "“{file}”中没有考场数据。请从表头下一行开始每行填写一个考场。",
    "rooms.import_refused": "“{file}”有 {rows} 行共 {count} 处错误，整个表格都没有导入。请按逐行说明改正后再导入。",
    "rooms.import_cell_empty": "这一格没有填写。请补上。",
    "rooms.import_unknown_plan": "没有编号为 {plan} 的考试计划。请核对考试计划编号（可在报考管理中查到）。",
    "rooms.import_unknown_certificate": "考试计划“{plan}”中没有证书“{certificate}”。请核对证书编号，或填写证书名称和证书等级。",
    "rooms.import_bad_number": "“{value}”不是整数。考位数请填写座位数，如 45。",
    "rooms.import_duplicate": "考场名称“{name}”与第 {first} 行重复（同一计划、站点、证书下考场名称不能重复）。请改名或删去一行。",
    "rooms.import_type_derived": "考场类型写的是“{given}”，按证书科目应为“{derived}”，已按“{derived}”导入。",
}

#: The room form's fields as the form names them (a change made elsewhere is named so).
ROOM_FIELD_TITLES: Final[dict[str, str]] = {
    "name": "名称",
    "seats": "考位数",
    "exam_capacity": "考试容量",
    "province": "省",
    "city": "市",
    "district": "区县",
    "address": "详细地址",
}
