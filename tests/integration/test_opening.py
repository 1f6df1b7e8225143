"""Opening a database: only an empty file, a new one or an ExamSite database is opened;
anything else is refused with a clear message and left as it was. The schema check is one
query when the schema is current."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from examsite.errors import StorageError
from examsite.storage.db import Database
from examsite.storage.migrate import HEAD_REVISION, KNOWN_REVISIONS, head_revision


def refused(path: Path) -> StorageError:
    with pytest.raises(StorageError) as caught:
        Database.open(path)
    return caught.value


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02 random bytes " * 100,
        b"SQLite format 2\x00" + b"\x00" * 200,  # a fake header
        b"PK\x03\x04" + b"\x00" * 500,  # a workbook renamed .db
        "考生名单，姓名，证件号码\n".encode("gbk") * 50,
    ],
)
def test_a_file_that_is_no_database_is_refused_and_kept(tmp_path: Path, content: bytes):
    path = tmp_path / "site.db"
    path.write_bytes(content)
    error = refused(path)
    assert error.code == "storage.not_a_database"
    assert "不是考点助手的数据库" in error.message
    assert path.read_bytes() == content


@pytest.mark.sqlite_only  # about the SQLite file itself
def test_a_truncated_database_is_refused(db: Database, tmp_path: Path):
    source = db.file_path
    assert source is not None
    db.close()
    data = source.read_bytes()
    broken = tmp_path / "broken.db"
    broken.write_bytes(data[: len(data) // 3] if len(data) > 8192 else data[:4096])
    with pytest.raises(StorageError) as caught:
        opened = Database.open(broken)
        # a cut file can still open; reading its tables then fails as damaged
        opened.table_names()
    # the check on start finds it damaged (and would name its last good backup)
    assert caught.value.code in (
        "storage.damaged_no_backup",
        "storage.not_a_database",
        "storage.cannot_open",
    )


def test_another_programs_sqlite_file_gets_no_tables_of_ours(tmp_path: Path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
    error = refused(path)
    assert error.code == "storage.foreign_database"
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]
    assert tables == ["orders"]


def test_an_empty_file_becomes_a_database(tmp_path: Path):
    path = tmp_path / "empty.db"
    path.touch()
    database = Database.open(path)
    assert "candidate" in database.table_names()
    database.close()


def test_a_folder_and_an_unmakeable_folder_are_refused(tmp_path: Path):
    assert refused(tmp_path).code == "storage.is_folder"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    error = refused(blocker / "sub" / "site.db")
    assert error.code == "storage.cannot_create_folder"
    assert "Errno" not in error.message


def test_the_head_revision_constants_match_the_scripts(db: Database):
    assert head_revision(db.engine) == HEAD_REVISION
    from alembic.script import ScriptDirectory

    from examsite.storage.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(db.engine))
    assert {r.revision for r in script.walk_revisions()} == KNOWN_REVISIONS


def test_opening_a_current_database_does_not_import_alembic(db: Database):
    code = (
        "import sys; from examsite.storage.db import Database; "
        f"Database.open({db.url!r}).close(); "
        "print('alembic' in sys.modules, 'mako' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
