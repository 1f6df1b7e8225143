"""Importing photos into the database: matching, verdicts, status, nothing lost."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from examsite.domain.photo_spec import Verdict
from examsite.errors import Cancelled, InputError
from examsite.progress import Progress
from examsite.services.demo import BLUE, RED, demo_photo
from examsite.services.photos import (
    fix_photos,
    import_photos,
    list_photos,
    photo_bytes,
    replace_photo,
    thumbnails,
)
from examsite.storage.db import Database
from examsite.storage.models import Candidate, Photo

RNG = random.Random(7)
IDS = ("11010519491231002X", "420102200501011234", "420102200502021236")


def _candidate_ids(db: Database) -> list[str]:
    with db.unit_of_work() as session:
        for id_number, name in zip(IDS, ("王玉霞", "单雪", "欧阳娜娜"), strict=True):
            session.add(
                Candidate(
                    kind="social",
                    name=name,
                    pinyin="x",
                    gender="女",
                    id_number=id_number,
                    phone="13800000000",
                )
            )
    return list(IDS)


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _status(db: Database, id_number: str) -> str:
    with db.read() as session:
        return (
            session.scalar(select(Candidate.status).where(Candidate.id_number == id_number)) or ""
        )


def test_import_matches_by_id_and_updates_status(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    assert _status(db, ids[0]) == "no_photo"
    source = _zip(
        tmp_path / "p.zip",
        {
            f"班级/{ids[0]}.JPG": demo_photo(RNG, RED),
            f"{ids[1].lower()} 单雪.jpg": demo_photo(RNG, BLUE),
            "Thumbs.db": b"junk",
            "999999200001010000.jpg": demo_photo(RNG, RED),
        },
    )
    report = import_photos(db, source, fix=False)
    by_id = {r.id_number: r for r in report.results}
    assert by_id[ids[0]].verdict is Verdict.PASS
    assert by_id[ids[1]].verdict is Verdict.REJECTED
    assert report.unmatched == ("999999200001010000.jpg",)
    assert [name for name, _ in report.ignored] == ["Thumbs.db"]
    assert _status(db, ids[0]) == "ready"
    assert _status(db, ids[1]) == "no_photo"  # a rejected photo is no photo for the platform
    stored = photo_bytes(db, ids[0])
    assert stored is not None and stored[:2] == b"\xff\xd8"
    assert set(thumbnails(db, ids)) == {ids[0], ids[1]}


def test_fixable_photo_is_rejected_without_fix_and_fixed_with_it(
    db: Database, tmp_path: Path
) -> None:
    ids = _candidate_ids(db)
    source = _zip(tmp_path / "big.zip", {f"{ids[2]}.jpg": demo_photo(RNG, RED, (590, 826))})
    (item,) = import_photos(db, source, fix=False).results
    assert item.verdict is Verdict.REJECTED
    row = next(r for r in list_photos(db) if r.id_number == ids[2])
    assert row.fixable
    fixed = fix_photos(db)
    assert [i.verdict for i in fixed.items] == [Verdict.FIXED]
    assert fixed.still_rejected == 0
    row = next(r for r in list_photos(db) if r.id_number == ids[2])
    assert (row.verdict, row.width, row.height) == (Verdict.FIXED, 590, 826)
    assert _status(db, ids[2]) == "ready"
    original = photo_bytes(db, ids[2], original=True)
    assert original is not None and len(original) > len(photo_bytes(db, ids[2]) or b"")


def test_rejected_photo_never_replaces_a_good_one(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    import_photos(db, _zip(tmp_path / "a.zip", {f"{ids[0]}.jpg": demo_photo(RNG, RED)}), fix=False)
    good = photo_bytes(db, ids[0])
    (item,) = import_photos(
        db, _zip(tmp_path / "b.zip", {f"{ids[0]}.jpg": demo_photo(RNG, BLUE)}), fix=False
    ).results
    assert item.verdict is Verdict.REJECTED and not item.stored
    assert any(p.code == "photos.kept_previous" for p in item.problems)
    assert photo_bytes(db, ids[0]) == good


def test_two_photos_for_one_candidate_keep_the_first(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    source = _zip(
        tmp_path / "dup.zip",
        {f"a/{ids[0]}.jpg": demo_photo(RNG, RED), f"b/{ids[0]}.png": demo_photo(RNG, RED)},
    )
    results = import_photos(db, source, fix=False).results
    assert sorted(r.verdict.value for r in results) == ["pass", "rejected"]
    assert any(p.code == "photos.duplicate_in_source" for r in results for p in r.problems)


def test_verified_candidate_photo_is_locked(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    with db.unit_of_work() as session:
        candidate = session.scalars(select(Candidate).where(Candidate.id_number == ids[0])).one()
        candidate.platform_status = "verified"
    (item,) = import_photos(
        db, _zip(tmp_path / "v.zip", {f"{ids[0]}.jpg": demo_photo(RNG, RED)}), fix=False
    ).results
    assert not item.stored
    photo = tmp_path / "one.jpg"
    photo.write_bytes(demo_photo(RNG, RED))
    with pytest.raises(InputError, match="锁定"):
        replace_photo(db, ids[0], photo, fix=False)


def test_refused_zip_changes_nothing(db: Database, tmp_path: Path) -> None:
    _candidate_ids(db)
    fake = tmp_path / "photos.zip"
    fake.write_bytes(b"Rar!\x1a\x07\x00" + b"\x00" * 100)
    with pytest.raises(InputError):
        import_photos(db, fake, fix=False)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Photo)) == 0


def test_cancel_rolls_everything_back(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    source = _zip(tmp_path / "c.zip", {f"{i}.jpg": demo_photo(RNG, RED) for i in ids})
    progress = Progress(lambda done, total, label: progress.cancel() if done == 2 else None)
    with pytest.raises(Cancelled):
        import_photos(db, source, fix=False, progress=progress)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Photo)) == 0


def test_replace_one_photo_by_drop(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    dropped = tmp_path / "新照片.png"
    dropped.write_bytes(demo_photo(RNG, RED))  # JPEG bytes behind a .png name: judged by content
    item = replace_photo(db, ids[1], dropped, fix=False)
    assert item.verdict is Verdict.PASS and item.stored
    assert _status(db, ids[1]) == "ready"


def test_list_photos_of_some_candidates_only(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    import_photos(db, _zip(tmp_path / "p.zip", {f"{ids[1]}.jpg": demo_photo(RNG, RED)}), fix=False)
    rows = list_photos(db, id_numbers=[ids[1], ids[2], "no-such-id"])
    assert [(r.id_number, r.verdict) for r in rows] == [(ids[1], Verdict.PASS), (ids[2], None)]
    assert list_photos(db, id_numbers=[]) == []


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_name_the_zip_holds_twice_is_read_once(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    path = tmp_path / "twice.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{ids[0]}.jpg", demo_photo(RNG, RED))
        archive.writestr(f"{ids[0]}.jpg", demo_photo(RNG, BLUE))  # zipfile warns, but writes it
    results = import_photos(db, path, fix=False).results
    assert sorted(r.verdict.value for r in results) == ["pass", "rejected"]
    assert _status(db, ids[0]) == "ready"
