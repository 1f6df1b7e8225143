"""How fast the photo check runs against Pillow doing the same essential work, as ratios.

Two sets of photos, made here:

- ``small``: N right-sized 295 × 413 red JPEGs (what a coordinator mostly gets), a third of
  them carrying phone metadata (EXIF with GPS, a comment);
- ``mixed``: right-sized JPEGs and PNGs, photos to scale down, sideways 12 MP phone
  photos, blue backgrounds, CMYK, truncated files, GIFs and landscapes.

For each set, every round times on the same bytes, one after the other (the order
alternating between rounds):

- the *floor*: what Pillow alone must do for a photo to be stored and shown: decode, one
  re-encode (JPEG q90) and a thumbnail (half size, q80);
- the *check*: ``check_photo`` in a loop (one thread, what ``check_many`` does when no
  second core is free), and ``check_many`` on 2 threads;
- a bare decode loop, for reference.

It prints each round's times and ratios (check / floor: below 1 is faster than the floor)
and the median of the per-round ratios: the machine is shared, so only a ratio measured
within one round means anything. Target: the check within 1.1 × the floor.

Then the bytes stored per photo: before (the original, a re-encoded copy and a thumbnail,
as every photo was stored until now) and after (``services.photos.store_photo``'s rule:
the image once, plus the original only where it differs, a thumbnail only for rejected
photos).

    uv run python benchmarks/bench_photo_check.py [--count 2000] [--rounds 5] [--no-fix]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from examsite.formats.photo_check import (
    JPEG_QUALITY,
    PhotoResult,
    check_many,
    check_photo,
    default_workers,
)

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


def phone_metadata(rng: random.Random) -> dict[str, bytes]:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"
    exif[0x0132] = f"2026:05:{rng.randint(1, 28):02d} 10:00:00"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, rng.uniform(0, 60)), 3: "E", 4: (116.0, 23.0, 0.0)}
    return {"exif": exif.tobytes(), "comment": b"taken at the photo studio"}


def small_jpeg(rng: random.Random) -> bytes:
    extra = phone_metadata(rng) if rng.random() < 1 / 3 else {}
    return encode(portrait(rng), quality=92, **extra)


def sideways(rng: random.Random) -> bytes:
    stored = portrait(rng, (2950, 4130)).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(stored, quality=88, exif=exif.tobytes())


# kind: (share of the photos, how many distinct variants to draw, maker)
KINDS: dict[str, tuple[float, int, Callable[[random.Random], bytes]]] = {
    "exact jpeg": (0.70, 60, small_jpeg),
    "exact png": (0.08, 20, lambda r: encode(portrait(r), "PNG")),
    "590x826 jpeg": (0.08, 20, lambda r: encode(portrait(r, (590, 826)), quality=92)),
    "sideways 12 MP": (0.02, 6, sideways),
    "blue background": (0.04, 10, lambda r: encode(portrait(r, bg=BLUE))),
    "cmyk jpeg": (0.03, 10, lambda r: encode(portrait(r).convert("CMYK"))),
    "truncated": (0.02, 10, lambda r: encode(portrait(r))[:4000]),
    "gif as .jpg": (0.02, 5, lambda r: encode(portrait(r), "GIF")),
    "landscape": (0.01, 5, lambda r: encode(portrait(r, (826, 590)))),
}


def mixed_photos(count: int, seed: int = 7) -> tuple[list[tuple[str, bytes]], Counter[str]]:
    rng = random.Random(seed)
    variants = {kind: [make(rng) for _ in range(n)] for kind, (_, n, make) in KINDS.items()}
    kinds = rng.choices(list(KINDS), weights=[share for share, _, _ in KINDS.values()], k=count)
    items = [
        (f"{110105194912310000 + i:018d}.jpg", rng.choice(variants[kind]))
        for i, kind in enumerate(kinds)
    ]
    return items, Counter(kinds)


def small_photos(count: int, seed: int = 11) -> list[tuple[str, bytes]]:
    """``count`` 295 × 413 JPEGs: 200 drawn ones, repeated."""
    rng = random.Random(seed)
    drawn = [small_jpeg(rng) for _ in range(min(count, 200))]
    return [(f"{110105194912310000 + i:018d}.jpg", drawn[i % len(drawn)]) for i in range(count)]


def make_photos(folder: Path, count: int) -> Counter[str]:
    """Write the mixed set into ``folder`` (for bench_candidates_photos)."""
    items, mix = mixed_photos(count)
    for name, data in items:
        (folder / name).write_bytes(data)
    return mix


# --- what is timed ----------------------------------------------------------------------


def bare_pillow(items: list[tuple[str, bytes]]) -> None:
    """Decode only."""
    for _, data in items:
        try:
            with Image.open(io.BytesIO(data)) as im:
                im.load()
        except Exception:  # the broken ones are part of the mix
            pass


def floor_one(data: bytes) -> tuple[bytes, bytes] | None:
    """Pillow's essential work for one photo: decode, one re-encode, a thumbnail."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format == "JPEG" and (im.width > 295 or im.height > 413):
                im.draft("RGB", (295, 413))  # a large JPEG decoded at a reduced scale
            im.load()
            rgb = im if im.mode == "RGB" else im.convert("RGB")
            if rgb.size != (295, 413):
                rgb = rgb.resize((295, 413), Image.Resampling.LANCZOS, reducing_gap=3.0)
            out = io.BytesIO()
            rgb.save(out, "JPEG", quality=JPEG_QUALITY)
            thumb = io.BytesIO()
            rgb.reduce(2).save(thumb, "JPEG", quality=80)
            return out.getvalue(), thumb.getvalue()
    except Exception:
        return None


def floor(items: list[tuple[str, bytes]]) -> None:
    for _, data in items:
        floor_one(data)


def check_loop(items: list[tuple[str, bytes]], fix: bool) -> None:
    for _, data in items:
        check_photo(data, fix=fix)


def check_threads(items: list[tuple[str, bytes]], fix: bool, workers: int) -> None:
    for _ in check_many(items, fix=fix, workers=workers):
        pass


# --- bytes stored ------------------------------------------------------------------------


def stored_after(data: bytes, result: PhotoResult) -> int:
    """Bytes ``store_photo`` keeps for this photo (image, original or patch, thumbnail)."""
    image = result.fixed_jpeg if result.accepted else None
    if image is None:
        return len(data) + len(result.thumbnail or b"")
    if result.original_patch is not None:
        return len(image) + len(result.original_patch)
    return len(image) + len(data)


def stored_before(data: bytes) -> int:
    """Bytes the previous scheme kept: the original, a re-encoded copy, a thumbnail."""
    made = floor_one(data)
    return len(data) + (sum(map(len, made)) if made else 0)


# --- the run ----------------------------------------------------------------------------


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run_set(label: str, items: list[tuple[str, bytes]], rounds: int, fix: bool) -> None:
    n = len(items)
    megabytes = sum(len(d) for _, d in items) / 1024**2
    threads = 2
    print(f"\n== {label}: {n} photos, {megabytes:.1f} MB, fix={fix} ==")
    print(
        f"{'round':>5} {'floor s':>8} {'check s':>8} {'thr s':>7} {'bare s':>7}"
        f" {'check/floor':>11} {'thr/floor':>9} {'check/s':>8} {'thr/s':>7}"
    )
    runs: dict[str, Callable[[], object]] = {
        "floor": lambda: floor(items),
        "check": lambda: check_loop(items, fix),
        "threads": lambda: check_threads(items, fix, threads),
        "bare": lambda: bare_pillow(items),
    }
    ratios: list[float] = []
    thread_ratios: list[float] = []
    rates: list[float] = []
    for round_ in range(1, rounds + 1):
        order = list(runs) if round_ % 2 else list(reversed(runs))
        seconds = {name: timed(runs[name]) for name in order}
        ratio = seconds["check"] / seconds["floor"]
        thread_ratio = seconds["threads"] / seconds["floor"]
        ratios.append(ratio)
        thread_ratios.append(thread_ratio)
        rates.append(n / seconds["check"])
        print(
            f"{round_:>5} {seconds['floor']:8.2f} {seconds['check']:8.2f}"
            f" {seconds['threads']:7.2f} {seconds['bare']:7.2f}"
            f" {ratio:11.2f} {thread_ratio:9.2f}"
            f" {n / seconds['check']:8.0f} {n / seconds['threads']:7.0f}"
            f"   (floor/bare {seconds['floor'] / seconds['bare']:.2f},"
            f" check/bare {seconds['check'] / seconds['bare']:.2f})"
        )
    print(
        f"median check/floor {statistics.median(ratios):.2f} (target <= 1.10), "
        f"on {threads} threads / floor {statistics.median(thread_ratios):.2f}, "
        f"check {statistics.median(rates):.0f} photos/s "
        f"(check_many would use {default_workers()} thread(s) now)"
    )

    results = [check_photo(data, fix=fix) for _, data in items]
    before = sum(stored_before(data) for _, data in items)
    after = sum(stored_after(data, r) for (_, data), r in zip(items, results, strict=True))
    original = sum(len(data) for _, data in items)
    kept = sum(1 for r in results if r.original_patch is not None)
    print(
        f"bytes stored per photo: before {before / n / 1024:.1f} KB "
        f"({before / original:.2f}x the photo bytes), after {after / n / 1024:.1f} KB "
        f"({after / original:.2f}x); image data kept as it came for {kept} of {n}"
    )
    print(f"verdicts: {dict(Counter(r.verdict.value for r in results))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-fix", dest="fix", action="store_false")
    parser.add_argument("--set", choices=["small", "mixed", "both"], default="both")
    args = parser.parse_args()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(
        f"Python {sys.version.split()[0]}, Pillow {Image.__version__}, {os.cpu_count()} CPUs{load}"
    )
    if args.set in ("small", "both"):
        run_set("small 295x413 JPEGs", small_photos(args.count), args.rounds, args.fix)
    if args.set in ("mixed", "both"):
        items, mix = mixed_photos(args.count)
        print(f"\nmixed set: {dict(mix)}")
        run_set("mixed", items, args.rounds, args.fix)


if __name__ == "__main__":
    main()
