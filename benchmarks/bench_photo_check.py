"""How fast the photo check runs compared with Pillow merely decoding the same photos.

Writes N photos of mixed kinds into a temporary folder (mostly right-sized red JPEGs, some
PNGs, photos to scale down, sideways 12 MP phone photos, blue backgrounds, CMYK, truncated
files, GIFs and landscapes), reads them back with ``read_photo_source`` and times, over the
same bytes:

- a bare Pillow loop (``Image.open`` + ``load()``, one thread), the baseline;
- ``check_photo`` in a plain loop (one thread);
- the thread pool and the process pool ``check_many`` uses (all cores).

Target: ``check_many`` at least 0.8 × the bare loop's throughput.

    .venv/bin/python benchmarks/bench_photo_check.py [--count 10000] [--no-fix]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw

from examsite.formats.photo_check import check_many, check_photo, check_pooled
from examsite.formats.photo_source import read_photo_source
from examsite.progress import Progress

RED = (220, 0, 0)
BLUE = (67, 142, 219)


def portrait(rng: random.Random, size=(295, 413), bg=RED) -> Image.Image:
    w, h = size
    shade = tuple(max(0, min(255, c + rng.randint(-15, 15))) for c in bg)
    im = Image.new("RGB", size, shade)
    draw = ImageDraw.Draw(im)
    dx = rng.uniform(-0.04, 0.04) * w
    draw.ellipse((w * 0.3 + dx, h * 0.15, w * 0.7 + dx, h * 0.6), fill=(230, 190, 160))
    draw.rectangle((w * 0.1, h * 0.72, w * 0.9, h), fill=(30, 30, 60))
    # a little noise, as a camera gives: flat colour compresses unrealistically well
    noise = Image.effect_noise(size, 12).convert("RGB")
    return Image.blend(im, noise, 0.06)


def encode(im: Image.Image, fmt="JPEG", **params) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def sideways(rng: random.Random) -> bytes:
    stored = portrait(rng, (2950, 4130)).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(stored, quality=88, exif=exif.tobytes())


# kind: (share of the photos, how many distinct variants to draw, maker)
KINDS: dict[str, tuple[float, int, Callable[[random.Random], bytes]]] = {
    "exact jpeg": (0.70, 60, lambda r: encode(portrait(r), quality=92)),
    "exact png": (0.08, 20, lambda r: encode(portrait(r), "PNG")),
    "590x826 jpeg": (0.08, 20, lambda r: encode(portrait(r, (590, 826)), quality=92)),
    "sideways 12 MP": (0.02, 6, sideways),
    "blue background": (0.04, 10, lambda r: encode(portrait(r, bg=BLUE))),
    "cmyk jpeg": (0.03, 10, lambda r: encode(portrait(r).convert("CMYK"))),
    "truncated": (0.02, 10, lambda r: encode(portrait(r))[:4000]),
    "gif as .jpg": (0.02, 5, lambda r: encode(portrait(r), "GIF")),
    "landscape": (0.01, 5, lambda r: encode(portrait(r, (826, 590)))),
}


def make_photos(folder: Path, count: int) -> Counter[str]:
    rng = random.Random(7)
    variants = {kind: [make(rng) for _ in range(n)] for kind, (_, n, make) in KINDS.items()}
    kinds = rng.choices(list(KINDS), weights=[share for share, _, _ in KINDS.values()], k=count)
    for i, kind in enumerate(kinds):
        data = rng.choice(variants[kind])
        (folder / f"{110105194912310000 + i:018d}.jpg").write_bytes(data)
    return Counter(kinds)


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def free_cores(workers: int) -> float:
    """How many cores this machine really gives right now (others may be busy on it)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    spin = 5_000_000
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        list(pool.map(_spin, [1000] * workers))  # start the workers
        start = time.perf_counter()
        pool.submit(_spin, spin).result()
        one = time.perf_counter() - start
        start = time.perf_counter()
        list(pool.map(_spin, [spin] * workers))
        many = time.perf_counter() - start
    return workers * one / many


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare_pillow(items: list[tuple[str, bytes]]) -> None:
    for _, data in items:
        try:
            with Image.open(io.BytesIO(data)) as im:
                im.load()
        except Exception:  # the broken ones are part of the mix
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best one counts")
    parser.add_argument("--no-fix", dest="fix", action="store_false")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        mix = make_photos(folder, args.count)
        print(f"made {args.count} photos in {time.perf_counter() - start:.1f} s: {dict(mix)}")
        with read_photo_source(folder) as source:
            items = list(source)
    n = len(items)
    fix = args.fix
    workers = args.workers
    megabytes = sum(len(data) for _, data in items) / 1024**2
    print(f"{megabytes:.0f} MB in memory; {workers} workers; fix={fix}")
    print(f"Python {sys.version.split()[0]}, Pillow {Image.__version__}, {os.cpu_count()} CPUs")

    def threads() -> None:
        with ThreadPoolExecutor(workers) as pool:
            for _ in check_pooled(items, fix, pool, Progress(), n, workers * 2):
                pass

    verdicts: Counter[str] = Counter()

    def processes() -> None:
        verdicts.clear()
        for _, result in check_many(items, fix=fix, workers=workers):
            verdicts[result.verdict.value] += 1

    runs: dict[str, Callable[[], object]] = {
        "bare Pillow open+load (1 thread)": lambda: bare_pillow(items),
        "check_photo loop (1 thread)": lambda: [check_photo(d, fix=fix) for _, d in items],
        f"thread pool ({workers} threads)": threads,
        f"check_many ({workers} processes)": processes,
    }
    best: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for round_ in range(1, args.repeat + 1):
        # Other work on the machine steals cores; this says how many the round really had.
        print(f"round {round_}: cores free for {workers} workers: {free_cores(workers):.2f}")
        for label, run in runs.items():
            cpu_start = cpu_seconds()
            start = time.perf_counter()
            run()
            seconds = time.perf_counter() - start
            used = cpu_seconds() - cpu_start
            best[label] = min(seconds, best.get(label, seconds))
            cpu[label] = min(used, cpu.get(label, used))
            print(f"  {label:<34} {seconds:6.2f} s  {n / seconds:6.0f} photos/s")
    print(f"best of {args.repeat} rounds (CPU: all threads and worker processes together):")
    bare = n / best["bare Pillow open+load (1 thread)"]
    for label, seconds in best.items():
        print(
            f"  {label:<34} {n / seconds:6.0f} photos/s  {n / seconds / bare:5.2f}x bare"
            f"  {1000 * cpu[label] / n:5.2f} ms CPU a photo"
        )
    print(f"verdicts: {dict(verdicts)}")


if __name__ == "__main__":
    main()
