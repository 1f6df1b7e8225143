"""Exam-day incidents (考场突发情况), by 003's emergency section. Each is stored with one of
these short English codes (``Incident.code``) and shown in Chinese through
``examsite.messages``.

A time extension (延时) carries its minutes: up to ``SITE_EXTENSION_LIMIT`` the site decides
on its own; more needs the organisation (评价组织).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

SITE_EXTENSION_LIMIT: Final = 15  # minutes


class IncidentCode(StrEnum):
    LATE = "late"  # 迟到
    MISCONDUCT = "misconduct"  # 违纪/作弊
    MACHINE_CHANGE = "machine_change"  # 换机
    EXTENSION = "extension"  # 延时
    POWER_CUT = "power_cut"  # 停电
    QUESTION = "question"  # 题目疑问
    ILLNESS = "illness"  # 疾病
    OTHER = "other"  # 其他
