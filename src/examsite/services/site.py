"""Step 1, the exam site (考核站点): its record and the certificates it examines.

The page and the application form come with the site issue; today this module owns the
step's status.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from examsite.domain.problems import Problem, error, notice
from examsite.domain.workflow import Step
from examsite.services.step_status import RoundFacts, StepStatus, step_status
from examsite.storage.db import count_rows
from examsite.storage.models import Site, SiteCertificate


def site_status(session: Session, _facts: RoundFacts) -> StepStatus:
    """Step 1's status: is there a site, and does it examine any certificate."""
    sites = count_rows(session, Site)
    certificates = count_rows(session, SiteCertificate)
    problems: list[Problem] = []
    if sites and not certificates:
        problems.append(error("status.site_without_certificate"))
    figure = (
        notice("status.figure_site", certificates=certificates)
        if sites
        else notice("status.figure_no_site")
    )
    summary = {"sites": sites, "certificates": certificates}
    return step_status(Step.SITE, sites, summary, problems, figure)
