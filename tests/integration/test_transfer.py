"""Transfer between PCs: the signed site-transfer bundle, export → import round trips,
the merge (new, updated, conflicts, photos by hash), and every corruption refused."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from examsite import clock
from examsite.formats.bundle import BundleError, read_bundle, write_bundle
from examsite.services.transfer import (
    DATA_FILE,
    SiteRecords,
    export_transfer,
    import_bundle,
)
from examsite.storage.db import Database
from examsite.storage.models import AuditLog, Candidate, Photo, Registration, Seat, Setting
from fixed_time import TEST_NOW


def canonical(db: Database) -> dict[str, Any]:
    """Every record by its stable key (exam sessions by plan, subject and time, which the
    catalog makes on each PC apart)."""
    with db.read() as session:
        dump = SiteRecords(session, blobs=True)
    records = json.loads(json.dumps(dump.records, sort_keys=True))
    natural = {}
    sessions = {}
    for uid, plain in records["exam_session"].items():
        key = f"{plain['plan']}|{plain['subject']}|{plain['starts_at']}"
        natural[uid] = key
        sessions[key] = {k: v for k, v in plain.items() if k != "uid"}
    records["exam_session"] = sessions
    for plain in records["room_session"].values():
        plain["session"] = natural[plain["session"]]
    return {"records": records, "photos": sorted(dump.blobs)}


def counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Candidate, Photo, Registration, Seat, AuditLog, Setting)
        }


@pytest.fixture
def keys(tmp_path: Path) -> Callable[[str], Path]:
    def folder(name: str) -> Path:
        return tmp_path / "keys" / name

    return folder


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> Database:
    database = Database.open(arranged_db_file(30))
    yield database  # type: ignore[misc]
    database.close()


def test_round_trip_into_an_empty_database_pairs_and_gives_the_same_data(
    arranged: Database, db: Database, tmp_path: Path, keys: Callable[[str], Path]
) -> None:
    bundle = tmp_path / "site.zip"
    result = export_transfer(arranged, bundle, key_folder=keys("a"))
    assert result.sequence == 1 and result.photos > 0
    assert (keys("a") / next(keys("a").glob("*.key")).name).stat().st_mode & 0o077 == 0

    report = import_bundle(db, bundle)
    assert report.paired and report.applied and not report.conflicts and not report.refused
    assert report.added["candidate"] == 30
    assert canonical(db) == canonical(arranged)

    # The same bundle again is a replay: refused, nothing changed.
    before = counts(db)
    with pytest.raises(BundleError) as refused:
        import_bundle(db, bundle)
    assert refused.value.code == "bundle.transfer_replayed"
    assert counts(db) == before


def test_a_plan_alone(
    arranged: Database, db: Database, tmp_path: Path, keys: Callable[[str], Path]
) -> None:
    from examsite.services.demo import DEMO_PLAN_CODE

    bundle = tmp_path / "plan.zip"
    result = export_transfer(arranged, bundle, DEMO_PLAN_CODE, key_folder=keys("a"))
    assert result.plan == DEMO_PLAN_CODE
    report = import_bundle(db, bundle)
    assert report.applied
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Seat)) == result.counts["seat"]


def _edit_candidate(db: Database, id_number: str, **values: Any) -> None:
    with db.unit_of_work() as session:
        candidate = session.scalars(select(Candidate).where(Candidate.id_number == id_number)).one()
        for name, value in values.items():
            setattr(candidate, name, value)


def _first_ids(db: Database, n: int) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Candidate.id_number).order_by(Candidate.id).limit(n)))


def test_merge_into_a_changed_copy(
    arranged: Database, db: Database, tmp_path: Path, keys: Callable[[str], Path]
) -> None:
    first = tmp_path / "first.zip"
    export_transfer(arranged, first, key_folder=keys("a"))
    assert import_bundle(db, first).paired  # PC B: paired, baseline kept

    one, two, three = _first_ids(arranged, 3)
    # PC A: one candidate changed, one changed in a field B changes too, one new.
    with clock.fixed(TEST_NOW + dt.timedelta(hours=1)):
        _edit_candidate(arranged, one, phone="13900000001")
        _edit_candidate(arranged, two, class_name="A 班")
        with arranged.unit_of_work() as session:
            source = session.scalars(select(Candidate).where(Candidate.id_number == three)).one()
            session.add(
                Candidate(
                    kind="social",
                    name="新考生",
                    id_number="11010519900307002X",
                    phone="13800000000",
                )
            )
            assert source.photo is not None
        _edit_candidate(db, two, class_name="B 班")  # PC B changed the same field
        _edit_candidate(db, three, phone="13700000003")  # only B: kept
    second = tmp_path / "second.zip"
    assert export_transfer(arranged, second, key_folder=keys("a")).sequence == 2

    before = counts(db)
    dry = import_bundle(db, second, dry_run=True)
    assert dry.dry_run and not dry.applied
    assert counts(db) == before  # a dry run writes nothing
    assert dry.added == {"candidate": 1}
    assert dry.updated == {"candidate": 1}
    assert [c.key for c in dry.conflicts] == [f"candidate:{two}"]
    assert [f.field for f in dry.conflicts[0].fields] == ["class_name"]
    assert dry.conflicts[0].fields[0].mine == "B 班"

    waiting = import_bundle(db, second)  # an unresolved conflict: nothing written
    assert not waiting.applied and counts(db) == before

    merged = import_bundle(db, second, resolutions={f"candidate:{two}": "theirs"})
    assert merged.applied and not merged.paired
    with db.read() as session:
        by_id = {c.id_number: c for c in session.scalars(select(Candidate))}
        assert by_id[one].phone == "13900000001"
        assert by_id[two].class_name == "A 班"
        assert by_id[three].phone == "13700000003"
        assert by_id["11010519900307002X"].name == "新考生"
        assert session.scalar(select(func.count()).select_from(Candidate)) == 31
        assert session.scalar(select(func.count()).select_from(Photo)) == before["Photo"]
        logged = session.scalars(
            select(AuditLog.entity_id).where(AuditLog.entity == "candidate")
        ).all()
        assert {one, two, "11010519900307002X"} <= set(logged)


def test_a_registration_outside_the_window_is_refused(
    arranged: Database, db: Database, tmp_path: Path, keys: Callable[[str], Path]
) -> None:
    bundle = tmp_path / "site.zip"
    export_transfer(arranged, bundle, key_folder=keys("a"))
    with clock.fixed(TEST_NOW + dt.timedelta(days=400)):
        report = import_bundle(db, bundle)
    assert report.applied and report.refused
    assert {r.code for r in report.refused} <= {"registration.closed", "registration.not_open"}
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Registration)) == 0
        assert session.scalar(select(func.count()).select_from(Seat)) == 0


# --- every corruption refused, nothing changed -------------------------------------------


def _rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    with zipfile.ZipFile(source) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    change(files)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _flip_byte(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))


def _cut_short(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes()[: source.stat().st_size * 2 // 3])


def _remove_a_file(source: Path, target: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        del files[next(n for n in files if n.startswith("photos/"))]

    _rewrite(source, target, change)


def _newer_version(source: Path, target: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        manifest = json.loads(files["manifest.json"])
        manifest["version"] = 99
        files["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(source, target, change)


def _rehashed(source: Path, target: Path) -> None:
    """Data changed and the manifest's checksums recomputed, without the site's key."""
    bundle = read_bundle(source)
    files = dict(bundle.files)
    data = json.loads(files[DATA_FILE])
    first = next(iter(data["records"]["candidate"].values()))
    first["name"] = "篡改"
    files[DATA_FILE] = json.dumps(data).encode()
    m = bundle.manifest
    write_bundle(
        target,
        files,
        kind=m.kind,
        site=m.site,
        plan=m.plan,
        created=m.created,
        program=m.program,
        counts=m.counts,
        extra=m.extra,
    )


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (_flip_byte, None),
        (_cut_short, "bundle.damaged"),
        (_remove_a_file, "bundle.file_missing"),
        (_newer_version, "bundle.unknown_version"),
        (_rehashed, "bundle.transfer_bad_signature"),
    ],
)
def test_a_damaged_bundle_is_refused_and_changes_nothing(
    arranged: Database,
    db: Database,
    tmp_path: Path,
    keys: Callable[[str], Path],
    damage: Callable[[Path, Path], None],
    code: str | None,
) -> None:
    good = tmp_path / "good.zip"
    export_transfer(arranged, good, key_folder=keys("a"))
    bad = tmp_path / "bad.zip"
    damage(good, bad)
    before = counts(db)
    with pytest.raises(BundleError) as refused:
        import_bundle(db, bad)
    assert code is None or refused.value.code == code
    assert refused.value.message  # Chinese text for the coordinator
    assert counts(db) == before


def test_another_site_key_and_an_older_bundle_are_refused(
    arranged: Database, db: Database, tmp_path: Path, keys: Callable[[str], Path]
) -> None:
    older, newer = tmp_path / "older.zip", tmp_path / "newer.zip"
    export_transfer(arranged, older, key_folder=keys("a"))
    export_transfer(arranged, newer, key_folder=keys("a"))
    assert import_bundle(db, newer).paired
    before = counts(db)
    with pytest.raises(BundleError) as replayed:
        import_bundle(db, older)
    assert replayed.value.code == "bundle.transfer_replayed"

    stranger = tmp_path / "stranger.zip"
    export_transfer(arranged, stranger, key_folder=keys("other"))
    with pytest.raises(BundleError) as untrusted:
        import_bundle(db, stranger)
    assert untrusted.value.code == "bundle.transfer_untrusted"
    assert counts(db) == before
    shutil.rmtree(keys("other"))


def _photo_files(bundle: Path) -> list[str]:
    with zipfile.ZipFile(bundle) as archive:
        return [n for n in archive.namelist() if n.startswith("photos/")]


def test_photos_travel_by_content_hash(
    arranged: Database, db: Database, tmp_path: Path, keys: Callable[[str], Path]
) -> None:
    first = tmp_path / "first.zip"
    export_transfer(arranged, first, key_folder=keys("a"))
    import_bundle(db, first)
    files_before = _photo_files(first)
    one, two = _first_ids(arranged, 2)
    with arranged.unit_of_work() as session:
        by_id = {c.id_number: c for c in session.scalars(select(Candidate))}
        mine, other = by_id[one].photo, by_id[two].photo
        assert mine is not None and other is not None
        new_image = other.image  # one's photo replaced by the same picture as two's
        mine.image, mine.original, mine.original_patch = other.image, other.original, None
        newcomer = Candidate(kind="social", name="带照片", id_number="110105199003070011")
        newcomer.photo = Photo(
            verdict=other.verdict, image=other.image, original=other.original, sha256=other.sha256
        )
        session.add(newcomer)
    second = tmp_path / "second.zip"
    export_transfer(arranged, second, key_folder=keys("a"))
    # Each picture once in the bundle, however many candidates share it.
    assert len(_photo_files(second)) <= len(files_before)
    report = import_bundle(db, second)
    assert report.applied and report.photos_added == 2
    with db.read() as session:
        by_id = {c.id_number: c for c in session.scalars(select(Candidate))}
        assert by_id[one].photo is not None and by_id[one].photo.image == new_image
        assert by_id["110105199003070011"].photo is not None
        assert by_id["110105199003070011"].photo.image == new_image
        assert session.scalar(select(func.count()).select_from(Candidate)) == 31


def test_pairing_a_new_key_on_a_database_with_data_is_explicit(
    arranged: Database, db: Database, tmp_path: Path, keys: Callable[[str], Path]
) -> None:
    bundle = tmp_path / "site.zip"
    export_transfer(arranged, bundle, key_folder=keys("a"))
    import_bundle(db, bundle)
    stranger = tmp_path / "stranger.zip"
    export_transfer(arranged, stranger, key_folder=keys("b"))
    with pytest.raises(BundleError):
        import_bundle(db, stranger)
    report = import_bundle(db, stranger, pair=True)
    assert report.paired and report.applied


def test_swapped_seats_and_tickets_merge_without_a_clash(
    arranged: Database, db: Database, tmp_path: Path, keys: Callable[[str], Path]
) -> None:
    first = tmp_path / "first.zip"
    export_transfer(arranged, first, key_folder=keys("a"))
    import_bundle(db, first)
    with clock.fixed(TEST_NOW + dt.timedelta(hours=1)), arranged.unit_of_work() as session:
        a, b = session.scalars(select(Seat).order_by(Seat.id).limit(2))
        assert a.room_session_id == b.room_session_id
        numbers = a.seat_number, b.seat_number
        a.seat_number = -1
        session.flush()
        b.seat_number = numbers[0]
        session.flush()
        a.seat_number = numbers[1]
        one, two = session.scalars(
            select(Registration).where(Registration.ticket_number.is_not(None)).limit(2)
        )
        tickets = one.ticket_number, two.ticket_number
        one.ticket_number = None
        session.flush()
        two.ticket_number = None
        session.flush()
        one.ticket_number = tickets[1]
        session.flush()
        two.ticket_number = tickets[0]
    second = tmp_path / "second.zip"
    export_transfer(arranged, second, key_folder=keys("a"))
    report = import_bundle(db, second)
    assert report.applied and report.updated.get("seat") == 2
    assert report.updated.get("registration") == 2
    assert canonical(db) == canonical(arranged)
