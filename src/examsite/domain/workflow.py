"""The eleven steps of an exam round (DESIGN.md, "The workflow") and their states."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    SITE = "site"
    CANDIDATES = "candidates"
    PHOTOS = "photos"
    REGISTRATION = "registration"
    ROOMS = "rooms"
    STAFF = "staff"
    ARRANGEMENT = "arrangement"
    MATERIALS = "materials"
    SYNC = "sync"
    EXAM_DAY = "exam_day"
    RESULTS = "results"


class StepState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PROBLEMS = "problems"
    DONE = "done"


STEPS: tuple[Step, ...] = tuple(Step)

#: The steps whose page is built. A step outside it shows what its page will hold, and its
#: status never reads done or wrong (the coordinator could do nothing about it yet).
BUILT_STEPS: frozenset[Step] = frozenset(
    {
        Step.SITE,
        Step.CANDIDATES,
        Step.PHOTOS,
        Step.REGISTRATION,
        Step.ROOMS,
        Step.STAFF,
        Step.ARRANGEMENT,
        Step.MATERIALS,
        Step.SYNC,
        Step.EXAM_DAY,
        Step.RESULTS,
    }
)
