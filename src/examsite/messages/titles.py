"""Titles of named values: workflow steps and states, candidate statuses and fields, kinds,
levels, subjects, plan windows, problem levels and photo verdicts. One table each."""

from __future__ import annotations

from collections.abc import Mapping

from examsite.domain.problems import Level
from examsite.domain.workflow import Step, StepState

STEP_TITLES: Mapping[Step, str] = {
    Step.SITE: "考核站点",
    Step.CANDIDATES: "考生",
    Step.PHOTOS: "照片",
    Step.REGISTRATION: "报考",
    Step.ROOMS: "考场",
    Step.STAFF: "监考",
    Step.ARRANGEMENT: "排考",
    Step.MATERIALS: "物料",
    Step.SYNC: "同步",
    Step.EXAM_DAY: "考试",
    Step.RESULTS: "成绩",
}

STEP_DESCRIPTIONS: Mapping[Step, str] = {
    Step.SITE: "填写考核站点信息（学校、证书、地址、负责人），勾选站点建设标准清单，生成考核站点申请表并查看达标情况。",
    Step.CANDIDATES: "从平台模板或相近的表格导入考生，修正标出的问题，也可逐个添加。",
    Step.PHOTOS: "拖入照片压缩包或文件夹，逐张检查是否符合平台要求，并自动修复可修复的照片。",
    Step.REGISTRATION: "按证书为考生报考：每个科目（理论、实操）生成一条记录，检查专业、名额和截止时间，生成缴费申请单。",
    Step.ROOMS: "为考试计划设置考场（名称、考位数、类型、地址），核对考场容量与报考人数。",
    Step.STAFF: "维护考务人员名册（角色、部门、任教专业），按规则为各考场安排监考员。",
    Step.ARRANGEMENT: "为每个场次编排考场和座位、生成准考证号，或导入平台的正式编排结果。",
    Step.MATERIALS: "打印考试所需物料：准考证、签到表、桌贴、门贴、考场情况记录表等 PDF。",
    Step.SYNC: "导出平台上传包或换机传输包（U 盘），导入传输包和平台导出的数据。",
    Step.EXAM_DAY: "考试当天扫码或输入证件号签到，记录缺考和违纪情况，填写考场情况记录表。",
    Step.RESULTS: "导入科目成绩，计算证书结果，准备成绩复查申请表。",
}

STATE_TITLES: Mapping[StepState, str] = {
    StepState.NOT_STARTED: "未开始",
    StepState.IN_PROGRESS: "进行中",
    StepState.PROBLEMS: "有问题",
    StepState.DONE: "已完成",
}

CANDIDATE_STATUS_TITLES: Mapping[str, str] = {
    "no_photo": "无照片",
    "incomplete": "信息不全",
    "ready": "待上传",
    "pending": "信息待认证",
    "manual": "需人工确认",
    "verified": "信息准确",
}

# What the coordinator must still handle for a candidate (``CandidateIssue``), in the
# order the pages list them; a candidate may have several.
CANDIDATE_ISSUE_TITLES: Mapping[str, str] = {
    "no_photo": "无照片",
    "incomplete": "信息不全",
    "manual": "需人工确认",
}

# A candidate's fields as the platform's template names them (without the asterisk).
FIELD_TITLES: Mapping[str, str] = {
    "kind": "考生类型",
    "name": "学生姓名",
    "pinyin": "姓名拼音",
    "gender": "性别",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "phone": "手机号码",
    "enrollment_year": "入学年份",
    "education_level": "专业层次",
    "major": "就读专业",
    "major_code": "专业代码",
    "extra.employer": "工作单位",
    "extra.education": "学历",
    "extra.major": "所学专业",
}

KIND_TITLES: Mapping[str, str] = {"school": "院校考生", "social": "社会考生"}
LEVEL_TITLES: Mapping[str, str] = {"junior": "初级", "intermediate": "中级", "senior": "高级"}
SUBJECT_KIND_TITLES: Mapping[str, str] = {"theory": "理论", "practical": "实操"}


def level_title(level: str) -> str:
    """``"junior"`` → ``"初级"`` (an unknown key as it is)."""
    return LEVEL_TITLES.get(level, level)


def certificate_title(name: str, level: str) -> str:
    """``数字营销技术应用职业技能等级证书（初级）``: a certificate at one level."""
    return f"{name}（{level_title(level)}）"


WINDOW_TITLES: Mapping[str, str] = {
    "registration": "报考",
    "arrangement": "排考",
    "exam": "考试",
    "score_entry": "成绩登记",
    "publication": "成绩公示",
}
PROBLEM_LEVEL_TITLES: Mapping[Level, str] = {
    Level.ERROR: "错误",
    Level.WARNING: "警告",
    Level.NOTICE: "提示",
}

# A candidate's photo (``domain.candidate_status.PhotoState``) as every page and command
# names it; the four verdicts of a stored photo and "missing" (no photo).
PHOTO_TITLES: Mapping[str, str] = {
    "pass": "合格",
    "fixed": "已修复",
    "review": "需复核",
    "rejected": "不合格",
    "missing": "无照片",
}
