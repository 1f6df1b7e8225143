"""Restoring a backup file (``backup restore FILE``) that is not what it claims: its
bytes flipped, cut or padded, its SQLite header spoilt. The restore puts a sound copy in
place, or refuses with a clear message and leaves the database file as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hostile import registered, spoiled_bytes
from hypothesis import event, given, settings
from hypothesis import strategies as st
from profiles import examples

from examsite.errors import ExamsiteError
from examsite.services.backup import restore_backup
from examsite.storage.backups import check_sqlite_file

pytestmark = pytest.mark.sqlite_only


@settings(max_examples=examples(15))
@given(data=st.data())
def test_a_hostile_backup_is_restored_whole_or_refused(
    db_templates: Any, tmp_path: Path, data: st.DataObject
) -> None:
    template = Path(db_templates.demo(20)).read_bytes()
    site = tmp_path / "site.db"
    site.write_bytes(Path(db_templates.empty()).read_bytes())
    backup = tmp_path / "in" / "site-20270101-000000-manual.db"
    backup.parent.mkdir(parents=True, exist_ok=True)
    spoilt = data.draw(spoiled_bytes(template), label="backup")
    backup.write_bytes(spoilt)
    before = site.read_bytes()
    try:
        restore_backup(site, backup, folder=tmp_path / "kept")
    except ExamsiteError as exc:
        event(f"refused: {exc.code}")
        registered(exc.code, exc.params, "refusal")
        assert site.read_bytes() == before, "a refused restore changed the database file"
        return
    event("restored")
    assert check_sqlite_file(site) == [], "a restore put a damaged file in place"
