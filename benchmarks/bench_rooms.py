"""How fast the rooms step answers on a big round, next to what lies underneath.

Builds the demo site (few candidates), then adds N synthetic candidates registered with
executemany, split over the demo plan's junior and intermediate levels, and ``--labs``
labs of 40. Times, as the median of ``--runs`` rounds:

- the bare SQL count of subject records per subject (what the capacity check reads);
- ``check_capacity`` (the service: sessions, rooms, split per session);
- ``check_timetable`` (pairs of sessions and the candidates registered for both);
- ``rooms_status`` (the sidebar's figure and problems: both checks per plan);
- ``pick_labs`` alone for N candidates over the labs, and ``propose_rooms`` (the service,
  rolled back each round), making the rooms for every certificate.

Each service is printed as a ratio to the bare SQL count; ``propose_rooms`` also to
``pick_labs``. The machine's load moves the absolute times; the ratios move much less.

    .venv/bin/python benchmarks/bench_rooms.py [--count 10000] [--labs 250] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from examsite.domain.id_number import synthetic_id
from examsite.domain.rooms import pick_labs
from examsite.services.demo import DEMO_PLAN_CODE, create_demo
from examsite.services.labs import propose_rooms_in
from examsite.services.rooms import check_capacity, rooms_status
from examsite.services.status import round_status
from examsite.services.timetable_check import check_timetable
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    ExamPlan,
    Lab,
    Registration,
    RegistrationSubject,
    Site,
)


def median_time(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build(path: Path, count: int, labs: int) -> Database:
    db = Database.open(path)
    create_demo(db, candidates=20)
    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == DEMO_PLAN_CODE)).one()
        site = session.scalars(select(Site)).one()
        certs = list(site.certificates)
        session.execute(
            insert(Candidate),
            [
                {
                    "kind": "social",
                    "name": f"考生{n}",
                    "id_number": synthetic_id(
                        "420102", dt.date(1990, 1, 1) + dt.timedelta(days=n // 400), n % 400, "男"
                    ),
                    "status": "ready",
                }
                for n in range(count)
            ],
        )
        ids = session.scalars(select(Candidate.id).where(Candidate.kind == "social")).all()
        ids = ids[-count:]
        session.execute(
            insert(Registration),
            [
                {
                    "uid": f"bench-{n}",
                    "candidate_id": cid,
                    "plan_id": plan.id,
                    "certificate_id": certs[n % len(certs)].id,
                }
                for n, cid in enumerate(ids)
            ],
        )
        regs = session.execute(
            select(Registration.id, Registration.certificate_id).where(
                Registration.uid.like("bench-%")
            )
        ).all()
        subjects = {c.id: [s.id for s in c.subjects] for c in certs}
        session.execute(
            insert(RegistrationSubject),
            [
                {"registration_id": rid, "subject_id": sid, "status": "unarranged"}
                for rid, cert in regs
                for sid in subjects[cert]
            ],
        )
        session.add_all(
            Lab(site_id=site.id, name=f"机房 {n:03}", seats=45, exam_capacity=40)
            for n in range(labs)
        )
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--labs", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = build(Path(folder) / "bench.db", args.count, args.labs)

        def bare_count() -> None:
            with db.read() as session:
                session.execute(
                    select(RegistrationSubject.subject_id, func.count()).group_by(
                        RegistrationSubject.subject_id
                    )
                ).all()

        facts = facts_of(round_status(db))

        def status() -> None:
            with db.read() as session:
                rooms_status(session, facts)

        def propose() -> None:
            with db.read() as session:  # a read session: the rooms are rolled back
                propose_rooms_in(session, DEMO_PLAN_CODE)

        labs = [(n, 40) for n in range(args.labs)]
        base = median_time(bare_count, args.runs)
        picks = median_time(lambda: pick_labs(args.count, labs), args.runs)
        rows = [
            ("bare SQL count per subject", base),
            ("check_capacity", median_time(lambda: check_capacity(db, DEMO_PLAN_CODE), args.runs)),
            (
                "check_timetable",
                median_time(lambda: check_timetable(db, DEMO_PLAN_CODE), args.runs),
            ),
            ("rooms_status", median_time(status, args.runs)),
            ("propose_rooms (rolled back)", median_time(propose, args.runs)),
        ]
        print(f"{args.count} registrations, {args.labs} labs, median of {args.runs} runs")
        print(f"{'pick_labs alone':32} {picks * 1000:9.2f} ms")
        for name, seconds in rows:
            ratio = seconds / base if base else float("nan")
            print(f"{name:32} {seconds * 1000:9.2f} ms   {ratio:7.1f} × bare SQL")
        propose_time = rows[-1][1]
        print(f"{'propose_rooms / pick_labs':32} {propose_time / picks:9.1f} ×")
        db.close()


def facts_of(status: Any) -> Any:
    from examsite import clock
    from examsite.services.step_status import RoundFacts

    return RoundFacts(clock.now(), status.candidates, status.plans)


if __name__ == "__main__":
    main()
