"""The platform's by-certificate registration sheet (按证书批量导入报考), in its two variants.

- 003 (中教畅享): ``*考生姓名 *证件号码 *考生类型 *证书编号 *报考证书 *证书等级 *考核站点编号``
  under a title row;
- 001 (鸿科经纬): a title row, an instructions row, the header row ``学生姓名 身份证号 学生类型
  所属院校 考核站点 考试计划名称 报考证书 证书等级`` and an example row (学校全称,
  申请考核站点名称, 所报考计划名称 …) that is not a registration.

Both are written from their ``TemplateDef``; a filled sheet of either (or any sheet close
to them) is read with ``REGISTRATION_READ``, which knows every column of both. Pure data,
like ``formats.templates``.
"""

from __future__ import annotations

from typing import Final

from examsite.formats.templates import Column, TemplateDef

KIND_CHOICES: Final[tuple[str, ...]] = ("院校考生", "社会考生")
LEVEL_CHOICES: Final[tuple[str, ...]] = ("初级", "中级", "高级")

_NAME = Column(
    "name",
    "考生姓名",
    required=True,
    aliases=("学生姓名", "姓名", "学员姓名"),
    width=12,
    rule="与考生名单中的姓名一致。",
    example="王玉霞",
)
_ID = Column(
    "id_number",
    "证件号码",
    required=True,
    aliases=("身份证号", "身份证号码", "证件号", "身份证", "公民身份号码"),
    text=True,
    width=22,
    rule="考生的证件号码；本列为文本格式，请勿改成数字格式。",
    example="110105200201010021",
)
_KIND = Column(
    "kind",
    "考生类型",
    required=True,
    aliases=("学生类型", "考生类别"),
    choices=KIND_CHOICES,
    width=12,
    rule="从下拉列表选择“院校考生”或“社会考生”；留空按考生名单中的类型。",
    example="院校考生",
    derivable=True,
)
_CODE = Column(
    "certificate_code",
    "证书编号",
    required=True,
    aliases=("证书代码", "证书编码"),
    text=True,
    width=20,
    rule="证书等级的编号，如数字营销技术应用（初级）为 1630054223010588；留空时按报考证书和证书等级确定。",
    example="1630054223010588",
    derivable=True,
)
_CERT = Column(
    "certificate_name",
    "报考证书",
    required=True,
    aliases=("证书名称", "报考证书名称", "考核证书"),
    width=32,
    rule="证书全称，如“数字营销技术应用职业技能等级证书”。",
    example="数字营销技术应用职业技能等级证书",
    derivable=True,
)
_LEVEL = Column(
    "level",
    "证书等级",
    required=True,
    aliases=("等级", "报考等级"),
    choices=LEVEL_CHOICES,
    width=10,
    rule="从下拉列表选择：初级、中级或高级。",
    example="初级",
    derivable=True,
)
_SITE_CODE = Column(
    "site_code",
    "考核站点编号",
    required=True,
    aliases=("站点编号", "考点编号"),
    text=True,
    width=18,
    rule="本考点的考核站点编号（平台“考核站点”栏目中查看）。",
    example="",
    derivable=True,
)
_SCHOOL = Column(
    "school",
    "所属院校",
    required=True,
    aliases=("学校", "院校", "院校名称", "学校名称", "所在院校"),
    width=24,
    rule="考生学籍所在学校全称；借考考生填写其本校名称。",
    example="学校全称",
    derivable=True,
)
_SITE = Column(
    "site_name",
    "考核站点",
    required=True,
    aliases=("考核站点名称", "考点", "考点名称"),
    width=30,
    rule="考试所在考核站点的名称（借考考生填写前往考试的考核站点）。",
    example="申请考核站点名称",
    derivable=True,
)
_PLAN = Column(
    "plan_name",
    "考试计划名称",
    required=True,
    aliases=("考试计划", "考核计划名称", "考核计划"),
    width=30,
    rule="本次报考的考试计划名称。",
    example="所报考计划名称",
    derivable=True,
)

REGISTRATION_003: Final[TemplateDef] = TemplateDef(
    key="registration.003",
    title="按证书批量导入报考模板",
    instructions=(
        "填写说明：1. 带 * 的列必须填写，请从第 4 行开始每行填写一名考生，不要修改前三行；"
        "2. 考生必须已在考生名单中（先导入考生信息和照片）；"
        "3. 考生类型只能选择“院校考生”或“社会考生”；证书编号见证书信息管理；"
        "4. 按证书导入时，系统为证书下的每个科目（理论、实操）各生成一条报考记录。"
    ),
    columns=(_NAME, _ID, _KIND, _CODE, _CERT, _LEVEL, _SITE_CODE),
    sheet_name="按证书导入",
)

REGISTRATION_001: Final[TemplateDef] = TemplateDef(
    key="registration.001",
    title="按证书批量导入报考",
    instructions=(
        "填写说明： 1. 学生姓名、身份证号、所属院校、考核站点、考试计划名称、报考证书、证书等级均不能为空，"
        "请填写真实信息 2. 考试计划名称填写本次要报考的考试计划名称，报考证书请填写证书名称 "
        "3. 按证书导入报考，只需要填写报考证书信息，系统会根据考试计划自动报考证书下面设置的所有科目 "
        "4. 学生类型只能选择下拉列表中的值“院校考生”、“社会考生” 5. 填写好后，导入系统即可"
    ),
    columns=(
        Column("name", "学生姓名", required=True, aliases=_NAME.aliases, width=12),
        Column("id_number", "身份证号", required=True, text=True, width=22),
        Column("kind", "学生类型", required=True, choices=KIND_CHOICES, width=12),
        _SCHOOL,
        _SITE,
        _PLAN,
        Column(
            "certificate_name",
            "报考证书",
            required=True,
            width=32,
            example="网店运营推广职业技能等级证书",
        ),
        Column("level", "证书等级", required=True, choices=LEVEL_CHOICES, width=10, example="初级"),
    ),
    sheet_name="按证书导入",
)

#: What a filled sheet of either variant is read with: every column of both.
REGISTRATION_READ: Final[TemplateDef] = TemplateDef(
    key="registration.read",
    title="按证书批量导入报考",
    instructions="读取 003 或 001 格式的按证书报考表（两种格式的所有列）。",
    columns=(
        Column("name", "考生姓名", required=True, aliases=_NAME.aliases),
        Column("id_number", "证件号码", required=True, aliases=_ID.aliases),
        _KIND,
        _CODE,
        _CERT,
        _LEVEL,
        _SITE_CODE,
        _SCHOOL,
        _SITE,
        _PLAN,
    ),
)

#: The values of 001's example row: a row holding two of them is the example, not a
#: registration.
EXAMPLE_VALUES: Final[frozenset[str]] = frozenset(
    {"学校全称", "申请考核站点名称", "所报考计划名称"}
)

REGISTRATION_TEMPLATES: Final[tuple[TemplateDef, ...]] = (
    REGISTRATION_003,
    REGISTRATION_001,
    REGISTRATION_READ,
)
