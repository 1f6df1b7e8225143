"""The invigilator sheet (监考人员表) the platform takes with the room sheet.

The documents are silent on its layout; it follows the room sheet of 003 (*考试计划编号 …):
one row per invigilator per room session, naming the plan, the site, the room and the
session's start and end, then the person. Registered in ``formats.templates.TEMPLATES``
(read it through ``get_template("staff.invigilators")``: this module imports that one).
"""

from __future__ import annotations

from typing import Final

from examsite.formats.templates import Column, TemplateDef

INVIGILATOR_SHEET: Final[TemplateDef] = TemplateDef(
    key="staff.invigilators",
    title="监考人员安排表",
    instructions=(
        "填写说明：每行一名监考员在一个考场场次的安排；带 * 的列必须填写；"
        "时间写成 2027-01-10 08:30；手机号为 11 位数字。"
    ),
    columns=(
        Column("plan_code", "考试计划编号", required=True, text=True, width=16),
        Column("site", "考核站点", required=True, width=40),
        Column("room", "考场名称", required=True, width=20),
        Column("start", "场次开始时间", required=True, width=18, aliases=("开始时间",)),
        Column("end", "场次结束时间", required=True, width=18, aliases=("结束时间",)),
        Column("name", "监考员姓名", required=True, width=12, aliases=("姓名", "监考员")),
        Column("phone", "手机号", text=True, width=14, aliases=("手机号码", "联系电话")),
        Column("department", "所属部门", width=16, aliases=("部门", "院系")),
    ),
    sheet_name="监考人员",
)
