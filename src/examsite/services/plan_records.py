"""The subject records of a plan joined to what the results and the reconciliation read:
the registration, candidate, certificate and subject, and (when there are) the score, the
seat and its attendance. Table columns, not ORM entities: the ORM's row handling was most
of the time for 10,000 candidates.
"""

from __future__ import annotations

from typing import Any, Final, cast

from sqlalchemy import Select, select

from examsite.services.seating_data import WITHDRAWN
from examsite.storage.models import (
    Attendance,
    Candidate,
    Certificate,
    Registration,
    RegistrationSubject,
    Score,
    Seat,
    Subject,
)

REGISTRATION: Final = cast(Any, Registration.__table__)
CANDIDATE: Final = cast(Any, Candidate.__table__)
CERTIFICATE: Final = cast(Any, Certificate.__table__)
RECORD: Final = cast(Any, RegistrationSubject.__table__)
SUBJECT: Final = cast(Any, Subject.__table__)
SCORE: Final = cast(Any, Score.__table__)
SEAT: Final = cast(Any, Seat.__table__)
ATTENDANCE: Final = cast(Any, Attendance.__table__)


def plan_records(plan_id: int, *columns: Any) -> Select[Any]:
    """``columns`` of the plan's subject records (withdrawn ones left out), with the
    tables above joined (score, seat and attendance outer)."""
    return (
        select(*columns)
        .select_from(REGISTRATION)
        .join(CANDIDATE, CANDIDATE.c.id == REGISTRATION.c.candidate_id)
        .join(CERTIFICATE, CERTIFICATE.c.id == REGISTRATION.c.certificate_id)
        .join(RECORD, RECORD.c.registration_id == REGISTRATION.c.id)
        .join(SUBJECT, SUBJECT.c.id == RECORD.c.subject_id)
        .outerjoin(SCORE, SCORE.c.registration_subject_id == RECORD.c.id)
        .outerjoin(SEAT, SEAT.c.registration_subject_id == RECORD.c.id)
        .outerjoin(ATTENDANCE, ATTENDANCE.c.seat_id == SEAT.c.id)
        .where(REGISTRATION.c.plan_id == plan_id, RECORD.c.status != WITHDRAWN)
    )
