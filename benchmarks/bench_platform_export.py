"""How fast the platform's upload package is written, next to zipping the same files with
the zipfile module alone (the target: at most 1.5 times as long).

Makes a database with the catalog and N school candidates, each with a 295 × 413 photo
and a registration with its two subject records (all inserted directly), then times, as
the median of ``--runs`` rounds:

- zip: the zipfile module writing the same files (every photo as ``<ID>.jpg`` and the
  sheets) to one .zip on disk, both stored (zipfile's default, what the package does with
  the already compressed photos and sheets) and deflated (what a zip tool does);
- export: ``export_platform`` (reading the database, filling the sheets, the photo .zip,
  the package check, the bundle with its read-back check, the snapshot for the diff).

    uv run python benchmarks/bench_platform_export.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PIL import Image
from sqlalchemy import Table, select

from examsite import clock
from examsite.domain.id_number import synthetic_id
from examsite.formats.bundle import read_bundle
from examsite.services.catalog import ensure_catalog
from examsite.services.platform_export import PHOTOS_FILE, export_platform
from examsite.storage.bulk import insert_rows
from examsite.storage.db import Database
from examsite.storage.models import (
    Candidate,
    Certificate,
    ExamPlan,
    Photo,
    Registration,
    RegistrationSubject,
    Subject,
)

PLAN = "2232100001"  # 003's plan, from the built-in catalog
CERTIFICATE = "1630054223010588"  # 数字营销技术应用 (初级), two subjects
MOMENT = dt.datetime(2026, 12, 20, 9, 0)
DISTINCT_PHOTOS = 64


def _photos(rng: random.Random) -> list[bytes]:
    """A few distinct 295 × 413 JPEGs of a photo's size (a red field with some noise)."""
    out = []
    for _ in range(DISTINCT_PHOTOS):
        image = Image.new("RGB", (295, 413), (200, 30, 40))
        noise = Image.effect_noise((295, 413), rng.uniform(20, 40)).convert("RGB")
        out.append(_jpeg(Image.blend(image, noise, 0.3)))
    return out


def _unique(jpeg: bytes, number: int) -> bytes:
    """``jpeg`` made a file of its own (a comment segment after the start marker), so that
    every candidate's photo has its own content hash, as real photos do."""
    comment = f"candidate {number}".encode("ascii")
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def synthetic_candidates(
    rng: random.Random, count: int, name: Callable[[int], str] = lambda _n: "考生"
) -> list[dict[str, Any]]:
    """``count`` school candidates of 电子商务 with distinct valid ID numbers, classes of 45,
    as candidate rows; ``name(n)`` names the n-th."""
    seen: set[str] = set()
    candidates: list[dict[str, Any]] = []
    while len(candidates) < count:
        gender = rng.choice(("男", "女"))
        birth = dt.date(2003, 1, 1) + dt.timedelta(days=rng.randrange(1500))
        number = synthetic_id("420102", birth, rng.randrange(500), gender)  # type: ignore[arg-type]
        if number in seen:
            continue
        seen.add(number)
        candidates.append(
            {
                "kind": "school",
                "name": name(len(candidates)),
                "pinyin": "Kao Sheng",
                "gender": gender,
                "id_number": number,
                "phone": f"138{rng.randrange(10**8):08d}",
                "enrollment_year": 2022,
                "education_level": "专科",
                "major": "电子商务",
                "major_code": "530701",
                "class_name": f"电商{len(candidates) // 45:03d}",
                "status": "ready",
                "extra": {},
            }
        )
    return candidates


def make_database(path: Path, count: int) -> None:
    db = Database.open(path)
    ensure_catalog(db)
    rng = random.Random(11)
    candidates = synthetic_candidates(rng, count)
    photos = _photos(rng)
    with db.unit_of_work() as session:
        insert_rows(session, cast(Table, Candidate.__table__), candidates)
        ids = list(session.scalars(select(Candidate.id).order_by(Candidate.id)))
        plan_id = session.scalar(select(ExamPlan.id).where(ExamPlan.code == PLAN))
        cert_id = session.scalar(select(Certificate.id).where(Certificate.code == CERTIFICATE))
        subjects = list(
            session.scalars(select(Subject.id).where(Subject.certificate_id == cert_id))
        )
        insert_rows(
            session,
            cast(Table, Photo.__table__),
            [
                {
                    "candidate_id": cid,
                    "verdict": "pass",
                    "width": 295,
                    "height": 413,
                    "format": "jpeg",
                    "size_bytes": len(image),
                    "image": image,
                    "problems": [],
                }
                for i, cid in enumerate(ids)
                for image in [_unique(photos[i % DISTINCT_PHOTOS], i)]
            ],
        )
        insert_rows(
            session,
            cast(Table, Registration.__table__),
            [{"candidate_id": cid, "plan_id": plan_id, "certificate_id": cert_id} for cid in ids],
        )
        registrations = list(session.scalars(select(Registration.id)))
        insert_rows(
            session,
            cast(Table, RegistrationSubject.__table__),
            [{"registration_id": r, "subject_id": s} for r in registrations for s in subjects],
        )
    db.close()


def zip_alone(files: dict[str, bytes], target: Path, method: int) -> float:
    started = time.perf_counter()
    with zipfile.ZipFile(target, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name, clock.fixed(MOMENT):
        folder = Path(folder_name)
        path = folder / "bench.db"
        started = time.perf_counter()
        make_database(path, args.count)
        print(f"{args.count} candidates with photos made in {time.perf_counter() - started:.1f} s")
        db = Database.open(path)
        exports: list[float] = []
        stored: list[float] = []
        deflated: list[float] = []
        for run in range(args.runs):
            target = folder / f"upload-{run}.zip"
            started = time.perf_counter()
            export_platform(db, PLAN, target)
            exports.append(time.perf_counter() - started)
            # The same files, the photos as they are inside the photo .zip.
            files = dict(read_bundle(target).files)
            with zipfile.ZipFile(io.BytesIO(files.pop(PHOTOS_FILE))) as inner:
                files.update({name: inner.read(name) for name in inner.namelist()})
            stored.append(zip_alone(files, folder / f"stored-{run}.zip", zipfile.ZIP_STORED))
            deflated.append(zip_alone(files, folder / f"deflated-{run}.zip", zipfile.ZIP_DEFLATED))
        db.close()
    export = statistics.median(exports)
    plain, packed = statistics.median(stored), statistics.median(deflated)
    print(f"zipfile alone, stored   : {plain:7.2f} s")
    print(f"zipfile alone, deflated : {packed:7.2f} s")
    print(
        f"export                  : {export:7.2f} s  ({export / plain:.2f}x stored, "
        f"{export / packed:.2f}x deflated; target <= 1.5x)"
    )


if __name__ == "__main__":
    main()
