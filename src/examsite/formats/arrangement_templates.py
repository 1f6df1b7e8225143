"""The platform's arrangement detail (排考明细, 003 section 七) as a ``TemplateDef``.

The platform shows, per room, 序号 学生姓名 身份证号 准考证号 所属院校 考位号, with the room
(考场名称), the subject (考试科目) and the time (考试时间) above the list; exported or
copied into a sheet, those become columns. Only the ID number, the ticket number, the room
and the seat are needed; the subject and time, when present, pick the session (without a
subject a row seats the registration in every session of that room), and the name is
checked against the candidate's. Registered in ``formats.templates.TEMPLATES``.
"""

from __future__ import annotations

from typing import Final

from examsite.formats.templates import Column, TemplateDef

ARRANGEMENT_DETAIL: Final = TemplateDef(
    key="arrangement.detail",
    title="排考明细",
    instructions="平台“考务管理-排考管理-排考明细”中的考生考场、座位与准考证号。",
    columns=(
        Column("index", "序号", aliases=("编号", "No"), width=6),
        Column(
            "ticket",
            "准考证号",
            required=True,
            aliases=("准考证编号", "准考证", "准考号"),
            text=True,
            width=30,
        ),
        Column("name", "学生姓名", aliases=("姓名", "考生姓名"), width=12),
        Column(
            "id_number",
            "证件号码",
            required=True,
            aliases=("身份证号", "身份证号码", "证件号", "身份证"),
            text=True,
            width=22,
        ),
        Column("school", "所属院校", aliases=("院校", "学校", "所属学校"), width=20),
        Column("room", "考场名称", required=True, aliases=("考场", "考场名"), width=14),
        Column(
            "seat", "考位号", required=True, aliases=("座位号", "座位", "考位", "座号"), width=8
        ),
        Column("subject", "考试科目", aliases=("科目", "科目名称"), width=22),
        Column("start", "考试时间", aliases=("开考时间", "考试日期"), width=24),
        Column("plan", "考试计划", aliases=("计划名称", "考试计划编号", "计划编号"), width=20),
    ),
)
