"""The write lock with several programs writing at once: a writer that waits too long is
told who holds the lock and what they are doing (PostgreSQL), and nothing it did is kept."""

from __future__ import annotations

import pytest

from examsite.errors import StorageError
from examsite.messages import text
from examsite.storage.activity import doing
from examsite.storage.db import Database
from examsite.storage.models import Setting


def test_a_waiting_writer_is_told_who_writes_and_what(db: Database, engine: str) -> None:
    other = Database(db.url, upgrade=False)
    other.write_wait_ms = 300
    try:
        with doing("candidate_import"), db.unit_of_work() as session:
            session.add(Setting(key="first", value="1"))
            session.flush()
            with pytest.raises(StorageError) as caught, other.unit_of_work() as waiting:
                waiting.add(Setting(key="second", value="2"))
        with other.read() as session:
            assert session.get(Setting, "first") is not None
            assert session.get(Setting, "second") is None
    finally:
        other.close()
    if engine == "postgresql":
        assert caught.value.code == "storage.locked_by"
        assert caught.value.params["doing"] == text("activity.candidate_import") == "导入考生"
        assert caught.value.params["computer"]
        message = text(caught.value.code, **caught.value.params)
        assert f"另一台电脑（{caught.value.params['computer']}）正在导入考生" in message
    else:  # SQLite cannot say who holds its lock
        assert caught.value.code == "storage.locked"


def test_the_holder_is_named_by_the_service_that_writes(db: Database, engine: str) -> None:
    if engine != "postgresql":
        pytest.skip("only a server knows who holds its lock")
    from sqlalchemy import event

    from examsite.services.candidates import CandidateForm, save_candidate
    from examsite.storage.write_lock import Writer, write_lock_holder

    other = Database(db.url, upgrade=False)
    seen: list[Writer | None] = []

    def peek(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("INSERT INTO candidate ") and not seen:
            with other.read() as session:
                seen.append(write_lock_holder(session))

    event.listen(db.engine, "before_cursor_execute", peek)
    try:
        save_candidate(
            db,
            CandidateForm.of(
                "social", {"name": "张三", "id_number": "110105200001010016", "gender": "男"}
            ),
        )
        with other.read() as session:
            assert write_lock_holder(session) is None  # the lock went with the commit
    finally:
        event.remove(db.engine, "before_cursor_execute", peek)
        other.close()
    assert seen and seen[0] is not None
    assert seen[0].activity == "candidates"
    assert seen[0].doing == "修改考生信息"
