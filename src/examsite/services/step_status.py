"""What a workflow step reports about itself, and what every step's report may use.

Each step's own service module decides its status (``candidates.candidates_status``,
``photos.photos_status``, ``site.site_status`` …): what is done (``summary``), what is
wrong (``problems``) and its key figure (``figure``, the short line under the step's title
in the sidebar). ``services.status`` only collects them, computing once the facts several
steps share (``RoundFacts``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from examsite.domain.problems import Problem, notice
from examsite.domain.workflow import Step, StepState
from examsite.services.candidate_state import CandidateCounts
from examsite.services.catalog import PlanInfo


@dataclass(frozen=True)
class Deadline:
    window: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class PlanStatus:
    code: str
    name: str
    registration_deadline: dt.datetime
    days_left: int  # to the registration deadline; negative once passed
    next_deadline: Deadline | None  # the first window whose end is still ahead
    for_site: bool = False  # the plan examines a certificate the site offers


@dataclass(frozen=True)
class StepStatus:
    """One step's status: its state, its figures, what is wrong, and its key figure (a
    message code with parameters, rendered like a problem)."""

    step: Step
    state: StepState
    summary: Mapping[str, int]
    problems: tuple[Problem, ...]
    figure: Problem = field(default_factory=lambda: notice("status.figure_later"))


@dataclass(frozen=True)
class RoundFacts:
    """What several steps' statuses need, computed once per refresh."""

    now: dt.datetime
    candidates: CandidateCounts
    plans: tuple[PlanStatus, ...]


def days_until(moment: dt.datetime, now: dt.datetime) -> int:
    """Whole days left until ``moment`` (1 while less than a day is left, 0 or less after)."""
    return math.ceil((moment - now).total_seconds() / 86400)


def plan_status(plan: PlanInfo, now: dt.datetime, *, for_site: bool = False) -> PlanStatus:
    _start, end = plan.window("registration")
    upcoming = [Deadline(w, s, e) for w, s, e in plan.windows if e >= now]
    return PlanStatus(
        plan.code,
        plan.name,
        end,
        days_until(end, now),
        upcoming[0] if upcoming else None,
        for_site,
    )


def state_of(count: int, problems: Sequence[Problem]) -> StepState:
    """A step with an error has problems; with nothing done it has not started; with only
    warnings it is under way; else it is done."""
    if any(p.is_error for p in problems):
        return StepState.PROBLEMS
    if count == 0:
        return StepState.NOT_STARTED
    return StepState.IN_PROGRESS if problems else StepState.DONE


def step_status(
    step: Step,
    count: int,
    summary: Mapping[str, int],
    problems: Sequence[Problem],
    figure: Problem,
) -> StepStatus:
    """A ``StepStatus`` whose state follows ``state_of(count, problems)``."""
    return StepStatus(
        step, state_of(count, problems), MappingProxyType(dict(summary)), tuple(problems), figure
    )
