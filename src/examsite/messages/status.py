"""Chinese text for ``status.*``: what each workflow step reports as done, wrong or due."""

from __future__ import annotations

from typing import Final

PREFIXES: Final = ("status.",)

MESSAGES: Final[dict[str, str]] = {
    "status.staff_team_small": "考务人员只有 {count} 人，站点标准要求至少 {minimum} 人（主考、副主考、监考、巡考、系统管理员），请在“监考”页补充人员。",
    "status.site_without_certificate": "考核站点还没有选择要考核的证书，请在“考核站点”页勾选证书。",
    "status.candidates_incomplete": "{count} 名考生信息不全，请在“考生”页按“信息不全”筛选并补全。",
    "status.candidates_manual": "{count} 名考生在平台上“需人工确认”，请核对证件后在平台上确认。",
    "status.photos_rejected": "{count} 张照片不合格，请在“照片”页查看原因，可修复的点“自动修复”，其余请重新拍摄。",
    "status.photos_missing": "{count} 名考生还没有照片，请在“照片”页导入。",
    "status.photos_review": "{count} 张照片需要人工复核（背景颜色不能确定），请在“照片”页逐张查看。",
    "status.deadline_near": "“{plan}”报考截止还剩 {days} 天，截止后不能再增加、修改或删除报考。",
    "status.rooms_too_small": "考场共 {seats} 个考位，少于报考人数 {candidates}，请增加考场或考位。",
    "status.rooms_short_of_invigilators": "{count} 个考场场次的监考员少于证书规定的人数。",
    "status.unseated": "还有 {count} 条科目报考记录没有编排考位。",
    # the key figure under each step's title in the sidebar
    "status.figure_later": "后续版本提供",
    "status.figure_exported": "已导出 {count} 个上传包，{last}",
    "status.figure_not_exported": "尚未导出上传包",
    "status.figure_no_site": "尚未填写站点信息",
    "status.figure_site": "已选 {certificates} 个证书",
    "status.figure_no_candidates": "尚未导入考生",
    "status.figure_candidates": "{count} 名考生",
    "status.figure_no_photos": "尚未导入照片",
    "status.figure_photos_rejected": "{count} 张照片不合格",
    "status.figure_photos": "{count} 张照片",
    "status.figure_photos_missing": "{count} 张照片，{missing} 人缺照片",
    "status.figure_no_registrations": "尚未报考",
    "status.figure_registrations": "{count} 条报考",
    "status.figure_no_rooms": "尚未设置考场",
    "status.figure_rooms": "{rooms} 个考场，{seats} 个考位",
    "status.figure_no_assignments": "{staff} 名考务人员",
    "status.figure_assignments": "已安排 {count} 人次监考",
    "status.figure_no_seats": "尚未编排",
    "status.figure_seats": "{count} 个考位已编排",
    "status.figure_materials": "准考证、签到表、桌贴等",
    "status.figure_sync": "上传包与换机传输",
    "status.figure_exam_day": "考试当天使用",
    "status.figure_results": "尚未导入成绩",
}
