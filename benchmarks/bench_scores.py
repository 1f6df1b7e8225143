"""How fast the platform's subject scores come in and turn into certificate results, next
to python-calamine reading the same sheet alone (issue 11's target: import + results
under 2 s for 20,000 scores).

Makes a database with the catalog and N school candidates, each registered (ticket
number) for 003's 数字营销技术应用 (初级) with its two subject records (all inserted
directly), and the platform's 科目成绩 export of them (the 16 columns of issue 11 under a
title row: 2 × N rows, a few 缺考). Then times, as the median of ``--runs`` rounds, each on
a fresh copy of the database:

- calamine: reading the sheet's cells alone (what any import must pay);
- import: ``import_platform`` (recognising the sheet, matching every row by ticket and
  subject, checking it, inserting the scores, the audit log, the reconciliation);
- results: ``certificate_results_of`` (every registration's result by the weighted rule).

Wall-clock figures on a shared machine follow its load; the CPU time of the process is
printed beside them, with the load average.

    uv run python benchmarks/bench_scores.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

import openpyxl
from python_calamine import CalamineWorkbook
from sqlalchemy import Table, select

# The candidates of the upload package's benchmark, beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_platform_export import synthetic_candidates
from examsite import clock
from examsite.services.catalog import ensure_catalog
from examsite.services.platform_import import import_platform
from examsite.services.results import certificate_results_of
from examsite.storage.bulk import insert_rows
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Registration,
    RegistrationSubject,
    Subject,
)

PLAN = "2232100001"  # 003's plan, from the built-in catalog
CERTIFICATE = "1630054223010588"  # 数字营销技术应用 (初级), theory + practical
MOMENT = dt.datetime(2027, 1, 20, 9, 0)
#: When the registrations are seeded: inside the plan's registration window (the
#: database's freeze triggers refuse adding them after the deadline).
REGISTERED_AT = dt.datetime(2026, 12, 20, 9, 0)
HEADER = (
    "考试计划", "考生编号", "考生姓名", "身份证号", "准考证号", "考生类型", "所属院校",
    "科目编号", "考试科目", "考试方式", "考试证书", "考核单位", "考试成绩", "考试时间",
    "考试状态", "考核站点",
)  # fmt: skip


def make_database(path: Path, count: int) -> list[tuple[str, str, str, str, str, str]]:
    """The database; returns (ticket, ID, name, subject code, subject name, mode) per
    subject record, for the sheet."""
    db = Database.open(path)
    ensure_catalog(db)
    rng = random.Random(5)
    candidates = synthetic_candidates(rng, count, name=lambda n: f"考生{n:05d}")
    with clock.fixed(REGISTERED_AT), db.unit_of_work() as session:
        insert_rows(session, cast(Table, Candidate.__table__), candidates)
        ids = list(session.scalars(select(Candidate.id).order_by(Candidate.id)))
        plan_id = session.scalar(select(ExamPlan.id).where(ExamPlan.code == PLAN))
        cert_id = session.scalar(select(Certificate.id).where(Certificate.code == CERTIFICATE))
        subjects = session.execute(
            select(Subject.id, Subject.code, Subject.name, Subject.mode)
            .where(Subject.certificate_id == cert_id)
            .order_by(Subject.kind.desc())
        ).all()
        insert_rows(
            session,
            cast(Table, Registration.__table__),
            [
                {
                    "candidate_id": cid,
                    "plan_id": plan_id,
                    "certificate_id": cert_id,
                    "ticket_number": f"2027011000010{n:07d}",
                }
                for n, cid in enumerate(ids)
            ],
        )
        registrations = list(session.scalars(select(Registration.id).order_by(Registration.id)))
        insert_rows(
            session,
            cast(Table, RegistrationSubject.__table__),
            [{"registration_id": r, "subject_id": s[0]} for r in registrations for s in subjects],
        )
    db.close()
    return [
        (f"2027011000010{n:07d}", c["id_number"], c["name"], s[1], s[2], s[3])
        for n, c in enumerate(candidates)
        for s in subjects
    ]


def write_sheet(path: Path, records: list[tuple[str, str, str, str, str, str]]) -> None:
    rng = random.Random(9)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("科目成绩")
    sheet.append(["科目成绩 批量导出"])
    sheet.append(list(HEADER))
    for n, (ticket, idn, name, code, subject, mode) in enumerate(records):
        absent = n % 97 == 0
        sheet.append(
            [
                "2021年数字营销技术应用全国统考", f"S{n:08d}", name, idn, ticket, "院校考生",
                "示范职业技术学院", code, subject, mode, "数字营销技术应用职业技能等级证书",
                "中教畅享", "缺考" if absent else round(rng.uniform(30, 100), 1),
                "2027-01-10 08:30-09:30", "缺考" if absent else "已登记", "示范考点",
            ]
        )  # fmt: skip
    book.save(path)


def calamine_alone(path: Path) -> float:
    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    elapsed = time.perf_counter() - started
    assert len(rows) > 2
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name, clock.fixed(MOMENT):
        folder = Path(folder_name)
        base = folder / "base.db"
        started = time.perf_counter()
        records = make_database(base, args.count)
        sheet = folder / "科目成绩.xlsx"
        write_sheet(sheet, records)
        print(
            f"{args.count} candidates, {len(records)} subject scores made in "
            f"{time.perf_counter() - started:.1f} s"
        )
        reads: list[float] = []
        imports: list[float] = []
        results: list[float] = []
        cpu: list[float] = []
        for run in range(args.runs):
            reads.append(calamine_alone(sheet))
            path = folder / f"run-{run}.db"
            shutil.copyfile(base, path)
            db = Database.open(path)
            started, cpu_started = time.perf_counter(), time.process_time()
            done = import_platform(db, sheet, PLAN)
            imports.append(time.perf_counter() - started)
            assert done.matched == len(records), done.problems[:3]
            started = time.perf_counter()
            rows = certificate_results_of(db, PLAN)
            results.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert len(rows) == args.count
            db.close()
    read, imported, worked = (statistics.median(x) for x in (reads, imports, results))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    both = imported + worked
    print(f"calamine alone (read the sheet): {read:7.2f} s")
    print(f"import (scores in)             : {imported:7.2f} s  ({imported / read:.1f}x calamine)")
    print(f"results (certificate outcomes) : {worked:7.2f} s")
    print(
        f"import + results               : {both:7.2f} s  ({both / read:.1f}x calamine; "
        f"target < 2 s: {'met' if both < 2 else 'NOT met'})"
    )
    print(
        f"import + results, CPU time     : {statistics.median(cpu):7.2f} s  "
        f"(this process's own; load average {load:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
