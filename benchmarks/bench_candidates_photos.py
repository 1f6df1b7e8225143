"""Issue 3's speed targets on 10,000 candidates and 10,000 photos, end to end.

Prints, for the same inputs:
- the candidate sheet: openpyxl read-only reading it vs ``import_candidates`` into a fresh
  database (target: at most 2x);
- the photos: the floor (Pillow decoding, re-encoding once and making a thumbnail, see
  bench_photo_check.py) vs ``check_many`` over the same bytes (target: the check within
  1.1x the floor's time), the whole ``import_photos`` (zip -> checks -> DB) and the bytes
  the database holds per photo;
- the candidates page: loading 10,000 rows into its table model (target < 0.3 s) and
  filtering them (target < 0.1 s).

    uv run python benchmarks/bench_candidates_photos.py [--count 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from sqlalchemy import func, select

from bench_candidate_import import make_workbook, openpyxl_read
from bench_photo_check import floor
from bench_photo_check import make_photos as make_mixed_photos
from examsite.domain.photo_spec import Verdict
from examsite.formats.photo_check import check_many
from examsite.progress import Progress
from examsite.services.candidate_import import import_candidates
from examsite.services.candidates import list_candidates
from examsite.services.catalog import ensure_catalog
from examsite.services.demo import RED, demo_photo
from examsite.services.photos import import_photos
from examsite.storage.db import Database
from examsite.storage.models import Photo


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def make_photos(id_numbers: list[str], seed: int = 11) -> list[tuple[str, bytes]]:
    """One photo per candidate: most 295x413, one in ten a larger portrait to be scaled."""
    rng = random.Random(seed)
    drawn = [demo_photo(rng, RED) for _ in range(50)]
    large = [demo_photo(rng, RED, (590, 826)) for _ in range(10)]
    photos = []
    for index, id_number in enumerate(id_numbers):
        source = large if index % 10 == 0 else drawn
        # Vary the bytes a little so no two photos are identical.
        data = source[index % len(source)] + index.to_bytes(4, "big")
        photos.append((f"照片/{id_number}.jpg", data))
    return photos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    count = args.count
    print(f"{count} candidates, {count} photos, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sheet = root / "candidates.xlsx"
        make_workbook(sheet, count)
        db = Database.open(root / "bench.db")
        ensure_catalog(db)

        read_s, _ = timed(lambda: openpyxl_read(sheet))
        import_s, report = timed(
            lambda: import_candidates(db, sheet, "school", progress=Progress())
        )
        print("\nCandidate sheet")
        print(f"  openpyxl read-only read     {read_s:7.2f} s")
        print(
            f"  import_candidates (real)    {import_s:7.2f} s  "
            f"{import_s / read_s:.2f}x  (target <= 2x)  imported {report.imported}"
        )

        rows = list_candidates(db)
        photos = make_photos([r.id_number for r in rows])
        floor_s, _ = timed(lambda: floor(photos))
        check_s, results = timed(lambda: list(check_many(photos, fix=True)))
        archive = root / "photos.zip"
        with zipfile.ZipFile(archive, "w") as out:
            for name, data in photos:
                out.writestr(name, data)
        whole_s, imported = timed(lambda: import_photos(db, archive, fix=True))
        n = len(photos)
        print("\nPhotos")
        print(f"  floor: decode + re-encode + thumbnail {n / floor_s:7.0f} photos/s")
        print(
            f"  check_many (fix=True)       {n / check_s:7.0f} photos/s  "
            f"{check_s / floor_s:.2f}x the floor's time  (target <= 1.1x)"
        )
        print(
            f"  import_photos zip -> DB     {n / whole_s:7.0f} photos/s  "
            f"({whole_s:.1f} s; pass {imported.count(Verdict.PASS)}, "
            f"fixed {imported.count(Verdict.FIXED)})"
        )
        with db.read() as session:
            stored = session.scalar(
                select(
                    func.sum(
                        func.coalesce(func.length(Photo.original), 0)
                        + func.coalesce(func.length(Photo.image), 0)
                        + func.coalesce(func.length(Photo.thumbnail), 0)
                        + func.coalesce(func.length(Photo.original_patch), 0)
                    )
                )
            )
        uploaded = sum(len(data) for _, data in photos)
        print(
            f"  bytes in the database       {(stored or 0) / n / 1024:7.1f} KB a photo  "
            f"({(stored or 0) / uploaded:.2f}x the photos' bytes)"
        )
        assert len(results) == n

        # The same comparison on a realistic mix (phone photos, PNGs, CMYK, broken files).
        mixed_dir = root / "mixed"
        mixed_dir.mkdir()
        make_mixed_photos(mixed_dir, min(count, 2000))
        mixed = [(p.name, p.read_bytes()) for p in sorted(mixed_dir.iterdir())]
        floor_mixed_s, _ = timed(lambda: floor(mixed))
        check_mixed_s, _ = timed(lambda: list(check_many(mixed, fix=True)))
        m = len(mixed)
        print(
            f"  mixed set of {m}: floor {m / floor_mixed_s:.0f}/s, check_many "
            f"{m / check_mixed_s:.0f}/s  {check_mixed_s / floor_mixed_s:.2f}x the floor's time"
        )

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from examsite.ui.models.candidates import CandidatesModel

        app = QApplication.instance() or QApplication([])
        load_s, rows = timed(lambda: list_candidates(db))
        model = CandidatesModel()
        set_s, _ = timed(lambda: model.set_rows(rows))
        filters = {
            "status 无照片": {"status": "no_photo"},
            "kind 社会考生": {"kind": "social"},
            "search pinyin 'wang'": {"text": "wang"},
            "search ID fragment": {"text": rows[len(rows) // 2].id_number[6:14]},
            "clear": {},
        }
        print("\nCandidates page (10,000 rows)")
        print(f"  list_candidates (worker)    {load_s * 1000:7.1f} ms")
        print(f"  model.set_rows              {set_s * 1000:7.1f} ms  (target < 300 ms)")
        for label, kwargs in filters.items():
            filter_s, _ = timed(lambda kwargs=kwargs: model.set_filter(**kwargs))
            print(
                f"  filter {label:<21}{filter_s * 1000:7.1f} ms  "
                f"{model.rowCount():>6} rows  (target < 100 ms)"
            )
        del app
        db.close()


if __name__ == "__main__":
    main()
