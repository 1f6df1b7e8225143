"""The platform's room sheet (003, 批量导入考场表) as a ``TemplateDef``.

Imported by ``formats.templates`` (the registry) only: other code reads it as
``get_template("rooms.platform")``, so the registry is always loaded first.

The fifteen columns are the platform's, in its order and with its stars. 考场类型 is
written by the program from the certificate's subjects (003: "考场类型无需填写，将根据选择的
考试科目的考场类型自动生成"); on import it is read and ignored. 考位数 is the room's
physical seats (003: "考位数就是座位数").
"""

from __future__ import annotations

from typing import Final

from examsite.formats.templates import Column, TemplateDef

LEVEL_CHOICES: Final[tuple[str, ...]] = ("初级", "中级", "高级")

ROOM_SHEET: Final[TemplateDef] = TemplateDef(
    key="rooms.platform",
    title="批量导入考场表",
    instructions=(
        "填写说明：1. 带 * 的列都要填写，请从第 4 行开始每行填写一个考场，不要修改前三行；"
        "2. 考场类型按考试科目的考试方式取并集填写（以英文逗号隔开），考点助手会按证书的科目自动生成；"
        "3. 一个证书有多个考试科目时，考试科目填在一行内，以英文逗号隔开；"
        "4. 考位数就是考场的座位数；同一考试计划、考核站点、证书下考场名称不能重复；"
        "5. 考试计划编号、证书编号列为文本格式，请直接输入。"
    ),
    sheet_name="考场信息",
    data_rows=500,
    columns=(
        Column(
            "plan_code",
            "考试计划编号",
            required=True,
            aliases=("计划编号", "考核计划编号"),
            text=True,
            width=14,
            rule="考试计划的编号，可在报考管理中查到。",
            example="2232100001",
        ),
        Column(
            "plan_name",
            "所属考试计划",
            required=True,
            aliases=("考试计划", "考核计划", "计划名称"),
            width=28,
            rule="考试计划的名称（以考试计划编号为准）。",
            example="2027年数字营销技术应用全国统考",
        ),
        Column(
            "site_code",
            "考核站点编号",
            required=True,
            aliases=("站点编号", "考点编号"),
            text=True,
            width=14,
            rule="考核站点的编号。",
            example="EX-SITE-001",
        ),
        Column(
            "site_name",
            "所属考核站点",
            required=True,
            aliases=("考核站点", "考点名称", "站点名称"),
            width=30,
            rule="考核站点的名称。",
        ),
        Column(
            "name",
            "考场名称",
            required=True,
            aliases=("考场", "考场名", "机房名称"),
            width=20,
            rule="机房、教室或实训室的名字，如“信息楼 301 机房”；同一计划、站点、证书下不能重复。",
            example="信息楼 301 机房",
        ),
        Column(
            "seats",
            "考位数",
            required=True,
            aliases=("座位数", "考场座位数", "机位数"),
            width=8,
            rule="考场的座位数，正整数。",
            example="45",
        ),
        Column("province", "所在省", required=True, aliases=("省", "省份"), width=10),
        Column("city", "所在市", required=True, aliases=("市", "城市"), width=10),
        Column(
            "district", "所在区/县", required=True, aliases=("区县", "所在区县", "区/县"), width=10
        ),
        Column(
            "address",
            "详细地址",
            required=True,
            aliases=("地址", "考场地址"),
            width=30,
            rule="楼栋、楼层、门牌。",
            example="示例大道 1 号 信息楼 3 层",
        ),
        Column(
            "certificate_code",
            "证书编号",
            required=True,
            aliases=("证书代码",),
            text=True,
            width=18,
            rule="证书（等级）的编号。",
            example="1630054223010588",
        ),
        Column(
            "certificate_name",
            "本次组织考试的证书",
            required=True,
            aliases=("证书名称", "考试证书", "证书"),
            width=30,
        ),
        Column(
            "level",
            "证书等级",
            required=True,
            aliases=("等级",),
            choices=LEVEL_CHOICES,
            width=8,
            example="初级",
        ),
        Column("subjects", "考试科目", required=True, aliases=("科目",), width=30),
        Column("room_type", "考场类型", required=True, aliases=("类型",), width=12),
    ),
)
