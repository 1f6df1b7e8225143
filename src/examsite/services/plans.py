"""The exam plan (考试计划) a command or a page names by its code: one lookup, one message,
for every step."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.errors import NotFoundError
from examsite.storage.models import ExamPlan


def find_plan(session: Session, code: str) -> ExamPlan:
    """The plan whose code is ``code`` (spaces around it ignored), or ``NotFoundError``."""
    plan = session.scalar(select(ExamPlan).where(ExamPlan.code == code.strip()))
    if plan is None:
        raise NotFoundError("catalog.plan_not_found", plan=code)
    return plan
