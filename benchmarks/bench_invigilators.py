"""How fast invigilators are assigned for a big plan: the pure algorithm against the whole
service (read the plan, run the algorithm, write the assignments and the audit log).

Builds, in a temporary database: the example plan 2232100001 with its three levels (six
sessions), ``--rooms`` rooms of 40 seats spread over them, 40 registrations a room
(10,000 for 250 rooms), and ``--staff`` invigilators in five departments, a fifth of them
teaching the candidates' major. Then times, as the median of ``--rounds`` rounds:

- ``assign`` (``domain.invigilation``) on the plan's slots and people, in memory;
- ``load_plan`` (the database read the service does);
- ``assign_plan`` (read + algorithm + delete the automatic ones + insert + audit log);
- ``plan_overview`` (what the page and the step's status read, with every rule checked).

Each is printed with its ratio to the pure algorithm. Target: ``assign_plan`` for 250 rooms
under 1 s.

    uv run python benchmarks/bench_invigilators.py [--rooms 250] [--staff 900] [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select

from examsite.domain import invigilation as rules
from examsite.domain.id_number import synthetic_id
from examsite.services.catalog import ensure_catalog
from examsite.services.invigilation import assign_plan, plan_overview
from examsite.services.invigilation_data import load_plan
from examsite.services.plans import find_plan
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    ExamPlan,
    Registration,
    RegistrationSubject,
    Room,
    School,
    Site,
    Staff,
    Subject,
)

PLAN = "2232100001"
DEPARTMENTS = ("信息工程学院", "机电工程学院", "经济管理学院", "艺术设计学院", "基础部")
MAJORS = (("530605", "市场营销"), ("530701", "电子商务"), ("530703", "网络营销与直播电商"))


def build(db: Database, rooms: int, staff: int) -> int:
    """The plan's rooms, registrations and staff; returns the registrations."""
    with db.unit_of_work() as session:
        plan = session.scalars(select(ExamPlan).where(ExamPlan.code == PLAN)).one()
        school = School(name="基准测试学院")
        site = Site(school=school, name="基准测试学院考核站点", checklist={})
        session.add(site)
        session.flush()
        certs = list(plan.certificates)
        subjects = {
            c.id: [
                s.id for s in session.scalars(select(Subject).where(Subject.certificate_id == c.id))
            ]
            for c in certs
        }
        session.execute(
            insert(Room),
            [
                {
                    "uid": f"room-{i}",
                    "plan_id": plan.id,
                    "site_id": site.id,
                    "certificate_id": certs[i % len(certs)].id,
                    "name": f"{i // 10 + 1} 号楼 {i % 10 + 1:02d} 机房",
                    "seats": 40,
                }
                for i in range(rooms)
            ],
        )
        count = rooms * 40
        session.execute(
            insert(Candidate),
            [
                {
                    "kind": "school",
                    "name": f"考生{i}",
                    "id_number": synthetic_id(
                        "420102", dt.date(2000, 1, 1) + dt.timedelta(days=i // 500), i % 500, "男"
                    ),
                    "major_code": MAJORS[i % 3][0],
                    "major": MAJORS[i % 3][1],
                    "class_name": f"班{i // 40}",
                    "status": "ready",
                    "extra": {},
                }
                for i in range(count)
            ],
        )
        ids = session.scalars(select(Candidate.id).order_by(Candidate.id)).all()
        per_cert = [c.id for c in certs for _ in range(1)]
        session.execute(
            insert(Registration),
            [
                {
                    "uid": f"reg-{i}",
                    "candidate_id": cid,
                    "plan_id": plan.id,
                    "certificate_id": per_cert[i % len(per_cert)],
                }
                for i, cid in enumerate(ids)
            ],
        )
        regs = session.execute(select(Registration.id, Registration.certificate_id)).all()
        session.execute(
            insert(RegistrationSubject),
            [
                {"registration_id": rid, "subject_id": sid}
                for rid, cid in regs
                for sid in subjects[cid]
            ],
        )
        session.execute(
            insert(Staff),
            [
                {
                    "uid": f"staff-{i}",
                    "name": f"教师{i:04d}",
                    "department": DEPARTMENTS[i % len(DEPARTMENTS)],
                    "roles": ["invigilator"],
                    "majors_taught": [dict(zip(("code", "name"), MAJORS[i % 3], strict=True))]
                    if i % 5 == 0
                    else [],
                    "classes_taught": [],
                    "certified": i % 2 == 0,
                }
                for i in range(staff)
            ],
        )
        return count


def median_time(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=250)
    parser.add_argument("--staff", type=int, default=900)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(Path(folder) / "bench.db")
        ensure_catalog(db)
        registrations = build(db, args.rooms, args.staff)
        report = assign_plan(db, PLAN)  # makes the room sessions; warms the caches
        with db.read() as session:
            data = load_plan(session, find_plan(session, PLAN))
        slots = [f.slot for f in data.slots]
        people = list(data.people.values())
        needed = sum(s.required for s in slots)

        pure = median_time(lambda: rules.assign(slots, people), args.rounds)

        def read() -> object:
            with db.read() as session:
                return load_plan(session, find_plan(session, PLAN))

        reading = median_time(read, args.rounds)
        service = median_time(lambda: assign_plan(db, PLAN), args.rounds)
        overview = median_time(lambda: plan_overview(db, PLAN), args.rounds)
        db.close()
    print(
        f"{args.rooms} rooms, {len(slots)} room sessions, {registrations} registrations, "
        f"{len(people)} staff, {needed} duties needed, {report.added} assigned, "
        f"{len(report.shortfalls)} room sessions short"
    )
    print(f"{'step':<34}{'seconds':>10}{'× pure':>10}")
    for name, seconds in (
        ("assign (pure algorithm)", pure),
        ("load_plan (database read)", reading),
        ("assign_plan (read + assign + write)", service),
        ("plan_overview (page, status)", overview),
    ):
        print(f"{name:<34}{seconds:>10.3f}{seconds / pure:>10.1f}")
    verdict = "met" if service < 1.0 else "NOT met"
    print(f"target: assign_plan under 1 s for {args.rooms} rooms: {verdict}")


if __name__ == "__main__":
    main()
