"""The bundle history (``services.bundle_log``): every export and import leaves one row,
newest first; a refused import is recorded as refused with its reason, and changes
nothing else."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from examsite import clock
from examsite.errors import InputError
from examsite.formats.bundle import BundleError
from examsite.services import bundle_log
from examsite.services.bundle_log import (
    DRY_RUN,
    EXPORT,
    IMPORT,
    IMPORTED,
    MERGED,
    PLATFORM_SHEET,
    PLATFORM_UPLOAD,
    REFUSED,
    SITE_TRANSFER,
    WRITTEN,
    bundle_history,
    content_text,
    record_bundle_in,
)
from examsite.services.demo import DEMO_PLAN_CODE
from examsite.services.platform_export import export_platform
from examsite.services.platform_import import import_platform
from examsite.services.transfer import export_transfer, import_bundle
from examsite.storage.db import Database
from examsite.storage.models import Base, BundleLog, Candidate
from fixed_time import TEST_NOW

PLAN = DEMO_PLAN_CODE


@pytest.fixture
def arranged(arranged_db_file: Callable[[int], Path]) -> Iterator[Database]:
    database = Database.open(arranged_db_file(30))
    yield database
    database.close()


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    return tmp_path / "keys"


def everything_but_the_log(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except ``bundle_log``."""
    with db.read() as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
            if table.name != BundleLog.__tablename__
        }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_export_is_recorded_with_its_file_hash_and_counts(
    arranged: Database, tmp_path: Path
) -> None:
    assert bundle_history(arranged) == ()
    result = export_platform(arranged, PLAN, tmp_path)
    assert result.path is not None
    (entry,) = bundle_history(arranged)
    assert (entry.direction, entry.kind, entry.outcome) == (EXPORT, PLATFORM_UPLOAD, WRITTEN)
    assert entry.path == str(result.path) and entry.file_name == result.path.name
    assert entry.sha256 == sha256(result.path)
    assert entry.size_bytes == result.path.stat().st_size
    assert entry.plan == PLAN and entry.at == TEST_NOW
    assert entry.counts["candidates"] == result.plan.counts["candidates"] > 0
    assert "held_back" not in entry.counts
    assert entry.summary["files"] == list(result.files)
    assert f"考生 {entry.counts['candidates']} 人" in content_text(entry)
    assert entry.as_dict()["content"] == content_text(entry)


def test_a_dry_run_export_is_recorded_as_a_dry_run_without_a_file(
    arranged: Database, tmp_path: Path
) -> None:
    export_platform(arranged, PLAN, tmp_path, dry_run=True)
    (entry,) = bundle_history(arranged)
    assert entry.outcome == DRY_RUN
    assert (entry.sha256, entry.size_bytes) == ("", 0)
    assert list(tmp_path.glob("*.zip")) == []


def test_a_refused_export_is_not_recorded(db: Database, tmp_path: Path) -> None:
    from examsite.services.demo import create_demo

    create_demo(db, candidates=5)  # nobody registered: nothing ready to upload
    with pytest.raises(InputError):
        export_platform(db, PLAN, tmp_path)
    assert bundle_history(db) == ()


def test_transfer_export_dry_run_and_merge_newest_first(
    arranged: Database, db: Database, tmp_path: Path, keys: Path
) -> None:
    bundle = tmp_path / "site.zip"
    exported = export_transfer(arranged, bundle, key_folder=keys)
    (out,) = bundle_history(arranged)
    assert (out.direction, out.kind, out.outcome) == (EXPORT, SITE_TRANSFER, WRITTEN)
    assert out.sha256 == sha256(bundle) and out.size_bytes == exported.size_bytes
    assert out.summary["sequence"] == exported.sequence
    assert out.counts["candidate"] == 30

    with clock.fixed(TEST_NOW + dt.timedelta(minutes=1)):
        import_bundle(db, bundle, dry_run=True)
    with clock.fixed(TEST_NOW + dt.timedelta(minutes=2)):
        import_bundle(db, bundle)
    merged, dry = bundle_history(db)
    assert (dry.direction, dry.outcome) == (IMPORT, DRY_RUN)
    assert (merged.direction, merged.outcome) == (IMPORT, MERGED)
    assert merged.sha256 == sha256(bundle) and merged.path == str(bundle)
    assert merged.counts["added"] > 30 and merged.counts["conflicts"] == 0
    assert merged.summary["paired"] is True
    assert "新增" in content_text(merged)
    assert len(bundle_history(db, limit=1)) == 1


def test_a_refused_bundle_is_recorded_and_changes_nothing_else(
    arranged: Database, db: Database, tmp_path: Path, keys: Path
) -> None:
    bundle = tmp_path / "site.zip"
    export_transfer(arranged, bundle, key_folder=keys)
    import_bundle(db, bundle)
    before = everything_but_the_log(db)

    damaged = tmp_path / "damaged.zip"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(BundleError) as refused:
        import_bundle(db, damaged)
    with pytest.raises(BundleError) as replayed:
        import_bundle(db, bundle)  # the same bundle again: an old one replayed

    assert everything_but_the_log(db) == before
    second, first = bundle_history(db)[:2]
    assert (first.outcome, first.reason, first.path) == (
        REFUSED,
        refused.value.code,
        str(damaged),
    )
    assert first.summary["message"] == refused.value.message == content_text(first)
    assert first.sha256 == sha256(damaged) and first.size_bytes == damaged.stat().st_size
    assert (second.outcome, second.reason) == (REFUSED, replayed.value.code)
    assert replayed.value.code == "bundle.transfer_replayed"


def test_a_missing_file_is_recorded_as_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError) as refused:
        import_bundle(db, tmp_path / "nowhere.zip")
    (entry,) = bundle_history(db)
    assert (entry.outcome, entry.reason, entry.sha256) == (REFUSED, refused.value.code, "")


def test_an_open_conflict_is_recorded_as_refused_and_writes_nothing(
    arranged: Database, db: Database, tmp_path: Path, keys: Path
) -> None:
    first = tmp_path / "first.zip"
    export_transfer(arranged, first, key_folder=keys)
    import_bundle(db, first)
    with db.read() as session:
        id_number = session.scalars(select(Candidate.id_number).limit(1)).one()
    with clock.fixed(TEST_NOW + dt.timedelta(hours=1)):
        for database, value in ((arranged, "A 班"), (db, "B 班")):
            with database.unit_of_work() as session:
                candidate = session.scalars(
                    select(Candidate).where(Candidate.id_number == id_number)
                ).one()
                candidate.class_name = value
    second = tmp_path / "second.zip"
    export_transfer(arranged, second, key_folder=keys)
    before = everything_but_the_log(db)
    waiting = import_bundle(db, second)
    assert not waiting.applied and everything_but_the_log(db) == before
    entry = bundle_history(db)[0]
    assert (entry.outcome, entry.reason) == (REFUSED, "bundle_log.conflicts_open")
    assert entry.counts["conflicts"] == 1 and "1 条记录" in content_text(entry)


def _status_sheet(db: Database, path: Path) -> Path:
    with db.read() as session:
        rows = session.execute(select(Candidate.name, Candidate.id_number).limit(2)).all()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "学生姓名", "证件号码", "信息状态"])
    for at, (name, id_number) in enumerate(rows, 1):
        sheet.append([at, name, id_number, "信息准确"])
    book.save(path)
    return path


def test_platform_imports_dry_run_imported_and_refused(arranged: Database, tmp_path: Path) -> None:
    sheet = _status_sheet(arranged, tmp_path / "考生信息.xlsx")
    import_platform(arranged, sheet, PLAN, dry_run=True)
    done = import_platform(arranged, sheet, PLAN)
    other = tmp_path / "其他.xlsx"
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.append(["姓名", "班级"])
    book.active.append(["张三", "一班"])
    book.save(other)
    before = everything_but_the_log(arranged)
    with pytest.raises(InputError) as refused:
        import_platform(arranged, other, PLAN)
    assert everything_but_the_log(arranged) == before

    refusal, imported, dry = bundle_history(arranged)
    assert {e.kind for e in (refusal, imported, dry)} == {PLATFORM_SHEET}
    assert (dry.outcome, imported.outcome) == (DRY_RUN, IMPORTED)
    assert imported.counts["matched"] == done.matched == 2
    assert imported.summary["sheet"] == "statuses" and imported.plan == PLAN
    assert "考生信息状态：2 行" in content_text(imported)
    assert (refusal.outcome, refusal.reason, refusal.plan) == (
        REFUSED,
        refused.value.code,
        PLAN,
    )


def test_a_log_row_that_cannot_be_written_does_not_fail_the_export(
    arranged: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_db: Database, **_values: Any) -> None:
        raise OperationalError("insert", {}, Exception("disk I/O error"))

    monkeypatch.setattr(bundle_log, "record_bundle", broken)
    result = export_platform(arranged, PLAN, tmp_path)
    assert result.path is not None and result.path.exists()
    assert bundle_history(arranged) == ()


def test_record_bundle_in_checks_its_words(db: Database) -> None:
    with db.unit_of_work() as session:
        with pytest.raises(ValueError):
            record_bundle_in(session, "sideways", SITE_TRANSFER, WRITTEN, None, "", 0, "", {}, {})
        with pytest.raises(ValueError):
            record_bundle_in(session, EXPORT, SITE_TRANSFER, "lost", None, "", 0, "", {}, {})
        entry = record_bundle_in(session, EXPORT, SITE_TRANSFER, WRITTEN, None, "", 0, "", {}, {})
    assert entry.path == "" and bundle_history(db) == (entry,)
