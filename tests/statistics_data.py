"""Scores and attendance for the arranged demo, for the statistics' tests and the panel's
screenshot (``tests/gui/show_statistics_panel.py``): seeded random, so the same seed gives
the same figures. Importable from every test folder (``tests`` is on ``sys.path``)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select

from examsite.domain.attendance import AttendanceStatus
from examsite.storage.db import Database
from examsite.storage.models import Attendance, RegistrationSubject, Score, Seat


@dataclass(frozen=True)
class Seeded:
    scores: int
    absent: int
    unscored: int


def seed_scores(db: Database, seed: int = 11, *, absent_share: float = 0.05) -> Seeded:
    """Give most seated subject records an attendance and a score: about ``absent_share``
    recorded absent (no score), 3 % left without a score (pending), the rest present with
    a score around 70 (theory) or 75 (practical), kept within 0..100."""
    chance = random.Random(seed)
    scores = absent = unscored = 0
    with db.unit_of_work() as session:
        seats = session.execute(
            select(Seat.id, RegistrationSubject.id)
            .join(RegistrationSubject, RegistrationSubject.id == Seat.registration_subject_id)
            .order_by(Seat.id)
        ).all()
        for seat_id, record_id in seats:
            roll = chance.random()
            if roll < absent_share:
                session.add(Attendance(seat_id=seat_id, status=AttendanceStatus.ABSENT))
                absent += 1
                continue
            session.add(Attendance(seat_id=seat_id, status=AttendanceStatus.PRESENT))
            if roll < absent_share + 0.03:
                unscored += 1
                continue
            score = min(100.0, max(0.0, round(chance.gauss(72, 16), 1)))
            session.add(Score(registration_subject_id=record_id, score=score, status="scored"))
            scores += 1
    return Seeded(scores, absent, unscored)
