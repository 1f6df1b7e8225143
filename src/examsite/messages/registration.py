"""Chinese text for ``registration.*``: registering candidates (报考), the registration
sheet, the 2-records check and the fees."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("registration.",)

MESSAGES: Final[dict[str, str]] = {
    # the registration window
    "registration.not_open": "“{plan}”的报考时间是 {start} 至 {end}，现在还未开始，不能增加、修改或删除报考。请在报考开始后再操作。",
    "registration.closed": "“{plan}”的报考已于 {end} 截止，报考数据不能再增加、修改或删除。如确需调整，请联系培训评价组织。",
    # one candidate refused
    "registration.no_photo": "{name}没有合格的照片，不能报考。请先在“照片”页导入合格照片。",
    "registration.incomplete": "{name}的信息不全，不能报考。请先在“考生”页补全信息。",
    "registration.status_refused": "{name}的考生状态（{status}）不能报考。请先在“考生”页处理。",
    "registration.duplicate": "{name}已经报考了这个考试计划的这个证书等级，不能重复报考。",
    "registration.sessions_clash": "{name}已报考{other}，其考试时间与本等级重叠，同一考生不能同时参加两场考试。请调整场次时间或只报考一个等级。",
    "registration.social_as_school": "{name}是社会考生，不能以院校考生身份报考。请把考生类型改为“社会考生”。",
    "registration.major_mismatch": "{name}的专业“{major}”不在本证书的对应专业（{majors}）之内，不能以院校考生报考；可以改为以社会考生报考。",
    "registration.quota_full": "本校本年度该证书的院校考生试点规模 {approved} 人已满，{name}不能再以院校考生报考；可以改为以社会考生报考。",
    "registration.manual_status": "{name}在平台上“需人工确认”，已登记报考；请在平台上确认考生信息，否则平台不接受报考。",
    "registration.candidate_not_found": "证件号码 {id_number} 不在考生名单中。请先在“考生”页导入这名考生。",
    "registration.name_mismatch": "表中姓名“{given}”与考生名单中的“{name}”不一致。请核对证件号码和姓名。",
    "registration.not_registered": "证件号码 {id_number} 没有报考这个证书等级。",
    # what the user named
    "registration.certificate_not_found": "没有编号为 {certificate} 的证书。请用“catalog show”查看证书编号。",
    "registration.certificate_not_in_plan": "证书 {certificate} 不在考试计划“{plan}”中。请选择这个计划考核的证书等级。",
    "registration.nothing_to_register": "没有指定要报考的考生。请用 --ids 列出证件号码，或用 --all-ready 报考所有可报考的考生。",
    "registration.province_empty": "请填写省份，如“湖北省”。",
    "registration.fee_negative": "考核费用 {fee} 不能小于 0。",
    # the sheet
    "registration.sheet_example_row": "这一行是模板的示例行，不是报考记录，已跳过。",
    "registration.sheet_no_identity": "这一行没有证件号码，已跳过。请填写证件号码。",
    "registration.sheet_no_certificate": "这一行没有证书编号，也没有报考证书和证书等级，无法确定报考哪个证书。请填写证书编号，或填写报考证书和证书等级。",
    "registration.sheet_unknown_certificate": "找不到证书“{certificate}”（{grade}）。请核对证书编号或证书名称与等级。",
    "registration.sheet_level_mismatch": "证书等级“{given}”与证书编号 {certificate} 的等级“{grade}”不一致。请核对。",
    "registration.sheet_bad_kind": "考生类型“{given}”无法识别，只能填写“院校考生”或“社会考生”。",
    "registration.sheet_unknown_plan": "找不到考试计划“{plan}”。请核对考试计划名称，或在导入时指定考试计划。",
    "registration.sheet_no_plan": "无法确定报考哪个考试计划：表中没有考试计划名称，当前也没有唯一一个正在报考的计划包含这个证书。请在导入时指定考试计划（--plan）。",
    "registration.sheet_other_site": "考核站点“{given}”不是本考点（{site}）。请核对；本考点仍按表中考生登记报考。",
    "registration.unknown_variant": "没有“{variant}”这种报考模板，可用：003（中教畅享）、001（鸿科经纬）。",
    "registration.sheet_no_rows": "表中没有报考记录（空表，或只有示例行）。",
    # the step's status
    "registration.status_short_records": "{count} 条报考的科目记录不全（应为每名考生每个科目一条，理论 + 实操为 2 条）。请在“报考”页查看并撤销后重新报考。",
    "registration.status_quota_over": "{school}的“{certificate}”院校考生报考 {used} 人，超过批复的试点规模 {approved} 人。请把超出的考生改为社会考生报考。",
    "registration.status_closed": "“{plan}”的报考已截止，报考数据只能查看。",
}
