"""Short texts the window derives from the round's status: key figures and deadlines.

The sentences for problems live in ``examsite.messages``; these are the small labels
under a step's title and on the deadline card, which only the window shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from examsite.messages import WINDOW_TITLES, render

if TYPE_CHECKING:  # the sidebar is up before SQLAlchemy (which services.status loads)
    from examsite.services.status import Deadline, PlanStatus, StepStatus


def key_figure(status: StepStatus) -> str:
    """The one line that tells how far a step is, e.g. "200 名考生" (the step decides it)."""
    return render(status.figure)


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


SEARCH_SHOWN_UP_TO = 24  # characters of a search quoted back; longer ones end in "…"


def no_match_text(search: str, *, filtered: bool, things: str = "考生") -> str:
    """What an empty list says when the search (and the filters) found nothing."""
    search = search.strip()
    if len(search) > SEARCH_SHOWN_UP_TO:
        search = search[: SEARCH_SHOWN_UP_TO - 1] + "…"
    if not search:
        return f"没有符合筛选条件的{things}。"
    if filtered:
        return f"没有找到“{search}”。请检查拼写，或清除搜索和筛选条件。"
    return f"没有找到“{search}”。请检查拼写，或清除搜索。"


def clear_text(search: str, *, filtered: bool) -> str:
    """The button beside ``no_match_text``: what it clears."""
    if search.strip():
        return "清除搜索和筛选" if filtered else "清除搜索"
    return "清除筛选"
