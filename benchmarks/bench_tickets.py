"""How long 10,000 admission tickets (准考证) with photos and QR codes take, next to what
reportlab alone takes to draw the same text and images on as many pages; and the peak
memory.

The data is made here, in memory (no database): N candidates, each with one registration
of a theory and a practical session (``combined`` layout: one ticket each, two tickets
to an A4 page), 40 to a room, and a few distinct drawn JPEG photos
(``services.demo.demo_photo``) handed out in chunks as ``job.photos`` does.

- *tickets*: ``formats.pdf.tickets.draw`` onto a canvas, saved to a file;
- *bare*: a plain reportlab ``Canvas`` (same font, same page count) drawing the same
  strings with ``drawString`` at fixed places, the same photos with ``drawImage`` (one
  ``ImageReader`` per distinct photo) and the same QR codes (``drawing.draw_qr``, the same
  vector squares) — no layout logic: no measuring, fitting, wrapping or font switching;
- *bare, no QR*: the same without the QR codes (text and images only).

It prints the times, the ratios (target: tickets / bare ≤ 1.5) and the process's peak
memory (``ru_maxrss``) after making the data and after the tickets: the photos are fetched
a chunk at a time, so the growth is reportlab's own page store (every page's compressed
content stream stays in memory until ``save``), not photos or per-ticket objects.

    uv run python benchmarks/bench_tickets.py [--count 10000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from examsite.domain.masking import mask_id
from examsite.domain.materials import (
    MaterialsData,
    PlanFacts,
    PrintSettings,
    RoomFacts,
    RoomSessionFacts,
    SeatFacts,
    SiteFacts,
)
from examsite.formats.pdf import tickets
from examsite.formats.pdf.drawing import PAGE_HEIGHT, draw_qr, pdf_canvas, wrap
from examsite.formats.pdf.fonts import load_fonts
from examsite.formats.pdf.job import PrintJob
from examsite.services.demo import demo_photo

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
PER_ROOM = 40
PHOTOS = 6


def _name(rng: random.Random) -> str:
    if rng.random() < 0.02:
        return "欧阳" + "".join(rng.choice(GIVEN) for _ in range(4))
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def make_data(count: int) -> tuple[MaterialsData, dict[int, bytes]]:
    """``count`` candidates in rooms of 40, each with a theory and a practical session."""
    rng = random.Random(9)
    photos = {
        index: demo_photo(rng, (220, 30, 30) if index % 2 else (67, 142, 219))
        for index in range(PHOTOS)
    }
    day = dt.datetime(2026, 12, 19)
    rooms = []
    candidate = 0
    for number in range(-(-count // PER_ROOM)):
        people = []
        for seat in range(1, PER_ROOM + 1):
            if candidate >= count:
                break
            candidate += 1
            id_number = f"4201022005{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 9999):04d}"
            people.append(
                SeatFacts(
                    seat, f"2026121900{number + 1:04d}{seat:03d}", candidate, _name(rng),
                    id_number, "女", "school", "营销2301", "市场营销", "江汉职业技术学院",
                )
            )  # fmt: skip
        name = f"信息楼 {number + 101} 机房"
        sessions = tuple(
            RoomSessionFacts(
                f"{number}-{kind}", "1630054223010588", "数字营销技术应用职业技能等级证书",
                "junior", f"{title}（初级）", kind, mode, day + start, day + end, ("万然远", "上官欣"),
                tuple(people),
            )
            for kind, title, mode, start, end in (
                ("theory", "理论知识考试", "机考", dt.timedelta(hours=8.5), dt.timedelta(hours=9.5)),
                ("practical", "实操技能考试", "机考+实操", dt.timedelta(hours=10), dt.timedelta(hours=12)),
            )
        )  # fmt: skip
        rooms.append(
            RoomFacts(
                str(number), name, 45, 40, "机考+实操",
                "湖北省武汉市洪山区示例大道 1 号 信息楼 3 层", sessions,
            )
        )  # fmt: skip
    site = SiteFacts(
        "江汉职业技术学院 - 数字营销技术应用职业技能等级证书（初级、中级）考核站点",
        "EX-SITE-001", "江汉职业技术学院", "湖北省武汉市洪山区示例大道 1 号 信息楼",
        "周建国", "13907150001", "湖北省",
    )  # fmt: skip
    plan = PlanFacts("P1", "2026年数字营销技术应用全国统考", "中教畅享", day, day)
    return MaterialsData(site, plan, tuple(rooms), ()), photos


def _fetcher(photos: dict[int, bytes]):  # type: ignore[no-untyped-def]
    def fetch(ids: Sequence[int]) -> dict[int, bytes]:
        return {i: photos[i % PHOTOS] for i in ids}

    return fetch


def run_tickets(data: MaterialsData, photos: dict[int, bytes], out: Path) -> tuple[float, int]:
    job = PrintJob(data, PrintSettings(), photos=_fetcher(photos))
    start = time.perf_counter()
    with pdf_canvas(out, title=tickets.TITLE) as canvas:
        pages = tickets.draw(canvas, job, None)
    return time.perf_counter() - start, pages


def run_bare(
    data: MaterialsData, photos: dict[int, bytes], out: Path, *, qr: bool
) -> tuple[float, int]:
    """The same strings and images with a bare canvas, nothing measured or fitted."""
    fonts = load_fonts()
    rules = wrap(tickets.RULES, 482, 8.5)
    made = tickets.tickets(data)
    start = time.perf_counter()
    readers = {key: ImageReader(io.BytesIO(b)) for key, b in photos.items()}
    canvas = Canvas(str(out), invariant=1, initialFontName=fonts.main, pageCompression=1)
    pages = 0
    for index, ticket in enumerate(made):
        slot = index % 2
        if slot == 0:
            if index:
                canvas.showPage()
            pages += 1
            canvas.setFont(fonts.main, 6.5)
            canvas.drawString(20, PAGE_HEIGHT / 2 + 4, "沿虚线剪开")
        top = PAGE_HEIGHT - slot * PAGE_HEIGHT / 2 - 25
        seat = ticket.seat
        first = ticket.first.session
        canvas.setFont(fonts.main, 9.5)
        canvas.drawString(200, top - 13, data.plan.name)
        canvas.setFont(fonts.main, 18)
        canvas.drawString(260, top - 33, "准　考　证")
        canvas.drawImage(readers[seat.candidate_id % PHOTOS], 56, top - 145, 71, 99)
        canvas.setFont(fonts.main, 10)
        values = (
            seat.name, mask_id(seat.id_number), ticket.ticket,
            tickets.certificate_line(first), data.site.name, data.site.address,
        )  # fmt: skip
        for row, (label, value) in enumerate(
            zip(
                ("姓　　名", "身份证号", "准考证号", "报考证书", "考　　点", "考点地址"),
                values,
                strict=True,
            )
        ):
            canvas.drawString(140, top - 57 - 14 * row, label)
            canvas.drawString(185, top - 57 - 14 * row, value)
        if qr:
            draw_qr(canvas, ticket.ticket, 470, top - 131, 85)
        canvas.drawString(480, top - 140, "扫码核验准考证号")
        for column, title in enumerate(("科目", "考试时间", "考场", "考场地址", "座位号")):
            canvas.drawString(60 + 100 * column, top - 170, title)
        for row, sitting in enumerate(ticket.sittings):
            s = sitting.session
            cells = (
                s.subject_name, tickets.time_span(s.starts_at, s.ends_at),
                sitting.room.name, sitting.room.address, str(sitting.seat.seat),
            )  # fmt: skip
            for column, cell in enumerate(cells):
                canvas.drawString(60 + 100 * column, top - 190 - 21 * row, cell)
        canvas.drawString(56, top - 240, tickets.RULES_TITLE)
        canvas.setFont(fonts.main, 8.5)
        for row, line in enumerate(rules):
            canvas.drawString(56, top - 252 - 12 * row, line)
    canvas.showPage()
    canvas.save()
    return time.perf_counter() - start, pages


def _maxrss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    load_fonts()
    data, photos = make_data(args.count)
    print(f"{args.count} tickets; data made, peak memory {_maxrss_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for round_ in range(args.rounds):
            ours, pages = run_tickets(data, photos, out / "tickets.pdf")
            peak = _maxrss_mb()
            size = (out / "tickets.pdf").stat().st_size / 1e6
            bare, bare_pages = run_bare(data, photos, out / "bare.pdf", qr=True)
            plain, _ = run_bare(data, photos, out / "plain.pdf", qr=False)
            assert pages == bare_pages, (pages, bare_pages)
            print(
                f"round {round_ + 1}: tickets {ours:.2f} s ({pages} pages, {size:.1f} MB, "
                f"{ours / args.count * 1000:.2f} ms a ticket), peak memory {peak:.0f} MB\n"
                f"  bare reportlab, text + photos + QR {bare:.2f} s → ratio {ours / bare:.2f}× "
                f"(target ≤ 1.5×)\n"
                f"  bare reportlab, text + photos {plain:.2f} s → ratio {ours / plain:.2f}×"
            )


if __name__ == "__main__":
    main()
