"""How long the filled room record forms (考场情况记录表, two copies per room session) take
for N candidates, next to the blank forms of the materials step (the same layout, the
same reportlab underneath, nothing filled in); and the counting of the attendance.

The data is made here, in memory (no database): N candidates in rooms of 40, each sitting
a theory and a practical session; about 5 % absent, 1 % late, a few never scanned; an
extension, a changed PC and a misconduct record in every tenth room session.

- *filled*: ``formats.pdf.room_record_filled.draw`` with the ``ExamDayRecord``;
- *blank*: ``formats.pdf.room_record.draw`` (what the print run made before exam day);
- *count*: ``domain.exam_day_record.count_room_session`` over every room session.

It prints the times and the ratio filled / blank (target ≤ 1.5: filling in costs little
beside drawing the page).

    uv run python benchmarks/bench_exam_day_forms.py [--count 10000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path
from types import MappingProxyType

from examsite.domain.exam_day_record import (
    ExamDayRecord,
    IncidentLine,
    RoomSessionRecord,
    SeatStatus,
    count_room_session,
)
from examsite.domain.materials import (
    MaterialsData,
    PlanFacts,
    PrintSettings,
    RoomFacts,
    RoomSessionFacts,
    SeatFacts,
    SiteFacts,
)
from examsite.formats.pdf import room_record, room_record_filled
from examsite.formats.pdf.drawing import pdf_canvas
from examsite.formats.pdf.job import PrintJob

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
PER_ROOM = 40
DAY = dt.datetime(2026, 12, 19)


def make_data(count: int) -> tuple[MaterialsData, dict[str, list[SeatStatus]]]:
    rng = random.Random(11)
    rooms = []
    statuses: dict[str, list[SeatStatus]] = {}
    candidate = 0
    for number in range(-(-count // PER_ROOM)):
        people = []
        for seat in range(1, PER_ROOM + 1):
            if candidate >= count:
                break
            candidate += 1
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))
            people.append(
                SeatFacts(
                    seat, f"2026121900{number + 1:04d}{seat:03d}", candidate, name,
                    f"42010220050101{candidate:04d}", "女", "school", "营销2301", "市场营销",
                    "江汉职业技术学院",
                )
            )  # fmt: skip
        sessions = []
        for kind, title, start, end in (
            ("theory", "理论知识考试（初级）", 8.5, 9.5),
            ("practical", "实操技能考试（初级）", 10.0, 12.0),
        ):
            uid = f"{number}-{kind}"
            sessions.append(
                RoomSessionFacts(
                    uid, "1630054223010588", "数字营销技术应用职业技能等级证书", "junior",
                    title, kind, "机考", DAY + dt.timedelta(hours=start),
                    DAY + dt.timedelta(hours=end), ("万然远", "上官欣"), tuple(people),
                )
            )  # fmt: skip
            statuses[uid] = [
                SeatStatus(p.seat, p.name, p.ticket, p.id_number, _status(rng)) for p in people
            ]
        rooms.append(
            RoomFacts(str(number), f"信息楼 {number + 101} 机房", 45, 40, "机考+实操", "", tuple(sessions))
        )  # fmt: skip
    site = SiteFacts("江汉职业技术学院考核站点", "S1", "江汉职业技术学院", "", "", "", "湖北省")
    plan = PlanFacts("P1", "2026年数字营销技术应用全国统考", "中教畅享", DAY, DAY)
    return MaterialsData(site, plan, tuple(rooms), ()), statuses


def _status(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.05:
        return "absent"
    if roll < 0.06:
        return "late"
    if roll < 0.065:
        return None
    return "present"


def make_record(statuses: dict[str, list[SeatStatus]]) -> tuple[ExamDayRecord, float]:
    start = time.perf_counter()
    rooms = {}
    for index, (uid, seats) in enumerate(statuses.items()):
        incidents: tuple[IncidentLine, ...] = ()
        if index % 10 == 0:
            at = DAY + dt.timedelta(hours=9)
            incidents = (
                IncidentLine(at, "extension", (), "停电", "延时 10 分钟", 10, "王老师"),
                IncidentLine(at, "machine_change", ("张三（3 号）",), "", "换机", None, ""),
                IncidentLine(at, "misconduct", ("李四（7 号）",), "携带手机", "警告", None, ""),
            )
        counts = count_room_session(seats, ended=True)
        rooms[uid] = RoomSessionRecord(uid, counts, incidents, True)
    return ExamDayRecord(MappingProxyType(rooms)), time.perf_counter() - start


def run(draw: object, job: PrintJob, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    with pdf_canvas(out, title="考场情况记录表") as canvas:
        pages = draw(canvas, job, None)  # type: ignore[operator]
    return time.perf_counter() - start, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    data, statuses = make_data(args.count)
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            record, counting = make_record(statuses)
            job = PrintJob(data, PrintSettings(), exam_day=record)
            filled, pages = run(room_record_filled.draw, job, Path(folder) / "filled.pdf")
            blank, blank_pages = run(room_record.draw, job, Path(folder) / "blank.pdf")
            print(
                f"round {round_ + 1}: {args.count} candidates, {len(statuses)} room sessions\n"
                f"  count    {counting * 1000:8.1f} ms\n"
                f"  filled   {filled:8.2f} s  ({pages} pages)\n"
                f"  blank    {blank:8.2f} s  ({blank_pages} pages)\n"
                f"  filled / blank = {filled / blank:.2f}"
            )


if __name__ == "__main__":
    main()
