"""Importing photos into the database: matching, verdicts, status, nothing lost."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from PIL import Image
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


# --- stored once ----------------------------------------------------------------------------


def _jpeg_with_metadata() -> bytes:
    """A photo that meets the rules, as a phone or a studio hands it over: EXIF with GPS,
    a comment."""
    image = Image.open(io.BytesIO(demo_photo(RNG, RED)))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes(), comment=b"studio")
    return out.getvalue()


def _stored(db: Database, id_number: str) -> dict[str, bytes | None]:
    with db.read() as session:
        row = session.execute(
            select(Photo.original, Photo.image, Photo.thumbnail, Photo.original_patch)
            .join(Candidate)
            .where(Candidate.id_number == id_number)
        ).one()
    return dict(row._mapping)


def test_a_photo_that_meets_the_rules_is_stored_once(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    plain = demo_photo(RNG, RED)
    tagged = _jpeg_with_metadata()
    report = import_photos(
        db, _zip(tmp_path / "p.zip", {f"{ids[0]}.jpg": plain, f"{ids[1]}.jpg": tagged}), fix=False
    )
    assert [r.verdict for r in report.results] == [Verdict.PASS, Verdict.PASS]

    # no metadata: the file itself, once
    assert _stored(db, ids[0]) == {
        "original": None,
        "image": plain,
        "thumbnail": None,
        "original_patch": None,
    }
    assert photo_bytes(db, ids[0]) == plain
    assert photo_bytes(db, ids[0], original=True) == plain

    # metadata: the image without it, and what was taken out
    stored = _stored(db, ids[1])
    assert stored["original"] is None and stored["thumbnail"] is None
    image, patch = stored["image"], stored["original_patch"]
    assert image is not None and patch is not None
    assert len(image) + len(patch) < len(tagged) + 64
    assert b"PhoneMaker" not in image and b"studio" not in image
    assert photo_bytes(db, ids[1]) == image
    assert photo_bytes(db, ids[1], original=True) == tagged  # as uploaded, byte for byte

    # the grid's thumbnails are made when asked for
    thumbs = thumbnails(db, ids)
    assert set(thumbs) == {ids[0], ids[1]}
    with Image.open(io.BytesIO(thumbs[ids[0]])) as thumb:
        assert thumb.size == (148, 207)


def test_a_re_encoded_or_rejected_photo_keeps_its_original(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    large = demo_photo(RNG, RED, (590, 826))
    blue = demo_photo(RNG, BLUE)
    import_photos(
        db, _zip(tmp_path / "p.zip", {f"{ids[0]}.jpg": large, f"{ids[1]}.jpg": blue}), fix=True
    )
    fixed = _stored(db, ids[0])
    assert fixed["original"] == large and fixed["original_patch"] is None
    assert fixed["image"] is not None and fixed["thumbnail"] is None
    rejected = _stored(db, ids[1])
    assert rejected["original"] == blue and rejected["image"] is None
    assert rejected["thumbnail"] is not None  # nothing else to make it from quickly
    assert photo_bytes(db, ids[1], original=True) == blue
    assert photo_bytes(db, ids[1]) is None
    assert set(thumbnails(db, ids)) == {ids[0], ids[1]}


def test_a_stored_once_photo_replaced_by_a_fixed_one_keeps_the_new_original(
    db: Database, tmp_path: Path
) -> None:
    ids = _candidate_ids(db)
    import_photos(db, _zip(tmp_path / "a.zip", {f"{ids[0]}.jpg": _jpeg_with_metadata()}), fix=False)
    large = demo_photo(RNG, RED, (590, 826))
    import_photos(db, _zip(tmp_path / "b.zip", {f"{ids[0]}.jpg": large}), fix=True)
    stored = _stored(db, ids[0])
    assert stored["original"] == large and stored["original_patch"] is None
    assert photo_bytes(db, ids[0], original=True) == large


def test_import_report_keeps_the_reason_of_each_ignored_file(db: Database, tmp_path: Path) -> None:
    ids = _candidate_ids(db)
    source = _zip(
        tmp_path / "p.zip",
        {
            f"{ids[0]}.jpg": demo_photo(RNG, RED),
            "__MACOSX/._a.jpg": b"\0",
            "名单.xlsx": b"PK",
        },
    )
    report = import_photos(db, source, fix=False)
    assert dict(report.ignored) == {
        "__MACOSX/._a.jpg": "photo_source.system_file",
        "名单.xlsx": "photo_source.not_image",
    }


def test_migration_0003_down_gives_each_photo_its_original_and_thumbnail_back(
    tmp_path: Path,
) -> None:
    from sqlalchemy import text

    from examsite.storage.migrate import downgrade, upgrade_to_head

    db = Database.open(tmp_path / "m.db")
    ids = _candidate_ids(db)
    tagged = _jpeg_with_metadata()
    plain = demo_photo(RNG, RED)
    import_photos(
        db, _zip(tmp_path / "p.zip", {f"{ids[0]}.jpg": tagged, f"{ids[1]}.jpg": plain}), fix=False
    )
    downgrade(db.engine, "0002")
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.id_number, p.original, p.image, p.thumbnail FROM photo p "
                "JOIN candidate c ON c.id = p.candidate_id ORDER BY c.id"
            )
        ).all()
        columns = [r[1] for r in connection.execute(text("PRAGMA table_info(photo)"))]
    assert "original_patch" not in columns
    assert [(r[0], r[1]) for r in rows] == [(ids[0], tagged), (ids[1], plain)]
    assert all(r[2] and r[3] for r in rows)
    upgrade_to_head(db.engine)
    assert photo_bytes(db, ids[0], original=True) == tagged
    db.close()
