"""Several processes writing to one database at once, every committed change counted and
then looked for (issue 12: "zero lost updates, counted, not assumed").

Each process opens the database itself (as another PC would) and, until its time is up,
does one operation after another, chosen at random:

- ``import``: a small sheet of 5 new candidates (ID numbers of its own) imported;
- ``register``: one ready candidate (from its own share of the unregistered) registered;
- ``checkin``: one seated candidate (its own share of the first session) scanned in;
- ``edit``: one of a few *hot* candidates read as the form would, then saved with its
  phone number's counter one higher and ``loaded=`` what was read: the processes edit the
  same few candidates, so saves collide; a save refused because another process changed
  the candidate first (``candidate.changed_elsewhere``) is a refusal, not an error.

A process reports what it believes it committed; ``verify`` then looks each up in the
database: every imported ID number a row, every registration a row, every check-in an
attendance row, and each hot candidate's counter equal to the number of committed
increments of it (an overwritten save would leave it lower: a lost update).

Used by ``benchmarks/bench_pg_writers.py`` (8 processes for a minute) and
``tests/integration/test_concurrent_writers.py`` (8 processes for a few seconds).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import statistics
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("import", "register", "checkin", "edit")
WEIGHTS = (1, 2, 4, 3)
#: Regions of the imported ID numbers, one per process (none of them the demo's).
REGIONS = ("150102", "150203", "150302", "150402", "150502", "150602", "150702", "150802")
SHEET_ROWS = 5
ROOM_SEATS = 40
HOT = 3
#: The moment the site is made and registrations are taken (the demo plan's window is
#: open); check-ins happen 10 minutes before the first session.
BASE = dt.datetime(2026, 12, 20, 9, 0)
_warm = False  # whether this process has run ``warm_up``


@dataclass(frozen=True)
class Site:
    """What the processes share out: the plan, the pools, the hot candidates."""

    plan: str
    certificate: str
    to_register: tuple[str, ...]
    to_check_in: tuple[tuple[str, str], ...]  # (ticket, room session uid)
    hot: tuple[str, ...]
    check_in_at: dt.datetime
    audit_after: int  # the last audit entry before the run


@dataclass
class Tally:
    """What one process did: committed changes (to look for), refusals, latencies."""

    index: int
    imported: list[str] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)
    checked_in: list[str] = field(default_factory=list)
    edits: Counter[str] = field(default_factory=Counter)
    committed: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    ready_s: float = 0.0  # from the start to ready (connected, warm)
    waited_s: float = 0.0  # then waiting for the others


def hot_phone(counter: int) -> str:
    return f"139{counter:08d}"


def prepare(db: Any, candidates: int) -> Site:
    """The demo site of ``candidates``, half of the junior level's ready candidates
    registered and arranged (in rooms of 40 added for them); the other half left for the
    processes to register (the quota raised so that none is refused); the hot candidates'
    counters at 0."""
    from sqlalchemy import func, select, update

    from examsite import clock
    from examsite.services.arrangement import run_arrangement
    from examsite.services.candidates import get_candidate, save_candidate
    from examsite.services.demo import DEMO_PLAN_CODE, create_demo
    from examsite.services.plans import find_plan
    from examsite.services.registration import (
        find_certificate,
        register_candidates,
        registrable_id_numbers,
    )
    from examsite.services.rooms import RoomForm, add_room
    from examsite.services.site import show_site
    from examsite.storage.models import (
        AuditLog,
        ExamSession,
        Quota,
        Registration,
        RegistrationSubject,
        Room,
        RoomSession,
        Seat,
    )

    with clock.fixed(BASE):
        create_demo(db, candidates=candidates)
        with db.unit_of_work() as session:  # the demo's quota (150) would refuse most
            session.execute(update(Quota).values(approved=1_000_000))
        certificate = show_site(db).certificates[0].code
        with db.read() as session:
            plan = find_plan(session, DEMO_PLAN_CODE)
            plan_id = plan.id
            ready = registrable_id_numbers(
                session, plan, find_certificate(session, plan, certificate)
            )
        half = len(ready) // 2
        result = register_candidates(db, DEMO_PLAN_CODE, certificate, ready[:half])
        assert not result.refused, result.refused[:3]
        for n in range(half // ROOM_SEATS + 1):  # rooms enough for all (the demo's labs
            form = RoomForm(f"基准考场{n + 1:03d}", ROOM_SEATS)  # hold a few hundred)
            add_room(db, DEMO_PLAN_CODE, certificate, form)
        run_arrangement(db, DEMO_PLAN_CODE)
        hot = ready[half - HOT : half]
        for id_number in hot:
            row = get_candidate(db, id_number)
            save_candidate(db, _form(row, hot_phone(0)), original_id_number=id_number, loaded=row)
    with db.read() as session:
        audit_after = session.scalar(select(func.max(AuditLog.id))) or 0
        first = session.scalar(
            select(func.min(ExamSession.starts_at)).where(ExamSession.plan_id == plan_id)
        )
        seats = session.execute(
            select(Registration.ticket_number, RoomSession.uid)
            .join(RegistrationSubject, RegistrationSubject.registration_id == Registration.id)
            .join(Seat, Seat.registration_subject_id == RegistrationSubject.id)
            .join(RoomSession, RoomSession.id == Seat.room_session_id)
            .join(Room, Room.id == RoomSession.room_id)
            .join(ExamSession, ExamSession.id == RoomSession.session_id)
            .where(ExamSession.starts_at == first)
            .order_by(Room.name, Seat.seat_number)
        ).all()
    assert first is not None and seats, "the arrangement seated nobody"
    return Site(
        plan=DEMO_PLAN_CODE,
        certificate=certificate,
        to_register=tuple(ready[half:]),
        to_check_in=tuple((str(t), str(u)) for t, u in seats),
        hot=tuple(hot),
        check_in_at=first - dt.timedelta(minutes=10),
        audit_after=audit_after,
    )


def _form(row: Any, phone: str) -> Any:
    from examsite.domain.candidate_status import FIELDS
    from examsite.services.candidates import CandidateForm

    values = {f.name: row.extra.get(f.key) if f.is_extra else getattr(row, f.name) for f in FIELDS}
    return CandidateForm.of(row.kind, {**values, "phone": phone})


class _Sheets:
    """Small candidate sheets of this process's own new ID numbers."""

    def __init__(self, index: int, folder: Path) -> None:
        from examsite.formats.template_workbook import write_template

        self.region = REGIONS[index % len(REGIONS)]
        self.count = 0
        self.folder = folder
        self.blank = write_template("school", folder / "blank.xlsx")

    def next(self) -> tuple[Path, list[str]]:
        import openpyxl

        from examsite.domain.id_number import synthetic_id

        workbook = openpyxl.load_workbook(self.blank)
        sheet = workbook.active
        assert sheet is not None
        numbers = []
        for row in range(4, 4 + SHEET_ROWS):
            n = self.count
            self.count += 1
            gender = "男" if n % 2 else "女"
            birth = dt.date(2001, 1, 1) + dt.timedelta(days=n // 500)
            number = synthetic_id(self.region, birth, n % 500, gender)
            numbers.append(number)
            values = ("王小明", "", gender, "身份证", number, "13800138000", "2022", "专科",
                      "电子商务", "530701")  # fmt: skip
            for column, value in enumerate(values, start=1):
                sheet.cell(row, column, value)
        path = self.folder / f"sheet-{self.count}.xlsx"
        workbook.save(path)
        return path, numbers


def warm_up(db: Any, site: Site, sheet: Path | None = None) -> None:
    """Load what the operations load lazily (sheet reader, check-in lookups) before the
    clock starts: a dry run of a sheet, a read of a hot candidate, a scan of no one.
    Called in the parent before forking, the children start warm."""
    from examsite import clock
    from examsite.services.candidate_import import import_candidates
    from examsite.services.candidates import get_candidate
    from examsite.services.checkin import scan

    global _warm
    if sheet is None:
        folder = Path(tempfile.mkdtemp(prefix="writers-warm-"))
        sheet = _Sheets(len(REGIONS) - 1, folder).next()[0]
    with clock.fixed(BASE):
        import_candidates(db, sheet, "school", dry_run=True)
    get_candidate(db, site.hot[0])
    with clock.fixed(site.check_in_at):
        scan(db, site.plan, "NOBODY")
    _warm = True


def work(url: str, site: Site, index: int, processes: int, seconds: float, start: Any) -> Tally:
    """One process's run: wait for the others (``start``: a barrier), then operations
    until ``seconds`` have passed."""
    from examsite import clock
    from examsite.errors import ExamsiteError, InputError
    from examsite.services.candidate_import import import_candidates
    from examsite.services.candidates import get_candidate, save_candidate
    from examsite.services.checkin import Verdict, scan
    from examsite.services.registration import register_candidates
    from examsite.storage.db import Database

    began_work = time.perf_counter()
    tally = Tally(index)
    rng = random.Random(index)
    registering = list(site.to_register[index::processes])
    checking = list(site.to_check_in[index::processes])
    db = Database(url, upgrade=False)
    folder = Path(tempfile.mkdtemp(prefix=f"writers-{index}-"))
    sheets = _Sheets(index, folder)
    try:
        if not _warm:  # spawned; a child forked from a warm parent starts warm
            warm_up(db, site, sheets.next()[0])
        tally.ready_s = time.perf_counter() - began_work
        start.wait()
        tally.waited_s = time.perf_counter() - began_work - tally.ready_s
        ends = time.perf_counter() + seconds
        while time.perf_counter() < ends:
            kind = rng.choices(KINDS, WEIGHTS)[0]
            if (kind == "register" and not registering) or (kind == "checkin" and not checking):
                kind = "edit"
            prepared = sheets.next() if kind == "import" else None
            began = time.perf_counter()
            try:
                if kind == "import":
                    assert prepared is not None
                    with clock.fixed(BASE):
                        report = import_candidates(db, prepared[0], "school")
                    assert report.imported == SHEET_ROWS, report
                    tally.imported.extend(prepared[1])
                elif kind == "register":
                    id_number = registering.pop()
                    with clock.fixed(BASE):
                        result = register_candidates(db, site.plan, site.certificate, [id_number])
                    if not result.added:
                        tally.refused[kind] += 1
                        continue
                    tally.registered.append(id_number)
                elif kind == "checkin":
                    ticket, door = checking.pop()
                    with clock.fixed(site.check_in_at):
                        verdict = scan(db, site.plan, ticket, door).verdict
                    if verdict != Verdict.CHECKED_IN:
                        tally.errors.append(f"check-in {ticket}: {verdict}")
                        continue
                    tally.checked_in.append(ticket)
                else:
                    id_number = rng.choice(site.hot)
                    row = get_candidate(db, id_number)  # the form opens
                    time.sleep(rng.random() * 0.005)  # the coordinator types
                    counter = int(row.phone[3:]) + 1
                    try:
                        save_candidate(
                            db,
                            _form(row, hot_phone(counter)),
                            original_id_number=id_number,
                            loaded=row,
                        )
                    except InputError as exc:
                        if exc.code != "candidate.changed_elsewhere":
                            raise
                        tally.refused[kind] += 1
                        tally.latencies[kind].append(time.perf_counter() - began)
                        continue
                    tally.edits[id_number] += 1
            except ExamsiteError as exc:
                tally.errors.append(f"{kind}: {exc.code} {exc.message}")
                continue
            tally.committed[kind] += 1
            tally.latencies[kind].append(time.perf_counter() - began)
    except Exception:
        tally.errors.append(traceback.format_exc())
    finally:
        db.close()
    return tally


def _run_one(url: str, site: Site, index: int, processes: int, seconds: float, start: Any,
             results: Any) -> None:  # fmt: skip
    results.put(work(url, site, index, processes, seconds, start))


def run(
    url: str, site: Site, processes: int, seconds: float, *, method: str = "spawn"
) -> list[Tally]:
    """``processes`` processes for ``seconds``, sharing nothing but the URL: spawned
    (fresh interpreters, as separate PCs), or forked where the OS can (quicker to start;
    the caller must hold no open connection: ``db.engine.dispose()`` first)."""
    if method not in multiprocessing.get_all_start_methods():
        method = "spawn"
    context = multiprocessing.get_context(method)
    start = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=_run_one, args=(url, site, i, processes, seconds, start, results))
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    tallies = [results.get(timeout=seconds + 600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return sorted(tallies, key=lambda t: t.index)


@dataclass(frozen=True)
class Verdict:
    """Every committed change looked up: how many were expected, how many found."""

    expected: dict[str, int]
    found: dict[str, int]

    @property
    def lost(self) -> int:
        return sum(self.expected[k] - self.found[k] for k in self.expected)


def verify(db: Any, site: Site, tallies: list[Tally]) -> Verdict:
    from sqlalchemy import func, select

    from examsite.services.candidates import get_candidate
    from examsite.storage.models import (
        Attendance,
        AuditLog,
        Candidate,
        Certificate,
        Registration,
    )

    imported = [n for t in tallies for n in t.imported]
    registered = [n for t in tallies for n in t.registered]
    checked_in = sum(len(t.checked_in) for t in tallies)
    edits: Counter[str] = Counter()
    for t in tallies:
        edits.update(t.edits)
    expected = {
        "import": len(imported),
        "register": len(registered),
        "checkin": checked_in,
        "edit": sum(edits.values()),
        "edit_audit": sum(edits.values()),
    }
    with db.read() as session:
        found_imported = sum(
            session.scalar(
                select(func.count()).select_from(Candidate).where(Candidate.id_number.in_(chunk))
            )
            or 0
            for chunk in _chunks(imported)
        )
        found_registered = sum(
            session.scalar(
                select(func.count())
                .select_from(Registration)
                .join(Candidate, Candidate.id == Registration.candidate_id)
                .join(Certificate, Certificate.id == Registration.certificate_id)
                .where(Candidate.id_number.in_(chunk), Certificate.code == site.certificate)
            )
            or 0
            for chunk in _chunks(registered)
        )
        found_checked_in = session.scalar(select(func.count()).select_from(Attendance)) or 0
        audited = (
            session.scalar(
                select(func.count())
                .select_from(AuditLog)
                .where(
                    AuditLog.entity == "candidate",
                    AuditLog.action == "update",
                    AuditLog.entity_id.in_(site.hot),
                    AuditLog.id > site.audit_after,
                )
            )
            or 0
        )
    counters = sum(int(get_candidate(db, n).phone[3:]) for n in site.hot)
    found = {
        "import": found_imported,
        "register": found_registered,
        "checkin": found_checked_in,
        "edit": counters,
        "edit_audit": audited,
    }
    return Verdict(expected, found)


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def summary(tallies: list[Tally], seconds: float) -> dict[str, dict[str, float]]:
    """Per kind: committed, refused, operations per second, median and p95 latency (ms)."""
    figures: dict[str, dict[str, float]] = {}
    for kind in (*KINDS, "all"):
        kinds = KINDS if kind == "all" else (kind,)
        times = sorted(x for t in tallies for k in kinds for x in t.latencies[k])
        committed = sum(t.committed[k] for t in tallies for k in kinds)
        refused = sum(t.refused[k] for t in tallies for k in kinds)
        figures[kind] = {
            "committed": committed,
            "refused": refused,
            "per_second": (committed + refused) / seconds,
            "median_ms": statistics.median(times) * 1000 if times else 0.0,
            "p95_ms": times[int(len(times) * 0.95)] * 1000 if times else 0.0,
        }
    return figures
