"""What the platform's exports look like when they come back to the site: candidate
statuses (考生信息, with 信息待认证 / 信息准确 / 需人工确认), subject scores (科目成绩) and
certificate results (考证结果), as ``TemplateDef`` entries of the registry.

The platform's pages (003 sections 三 and 八, 004 section 5.2) show, per candidate: 学生姓名,
学生编号, 证件号码 (or 身份证号), 手机号码, 就读专业, 专业层次, 入学年份, 所属院校 and the
status; per subject score: 考试计划, 考生编号, 考生姓名, 身份证号, 准考证号, 科目编号,
考试科目, 考试方式, 考试成绩, 考试时间, 参试状态, 考试证书, 考核站点 (issue 11 adds
考生类型, 所属院校, 考核单位 and names the status column 考试状态; the "批量导出科目成绩"
button exports this list). The 考证结果 list is not shown in the documents; we read what any
result list must hold: the candidate (ID or ticket number), the certificate and level, the
result (通过 / 未通过), and optionally the total score and the certificate number.

Exports differ by version and by hand (a coordinator copies, renames, adds a title row), so
each column carries the aliases met in practice. The 排考明细 has its own template
(``arrangement_templates``). ``recognise`` in ``services.platform_import`` scores a sheet
against all four and picks the best.
"""

from __future__ import annotations

from typing import Final

from examsite.formats.templates import Column, TemplateDef

_INDEX = Column("index", "序号", aliases=("编号", "No", "行号"), width=6)
_NAME = Column("name", "学生姓名", aliases=("姓名", "考生姓名", "学员姓名"), width=12)
_ID_NUMBER = Column(
    "id_number",
    "证件号码",
    aliases=(
        "身份证号",
        "身份证号码",
        "证件号",
        "身份证",
        "身份证件号码",
        "公民身份号码",
    ),
    text=True,
    width=22,
)
_TICKET = Column(
    "ticket",
    "准考证号",
    aliases=("准考证编号", "准考证", "准考号", "准考证号码"),
    text=True,
    width=30,
)
_STUDENT_NO = Column("student_no", "学生编号", aliases=("考生编号", "学号"), width=26, text=True)
_PLAN = Column("plan", "考试计划", aliases=("计划名称", "考试计划编号", "计划编号"), width=24)
_SCHOOL = Column("school", "所属院校", aliases=("院校", "学校", "所属学校", "院校名称"), width=20)
_CERTIFICATE = Column(
    "certificate",
    "考试证书",
    aliases=("报考证书", "考核证书", "证书", "证书名称", "职业技能等级证书"),
    width=30,
)
_SITE = Column("site", "考核站点", aliases=("考点", "考核站点名称", "考点名称"), width=24)

PLATFORM_CANDIDATES: Final = TemplateDef(
    key="platform.candidates",
    title="考生信息（平台导出）",
    instructions="平台“考生管理”批量导出的考生信息，含信息状态（信息待认证、信息准确、需人工确认）。",
    columns=(
        _INDEX,
        _NAME,
        _STUDENT_NO,
        Column("id_type", "证件类型", aliases=("证件种类",), width=12),
        Column(_ID_NUMBER.field, _ID_NUMBER.header, True, _ID_NUMBER.aliases, text=True),
        Column("phone", "手机号码", aliases=("手机号", "手机", "联系电话"), text=True),
        Column("major", "就读专业", aliases=("专业", "专业名称")),
        Column("education_level", "专业层次", aliases=("层次", "学历层次")),
        Column("enrollment_year", "入学年份", aliases=("年级", "入学时间")),
        _SCHOOL,
        Column(
            "status",
            "信息状态",
            required=True,
            aliases=("状态", "认证状态", "考生状态", "学生状态", "审核状态", "认证结果"),
            width=12,
        ),
    ),
)

PLATFORM_SCORES: Final = TemplateDef(
    key="platform.scores",
    title="科目成绩（平台导出）",
    instructions="平台“考务管理-科目成绩”中“批量导出科目成绩”得到的表格：每名考生每个科目一行。",
    columns=(
        _INDEX,
        _PLAN,
        _STUDENT_NO,
        _NAME,
        _ID_NUMBER,
        _TICKET,
        Column("candidate_kind", "考生类型", aliases=("考生类别",), width=10),
        _SCHOOL,
        Column("subject_code", "科目编号", aliases=("科目代码", "科目编码"), text=True),
        Column("subject", "考试科目", aliases=("科目", "科目名称", "考核科目"), width=22),
        Column("mode", "考试方式", aliases=("考核方式",), width=10),
        Column(
            "score",
            "考试成绩",
            required=True,
            aliases=("成绩", "分数", "科目成绩", "得分", "考核成绩"),
            width=10,
        ),
        Column("start", "考试时间", aliases=("考核时间",), width=24),
        Column("attendance", "考试状态", aliases=("参试状态", "成绩状态"), width=10),
        _CERTIFICATE,
        Column("org", "考核单位", aliases=("评价组织", "培训评价组织"), width=24),
        _SITE,
    ),
)

PLATFORM_RESULTS: Final = TemplateDef(
    key="platform.results",
    title="考证结果（平台导出）",
    instructions="平台“考务管理-考证结果”导出的表格：每名考生每个证书一行，含是否通过。",
    columns=(
        _INDEX,
        _PLAN,
        _STUDENT_NO,
        _NAME,
        _ID_NUMBER,
        _TICKET,
        _CERTIFICATE,
        Column("level", "证书等级", aliases=("等级", "级别", "考核等级"), width=8),
        Column("total", "总成绩", aliases=("综合成绩", "总分", "最终成绩"), width=10),
        Column(
            "result",
            "考证结果",
            required=True,
            aliases=("考核结果", "是否通过", "结果", "通过情况", "是否合格", "考试结果"),
            width=10,
        ),
        Column("certificate_no", "证书编号", aliases=("证书号", "证书编码"), text=True, width=24),
        _SITE,
    ),
)

PLATFORM_TEMPLATES: Final[tuple[TemplateDef, ...]] = (
    PLATFORM_CANDIDATES,
    PLATFORM_SCORES,
    PLATFORM_RESULTS,
)
