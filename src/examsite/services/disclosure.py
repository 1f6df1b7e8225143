"""Printing or exporting whole ID numbers is itself logged (issue 13, PIPL art. 51).

Every paper or file the program writes with candidates' ID numbers in full adds one audit
entry: action ``print`` or ``export``, entity ``document``, entity id the document's kind
(``FULL_ID_DOCUMENTS``), after ``{"file", "candidates", "full_ids": true}``; the entry
names the logged-in account (``services.audit``). ``audit list --entity document`` shows
them. Papers that mask the number (``domain.masking``: tickets, sign-in sheets, desk
labels), papers without it, and a file that names nobody add none.

The entry goes into the export's own unit of work where it has one
(``record_full_ids_in``), else into a unit of work right after the file is written
(``record_full_ids``): if that cannot be written, the file is removed again and the error
raised, so no file with whole ID numbers leaves without its entry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path
from typing import Final, Literal

from sqlalchemy.orm import Session

from examsite.services import audit
from examsite.storage.db import Database

#: The documents written with whole ID numbers: kind → what it is (for the reader of
#: the log and the tests).
FULL_ID_DOCUMENTS: Final = {
    "registration_sheet": "报考表（按证书报考，导出给平台）",
    "platform_upload": "平台上传包（考生信息表、报考表、以证件号码命名的照片）",
    "transfer_bundle": "换机传输包（整个考点的数据）",
    "score_review_form": "成绩复查表（已填）",
    "demo_score_sheet": "演示用科目成绩表",
    "db_copy": "整库复制到另一个数据库",
}
ENTITY: Final = "document"
ACTOR: Final = "user"
Action = Literal["print", "export"]


def record_full_ids_in(
    session: Session, action: Action, kind: str, file: Path | str, candidates: int
) -> None:
    """Add the entry of ``kind`` written to ``file`` with ``candidates`` candidates' whole
    ID numbers to the session's transaction (none for a file without any)."""
    if candidates <= 0:
        return
    if kind not in FULL_ID_DOCUMENTS:
        raise ValueError(f"not a document with whole ID numbers: {kind}")
    after = {"file": str(file), "candidates": candidates, "full_ids": True}
    audit.record(session, action, ENTITY, kind, None, after, ACTOR)


def record_full_ids(
    db: Database, action: Action, kind: str, file: Path | str, candidates: int
) -> None:
    """The entry in a unit of work of its own, right after ``file`` was written; the file
    is removed when the entry cannot be written (the error is raised)."""
    try:
        with db.unit_of_work() as session:
            record_full_ids_in(session, action, kind, file, candidates)
    except BaseException:
        remove_written(file)
        raise


def remove_written(file: Path | str) -> None:
    """Take back a written file whose entry could not be written. Only a file: a folder
    may be the coordinator's own and is never removed."""
    path = Path(file)
    with contextlib.suppress(OSError):
        if path.is_file():
            path.unlink()


def count_ids(ids: Iterable[str]) -> int:
    """How many different candidates ``ids`` (ID numbers, blanks ignored) name."""
    return len({i.strip().upper() for i in ids if i and i.strip()})
