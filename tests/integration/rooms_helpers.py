"""Registrations made straight with the ORM for the rooms tests (the registration
service is built elsewhere), on the demo site's own plan."""

from __future__ import annotations

from sqlalchemy import select

from examsite.services.demo import DEMO_PLAN_CODE
from examsite.storage.db import Database
from examsite.storage.models import Candidate, ExamPlan, Registration, RegistrationSubject

JUNIOR = "1630054223010588"
INTERMEDIATE = "1630054223020943"
SENIOR = "1630054223031298"


def register(
    db: Database, certificate: str, count: int, *, skip: int = 0, plan: str = DEMO_PLAN_CODE
) -> list[int]:
    """Register the demo's candidates ``skip`` .. ``skip + count`` for ``certificate`` (one
    record per subject); returns the candidates' ids."""
    with db.unit_of_work() as session:
        exam_plan = session.scalars(select(ExamPlan).where(ExamPlan.code == plan)).one()
        cert = next(c for c in exam_plan.certificates if c.code == certificate)
        candidates = session.scalars(select(Candidate).order_by(Candidate.id)).all()
        chosen = candidates[skip : skip + count]
        assert len(chosen) == count, "the demo has too few candidates"
        for candidate in chosen:
            registration = Registration(
                candidate=candidate, plan_id=exam_plan.id, certificate_id=cert.id
            )
            session.add(registration)
            for subject in cert.subjects:
                session.add(RegistrationSubject(registration=registration, subject_id=subject.id))
        return [c.id for c in chosen]
