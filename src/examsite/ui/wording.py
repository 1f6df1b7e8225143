"""Short texts the window derives from the round's status: key figures and deadlines.

The sentences for problems live in ``examsite.messages``; these are the small labels
under a step's title and on the deadline card, which only the window shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from examsite.domain.workflow import Step
from examsite.messages import WINDOW_TITLES

if TYPE_CHECKING:  # the sidebar is up before SQLAlchemy (which services.status loads)
    from examsite.services.status import Deadline, PlanStatus, StepStatus


def key_figure(status: StepStatus) -> str:
    """The one number that tells how far a step is, e.g. "200 名考生"."""
    s = status.summary
    match status.step:
        case Step.SITE:
            if not s.get("sites"):
                return "尚未填写站点信息"
            return f"{s.get('staff', 0)} 名考务人员"
        case Step.CANDIDATES:
            count = s.get("candidates", 0)
            return f"{count} 名考生" if count else "尚未导入考生"
        case Step.PHOTOS:
            if s.get("rejected"):
                return f"{s['rejected']} 张照片不合格"
            if s.get("photos"):
                missing = s.get("missing", 0)
                return f"{s['photos']} 张照片" + (f"，{missing} 人缺照片" if missing else "")
            return "尚未导入照片"
        case Step.REGISTRATION:
            count = s.get("registrations", 0)
            return f"{count} 条报考" if count else "尚未报考"
        case Step.ROOMS:
            rooms = s.get("rooms", 0)
            return f"{rooms} 个考场，{s.get('seats', 0)} 个考位" if rooms else "尚未设置考场"
        case Step.STAFF:
            if s.get("assignments"):
                return f"已安排 {s['assignments']} 人次监考"
            return "尚未安排监考"
        case Step.ARRANGEMENT:
            seats = s.get("seats", 0)
            return f"{seats} 个考位已编排" if seats else "尚未编排"
        case Step.MATERIALS:
            return "准考证、签到表、桌贴等"
        case Step.SYNC:
            return "上传包与换机传输"
        case Step.EXAM_DAY:
            records = s.get("records", 0)
            return f"{records} 条签到记录" if records else "考试当天使用"
        case Step.RESULTS:
            records = s.get("records", 0)
            return f"{records} 条成绩" if records else "尚未导入成绩"
    return ""


def deadline_date(deadline: Deadline) -> dt.datetime:
    """The moment that matters in a window: the exam's start, every other window's end."""
    return deadline.start if deadline.window == "exam" else deadline.end


def days_left_text(days: int) -> str:
    return f"还剩 {days} 天" if days > 0 else "已结束"


def current_plan(plans: tuple[PlanStatus, ...]) -> PlanStatus | None:
    """The plan whose next deadline comes first (None when every plan is over); plans of the
    site's own certificates come before the rest of the catalog."""
    open_plans = [p for p in plans if p.next_deadline is not None]
    open_plans = [p for p in open_plans if p.for_site] or open_plans
    if not open_plans:
        return None
    return min(
        open_plans, key=lambda p: p.next_deadline.end if p.next_deadline else dt.datetime.max
    )


@dataclass(frozen=True)
class DeadlineHeadline:
    """What the sidebar's deadline card says: "报考截止还剩" / "47 天" / the date."""

    caption: str
    figure: str
    date: str
    urgent: bool


def deadline_headline(plan: PlanStatus, now: dt.datetime) -> DeadlineHeadline:
    from examsite.services.status import days_until  # loaded by then: a status exists

    deadline = plan.next_deadline
    if deadline is None:
        return DeadlineHeadline("本轮考试已结束", "", "", urgent=False)
    moment = deadline_date(deadline)
    title = WINDOW_TITLES.get(deadline.window, deadline.window)
    if deadline.window == "exam":
        if deadline.start <= now:
            return DeadlineHeadline("考试进行中", "", f"{deadline.end:%Y-%m-%d %H:%M} 结束", False)
        caption = "距离考试还有"
    else:
        caption = f"{title}截止还剩"
    days = days_until(moment, now)
    return DeadlineHeadline(caption, f"{days} 天", f"{moment:%Y-%m-%d %H:%M}", urgent=days <= 7)
