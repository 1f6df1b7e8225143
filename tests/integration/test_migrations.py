"""The schema is made by migrations only, and they go both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from examsite.errors import StorageError
from examsite.storage.db import Database
from examsite.storage.migrate import current_revision, downgrade, head_revision, upgrade_to_head
from examsite.storage.models import Base


def test_empty_file_upgrades_to_head_with_every_table(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "new.db")
    assert current_revision(db.engine) == head_revision(db.engine)
    assert set(Base.metadata.tables) <= set(db.table_names())


def test_head_downgrade_to_base_and_back(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "round.db")
    downgrade(db.engine, "base")
    assert db.table_names() == ["alembic_version"]
    upgrade_to_head(db.engine)
    assert set(Base.metadata.tables) <= set(db.table_names())
    assert current_revision(db.engine) == head_revision(db.engine)


def test_models_match_migrations(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do: every model change came with a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = Database.open(tmp_path / "diff.db")
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_foreign_keys_and_wal_on_every_connection(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "pragma.db")
    for _ in range(3):
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_database_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "future.db")
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    db.close()
    with pytest.raises(StorageError, match="更新版本"):
        Database.open(tmp_path / "future.db")


def test_sqlalchemy_url_is_accepted(tmp_path: Path) -> None:
    db = Database.open(f"sqlite:///{(tmp_path / 'url.db').as_posix()}")
    assert db.file_path == tmp_path / "url.db"
