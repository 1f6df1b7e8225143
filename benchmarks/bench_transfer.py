"""How fast a site-transfer bundle is written and merged, next to the zipfile module
writing and reading the same files alone (the target: at most 1.5 times as long).

Makes the database of ``bench_platform_export`` (the catalog and N school candidates, each
with a 295 × 413 photo and a registration with its two subject records), then times, as the
median of ``--runs`` rounds:

- zip write / zip read: the zipfile module writing the bundle's files (the records' JSON
  and the photos) to one .zip on disk, stored (as the bundle stores the photos) and
  deflated (what a zip tool does), and reading every member back;
- export: ``export_transfer`` (reading the database, the records' JSON, hashing, signing,
  the bundle written atomically with its read-back check);
- import: ``import_bundle`` of that bundle into an empty database (copied to local disk,
  verified, signature checked, paired, every record and photo merged in one transaction).

    uv run python benchmarks/bench_transfer.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# The database of the upload package's benchmark, beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_platform_export import MOMENT, make_database
from examsite import clock
from examsite.formats.bundle import read_bundle
from examsite.services.catalog import ensure_catalog
from examsite.services.transfer import export_transfer, import_bundle
from examsite.storage.db import Database
from examsite.storage.models import School, Site


def zip_alone(files: dict[str, bytes], target: Path, method: int) -> tuple[float, float]:
    """Seconds to write ``files`` to a .zip at ``target`` (``method``: stored or deflated),
    and to read them all back."""
    started = time.perf_counter()
    with zipfile.ZipFile(target, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    written = time.perf_counter() - started
    started = time.perf_counter()
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            archive.read(name)
    return written, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exports: list[float] = []
    imports: list[float] = []
    zip_writes: list[float] = []
    zip_reads: list[float] = []
    deflate_writes: list[float] = []
    deflate_reads: list[float] = []
    with tempfile.TemporaryDirectory() as folder_name, clock.fixed(MOMENT):
        folder = Path(folder_name)
        started = time.perf_counter()
        make_database(folder / "source.db", args.count)
        print(f"{args.count} candidates with photos made in {time.perf_counter() - started:.1f} s")
        source = Database.open(folder / "source.db")
        with source.unit_of_work() as session:
            school = School(name="某职业技术学院")
            session.add(school)
            session.flush()
            session.add(Site(school_id=school.id, name="某职业技术学院数字营销考核站点"))
        for run in range(args.runs):
            bundle = folder / f"transfer-{run}.zip"
            keys = folder / f"keys-{run}"
            started = time.perf_counter()
            export_transfer(source, bundle, key_folder=folder / "source-keys")
            exports.append(time.perf_counter() - started)
            target = Database.open(folder / f"target-{run}.db")
            ensure_catalog(target)
            started = time.perf_counter()
            report = import_bundle(target, bundle, key_folder=keys)
            imports.append(time.perf_counter() - started)
            target.close()
            files = dict(read_bundle(bundle).files)
            for method, writes, reads in (
                (zipfile.ZIP_STORED, zip_writes, zip_reads),
                (zipfile.ZIP_DEFLATED, deflate_writes, deflate_reads),
            ):
                written, read = zip_alone(files, folder / f"alone-{run}-{method}.zip", method)
                writes.append(written)
                reads.append(read)
        source.close()
    print(f"last import added {dict(report.added)}, {report.photos_added} photos")
    export, merge = statistics.median(exports), statistics.median(imports)
    write, read = statistics.median(zip_writes), statistics.median(zip_reads)
    packed, unpacked = statistics.median(deflate_writes), statistics.median(deflate_reads)
    print(f"zipfile alone, stored   : write {write:6.2f} s, read {read:6.2f} s")
    print(f"zipfile alone, deflated : write {packed:6.2f} s, read {unpacked:6.2f} s")
    print(
        f"export                  : {export:6.2f} s  ({export / write:.2f}x the stored write, "
        f"{export / packed:.2f}x the deflated)"
    )
    print(
        f"import                  : {merge:6.2f} s  ({merge / read:.2f}x the stored read, "
        f"{merge / unpacked:.2f}x the deflated)"
    )
    print("target: <= 1.5x")


if __name__ == "__main__":
    main()
