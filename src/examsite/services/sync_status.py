"""Step 9, sync (同步): its status, kept light (the window asks it on every refresh), so
the export's own module with its spreadsheet libraries is not imported for it."""

from __future__ import annotations

import json
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from examsite.domain.problems import notice
from examsite.domain.workflow import Step
from examsite.services.retention import retention_notices_in
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.models import Setting

#: Where ``services.platform_export`` keeps the snapshot of a plan's last export.
SETTING_PREFIX: Final = "export.platform:"


def sync_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 9's status: how many plans' upload packages were exported, and when the last."""
    times = []
    for (value,) in session.execute(
        select(Setting.value).where(Setting.key.startswith(SETTING_PREFIX))
    ):
        try:
            created = json.loads(value).get("created")
        except (ValueError, AttributeError):
            continue
        if created:
            times.append(str(created))
    figure = (
        notice("status.figure_exported", count=len(times), last=max(times)[5:10])
        if times
        else notice("status.figure_not_exported")
    )
    notices = retention_notices_in(session, _facts.now)  # a round past its retention date
    return step_status(Step.SYNC, len(times), {"exports": len(times)}, notices, figure)
